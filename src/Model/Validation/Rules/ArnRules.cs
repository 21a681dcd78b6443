using System.Text.RegularExpressions;

namespace Reconciler.Model.Validation.Rules;

/// <summary>The ARNs a spec names: IAM roles (CodeBuild and CodePipeline service roles) and CodeStar/CodeConnections connections.</summary>
internal static partial class ArnRules
{
    // Role path segments use the printable ASCII IAM allows; the role name is 1-64 of [A-Za-z0-9+=,.@_-].
    [GeneratedRegex(@"^arn:aws(-[a-z]+)*:iam::[0-9]{12}:role/([\x21-\x2E\x30-\x7E]+/)*[A-Za-z0-9+=,.@_\-]{1,64}\z", RegexOptions.CultureInvariant)]
    private static partial Regex IamRole();

    [GeneratedRegex(@"^arn:aws(-[a-z]+)*:(codestar-connections|codeconnections):[a-z]{2}(-[a-z]+)+-[0-9]+:[0-9]{12}:connection/[A-Za-z0-9\-]+\z", RegexOptions.CultureInvariant)]
    private static partial Regex Connection();

    public static void CheckRole(RuleContext context, string path, string? arn, string whose)
    {
        if (string.IsNullOrEmpty(arn))
        {
            context.Add(path, $"required: the IAM role {whose} assumes, as arn:aws:iam::<12-digit account>:role/<name>");
        }
        else if (!IamRole().IsMatch(arn))
        {
            context.Add(path, $"{Quoted.Text(arn)} is not an IAM role ARN; expected arn:aws:iam::<12-digit account>:role/[<path>/]<name>");
        }
    }

    public static void CheckConnection(RuleContext context, string path, string arn)
    {
        if (!Connection().IsMatch(arn))
        {
            context.Add(path,
                $"{Quoted.Text(arn)} is not a connection ARN; expected arn:aws:codestar-connections:<region>:<12-digit account>:connection/<id> (or arn:aws:codeconnections:...)");
        }
    }
}
