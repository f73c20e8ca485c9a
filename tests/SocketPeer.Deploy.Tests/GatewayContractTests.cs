using k8s.Models;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.HttpOverrides;
using SocketPeer.Deploy.Tests.Infrastructure;
using SocketPeer.Gateway.Hosting;

namespace SocketPeer.Deploy.Tests;

/// <summary>The manifests speak to the gateway the gateway really is: its options, ports and endpoints.</summary>
public class GatewayContractTests
{
    [Theory]
    [MemberData(nameof(Rendering.All), MemberType = typeof(Rendering))]
    public void Every_SocketPeer_variable_names_a_real_option(string kustomization)
    {
        var rendering = Rendering.Of(kustomization);
        var names = rendering.Container.Env.Select(e => e.Name)
            .Concat(rendering.All<V1ConfigMap>().SelectMany(m => m.Data?.Keys ?? []))
            .Where(name => name.StartsWith("SocketPeer", StringComparison.OrdinalIgnoreCase))
            .ToList();

        var wrong = names.Select(name => (name, why: GatewayHost.WhyNotAnOption(name))).Where(x => x.why is not null).ToList();

        Assert.NotEmpty(names);
        Assert.True(wrong.Count == 0, string.Join("\n", wrong.Select(x => $"{kustomization}: {x.name}: {x.why}")));
    }

    [Theory]
    [MemberData(nameof(Rendering.All), MemberType = typeof(Rendering))]
    public void Every_overlay_hands_clients_the_default_public_STUN_list(string kustomization)
    {
        // A decision (docs/kubernetes.md, "STUN"): deployments keep the default, so browsers behind
        // different NATs connect directly; an overlay that must not contact third parties turns it off.
        var ice = GatewayHost.Of(Rendering.Of(kustomization), 0).Options.Ice;

        Assert.True(ice.DefaultStun);
        Assert.Equal(SocketPeer.Gateway.Options.IceOptions.DefaultStunUrls, ice.StunUrls);
    }

    [Theory]
    [MemberData(nameof(Rendering.All), MemberType = typeof(Rendering))]
    public void Every_pod_environment_binds_and_validates_in_the_real_host(string kustomization)
    {
        var rendering = Rendering.Of(kustomization);

        foreach (var ordinal in new[] { 0, rendering.MaximumReplicas - 1 })
        {
            var environment = PodEnvironment.Of(rendering, ordinal);
            var unexpanded = environment.Where(v => v.Value.Contains("$(")).Select(v => $"{v.Key}={v.Value}").ToList();
            Assert.True(unexpanded.Count == 0,
                $"{kustomization}: references the kubelet leaves unexpanded (a variable must be defined before it is used):\n{string.Join("\n", unexpanded)}");

            var built = Record.Exception(() => GatewayHost.Of(rendering, ordinal)); // throws on an invalid option
            Assert.True(built is null, $"{kustomization}, pod {ordinal}: {built?.Message}");
        }
    }

    [Theory]
    [MemberData(nameof(Rendering.All), MemberType = typeof(Rendering))]
    public void The_http_port_is_where_Kestrel_listens(string kustomization)
    {
        var rendering = Rendering.Of(kustomization);
        var gateway = GatewayHost.Of(rendering, 0);

        Assert.False(string.IsNullOrEmpty(gateway.Urls), $"{kustomization}: ASPNETCORE_URLS is not set.");
        var address = BindingAddress.Parse(Assert.Single(gateway.Urls!.Split(';')));

        Assert.Equal("http", address.Scheme);
        Assert.Contains(address.Host, new[] { "+", "*", "0.0.0.0", "[::]" }); // probes and Services come from outside the pod
        Assert.Equal(rendering.Port("http").ContainerPort, address.Port);
    }

    [Theory]
    [MemberData(nameof(Rendering.All), MemberType = typeof(Rendering))]
    public void The_management_port_is_where_health_and_metrics_listen(string kustomization)
    {
        var rendering = Rendering.Of(kustomization);
        var gateway = GatewayHost.Of(rendering, 0);

        Assert.False(string.IsNullOrEmpty(gateway.Options.ManagementUrl), $"{kustomization}: SocketPeer__ManagementUrl is not set.");
        var address = BindingAddress.Parse(gateway.Options.ManagementUrl!);

        Assert.Equal("http", address.Scheme);
        Assert.Contains(address.Host, new[] { "+", "*", "0.0.0.0", "[::]" }); // the kubelet and Prometheus come from outside the pod
        Assert.Equal(rendering.Port("management").ContainerPort, address.Port);
        Assert.NotEqual(rendering.Port("http").ContainerPort, address.Port);
    }

