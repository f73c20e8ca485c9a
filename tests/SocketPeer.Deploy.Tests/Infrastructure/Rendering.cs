using System.Collections.Concurrent;
using k8s;
using k8s.Models;
using YamlDotNet.RepresentationModel;

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

    /// <summary>API groups of the custom resources the manifests may use (deploy/validate knows their schemas).</summary>
    public static readonly IReadOnlySet<string> CustomResourceGroups = new HashSet<string> { "cert-manager.io" };

    private Rendering(string kustomization, string yaml)
    {
        Kustomization = kustomization;
        Yaml = yaml;
        var builtIn = new List<string>();
        var custom = new List<CustomResource>();
        foreach (var document in yaml.Split("\n---\n"))
        {
            if (CustomResource.TryParse(document) is { } resource)
                custom.Add(resource);
            else
                builtIn.Add(document);
        }
        BuiltInYaml = string.Join("\n---\n", builtIn);
        Objects = KubernetesYaml.LoadAllFromString(BuiltInYaml);
        CustomResources = custom;
    }

    /// <summary>The kustomization directory, relative to the repository root.</summary>
    public string Kustomization { get; }

    public string Yaml { get; }

    /// <summary>The objects of the Kubernetes API itself, as YAML (<see cref="Yaml"/> without the custom resources).</summary>
    public string BuiltInYaml { get; }

    /// <summary>The objects of the Kubernetes API itself.</summary>
    public IReadOnlyList<object> Objects { get; }

    /// <summary>Objects of <see cref="CustomResourceGroups"/> (cert-manager's Certificate and Issuer), as YAML.</summary>
    public IReadOnlyList<CustomResource> CustomResources { get; }

    public IEnumerable<CustomResource> CustomResourcesOf(string kind) => CustomResources.Where(r => r.Kind == kind);

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

/// <summary>One custom resource of a rendering: its identity and its YAML, to read fields from.</summary>
internal sealed record CustomResource(string ApiVersion, string Kind, string Name, YamlMappingNode Root)
{
    public static CustomResource? TryParse(string document)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(document));
        if (stream.Documents.Count != 1 || stream.Documents[0].RootNode is not YamlMappingNode root)
            return null;
        var apiVersion = Scalar(root, "apiVersion") ?? "";
        var slash = apiVersion.IndexOf('/');
        if (slash < 0 || !Rendering.CustomResourceGroups.Contains(apiVersion[..slash]))
            return null;
        return new CustomResource(apiVersion, Scalar(root, "kind") ?? "",
            Scalar(Node(root, "metadata") as YamlMappingNode, "name") ?? "", root);
    }

    /// <summary>A scalar at a dotted path under the root (<c>spec.secretName</c>), or null.</summary>
    public string? Value(string path) => Scalar(At(path[..Math.Max(0, path.LastIndexOf('.'))]) as YamlMappingNode, path[(path.LastIndexOf('.') + 1)..]);

    /// <summary>The scalars of a list at a dotted path (<c>spec.dnsNames</c>); empty when absent.</summary>
    public IReadOnlyList<string> Values(string path) =>
        At(path) is YamlSequenceNode list ? list.Children.OfType<YamlScalarNode>().Select(n => n.Value ?? "").ToList() : [];

    private YamlNode? At(string path)
    {
        YamlNode? node = Root;
        if (path.Length == 0)
            return node;
        foreach (var key in path.Split('.'))
            node = Node(node as YamlMappingNode, key);
        return node;
    }

    private static YamlNode? Node(YamlMappingNode? map, string key) =>
        map is not null && map.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

    private static string? Scalar(YamlMappingNode? map, string key) => (Node(map, key) as YamlScalarNode)?.Value;
}
