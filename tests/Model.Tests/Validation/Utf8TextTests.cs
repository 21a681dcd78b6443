using System.Text;
using Reconciler.Model.Validation;

namespace Reconciler.Model.Tests.Validation;

/// <summary>Document bytes that are not UTF-8 are an error with the byte offset, never U+FFFD.</summary>
public class Utf8TextTests
{
    private static byte[] Bytes(params object[] parts) =>
        parts.SelectMany(p => p is string s ? Encoding.UTF8.GetBytes(s) : (byte[])p).ToArray();

    [Fact]
    public void A_Latin1_byte_inside_a_valid_document_is_an_error_with_its_offset()
    {
        var text = TestDocuments.Mutate(doc => doc["metadata"]!["labels"] = new System.Text.Json.Nodes.JsonObject { ["team"] = "cafe" });
        var at = text.IndexOf("cafe", StringComparison.Ordinal) + 3;
        var bytes = Bytes(text[..at], new byte[] { 0xE9 }, text[(at + 1)..]);

        var result = SpecValidator.Validate("doc.json", bytes);

        Assert.False(result.IsValid);
        var error = Assert.Single(result.Errors);
        Assert.Equal("$", error.Path);
        Assert.Equal($"invalid UTF-8 at byte offset {Encoding.UTF8.GetByteCount(text[..at])}: 0xE9 is not a UTF-8 sequence; save the document as UTF-8", error.Message);
        Assert.Null(result.Document);
    }

    [Fact]
    public void The_offset_counts_a_byte_order_mark()
    {
        Assert.Null(Utf8Text.TryDecode(Bytes(Encoding.UTF8.Preamble.ToArray(), "{\"a\":", new byte[] { 0xFF }, "}"), out var invalid));
        Assert.Equal(3 + 5, invalid!.Offset);
    }

    [Fact]
    public void Text_that_ends_inside_a_sequence_says_so()
    {
        Assert.Null(Utf8Text.TryDecode(Bytes("{\"a\":\"", new byte[] { 0xE2, 0x82 }), out var invalid));
        Assert.Equal(6, invalid!.Offset);
        Assert.Equal("the text ends inside a UTF-8 sequence (0xE2 0x82)", invalid.Reason);
    }

    [Fact]
    public void An_encoded_surrogate_is_not_UTF8()
    {
        Assert.Null(Utf8Text.TryDecode(Bytes("x", new byte[] { 0xED, 0xA0, 0x80 }), out var invalid));
        Assert.Equal(1, invalid!.Offset);
    }

    [Fact]
    public void Valid_UTF8_with_a_byte_order_mark_decodes_without_it()
    {
        Assert.Equal("é€😀", Utf8Text.TryDecode(Bytes(Encoding.UTF8.Preamble.ToArray(), "é€😀"), out var invalid));
        Assert.Null(invalid);
    }

    [Fact]
    public void A_valid_sample_validates_the_same_from_bytes_and_from_text()
    {
        var text = TestDocuments.Mutate(_ => { });
        Assert.True(SpecValidator.Validate("doc.json", Encoding.UTF8.GetBytes(text)).IsValid);
    }
}
