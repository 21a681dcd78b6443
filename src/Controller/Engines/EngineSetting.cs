namespace Reconciler.Controller.Engines;

/// <summary>A setting an engine brings: <c>reconciler run</c> offers it as <c>--{Name}</c> and as <paramref name="Variable"/>.</summary>
/// <param name="Name">The option's name without dashes, prefixed by the engine's (<c>pulumi-binary</c>).</param>
/// <param name="Variable">The environment variable (<c>RECONCILER_PULUMI_BINARY</c>).</param>
/// <param name="Description">One line for <c>--help</c> and the README's options table.</param>
/// <param name="Default">The value when neither is given; null: no value.</param>
public sealed record EngineSetting(string Name, string Variable, string Description, string? Default = null);
