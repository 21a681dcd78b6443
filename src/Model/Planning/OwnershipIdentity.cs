using Reconciler.Model.Aws;
using Reconciler.Model.Documents;

namespace Reconciler.Model.Planning;

/// <summary>Who owns a resource: the spec name and uid that its ownership tags must carry.</summary>
public sealed record OwnershipIdentity(string SpecName, string Uid)
{
    /// <summary>The annotation by which a document asks to take over resources that carry its names but not its tags.</summary>
    public const string AdoptAnnotation = "reconciler.io/adopt";

    public static OwnershipIdentity Of(PulumiPipeline document) => new(document.Metadata.Name, document.Metadata.Uid ?? "");

    /// <summary>True when the document carries <c>reconciler.io/adopt: "true"</c>.</summary>
    public static bool WantsAdoption(PulumiPipeline document) =>
        document.Metadata.Annotations is { } annotations
        && annotations.TryGetValue(AdoptAnnotation, out var value)
        && string.Equals(value, "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>The three ownership tags, as rendered resources carry them.</summary>
    public IReadOnlyList<AwsTag> Tags =>
    [
        new AwsTag { Key = OwnershipTags.ManagedBy, Value = OwnershipTags.ManagedByValue },
        new AwsTag { Key = OwnershipTags.Spec, Value = SpecName },
        new AwsTag { Key = OwnershipTags.Uid, Value = Uid },
    ];

    /// <summary>True when the tags say: managed by the reconciler, for this spec, of this uid.</summary>
    public bool Owns(IReadOnlyList<AwsTag>? tags) =>
        TagValue(tags, OwnershipTags.ManagedBy) == OwnershipTags.ManagedByValue
        && TagValue(tags, OwnershipTags.Spec) == SpecName
        && TagValue(tags, OwnershipTags.Uid) == Uid;

    /// <summary>
    /// True when this spec may change the resource: it owns it, or it asks to adopt and no other spec owns it.
    /// Adoption takes over what no spec manages (made by hand, or released by a <c>Retain</c> deletion) and what an
    /// earlier document of this spec's name left behind; it never steals a resource another spec's tags claim.
    /// </summary>
    public bool MayChange(IReadOnlyList<AwsTag>? tags, bool adopt) =>
        Owns(tags) || (adopt && !OwnedByAnotherSpec(tags));

    /// <summary>True when the tags say another spec (another name) manages the resource.</summary>
    public bool OwnedByAnotherSpec(IReadOnlyList<AwsTag>? tags) =>
        TagValue(tags, OwnershipTags.ManagedBy) == OwnershipTags.ManagedByValue
        && TagValue(tags, OwnershipTags.Spec) != SpecName;

    /// <summary>A short description of who the tags say owns a resource, for conflict messages.</summary>
    public static string DescribeOwner(IReadOnlyList<AwsTag>? tags)
    {
        if (TagValue(tags, OwnershipTags.ManagedBy) != OwnershipTags.ManagedByValue)
        {
            return "not managed by the reconciler";
        }
        return $"spec {TagValue(tags, OwnershipTags.Spec) ?? "?"} (uid {TagValue(tags, OwnershipTags.Uid) ?? "?"})";
    }

    private static string? TagValue(IReadOnlyList<AwsTag>? tags, string key)
    {
        if (tags is null)
        {
            return null;
        }
        foreach (var tag in tags)
        {
            if (tag.Key == key)
            {
                return tag.Value;
            }
        }
        return null;
    }
}
