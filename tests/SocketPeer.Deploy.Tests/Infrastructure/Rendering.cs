using System.Collections.Concurrent;
using k8s;
using k8s.Models;

namespace SocketPeer.Deploy.Tests.Infrastructure;

/// <summary>
/// One kustomization (the base or an overlay) rendered by <c>kubectl kustomize</c>, as the YAML text
/// and as Kubernetes API objects. Rendered once per test run.
/// </summary>
internal sealed class Rendering
{
    public const string Base = "deploy/k8s/base";
    public const string Overlays = "deploy/k8s/overlays";

    private static readonly ConcurrentDictionary<string, Lazy<Rendering>> Cache = new();

    private Rendering(string kustomization, string yaml)
    {
        Kustomization = kustomization;
        Yaml = yaml;
        Objects = KubernetesYaml.LoadAllFromString(yaml);
    }

    /// <summary>The kustomization directory, relative to the repository root.</summary>
    public string Kustomization { get; }

    public string Yaml { get; }

    public IReadOnlyList<object> Objects { get; }

    /// <summary>The base and every overlay under deploy/k8s/overlays (so a new overlay is tested too).</summary>
    public static IReadOnlyList<string> Kustomizations() =>
    [
        Base,
        .. Directory.GetDirectories(Repo.Path(Overlays))
            .Select(overlay => $"{Overlays}/{System.IO.Path.GetFileName(overlay)}")
            .Order(StringComparer.Ordinal),
    ];

    /// <summary><see cref="Kustomizations"/> as theory data.</summary>
    public static TheoryData<string> All() => new(Kustomizations());

    public static Rendering Of(string kustomization) =>
        Cache.GetOrAdd(kustomization, k => new Lazy<Rendering>(() => Render(k))).Value;

    private static Rendering Render(string kustomization)
    {
        var result = Command.Run("kubectl", ["kustomize", Repo.Path(kustomization)]);
        if (result.ExitCode != 0 || result.Output.Trim().Length == 0)
            throw new InvalidOperationException($"kubectl kustomize {kustomization} failed: {result.Describe()}");
        return new Rendering(kustomization, result.Output);
    }

    public IEnumerable<T> All<T>() => Objects.OfType<T>();

    public T Single<T>() where T : IKubernetesObject<V1ObjectMeta>
    {
        var found = All<T>().ToList();
        Assert.True(found.Count == 1, $"{Kustomization}: expected one {typeof(T).Name}, found {found.Count}.");
        return found[0];
    }

    public T Named<T>(string name) where T : IKubernetesObject<V1ObjectMeta>
    {
        var found = All<T>().Where(o => o.Metadata.Name == name).ToList();
        Assert.True(found.Count == 1, $"{Kustomization}: expected one {typeof(T).Name} named {name}, found {found.Count}.");
        return found[0];
    }

    // The SocketPeer workload and the things every test asks of it.

    public V1StatefulSet StatefulSet => Single<V1StatefulSet>();

    public V1PodSpec Pod => StatefulSet.Spec.Template.Spec;

    public V1Container Container => Assert.Single(Pod.Containers);

    /// <summary>The namespace the objects land in; "default" when the kustomization sets none.</summary>
    public string Namespace => StatefulSet.Metadata.NamespaceProperty ?? "default";

    public string PodName(int ordinal) => $"{StatefulSet.Metadata.Name}-{ordinal}";

    /// <summary>A pod's DNS name, as the StatefulSet and its governing (headless) Service make it.</summary>
    public string PodDnsName(int ordinal) =>
        $"{PodName(ordinal)}.{StatefulSet.Spec.ServiceName}.{Namespace}.svc.cluster.local";

    public V2HorizontalPodAutoscaler? Autoscaler => All<V2HorizontalPodAutoscaler>()
        .SingleOrDefault(h => h.Spec.ScaleTargetRef.Kind == "StatefulSet" && h.Spec.ScaleTargetRef.Name == StatefulSet.Metadata.Name);

    /// <summary>The fewest pods the StatefulSet runs: its replicas, or the autoscaler's floor.</summary>
    public int MinimumReplicas => Autoscaler?.Spec.MinReplicas ?? StatefulSet.Spec.Replicas ?? 1;

    /// <summary>The most pods the StatefulSet may run: its replicas, or the autoscaler's ceiling.</summary>
    public int MaximumReplicas => Autoscaler?.Spec.MaxReplicas ?? StatefulSet.Spec.Replicas ?? 1;

    public V1ContainerPort Port(string name) =>
        Container.Ports.SingleOrDefault(p => p.Name == name)
        ?? throw new Xunit.Sdk.XunitException($"{Kustomization}: the container has no port named {name}.");

    /// <summary>The container port a probe, Service or policy names (by name or by number).</summary>
    public V1ContainerPort? ResolvePort(IntOrString port) =>
        Container.Ports.SingleOrDefault(p => p.Name == port.Value || p.ContainerPort.ToString() == port.Value);

    /// <summary>Does a label selector select the StatefulSet's pods?</summary>
    public bool SelectsPods(IDictionary<string, string>? matchLabels) =>
        matchLabels is { Count: > 0 } &&
        matchLabels.All(l => StatefulSet.Spec.Template.Metadata.Labels.TryGetValue(l.Key, out var v) && v == l.Value);

    public override string ToString() => Kustomization;
}
