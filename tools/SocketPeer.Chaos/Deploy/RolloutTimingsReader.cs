using System.Diagnostics;
using System.Globalization;
using SocketPeer.Chaos.Cli;
using SocketPeer.Chaos.Nodes;
using YamlDotNet.RepresentationModel;

namespace SocketPeer.Chaos.Deploy;

/// <summary>
/// Reads a rollout's timings from what <c>kubectl kustomize DIR</c> renders (it works offline): the
/// StatefulSet's <c>terminationGracePeriodSeconds</c>, <c>minReadySeconds</c> and preStop
/// <c>sleep.seconds</c>, and <c>DOTNET_SHUTDOWNTIMEOUTSECONDS</c> from the pod's ConfigMap or env.
/// </summary>
public static class RolloutTimingsReader
{
    public static RolloutTimings Read(string kustomization)
    {
        var dir = Path.IsPathRooted(kustomization) ? kustomization : Path.Combine(BuildPaths.RepoRoot, kustomization);
        return Parse(Render(dir), kustomization);
    }

    public static RolloutTimings Parse(string yaml, string source)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        var documents = stream.Documents.Select(d => d.RootNode).OfType<YamlMappingNode>().ToList();
        var statefulSet = documents.SingleOrDefault(d => Scalar(d, "kind") == "StatefulSet")
            ?? throw new ChaosException($"{source}: no StatefulSet rendered");
        var spec = Map(statefulSet, "spec");
        var pod = Map(Map(spec, "template"), "spec");
        var container = ((YamlSequenceNode)pod.Children[new YamlScalarNode("containers")]).Children.OfType<YamlMappingNode>().First();
        var preStop = Map(Map(Map(container, "lifecycle"), "preStop"), "sleep");

        string? shutdown = null;
        foreach (var env in container.Children.TryGetValue(new YamlScalarNode("env"), out var e) ? ((YamlSequenceNode)e).Children.OfType<YamlMappingNode>() : [])
            if (Scalar(env, "name") == "DOTNET_SHUTDOWNTIMEOUTSECONDS") shutdown = Scalar(env, "value");
        if (shutdown is null)
            foreach (var map in documents.Where(d => Scalar(d, "kind") == "ConfigMap"))
                if (map.Children.TryGetValue(new YamlScalarNode("data"), out var data) && data is YamlMappingNode values)
                    shutdown ??= Scalar(values, "DOTNET_SHUTDOWNTIMEOUTSECONDS");

        return new RolloutTimings
        {
            TerminationGraceSeconds = Number(Scalar(pod, "terminationGracePeriodSeconds") ?? "30"), // Kubernetes' default
            PreStopSeconds = Number(Scalar(preStop, "seconds") ?? "0"),
            ShutdownTimeoutSeconds = Number(shutdown ?? "30"), // ASP.NET Core's default
            MinReadySeconds = Number(Scalar(spec, "minReadySeconds") ?? "0"),
            Source = $"kubectl kustomize {source}",
        };
    }

    private static string Render(string dir)
    {
        var start = new ProcessStartInfo("kubectl", ["kustomize", dir]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var kubectl = Process.Start(start) ?? throw new ChaosException("could not run kubectl");
        var stdout = kubectl.StandardOutput.ReadToEndAsync();
        var stderr = kubectl.StandardError.ReadToEnd();
        kubectl.WaitForExit();
        if (kubectl.ExitCode != 0) throw new ChaosException($"kubectl kustomize {dir}: {stderr.Trim()}");
        return stdout.GetAwaiter().GetResult();
    }

    private static YamlMappingNode Map(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var child) && child is YamlMappingNode map ? map : new YamlMappingNode();

    private static string? Scalar(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var child) && child is YamlScalarNode s ? s.Value : null;

    private static double Number(string text) => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
}
