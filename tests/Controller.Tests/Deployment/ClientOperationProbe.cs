using System.Collections;
using System.Collections.Concurrent;
using System.Net;
using System.Reflection;
using Amazon.Runtime;
using Reconciler.Controller.Aws;

namespace Reconciler.Controller.Tests.Deployment;

/// <summary>
/// Which IAM actions each method of our AWS JSON clients causes: every method of every client that
/// <see cref="AwsClients"/> exposes is called once with made-up arguments, and the <c>X-Amz-Target</c> headers it
/// sends are read off the wire (the service's signing name is the IAM action prefix of all four services).
/// </summary>
internal static class ClientOperationProbe
{
    /// <summary>Client implementation method → the actions it sent. A method that sent nothing is an error.</summary>
    public static async Task<IReadOnlyDictionary<MethodInfo, IReadOnlySet<string>>> RunAsync()
    {
        var recorder = new RecordingHandler();
        var options = new AwsClientOptions
        {
            Region = "us-east-1",
            EndpointUrl = new Uri("http://127.0.0.1:9/"),
            Credentials = new BasicAWSCredentials("AKIDPROBE", "probe-secret"),
            Retry = new AwsRetrySettings { MaxRetryAttempts = 0 },
            RateLimit = new AwsRateLimitSettings { PermitsPerSecond = 0 },
        };
        using var clients = new AwsClients(options, handler: recorder, environment: _ => null);
        var result = new Dictionary<MethodInfo, IReadOnlySet<string>>();
        var silent = new List<string>();
        foreach (var property in typeof(AwsClients).GetProperties().Where(p => p.PropertyType.IsInterface))
        {
            var client = property.GetValue(clients)!;
            foreach (var face in new[] { property.PropertyType }.Concat(property.PropertyType.GetInterfaces()))
            {
                var map = client.GetType().GetInterfaceMap(face);
                for (var i = 0; i < map.InterfaceMethods.Length; i++)
                {
                    recorder.Targets.Clear();
                    var method = map.InterfaceMethods[i];
                    var arguments = method.GetParameters().Select(SampleArgument).ToArray();
                    try
                    {
                        if (method.Invoke(client, arguments) is Task task)
                        {
                            await task;
                        }
                    }
                    catch (Exception e) when (e is AwsApiException or TargetInvocationException)
                    {
                        // The probe's answer is an empty object; a client may reject it after the request went out.
                    }
                    var actions = recorder.Targets.Select(ToAction).ToHashSet();
                    if (actions.Count == 0)
                    {
                        silent.Add($"{face.Name}.{method.Name}");
                    }
                    result[map.TargetMethods[i]] = actions;
                }
            }
        }
        if (silent.Count > 0)
        {
            throw new InvalidOperationException($"these client methods sent no request with the probe's arguments, so their operations are unknown: {string.Join(", ", silent)}");
        }
        return result;
    }

    // X-Amz-Target is "<TargetPrefix>.<Operation>"; IAM names the action "<signing name>:<Operation>".
    private static string ToAction(string target)
    {
        var dot = target.LastIndexOf('.');
        var prefix = target[..dot];
        var service = AwsService.All.SingleOrDefault(s => s.TargetPrefix == prefix)
            ?? throw new InvalidOperationException($"X-Amz-Target {target} belongs to no service in AwsService.All");
        return $"{service.SigningName}:{target[(dot + 1)..]}";
    }

    private static readonly NullabilityInfoContext Nullability = new();

    private static object? SampleArgument(ParameterInfo parameter)
    {
        if (parameter.ParameterType == typeof(CancellationToken))
        {
            return CancellationToken.None;
        }
        if (Nullability.Create(parameter).WriteState == NullabilityState.Nullable)
        {
            return null;
        }
        return Sample(parameter.ParameterType);
    }

    private static object Sample(Type type)
    {
        if (type == typeof(string))
        {
            return "probe";
        }
        if (type.IsValueType)
        {
            return Activator.CreateInstance(type)!;
        }
        if (type.IsGenericType && typeof(IEnumerable).IsAssignableFrom(type) && type.GetGenericArguments() is [var element])
        {
            var list = (IList)Activator.CreateInstance(typeof(List<>).MakeGenericType(element))!;
            list.Add(Sample(element));
            return list;
        }
        return Activator.CreateInstance(type)
            ?? throw new InvalidOperationException($"the probe cannot make a {type.Name}");
    }

    private sealed class RecordingHandler : HttpMessageHandler
    {
        public ConcurrentQueue<string> Targets { get; } = new();

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.Headers.TryGetValues("X-Amz-Target", out var values))
            {
                Targets.Enqueue(values.Single());
            }
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("{}") });
        }
    }
}
