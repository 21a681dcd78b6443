using System.CommandLine;
using Microsoft.Extensions.Logging.Abstractions;
using Reconciler.Controller.Aws;
using Reconciler.Controller.Observation;
using Reconciler.Controller.Store;
using Reconciler.Model.Documents;
using Reconciler.Model.Planning;
using Reconciler.Model.Rendering;
using Reconciler.Model.Validation;

namespace Reconciler.Controller.Cli;

/// <summary><c>reconciler diff &lt;name|file&gt;</c>: what converging a spec would change, field by field, read live from AWS.</summary>
public static class DiffCommand
{
    public const int NoDifference = 0;
    public const int Difference = 1;
    public const int Error = 2;

    private const int Answered = 100;

    public static Command Create()
    {
        var target = new Argument<string>("name|file") { Description = "A stored spec's name, or a document file (- for stdin) to compare before applying it." };
        var store = new StoreOptions();
        var aws = new AwsOptions();
        var command = new Command("diff",
            "Render the spec, read its resources live, and print per resource a header (► Kind/name missing, drifted, extra, in sync or conflict) " +
            "with the changed fields as 'path: live → desired'. Exit codes: 0 no difference; 1 differences; 2 error.")
        {
            target,
        };
        store.AddTo(command);
        aws.AddTo(command);
        command.SetAction(async (ParseResult parse, CancellationToken cancellationToken) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            var name = parse.GetValue(target)!;
            PulumiPipeline? fromFile = null;
            if (name == DocumentSources.StandardInput || File.Exists(name))
            {
                var (source, bytes) = (await DocumentSources.ReadAsync([name], DocumentSources.OpenStandardInput, cancellationToken))[0];
                var validation = SpecValidator.Validate(source, bytes);
                if (!validation.IsValid)
                {
                    foreach (var problem in validation.Errors)
                    {
                        await error.WriteLineAsync($"invalid: {problem}");
                    }
                    return Error;
                }
                fromFile = validation.Document!;
                name = fromFile.Metadata.Name;
            }
            if (await aws.CreateClientsAsync(parse, error) is not { } clients)
            {
                return Error;
            }
            using (clients)
            {
                var exit = await store.RunAsync(parse, async (specs, location) =>
                {
                    var stored = await specs.GetAsync(name, cancellationToken);
                    var document = Merge(fromFile, stored);
                    if (document is null)
                    {
                        await error.WriteLineAsync($"error: no spec named '{name}' in {location}");
                        return Answered + Error;
                    }
                    var problems = SpecValidator.Validate(name, document);
                    if (problems.Count > 0)
                    {
                        await error.WriteLineAsync($"error: {name} is invalid: {string.Join("; ", problems)}");
                        return Answered + Error;
                    }
                    try
                    {
                        var plan = await PlanAsync(document, clients, cancellationToken);
                        foreach (var line in DiffReport.Lines(plan))
                        {
                            await output.WriteLineAsync(line);
                        }
                        return Answered + (plan.IsEmpty ? NoDifference : Difference);
                    }
                    catch (Exception e) when (AwsOptions.IsLiveReadFailure(e))
                    {
                        await error.WriteLineAsync($"error: reading live state: {e.Message}");
                        return Answered + Error;
                    }
                }, cancellationToken);
                // The store binder answers 1 or 2 for its own failures, and 1 means "differences" here: the body's
                // answers travel shifted by Answered, anything else is a store or usage error.
                return exit >= Answered ? exit - Answered : Error;
            }
        });
        return command;
    }

    /// <summary>The plan that converging <paramref name="document"/> would carry out now.</summary>
    public static async Task<Plan> PlanAsync(PulumiPipeline document, AwsClients clients, CancellationToken cancellationToken)
    {
        var desired = PipelineRenderer.Render(document);
        await using var reader = new LiveStateReader(clients.CodeBuild, clients.CodePipeline, TimeProvider.System, new LiveStateReaderOptions(), NullLogger<LiveStateReader>.Instance);
        var live = await reader.ObserveAsync(ObservationRequest.For(desired, document.Status, fresh: true), cancellationToken);
        return Planner.Plan(desired, live, OwnershipIdentity.Of(document), OwnershipIdentity.WantsAdoption(document));
    }

    // A file compares as its owner would apply it: its spec and metadata, with the stored uid (ownership) and status (inventory).
    private static PulumiPipeline? Merge(PulumiPipeline? fromFile, PulumiPipeline? stored) => (fromFile, stored) switch
    {
        (null, _) => stored,
        ({ } file, null) => file,
        ({ } file, { } existing) => file with
        {
            Metadata = file.Metadata with { Uid = existing.Metadata.Uid, Generation = existing.Metadata.Generation },
            Status = existing.Status,
        },
    };
}