    [Theory]
    [MemberData(nameof(Rendering.All), MemberType = typeof(Rendering))]
    public void The_remoting_port_is_the_cluster_port(string kustomization)
    {
        var rendering = Rendering.Of(kustomization);
        var gateway = GatewayHost.Of(rendering, 0);

        Assert.NotEqual(0, gateway.Options.Cluster.Port); // 0 would take a random port no seed address can name
        Assert.Equal(rendering.Port("remoting").ContainerPort, gateway.Options.Cluster.Port);
    }

    [Theory]
    [MemberData(nameof(Rendering.All), MemberType = typeof(Rendering))]
    public void Probes_ask_endpoints_the_gateway_maps(string kustomization)
    {
        var rendering = Rendering.Of(kustomization);
        var routes = GatewayHost.Of(rendering, 0).Routes;
        var container = rendering.Container;

        Assert.Equal("/ready", container.ReadinessProbe?.HttpGet?.Path);
        Assert.Equal("/healthz", container.LivenessProbe?.HttpGet?.Path);
        Assert.Equal("/healthz", container.StartupProbe?.HttpGet?.Path);
        foreach (var probe in new[] { container.ReadinessProbe!, container.LivenessProbe!, container.StartupProbe! })
        {
            Assert.Contains(probe.HttpGet.Path, routes);
            // Health is served on the management listener only (the public one answers 404).
            Assert.Equal("management", rendering.ResolvePort(probe.HttpGet.Port)?.Name);
        }
    }

    [Theory]
    [MemberData(nameof(Rendering.All), MemberType = typeof(Rendering))]
    public void Prometheus_scrapes_the_metrics_endpoint(string kustomization)
    {
        var rendering = Rendering.Of(kustomization);
        var annotations = rendering.StatefulSet.Spec.Template.Metadata.Annotations;

        Assert.Equal("true", annotations["prometheus.io/scrape"]);
        Assert.Equal(rendering.Port("management").ContainerPort.ToString(), annotations["prometheus.io/port"]);
        Assert.Contains(annotations["prometheus.io/path"], GatewayHost.Of(rendering, 0).Routes);
    }

    [Theory]
    [MemberData(nameof(Rendering.All), MemberType = typeof(Rendering))]
    public void Services_reach_the_named_container_ports(string kustomization)
    {
        var rendering = Rendering.Of(kustomization);
        var client = rendering.Named<V1Service>("socketpeer");
        var headless = rendering.Named<V1Service>(rendering.StatefulSet.Spec.ServiceName);

        Assert.True(rendering.SelectsPods(client.Spec.Selector));
        Assert.Equal("http", rendering.ResolvePort(Assert.Single(client.Spec.Ports).TargetPort)?.Name);
        Assert.True(rendering.SelectsPods(headless.Spec.Selector));
        Assert.Contains(headless.Spec.Ports, p => rendering.ResolvePort(p.TargetPort)?.Name == "remoting");
    }

