using System.Text.Json.Nodes;
using Reconciler.Model.Aws.ApiModels;

namespace Reconciler.LocalCloud.Services;

/// <summary>One AWS JSON-protocol service LocalCloud serves: its API model, its error style, and a handler per operation.</summary>
internal abstract class AwsJsonService(ApiModel model, string name, string? errorNamespace)
{
    private Dictionary<string, Func<JsonObject, JsonObject>>? _handlers;
    private HashSet<string>? _modelOperations;

    public ApiModel Model => model;

    /// <summary>The service's SDK name, used in counter and fault keys (<c>CodeBuild.BatchGetProjects</c>).</summary>
    public string Name => name;

    /// <summary>The <c>__type</c> prefix of the service's own errors, or null for bare codes.</summary>
    public string? ErrorNamespace => errorNamespace;

    /// <summary>The operations this service answers (a subset of the model's).</summary>
    public IReadOnlyCollection<string> Operations => Handlers.Keys;

    private Dictionary<string, Func<JsonObject, JsonObject>> Handlers => _handlers ??= new(CreateHandlers(), StringComparer.Ordinal);

    public bool Serves(string operation) => Handlers.ContainsKey(operation);

    /// <summary>Whether the API model has the operation at all (LocalCloud may still not serve it).</summary>
    public bool ModelHas(string operation) => (_modelOperations ??= model.Operations.ToHashSet(StringComparer.Ordinal)).Contains(operation);

    public JsonObject Invoke(string operation, JsonObject input) => Handlers[operation](input);

    /// <summary>The service's answer to a body that breaks the model: its own ValidationException when the model declares one, else Coral's.</summary>
    public AwsServiceException ValidationError(IReadOnlyList<string> violations) =>
        model.HasShape("ValidationException") ? CommonErrors.Validation(violations, errorNamespace) : CommonErrors.Validation(violations);

    protected abstract IEnumerable<KeyValuePair<string, Func<JsonObject, JsonObject>>> CreateHandlers();

    protected AwsServiceException Error(string code, string message, int statusCode = 400) => new(statusCode, code, message, errorNamespace);

    protected static KeyValuePair<string, Func<JsonObject, JsonObject>> Op(string operation, Func<JsonObject, JsonObject> handler) => new(operation, handler);
}
