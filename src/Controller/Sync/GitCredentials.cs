using System.Runtime.InteropServices;
using LibGit2Sharp;
using LibGit2Sharp.Handlers;

namespace Reconciler.Controller.Sync;

/// <summary>
/// Git credentials from the environment: <c>RECONCILER_GIT_TOKEN</c> (HTTPS, with <c>RECONCILER_GIT_USERNAME</c>, default
/// <c>git</c>) and <c>RECONCILER_GIT_SSH_KEY</c> (a private key file, with an optional <c>.pub</c> beside it and
/// <c>RECONCILER_GIT_SSH_PASSPHRASE</c>). The values are handed to libgit2 only; they are never logged or formatted.
/// </summary>
public sealed class GitCredentials
{
    public const string TokenVariable = "RECONCILER_GIT_TOKEN";
    public const string UsernameVariable = "RECONCILER_GIT_USERNAME";
    public const string SshKeyVariable = "RECONCILER_GIT_SSH_KEY";
    public const string SshPassphraseVariable = "RECONCILER_GIT_SSH_PASSPHRASE";

    private readonly string? _token;
    private readonly string _username;
    private readonly string? _sshKey;
    private readonly string? _sshPassphrase;

    public GitCredentials(string? token, string? username, string? sshKey, string? sshPassphrase)
    {
        _token = string.IsNullOrEmpty(token) ? null : token;
        _username = string.IsNullOrEmpty(username) ? "git" : username;
        _sshKey = string.IsNullOrEmpty(sshKey) ? null : sshKey;
        _sshPassphrase = sshPassphrase;
    }

    public static GitCredentials FromEnvironment() => new(
        Environment.GetEnvironmentVariable(TokenVariable),
        Environment.GetEnvironmentVariable(UsernameVariable),
        Environment.GetEnvironmentVariable(SshKeyVariable),
        Environment.GetEnvironmentVariable(SshPassphraseVariable));

    public static GitCredentials None { get; } = new(null, null, null, null);

    /// <summary>What libgit2 asks when a remote wants credentials; null when none are configured for that kind.</summary>
    public CredentialsHandler Handler => (_, usernameFromUrl, types) =>
    {
        if (types.HasFlag(SupportedCredentialTypes.UsernamePassword) && _token is not null)
        {
            return new UsernamePasswordCredentials { Username = _username, Password = _token };
        }
        if (_sshKey is not null)
        {
            return new SshKeyFileCredentials(usernameFromUrl ?? "git", _sshKey, _sshPassphrase);
        }
        return new DefaultCredentials();
    };

    // LibGit2Sharp 0.32 has no SSH key credential type; libgit2 itself has one, so this one asks it directly.
    private sealed class SshKeyFileCredentials(string user, string privateKey, string? passphrase) : Credentials
    {
        protected override int GitCredentialHandler(out IntPtr cred)
        {
            var publicKey = File.Exists(privateKey + ".pub") ? privateKey + ".pub" : null;
            return NativeMethods.git_credential_ssh_key_new(out cred, user, publicKey, privateKey, passphrase ?? "");
        }
    }

    private static class NativeMethods
    {
        // The native library LibGit2Sharp.NativeBinaries ships (its name carries the libgit2 commit it was built from).
        [DllImport("git2-5853918", CallingConvention = CallingConvention.Cdecl)]
        public static extern int git_credential_ssh_key_new(
            out IntPtr cred,
            [MarshalAs(UnmanagedType.LPUTF8Str)] string username,
            [MarshalAs(UnmanagedType.LPUTF8Str)] string? publickey,
            [MarshalAs(UnmanagedType.LPUTF8Str)] string privatekey,
            [MarshalAs(UnmanagedType.LPUTF8Str)] string passphrase);
    }
}