    [Theory]
    [MemberData(nameof(Rendering.All), MemberType = typeof(Rendering))]
    public void The_ingress_routes_the_socket_and_client_but_not_health_or_metrics(string kustomization)
    {
        var rendering = Rendering.Of(kustomization);
        var gateway = GatewayHost.Of(rendering, 0);
        var ingress = rendering.Single<V1Ingress>();
        var paths = ingress.Spec.Rules.SelectMany(r => r.Http.Paths).ToList();
        var staticFiles = Directory.GetFiles(Repo.Path("src/Gateway/wwwroot"), "*", SearchOption.AllDirectories)
            .Select(f => "/" + Path.GetRelativePath(Repo.Path("src/Gateway/wwwroot"), f).Replace('\\', '/'))
            .Append("/") // the default file, index.html
            .Concat(Directory.GetFiles(Repo.Path("src/Client"), "socketpeer*").Select(f => "/socketpeer/" + Path.GetFileName(f))) // the client, embedded
            .ToHashSet();

        foreach (var path in paths)
        {
            var service = rendering.Named<V1Service>(path.Backend.Service.Name);
            Assert.Contains(service.Spec.Ports, p => p.Name == path.Backend.Service.Port.Name);
            var served = path.PathType == "Prefix"
                ? gateway.Routes.Any(route => route.StartsWith(path.Path, StringComparison.Ordinal))
                : staticFiles.Contains(path.Path) || gateway.Routes.Contains(path.Path);
            Assert.True(served, $"{kustomization}: the Ingress routes {path.Path} ({path.PathType}), which the gateway does not serve.");
        }
        Assert.Contains(paths, p => p.PathType == "Prefix" && SocketPeerEndpoints.SocketPath.StartsWith(p.Path, StringComparison.Ordinal));
        foreach (var inside in new[] { "/healthz", "/ready", "/metrics" })
            Assert.DoesNotContain(paths, p => p.PathType == "Exact" ? p.Path == inside : inside.StartsWith(p.Path, StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Rendering.All), MemberType = typeof(Rendering))]
    public void The_ingress_keeps_quiet_websockets_open(string kustomization)
    {
        var rendering = Rendering.Of(kustomization);
        var annotations = rendering.Single<V1Ingress>().Metadata.Annotations;
        var keepAlive = GatewayHost.Of(rendering, 0).Options.KeepAliveInterval;

        foreach (var timeout in new[] { "proxy-read-timeout", "proxy-send-timeout" })
        {
            var seconds = int.Parse(annotations[$"nginx.ingress.kubernetes.io/{timeout}"]);
            Assert.True(seconds >= 3600, $"{kustomization}: {timeout} is {seconds} s; a WebSocket lives for hours.");
            Assert.True(TimeSpan.FromSeconds(seconds) > 2 * keepAlive, $"{kustomization}: {timeout} must outlast the ping interval.");
        }
    }

    [Theory]
    [MemberData(nameof(Rendering.All), MemberType = typeof(Rendering))]
    public void Pages_served_through_the_ingress_may_open_sockets(string kustomization)
    {
        // With AllowedOrigins set, the demo page the Ingress serves must be one of them, or its own
        // WebSocket upgrade gets 403.
        var rendering = Rendering.Of(kustomization);
        var allowed = GatewayHost.Of(rendering, 0).Options.AllowedOrigins;
        var ingress = rendering.Single<V1Ingress>();
        var tlsHosts = ingress.Spec.Tls?.SelectMany(t => t.Hosts).ToHashSet() ?? [];

        if (allowed.Length == 0)
            return; // every origin may connect
        foreach (var host in ingress.Spec.Rules.Select(r => r.Host))
            Assert.Contains($"{(tlsHosts.Contains(host) ? "https" : "http")}://{host}", allowed);
    }

    [Theory]
    [MemberData(nameof(Rendering.All), MemberType = typeof(Rendering))]
    public void Client_addresses_come_from_the_proxy_headers_of_trusted_proxies_only(string kustomization)
    {
        // Behind the Ingress every socket comes from the controller: without the forwarded headers,
        // the per-address limits would limit the controller, not each client; believed from anyone,
        // any client that reaches the port could choose the address its limits count.
        var rendering = Rendering.Of(kustomization);
        var gateway = GatewayHost.Of(rendering, 0);
        var environment = PodEnvironment.Of(rendering, 0);

        Assert.NotEmpty(gateway.Options.TrustedProxies);
        Assert.True(gateway.ForwardedHeaders.ForwardedHeaders.HasFlag(ForwardedHeaders.XForwardedFor));
        Assert.Equal(gateway.Options.TrustedProxies.Length, gateway.ForwardedHeaders.KnownIPNetworks.Count);
        Assert.Empty(gateway.ForwardedHeaders.KnownProxies);
        Assert.False(environment.ContainsKey("ASPNETCORE_FORWARDEDHEADERS_ENABLED"),
            $"{kustomization}: ASPNETCORE_FORWARDEDHEADERS_ENABLED believes X-Forwarded-For from anyone; use SocketPeer__TrustedProxies.");
    }
}
