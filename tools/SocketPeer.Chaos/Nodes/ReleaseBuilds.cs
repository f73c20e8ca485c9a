using System.Diagnostics;

namespace SocketPeer.Chaos.Nodes;

/// <summary>
/// Builds of earlier commits, for an upgrade rehearsal: the commit is checked out in a temporary
/// detached worktree, its gateway published into a folder, and the worktree removed. Folders are
/// cached by full commit hash (under <see cref="CacheRoot"/>), so a commit is built once per machine.
/// </summary>
public static class ReleaseBuilds
{
    /// <summary>Where builds are kept: <c>SOCKETPEER_RELEASE_BUILDS</c>, or <c>socketpeer-releases</c> in the temp directory.</summary>
    public static string CacheRoot =>
        Environment.GetEnvironmentVariable("SOCKETPEER_RELEASE_BUILDS") is { Length: > 0 } root
            ? root
            : Path.Combine(Path.GetTempPath(), "socketpeer-releases");

    /// <summary>The file that names the previous release (one commit; lines starting with # are comments).</summary>
    public static string PreviousReleaseFile => Path.Combine(BuildPaths.RepoRoot, "tools", "SocketPeer.Chaos", "previous-release");

    public const string PreviousAlias = "previous";

    public static string PreviousRelease()
    {
        var commit = File.ReadAllLines(PreviousReleaseFile)
            .Select(l => l.Trim())
            .FirstOrDefault(l => l.Length > 0 && !l.StartsWith('#'));
        return commit ?? throw new ChaosException($"{PreviousReleaseFile} names no commit");
    }

    /// <summary><paramref name="commit"/>, or the previous release for <see cref="PreviousAlias"/>.</summary>
    public static string Resolve(string commit) => commit == PreviousAlias ? PreviousRelease() : commit;

    /// <summary>The full hash of <paramref name="commit"/> if this clone has it (a shallow clone may not).</summary>
    public static string? FullHash(string commit)
    {
        var (code, output) = Run("git", ["-C", BuildPaths.RepoRoot, "rev-parse", "--verify", "--quiet", commit + "^{commit}"], log: null);
        return code == 0 ? output.Trim() : null;
    }

    /// <summary>The gateway of <paramref name="commit"/> published into a folder (built now, or found in the cache); returns the folder.</summary>
    public static async Task<string> BuildAsync(string commit, Action<string> say, CancellationToken cancel)
    {
        var full = FullHash(commit) ?? throw new ChaosException($"commit {commit} is not in this clone's history (a shallow clone? git fetch --unshallow)");
        var folder = Path.Combine(CacheRoot, full);
        if (File.Exists(Path.Combine(folder, GatewayDllName)))
        {
            say($"build of {full[..7]}: {folder} (cached)");
            return folder;
        }
        Directory.CreateDirectory(CacheRoot);
        var unique = $"{Environment.ProcessId}-{Guid.NewGuid():N}"[..16];
        var source = Path.Combine(CacheRoot, $"src-{full[..12]}-{unique}");
        var partial = Path.Combine(CacheRoot, $"{full}.partial-{unique}");
        var logPath = Path.Combine(CacheRoot, $"{full}.build.log");
        say($"building {full[..7]} into {folder} (log {logPath})");
        await using var log = new StreamWriter(logPath, append: false) { AutoFlush = true };
        try
        {
            Check(Run("git", ["-C", BuildPaths.RepoRoot, "worktree", "add", "--detach", source, full], log), "git worktree add", logPath);
            cancel.ThrowIfCancellationRequested();
            // No build servers: nothing of this build may outlive it.
            Check(Run("dotnet", ["publish", Path.Combine(source, "src", "Gateway"), "-c", "Release", "-o", partial,
                "--disable-build-servers", "-nologo"], log, cleanEnvironment: true), "dotnet publish", logPath);
            if (!File.Exists(Path.Combine(partial, GatewayDllName)))
                throw new ChaosException($"dotnet publish of {full[..7]} produced no {GatewayDllName} (log {logPath})");
            try
            {
                Directory.Move(partial, folder);
            }
            catch (IOException) when (File.Exists(Path.Combine(folder, GatewayDllName)))
            {
                // Another run built the same commit meanwhile; its folder is as good as ours.
            }
            return folder;
        }
        finally
        {
            if (Directory.Exists(source)) Run("git", ["-C", BuildPaths.RepoRoot, "worktree", "remove", "--force", source], log);
            if (Directory.Exists(partial)) Directory.Delete(partial, recursive: true);
        }
    }

    public const string GatewayDllName = "SocketPeer.Gateway.dll";

    private static void Check((int Code, string Output) result, string what, string logPath)
    {
        if (result.Code != 0) throw new ChaosException($"{what} failed with exit code {result.Code} (log {logPath})");
    }

    private static (int Code, string Output) Run(string file, IReadOnlyList<string> args, StreamWriter? log, bool cleanEnvironment = false)
    {
        var start = new ProcessStartInfo(file, args)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (cleanEnvironment)
        {
            // A test host inherits MSBuild's variables from `dotnet test`; they would point this
            // build at the running SDK's state instead of a fresh one.
            foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase)).ToList())
                start.Environment.Remove(key);
        }
        log?.WriteLine($"$ {file} {string.Join(' ', args)}");
        using var process = Process.Start(start) ?? throw new ChaosException($"could not start {file}");
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        log?.Write(stdout);
        log?.Write(stderr.Result);
        return (process.ExitCode, stdout);
    }
}
