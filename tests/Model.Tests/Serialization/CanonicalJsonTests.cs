using System.Text.Json.Nodes;
using Reconciler.Model.Aws;
using Reconciler.Model.Serialization;

namespace Reconciler.Model.Tests.Serialization;

public class CanonicalJsonTests
{
    [Fact]
    public void Members_are_sorted_by_utf16_code_units_as_in_rfc_8785()
    {
        // The sorting example of RFC 8785 section 3.2.3.
        var node = JsonNode.Parse("""
            { "\u20ac": "Euro Sign", "\r": "Carriage Return", "\ufb33": "Hebrew Letter Dalet With Dagesh",
              "1": "One", "\ud83d\ude00": "Emoji: Grinning Face", "\u0080": "Control", "\u00f6": "Latin Small Letter O With Diaeresis" }
            """);
        var canonical = CanonicalJson.Serialize(node);
        var keys = JsonNode.Parse(canonical)!.AsObject().Select(p => p.Key).ToList();
        Assert.Equal(["\r", "1", "\u0080", "\u00f6", "\u20ac", "\ud83d\ude00", "\ufb33"], keys);
    }

    [Fact]
    public void Numbers_take_the_ecmascript_shortest_form()
    {
        // The number example of RFC 8785 section 3.2.2, plus integers and signs.
        var node = JsonNode.Parse("[333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001, 1.0, -0.0, 0, -7, 1e21, 1e20, 1.5e-7, 123456789012345678901234567890]");
        Assert.Equal("[333333333.3333333,1e+30,4.5,0.002,1e-27,1,0,0,-7,1e+21,100000000000000000000,1.5e-7,123456789012345678901234567890]",
            CanonicalJson.Serialize(node));
    }

    [Fact]
    public void Numbers_from_any_backing_type_agree()
    {
        var fromText = CanonicalJson.Serialize(JsonNode.Parse("[60, 2.5]"));
        var fromValues = CanonicalJson.Serialize(new JsonArray(JsonValue.Create(60), JsonValue.Create(2.5d)));
        var fromLongAndDecimal = CanonicalJson.Serialize(new JsonArray(JsonValue.Create(60L), JsonValue.Create(2.50m)));
        Assert.Equal("[60,2.5]", fromText);
        Assert.Equal(fromText, fromValues);
        Assert.Equal(fromText, fromLongAndDecimal);
    }

    [Fact]
    public void Strings_carry_only_the_escapes_json_requires()
    {
        // The string example of RFC 8785 section 3.2.2.
        var node = JsonNode.Parse("""["\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/", "<tag> & +", "\u2028"]""");
        Assert.Equal("[\"€$\\u000f\\nA'B\\\"\\\\\\\\\\\"/\",\"<tag> & +\",\"\u2028\"]", CanonicalJson.Serialize(node));
    }

    [Fact]
    public void A_lone_surrogate_is_escaped_so_the_text_stays_valid_utf8()
    {
        Assert.Equal("[\"a\\ud800b\"]", CanonicalJson.Serialize(new JsonArray(JsonValue.Create("a\ud800b"))));
    }

    [Fact]
    public void Whitespace_and_null_members_are_dropped_but_null_array_items_are_kept()
    {
        var node = JsonNode.Parse("""{ "b" : [ 1 , null , true , false ] , "a" : null , "c" : { } }""");
        Assert.Equal("""{"b":[1,null,true,false],"c":{}}""", CanonicalJson.Serialize(node));
    }

    [Fact]
    public void Equal_values_hash_equally_whatever_their_member_order_and_spacing()
    {
        var one = JsonNode.Parse("""{"name":"x","tags":{"b":"2","a":"1"},"n":10}""");
        var two = JsonNode.Parse("""{ "n": 10.0, "tags": { "a": "1", "b": "2" }, "name": "x", "gone": null }""");
        var three = JsonNode.Parse("""{"name":"x","tags":{"b":"2","a":"1"},"n":11}""");
        Assert.Equal(CanonicalJson.Hash(one), CanonicalJson.Hash(two));
        Assert.NotEqual(CanonicalJson.Hash(one), CanonicalJson.Hash(three));
    }

    [Fact]
    public void Sha256_is_lower_case_hex_of_the_utf8_bytes()
    {
        // FIPS 180-2 test vectors.
        Assert.Equal("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", CanonicalJson.Sha256Hex(""));
        Assert.Equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", CanonicalJson.Sha256Hex("abc"));
    }

    [Fact]
    public void A_source_generated_value_canonicalizes_through_its_metadata()
    {
        var tag = new List<AwsTag> { new() { Key = "k", Value = "v" } };
        Assert.Equal("""[{"key":"k","value":"v"}]""", CanonicalJson.Serialize(tag, ModelJsonContext.Default.ListAwsTag));
        Assert.Equal(CanonicalJson.Sha256Hex("""[{"key":"k","value":"v"}]"""), CanonicalJson.Hash(tag, ModelJsonContext.Default.ListAwsTag));
    }
}
