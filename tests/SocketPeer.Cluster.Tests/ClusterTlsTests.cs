using System.Security.Cryptography.X509Certificates;
using Akka.Actor;
using Akka.Cluster;
using Akka.Cluster.Hosting;
using Akka.Event;
using Akka.Hosting;
using Akka.Remote.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using SocketPeer.Actors.Cluster;
using SocketPeer.Testing;
using SocketPeer.Tools;
using static Akka.Cluster.ClusterEvent;
using ClusterSettings = SocketPeer.Actors.Cluster.ClusterSettings;

namespace SocketPeer.Cluster.Tests;

/// <summary>
/// Mutual TLS between nodes (SocketPeer:Cluster:Tls, docs/security.md): a node whose certificate the
/// cluster's CA signed joins; a node without TLS, with another CA's certificate or with a self-signed
/// one never becomes a member. The nodes are bare actor systems with the remoting options the
/// gateway uses (<see cref="SocketPeerCluster.RemoteOptionsOf"/>), so a refused node costs no host.
/// </summary>
public sealed class ClusterTlsTests : IDisposable
{
    private static readonly TimeSpan RefusedWithin = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan JoinedWithin = TimeSpan.FromSeconds(30);

    private readonly LocalCertificateAuthority _clusterCa = LocalCertificateAuthority.Create("SocketPeer test cluster CA");
    private readonly LocalCertificateAuthority _otherCa = LocalCertificateAuthority.Create("Some other CA");
    private readonly List<IDisposable> _disposables = [];

    [Fact]
    public async Task A_node_with_a_certificate_from_the_cluster_CA_joins()
    {
        await using var seed = await TlsNode.StartAsync(Files(_clusterCa.Issue("node-0", "127.0.0.1"), _clusterCa).Tls(), seed: null);
        await using var joiner = await TlsNode.StartAsync(Files(_clusterCa.Issue("node-1", "127.0.0.1"), _clusterCa).Tls(), seed.Address);

        await MembershipWait.UntilAsync(seed.System, TwoUp, JoinedWithin, "the seed sees both nodes Up");
        await MembershipWait.UntilAsync(joiner.System, TwoUp, JoinedWithin, "the joiner sees both nodes Up");
        Assert.Equal(ClusterSettings.TlsProtocol, seed.Address.Protocol);
        Assert.Equal(ClusterSettings.TlsProtocol, joiner.Address.Protocol);

        static bool TwoUp(MembershipView view) => view.Members.Count == 2 && view.Members.Values.All(s => s == MemberStatus.Up);
    }

    [Fact]
    public async Task A_node_without_TLS_cannot_associate()
    {
        await using var seed = await TlsNode.StartAsync(Files(_clusterCa.Issue("node-0", "127.0.0.1"), _clusterCa).Tls(), seed: null);

        await AssertRefusedAsync(seed, new ClusterTlsSettings { Enabled = false });
    }

    [Fact]
    public async Task A_node_with_a_certificate_from_another_issuer_cannot_associate()
    {
        await using var seed = await TlsNode.StartAsync(Files(_clusterCa.Issue("node-0", "127.0.0.1"), _clusterCa).Tls(), seed: null);

        // It trusts the cluster's CA, so it would accept the seed: the seed is the one refusing it.
        await AssertRefusedAsync(seed, Files(_otherCa.Issue("intruder", "127.0.0.1"), _clusterCa).Tls());
    }

    [Fact]
    public async Task A_node_with_a_self_signed_certificate_cannot_associate()
    {
        await using var seed = await TlsNode.StartAsync(Files(_clusterCa.Issue("node-0", "127.0.0.1"), _clusterCa).Tls(), seed: null);

        await AssertRefusedAsync(seed, Files(LocalCertificateAuthority.SelfSigned("intruder", "127.0.0.1"), _clusterCa).Tls());
    }

    [Fact]
    public async Task With_hostname_validation_a_node_refuses_a_peer_whose_certificate_names_another_host()
    {
        // The seed's certificate is the cluster CA's, but for another name than the address it is reached at.
        await using var seed = await TlsNode.StartAsync(
            Files(_clusterCa.Issue("node-0", "node-0.elsewhere.example"), _clusterCa).Tls(validateHostname: true), seed: null);

        await AssertRefusedAsync(seed, Files(_clusterCa.Issue("node-1", "127.0.0.1"), _clusterCa).Tls(validateHostname: true));
    }

    /// <summary>
    /// A node with <paramref name="tls"/> tries to join <paramref name="seed"/>; one end refuses the
    /// other's TLS handshake (a warning on its event stream says so), and neither node ever saw the
    /// newcomer as a member, nor did it become Up.
    /// </summary>
    private static async Task AssertRefusedAsync(TlsNode seed, ClusterTlsSettings tls)
    {
        var seen = new MemberSeen(seed.Address);
        var refused = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var watcher = seed.System.ActorOf(Props.Create(() => new MemberWatcher(seen)));
        var seedListener = seed.System.ActorOf(Props.Create(() => new RefusalListener(refused)));
        // Listening before it joins: the first handshake may be refused on its side.
        await using var outsider = await TlsNode.StartAsync(tls, seed: null, joinSelf: false);
        var outsiderListener = outsider.System.ActorOf(Props.Create(() => new RefusalListener(refused)));
        outsider.Join(seed.Address);
        try
        {
            var first = await Task.WhenAny(refused.Task, seen.Other).WaitAsync(RefusedWithin);
            if (first != refused.Task)
                Assert.Fail($"the outsider became a member: {await seen.Other}");
        }
        catch (TimeoutException)
        {
            Assert.Fail($"neither node refused the other's TLS handshake within {RefusedWithin}");
        }
        finally
        {
            seed.System.Stop(seedListener);
            outsider.System.Stop(outsiderListener);
        }

        var outsiderAddress = outsider.Address;
        seed.System.Stop(watcher);
        Assert.DoesNotContain(seen.Addresses, a => a.Port == outsiderAddress.Port);
        Assert.NotEqual(MemberStatus.Up, Akka.Cluster.Cluster.Get(outsider.System).SelfMember.Status);
        Assert.Single(Akka.Cluster.Cluster.Get(seed.System).State.Members);
    }

