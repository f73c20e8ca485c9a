using SocketPeer.Bench.Cli;
using SocketPeer.Bench.Reporting;
using SocketPeer.Bench.Runner;
using SocketPeer.Bench.Servers;

// The scale scenario's worker processes: this harness started again by itself (hidden verbs).
if (args is ["scale-worker", .. var workerArgs]) return await SocketPeer.Bench.Scale.SocketWorker.RunAsync(workerArgs);
if (args is ["actors-worker"]) return await SocketPeer.Bench.Scale.ActorWorker.RunAsync();

if (args is ["report", .. var files] && files.Length > 0)
{
    // Re-summarizes the results of earlier runs (one or several files) without running anything.
    var settingsOfFirst = BenchSettings.Parse([]);
    var merged = new RunReport
    {
        Command = "report " + string.Join(' ', files),
        Machine = SocketPeer.Bench.Measurement.MachineInfo.Read(),
        Git = GitState.Read(BenchRunner.RepoRoot()),
        Settings = settingsOfFirst,
    };
    foreach (var file in files) merged.Results.AddRange(await RunReport.ReadResultsAsync(file));
    settingsOfFirst.Repeat = merged.Results.Select(r => r.Repeat).DefaultIfEmpty(1).Max() * files.Length;
    merged.Finish(TimeSpan.Zero);
    Console.WriteLine(ResultTable.Render(merged));
    return 0;
}

BenchSettings settings;
try
{
    settings = BenchSettings.Parse(args);
}
catch (Exception e) when (e is ArgumentException or FormatException)
{
    if (e.Message.Length > 0) Console.Error.WriteLine($"error: {e.Message}\n");
    Console.Error.WriteLine(BenchSettings.Usage);
    return 2;
}

// Bounded: the whole run stops after --max-minutes; Ctrl-C stops it cleanly, a second Ctrl-C at once.
using var cancel = new CancellationTokenSource(TimeSpan.FromMinutes(settings.MaxMinutes));
Console.CancelKeyPress += (_, e) =>
{
    if (cancel.IsCancellationRequested)
    {
        ChildProcesses.KillAll();
        return;
    }
    e.Cancel = true;
    Console.Error.WriteLine("\nstopping: killing the servers started by this run...");
    cancel.Cancel();
};

var command = "dotnet run -c Release --project bench/SocketPeer.Bench -- " + string.Join(' ', args);
try
{
    var report = await BenchRunner.RunAsync(settings, command, new ProgressLine(settings.Progress), cancel.Token);
    Console.WriteLine();
    Console.WriteLine(ResultTable.Render(report));
    var path = settings.OutPath ?? Path.Combine(BuildPaths.ResultsDir,
        $"{report.StartedAtUtc:yyyyMMdd-HHmmss}-{(settings.Smoke ? "smoke" : string.Join('+', settings.Scenarios.Count == BenchSettings.AllScenarios.Length ? ["all"] : settings.Scenarios))}.json");
    await report.WriteAsync(path);
    Console.WriteLine($"results: {path}");
    return report.Results.Any(r => r.Failed is not null) ? 1 : 0;
}
catch (OperationCanceledException)
{
    Console.Error.WriteLine(cancel.IsCancellationRequested ? "stopped (Ctrl-C or --max-minutes)" : "cancelled");
    return 130;
}
finally
{
    ChildProcesses.KillAll();
}
