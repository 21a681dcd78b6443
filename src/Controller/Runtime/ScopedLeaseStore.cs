namespace Reconciler.Controller.Runtime;

/// <summary>
/// The rows of one controller scope in a lease table shared with others: names are written as
/// <c>scope/&lt;scope&gt;/&lt;name&gt;</c> and only this scope's rows are listed (with the prefix taken off), so controllers
/// with different selectors or names on one table never hold, count or balance each other's shards.
/// </summary>
public sealed class ScopedLeaseStore(ILeaseStore inner, string scope) : ILeaseStore
{
    private readonly string _prefix = $"scope/{scope}/";

    /// <summary>
    /// The lease scope of a controller: its configured name, else its selector's terms in a canonical order; null
    /// (the table's unscoped rows, as before scopes existed) when it has neither.
    /// </summary>
    public static string? ScopeOf(string? controllerName, string? selector)
    {
        if (!string.IsNullOrWhiteSpace(controllerName))
        {
            return $"name={controllerName.Trim()}";
        }
        if (string.IsNullOrWhiteSpace(selector))
        {
            return null;
        }
        var terms = selector.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(t => t.Replace(" ", "", StringComparison.Ordinal)).Order(StringComparer.Ordinal);
        return $"selector={string.Join(',', terms)}";
    }

    public string Scope => scope;

    public async Task<IReadOnlyList<Lease>> ListAsync(CancellationToken cancellationToken) =>
        [.. (await inner.ListAsync(cancellationToken))
            .Where(lease => lease.Name.StartsWith(_prefix, StringComparison.Ordinal))
            .Select(lease => lease with { Name = lease.Name[_prefix.Length..] })];

    public Task<bool> TryWriteAsync(Lease lease, long expectedVersion, CancellationToken cancellationToken) =>
        inner.TryWriteAsync(lease with { Name = _prefix + lease.Name }, expectedVersion, cancellationToken);

    public Task<bool> TryDeleteAsync(string name, long expectedVersion, CancellationToken cancellationToken) =>
        inner.TryDeleteAsync(_prefix + name, expectedVersion, cancellationToken);

    public async Task<LeaseSetting?> ReadSettingAsync(string name, CancellationToken cancellationToken) =>
        await inner.ReadSettingAsync(_prefix + name, cancellationToken) is { } setting ? setting with { Name = name } : null;

    public Task<bool> TryWriteSettingAsync(LeaseSetting setting, long expectedVersion, CancellationToken cancellationToken) =>
        inner.TryWriteSettingAsync(setting with { Name = _prefix + setting.Name }, expectedVersion, cancellationToken);
}
