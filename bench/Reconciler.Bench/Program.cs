using System.CommandLine;
using Reconciler.Bench;

var root = new RootCommand("Reconciler benchmarks: each scenario is a subcommand; run with -c Release.");
root.Subcommands.Add(WireScenario.Create());
return await root.Parse(args).InvokeAsync();
