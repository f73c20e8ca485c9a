using SocketPeer.Deploy.Tests.Infrastructure;
using YamlDotNet.RepresentationModel;

namespace SocketPeer.Deploy.Tests;

/// <summary>What an overlay's kustomization.yaml says is what it renders.</summary>
public class OverlayTests
{
    public static TheoryData<string> Overlays() => new(Rendering.Kustomizations().Where(k => k != Rendering.Base));

    [Theory]
    [MemberData(nameof(Overlays))]
    public void Its_image_entries_set_the_image_the_pods_run(string overlay)
    {
        // An images: entry whose name matches no image changes nothing, silently: bumping its tag
        // would then deploy the old release.
        var entries = ImageEntries(overlay);
        var images = Rendering.Of(overlay).Pod.Containers.Select(c => c.Image).ToList();

        Assert.NotEmpty(entries); // every overlay pins its release
        foreach (var (name, newName, newTag) in entries)
            Assert.Contains($"{newName ?? name}:{newTag}", images);
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void It_has_a_namespace_of_its_own(string overlay)
    {
        var rendering = Rendering.Of(overlay);
        var ns = rendering.Single<k8s.Models.V1Namespace>();

        Assert.Equal(ns.Metadata.Name, rendering.Namespace);
        Assert.Equal("restricted", ns.Metadata.Labels["pod-security.kubernetes.io/enforce"]);
    }

    private static List<(string Name, string? NewName, string? NewTag)> ImageEntries(string overlay)
    {
        var yaml = new YamlStream();
        yaml.Load(new StringReader(Repo.Read($"{overlay}/kustomization.yaml")));
        var root = (YamlMappingNode)yaml.Documents[0].RootNode;
        if (!root.Children.TryGetValue("images", out var images))
            return [];
        return ((YamlSequenceNode)images).Children.Cast<YamlMappingNode>()
            .Select(entry => (Scalar(entry, "name")!, Scalar(entry, "newName"), Scalar(entry, "newTag")))
            .ToList();

        static string? Scalar(YamlMappingNode node, string key) =>
            node.Children.TryGetValue(key, out var value) ? ((YamlScalarNode)value).Value : null;
    }
}
