namespace Reconciler.LocalCloud;

/// <summary>The ARNs of the resources LocalCloud serves, in its account and region.</summary>
public sealed record ResourceArns(string Region, string AccountId)
{
    public string Project(string name) => $"arn:aws:codebuild:{Region}:{AccountId}:project/{name}";

    public string Build(string id) => $"arn:aws:codebuild:{Region}:{AccountId}:build/{id}";

    public string Pipeline(string name) => $"arn:aws:codepipeline:{Region}:{AccountId}:{name}";

    public string Parameter(string name) => $"arn:aws:ssm:{Region}:{AccountId}:parameter/{name.TrimStart('/')}";
}
