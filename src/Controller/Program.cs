using Reconciler.Controller.Cli;

return await CommandLineApp.InvokeAsync(args);
