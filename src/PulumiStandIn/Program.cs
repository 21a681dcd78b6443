using System.Runtime.InteropServices;
using Reconciler.PulumiStandIn;
using Reconciler.PulumiStandIn.CommandLine;

// A stand-in for the `pulumi` CLI (test infrastructure, like LocalCloud): the commands and flags the Automation API
// uses, a file:// backend, YAML programs of the AWS resources the reconciler generates, applied to AWS_ENDPOINT_URL.
using var interrupt = new CancellationTokenSource();
using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, context =>
{
    // The first ^C cancels gracefully (the current step finishes); the process then exits by itself.
    context.Cancel = true;
    interrupt.Cancel();
});
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
{
    context.Cancel = true;
    interrupt.Cancel();
});
return await StandInCli.RunAsync(args, Environment.GetEnvironmentVariable, Console.Out, Console.Error, interrupt.Token);
