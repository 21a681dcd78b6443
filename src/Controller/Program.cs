using Reconciler.Controller.Cli;

return await CommandLineApp.Build().Parse(args).InvokeAsync();
