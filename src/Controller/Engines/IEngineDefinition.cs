namespace Reconciler.Controller.Engines;

/// <summary>
/// One converge engine as the registry knows it: its name, its settings, and how to build it. Adding an engine is
/// adding one class that implements this (public, with a parameterless constructor): <see cref="EngineRegistry.Default"/>
/// finds it, <c>--engine</c> accepts its name, <c>run</c> offers its settings.
/// </summary>
public interface IEngineDefinition
{
    /// <summary>The <c>--engine</c> value and the name status reports (<c>direct</c>, <c>pulumi</c>).</summary>
    string Name { get; }

    /// <summary>One line for <c>--help</c>.</summary>
    string Description { get; }

    /// <summary>The settings this engine reads from <see cref="EngineContext.Settings"/>.</summary>
    IReadOnlyList<EngineSetting> Settings { get; }

    /// <summary>Checks the settings before anything is opened, so a bad one is a usage error that changes nothing.</summary>
    /// <exception cref="FormatException">A value is wrong; the message names the setting.</exception>
    void Validate(IReadOnlyDictionary<string, string> settings);

    /// <summary>
    /// Builds the engine. The registry wraps it so that the reader's cache of every resource in a plan is dropped
    /// before <see cref="IConvergeEngine.ApplyAsync"/> and of every resource changed after it: an engine does not
    /// invalidate by itself.
    /// </summary>
    IConvergeEngine Create(EngineContext context);
}
