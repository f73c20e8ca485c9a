using System.Text.RegularExpressions;
using SocketPeer.Deploy.Tests.Infrastructure;
using SocketPeer.Gateway.Options;

namespace SocketPeer.Deploy.Tests;

/// <summary>
/// The image recipe, read (no Docker daemon is reachable here, so it is not built in tests):
/// pinned bases, the gateway's published output, a non-root user, the ports the manifests use.
/// </summary>
public partial class DockerfileTests
{
    private static readonly string Dockerfile = Repo.Read("Dockerfile");

    [Fact]
    public void The_runtime_image_is_aspnet_pinned_to_a_patch_version()
    {
        Assert.Matches(@"^mcr\.microsoft\.com/dotnet/aspnet:10\.0\.\d+(-[a-z0-9.-]+)?$", Images.RuntimeImage());
    }

    [Fact]
    public void The_build_stage_uses_the_dotnet_10_sdk()
    {
        var sdk = Arg("SDK_IMAGE");

        Assert.StartsWith("mcr.microsoft.com/dotnet/sdk:10.0", sdk);
        Assert.True(Images.IsPinned(sdk));
    }

    [Fact]
    public void No_stage_uses_a_moving_tag()
    {
        foreach (Match from in FromLine().Matches(Dockerfile))
        {
            var image = from.Groups["image"].Value;
            var resolved = image.StartsWith("${", StringComparison.Ordinal) ? Arg(image.Trim('$', '{', '}')) : image;
            Assert.True(resolved == "build" || Images.IsPinned(resolved), $"FROM {image} ({resolved}) is not pinned.");
        }
    }

    [Fact]
    public void It_publishes_the_gateway_and_runs_its_assembly()
    {
        var assembly = typeof(SocketPeerOptions).Assembly.GetName().Name + ".dll";

        Assert.Matches(@"dotnet publish src/Gateway/SocketPeer\.Gateway\.csproj --configuration Release", Dockerfile);
        Assert.True(File.Exists(Repo.Path("src/Gateway/SocketPeer.Gateway.csproj")));
        Assert.Contains($"ENTRYPOINT [\"dotnet\", \"{assembly}\"]", Dockerfile);
    }

    [Fact]
    public void It_copies_every_project_the_gateway_restores()
    {
        // The restore layer sees only the project files copied before it.
        foreach (var project in new[] { "src/Gateway/SocketPeer.Gateway.csproj", "src/Actors/SocketPeer.Actors.csproj" })
            Assert.Matches($@"COPY {Regex.Escape(project)} ", Dockerfile);
        var references = Regex.Matches(Repo.Read("src/Gateway/SocketPeer.Gateway.csproj"), @"ProjectReference Include=""([^""]+)""");
        Assert.All(references, r => Assert.Equal(@"..\Actors\SocketPeer.Actors.csproj", r.Groups[1].Value));
        Assert.Matches(@"COPY Directory\.Build\.props Directory\.Packages\.props \./", Dockerfile);
    }

    [Fact]
    public void It_runs_as_the_non_root_app_user_by_number()
    {
        // A numeric user lets the kubelet verify runAsNonRoot; 1654 is the aspnet image's "app".
        Assert.Equal(1654, Images.DockerfileUser());
    }

    [Theory]
    [MemberData(nameof(Rendering.All), MemberType = typeof(Rendering))]
    public void It_exposes_the_ports_the_manifests_use(string kustomization)
    {
        var rendering = Rendering.Of(kustomization);
        var exposed = Regex.Match(Dockerfile, @"^EXPOSE (.+)$", RegexOptions.Multiline).Groups[1].Value.Split(' ');

        Assert.Contains(rendering.Port("http").ContainerPort.ToString(), exposed);
        Assert.Contains(rendering.Port("remoting").ContainerPort.ToString(), exposed);
    }

    [Fact]
    public void It_leaves_health_checks_to_Kubernetes()
    {
        Assert.DoesNotMatch(@"(?m)^HEALTHCHECK", Dockerfile);
    }

    [Fact]
    public void The_build_context_leaves_out_local_build_output()
    {
        var ignore = Repo.Read(".dockerignore").Split('\n').Select(l => l.Trim()).ToList();

        Assert.Contains("**/bin/", ignore);
        Assert.Contains("**/obj/", ignore);
    }

    private static string Arg(string name) =>
        Regex.Match(Dockerfile, $@"^ARG {name}=(\S+)$", RegexOptions.Multiline) is { Success: true } m
            ? m.Groups[1].Value
            : throw new Xunit.Sdk.XunitException($"Dockerfile has no ARG {name} with a default.");

    [GeneratedRegex(@"^FROM (?<image>\S+)", RegexOptions.Multiline)]
    private static partial Regex FromLine();
}
