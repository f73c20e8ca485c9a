using SocketPeer.Chaos.Cli;
using SocketPeer.Chaos.Report;
using SocketPeer.Chaos.Runner;

ChaosSettings settings;
try
{
    settings = ChaosSettings.Parse(args);
}
catch (Exception e) when (e is ArgumentException or FormatException)
{
    if (e.Message.Length > 0) Console.Error.WriteLine($"error: {e.Message}\n");
    Console.Error.WriteLine(ChaosSettings.Usage);
    return 2;
}

// Ctrl-C ends the run cleanly (nodes killed, namespaces removed); a second Ctrl-C kills at once.
using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    if (cancel.IsCancellationRequested)
    {
        ChildProcesses.KillAll();
        return;
    }
    e.Cancel = true;
    Console.Error.WriteLine("\nstopping: killing the nodes started by this run...");
    cancel.Cancel();
};

var command = "dotnet run -c Release --project tools/SocketPeer.Chaos -- " + string.Join(' ', args);
var report = await ChaosRun.RunAsync(settings, command, settings.Progress ? Console.Error.WriteLine : null, cancel.Token);
Console.WriteLine(ReportText.Render(report));
if (settings.JsonPath is { } path)
{
    await report.WriteJsonAsync(path);
    Console.WriteLine($"report: {path}");
}
return report.ExitCode;
