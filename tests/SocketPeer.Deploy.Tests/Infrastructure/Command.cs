using System.Diagnostics;

namespace SocketPeer.Deploy.Tests.Infrastructure;

internal sealed record CommandResult(int ExitCode, string Output, string Error)
{
    public string Describe() => $"exit {ExitCode}\n{Output}\n{Error}".Trim();
}

/// <summary>Runs a tool from PATH with a time limit, feeding standard input and capturing the output.</summary>
internal static class Command
{
    public static CommandResult Run(string tool, IEnumerable<string> arguments, string? input = null, TimeSpan? timeout = null)
    {
        var start = new ProcessStartInfo(Find(tool))
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Repo.Root,
        };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (input is not null)
            process.StandardInput.Write(input);
        process.StandardInput.Close();
        if (!process.WaitForExit(timeout ?? TimeSpan.FromSeconds(30)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{tool} {string.Join(' ', start.ArgumentList)} did not finish in time.");
        }
        process.WaitForExit(); // flushes the redirected streams
        return new CommandResult(process.ExitCode, output.Result, error.Result);
    }

    /// <summary>The full path of a tool on PATH, or an exception that says what is missing.</summary>
    public static string Find(string tool)
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        foreach (var dir in path.Split(System.IO.Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = System.IO.Path.Combine(dir, tool);
            if (File.Exists(candidate))
                return candidate;
        }
        throw new InvalidOperationException(tool switch
        {
            "kubectl" => "kubectl is not on PATH: the deploy tests render deploy/k8s with `kubectl kustomize`.",
            "node" => "node is not on PATH: the deploy tests validate manifests with deploy/validate (Node.js).",
            _ => $"{tool} is not on PATH.",
        });
    }
}