    private NodeTlsFiles Files(X509Certificate2 certificate, LocalCertificateAuthority trusted)
    {
        var files = new NodeTlsFiles(certificate, trusted.Certificate);
        _disposables.Add(files);
        _disposables.Add(certificate);
        return files;
    }

    public void Dispose()
    {
        foreach (var disposable in _disposables)
            disposable.Dispose();
        _clusterCa.Dispose();
        _otherCa.Dispose();
    }

    /// <summary>Every member address the seed has heard of, from its membership events; <see cref="Other"/> completes with the first that is not the seed.</summary>
    private sealed class MemberSeen(Address seed)
    {
        private readonly Lock _lock = new();
        private readonly List<Address> _addresses = [];
        private readonly TaskCompletionSource<Address> _other = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task<Address> Other => _other.Task;

        public IReadOnlyList<Address> Addresses
        {
            get { lock (_lock) return [.. _addresses]; }
        }

        public void Add(Address address)
        {
            lock (_lock) _addresses.Add(address);
            if (address.Port != seed.Port)
                _other.TrySetResult(address);
        }
    }

    private sealed class MemberWatcher : ReceiveActor
    {
        public MemberWatcher(MemberSeen seen)
        {
            Receive<CurrentClusterState>(state =>
            {
                foreach (var member in state.Members) seen.Add(member.Address);
            });
            Receive<IMemberEvent>(e => seen.Add(e.Member.Address));
        }

        protected override void PreStart() =>
            Akka.Cluster.Cluster.Get(Context.System).Subscribe(Self, InitialStateAsSnapshot, typeof(IMemberEvent));

        protected override void PostStop() => Akka.Cluster.Cluster.Get(Context.System).Unsubscribe(Self);
    }

    /// <summary>
    /// Completes on the first refused TLS handshake a node reports: our validator's "Cluster TLS:"
    /// warning (a certificate refused) or the transport's own (a handshake that failed before any
    /// certificate, as with a peer that does not speak TLS).
    /// </summary>
    private sealed class RefusalListener : ReceiveActor
    {
        public RefusalListener(TaskCompletionSource<string> refused)
        {
            Receive<LogEvent>(e =>
            {
                var message = e.Message?.ToString() ?? "";
                if (message.Contains("Cluster TLS:", StringComparison.Ordinal) || message.Contains("TLS handshake fail", StringComparison.Ordinal))
                    refused.TrySetResult(message);
            });
        }

        protected override void PreStart()
        {
            Context.System.EventStream.Subscribe(Self, typeof(Warning));
            Context.System.EventStream.Subscribe(Self, typeof(Error));
        }

        protected override void PostStop() => Context.System.EventStream.Unsubscribe(Self);
    }

    /// <summary>An actor system with the gateway's remoting options and bare clustering, on 127.0.0.1 and a free port.</summary>
    private sealed class TlsNode : IAsyncDisposable
    {
        private readonly IHost _host;
        private readonly ClusterTlsSettings _tls;

        private TlsNode(IHost host, ClusterTlsSettings tls)
        {
            _host = host;
            _tls = tls;
        }

        public ActorSystem System => _host.Services.GetRequiredService<ActorSystem>();

        public Address Address => Akka.Cluster.Cluster.Get(System).SelfAddress;

        /// <param name="seed">the node to join at start-up; null joins itself, or nothing (<see cref="Join"/> later) without <paramref name="joinSelf"/>.</param>
        public static async Task<TlsNode> StartAsync(ClusterTlsSettings tls, Address? seed, bool joinSelf = true)
        {
            var cluster = new ClusterSettings
            {
                Hostname = "127.0.0.1",
                Port = 0,
                Tls = tls,
                SeedNodes = seed is null ? [] : [seed.ToString()],
            };
            var host = new HostBuilder()
                .ConfigureServices(services => services.AddAkka(ClusterSettings.SystemName, (akka, _) =>
                {
                    akka.WithRemoting(SocketPeerCluster.RemoteOptionsOf(cluster))
                        .WithClustering(new ClusterOptions { SeedNodes = cluster.SeedAddresses() });
                    if (seed is null && joinSelf)
                        akka.AddStartup((system, _) => Akka.Cluster.Cluster.Get(system).Join(Akka.Cluster.Cluster.Get(system).SelfAddress));
                }))
                .Build();
            await host.StartAsync();
            return new TlsNode(host, tls);
        }

        /// <summary>Joins <paramref name="seed"/>, reached in this node's scheme as a configured seed is.</summary>
        public void Join(Address seed)
        {
            var settings = new ClusterSettings { Tls = _tls, SeedNodes = [seed.ToString()] };
            Akka.Cluster.Cluster.Get(System).JoinSeedNodes(settings.SeedAddresses().Select(Address.Parse));
        }

        public async ValueTask DisposeAsync()
        {
            await _host.StopAsync();
            _host.Dispose();
        }
    }
}
