namespace Reconciler.LocalCloud;

/// <summary>The ARNs of the resources LocalCloud serves, in its account and region.</summary>
public sealed record ResourceArns(string Region, string AccountId)
{
    public string Project(string name) => $"arn:aws:codebuild:{Region}:{AccountId}:project/{name}";

    public string Build(string id) => $"arn:aws:codebuild:{Region}:{AccountId}:build/{id}";

    public string Pipeline(string name) => $"arn:aws:codepipeline:{Region}:{AccountId}:{name}";

    public string Parameter(string name) => $"arn:aws:ssm:{Region}:{AccountId}:parameter/{name.TrimStart('/')}";

    /// <summary>A secret's ARN: Secrets Manager appends "-" and six random characters; LocalCloud derives them from the name so they are stable.</summary>
    public string Secret(string name) => $"arn:aws:secretsmanager:{Region}:{AccountId}:secret:{name}-{SecretSuffix(name)}";

    /// <summary>The ARN of a secret without its six-character suffix (a partial ARN, which Secrets Manager also accepts).</summary>
    public string SecretPrefix(string name) => $"arn:aws:secretsmanager:{Region}:{AccountId}:secret:{name}";

    private static string SecretSuffix(string name)
    {
        const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
        var hash = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(name));
        return new string(hash.Take(6).Select(b => Alphabet[b % Alphabet.Length]).ToArray());
    }
}
