using System.Reflection;
using Amazon.Runtime;
using Reconciler.Controller.Cli;
using Reconciler.Model.Documents;

namespace Reconciler.Controller.Tests.Deployment;

/// <summary>
/// The IAM actions <c>reconciler run</c> can cause, derived from the code: the methods reachable from
/// <see cref="RunCommand"/> (<see cref="IlCallGraph"/>), mapped to AWS operations through the AWS SDK's typed DynamoDB
/// client (an <c>XxxAsync</c> method returning an <see cref="AmazonWebServiceResponse"/> is operation <c>Xxx</c>) and
/// through our JSON clients (<see cref="ClientOperationProbe"/>: the <c>X-Amz-Target</c> each method sends).
/// </summary>
internal static class ControllerOperations
{
    private static readonly Lazy<Task<Derivation>> Cached = new(DeriveAsync);

    /// <summary>What the derivation found, with the reachable methods that cause each action (for failure messages).</summary>
    public sealed record Derivation(IReadOnlyDictionary<string, IReadOnlyList<string>> Actions, IReadOnlyDictionary<string, IReadOnlySet<string>> ClientMethods)
    {
        public IReadOnlySet<string> ActionNames => Actions.Keys.ToHashSet(StringComparer.Ordinal);
    }

    public static Task<Derivation> GetAsync() => Cached.Value;

    private static async Task<Derivation> DeriveAsync()
    {
        var probe = await ClientOperationProbe.RunAsync();
        var graph = IlCallGraph.From(typeof(RunCommand), [typeof(RunCommand).Assembly, typeof(PulumiPipeline).Assembly]);
        var actions = new SortedDictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        void Add(string action, string because)
        {
            actions[action] = actions.TryGetValue(action, out var reasons) ? [.. reasons, because] : [because];
        }

        var reached = graph.Methods.Select(m => (m.Module, m.MetadataToken)).ToHashSet();
        foreach (var (method, sent) in probe)
        {
            if (reached.Contains((method.Module, method.MetadataToken)))
            {
                foreach (var action in sent)
                {
                    Add(action, $"{method.DeclaringType!.Name}.{method.Name}");
                }
            }
        }
        foreach (var call in graph.ExternalCalls.OfType<MethodInfo>())
        {
            if (SdkOperation(call) is { } action)
            {
                Add(action, $"{call.DeclaringType!.Name}.{call.Name}");
            }
        }
        return new Derivation(actions, probe.ToDictionary(p => $"{p.Key.DeclaringType!.Name}.{p.Key.Name}", p => p.Value));
    }

    // The AWS SDK's service clients: one XxxAsync method per operation, answering an XxxResponse.
    private static string? SdkOperation(MethodInfo method)
    {
        var owner = method.DeclaringType;
        if (owner is null || !typeof(IAmazonService).IsAssignableFrom(owner) || !method.Name.EndsWith("Async", StringComparison.Ordinal))
        {
            return null;
        }
        var returns = method.ReturnType;
        if (!returns.IsGenericType || returns.GetGenericTypeDefinition() != typeof(Task<>) ||
            !typeof(AmazonWebServiceResponse).IsAssignableFrom(returns.GetGenericArguments()[0]))
        {
            return null;
        }
        var prefix = ServicePrefix(owner);
        return $"{prefix}:{method.Name[..^"Async".Length]}";
    }

    // The SDK's own metadata names the service's signing name, which is its IAM prefix (dynamodb for DynamoDB).
    private static string ServicePrefix(Type client)
    {
        var assembly = client.Assembly;
        var config = assembly.GetTypes().Single(t => typeof(ClientConfig).IsAssignableFrom(t) && !t.IsAbstract);
        var instance = (ClientConfig)Activator.CreateInstance(config)!;
        return instance.AuthenticationServiceName;
    }
}
