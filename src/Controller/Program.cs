using Reconciler.Controller.Cli;

// run and demo stop gracefully on SIGTERM/Ctrl-C: give in-flight reconciles their 30 s before the process is ended.
return await CommandLineApp.InvokeAsync(args, new System.CommandLine.InvocationConfiguration { ProcessTerminationTimeout = TimeSpan.FromSeconds(40) });
