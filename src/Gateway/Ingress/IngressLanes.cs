using Akka.Actor;
using Akka.Streams;
using Microsoft.Extensions.Options;
using SocketPeer.Actors.Cluster;
using SocketPeer.Gateway.Options;

namespace SocketPeer.Gateway.Ingress;

/// <summary>
/// The node's ingress: <see cref="SocketPeerOptions.IngressLanes"/> long-lived lanes, materialized
/// once when the actor system starts, each socket hashed onto one (so its messages stay in order),
/// and one kill switch over all of them that a graceful stop pulls before any socket hears 1012.
/// </summary>
public sealed class IngressLanes(IOptions<SocketPeerOptions> options, ILogger<IngressLanes> logger)
{
    private readonly SharedKillSwitch _killSwitch = KillSwitches.Shared("socketpeer-ingress");
    private IngressLane[] _lanes = [];
    private int _stopped;

    public int Count => _lanes.Length;

    /// <summary>True once ingress has stopped: nothing more from the sockets reaches the sessions.</summary>
    public bool Stopped => Volatile.Read(ref _stopped) == 1;

    /// <summary>Materializes the lanes on <paramref name="system"/>; stops them when the node begins to stop.</summary>
    public void Start(ActorSystem system)
    {
        var o = options.Value;
        CallerRunsDispatcher.Register(system.Dispatchers);
        var materializer = system.Materializer(
            ActorMaterializerSettings.Create(system).WithDispatcher(CallerRunsDispatcher.DispatcherId), namePrefix: "ingress");
        var lanes = new IngressLane[o.IngressLanes];
        for (var i = 0; i < lanes.Length; i++)
        {
            lanes[i] = new IngressLane(i, o.IngressLaneCapacity, _killSwitch, logger);
            lanes[i].Start(materializer);
        }
        _lanes = lanes;
        NodeStopping.Get(system).Token.Register(Stop);
    }

    /// <summary>The lane of a socket, by a key that is fixed for the socket's life (its connection's first session id).</summary>
    public IngressLane For(string key)
    {
        var lanes = _lanes;
        if (lanes.Length == 0) throw new InvalidOperationException("Ingress lanes are not started: the actor system has not started yet.");
        return lanes[(int)((uint)StringComparer.Ordinal.GetHashCode(key) % (uint)lanes.Length)];
    }

    /// <summary>
    /// Stops ingress on every lane; idempotent. Graceful stop calls it before the 1012 closes, so no
    /// message read after the stop began reaches a session that is about to hand off.
    /// </summary>
    public void Stop()
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 1) return;
        foreach (var lane in _lanes)
            lane.Stop();
        _killSwitch.Shutdown(); // the lanes' graphs end; a restart would end at once too
        logger.LogInformation("Ingress stopped on {Lanes} lanes", _lanes.Length);
    }

    /// <summary>Every lane, in order (tests).</summary>
    internal IReadOnlyList<IngressLane> All => _lanes;

    /// <summary>Completes when every lane's stream has ended for good.</summary>
    public Task Completion => Task.WhenAll(_lanes.Select(l => l.Completion));
}
