using System.Runtime.CompilerServices;
using Akka.Actor;
using SocketPeer.Actors.Serialization;

namespace SocketPeer.Actors.Tests.Serialization;

/// <summary>
/// Anything one node tells another that is not bound to <see cref="SocketPeerSerializer"/> falls to
/// Akka's default serializer, which reads whatever type the bytes name. So every type of the domain
/// is either a message (<see cref="ISocketPeerMessage"/>: bound, sampled, round-tripped) or listed
/// here as something that never leaves its node. A new type fails this test until it is one or the other.
/// </summary>
public sealed class CrossNodeTypesTests
{
    /// <summary>Values, state, settings and plumbing: held or computed on one node, never told to another.</summary>
    private static readonly HashSet<string> NeverSent =
    [
        // identifiers and values carried inside messages (serialized as their fields)
        "PairCode", "SessionId", "NodeKey", "ResumeClaims", "RoomSeat", "PartnerRoute", "RegionCandidate", "RelayItem",
        // pure state machines, their phases, effects and transitions (inside one actor)
        "SessionState", "SessionPhase", "SessionPhase+Unattached", "SessionPhase+Idle", "SessionPhase+Joining",
        "SessionPhase+Waiting", "SessionPhase+Paired", "SessionPhase+InRoom", "SessionEffect", "SessionEffect+ToClient", "SessionEffect+ToRoom",
        "SessionEffect+ToPartner", "SessionEffect+Stop", "SessionEffect+SendToken", "SessionEffect+StartTimer",
        "SessionEffect+CancelTimer", "SessionEffect+Gauge", "SessionEffect+PairFormed", "SessionEffect+Announce", "ClientState", "ClientState+Attached",
        "ClientState+Resumable", "ClientState+Away", "SessionTransition", "SessionEffects", "SessionEffects+Enumerator", "PairingFlow", "RoomState", "RoomTransition", "SeatCheck",
        // room events for the application's backend: handed by a session's actor to its node's sink
        "RoomEvent", "PairingId", "NoRoomEvents",
        // a session's own inputs: its actor's watches and timers, told to itself
        "RoomLost", "PartnerWatched", "PartnerLost", "NoConnectionCame", "EntityStopped", "PeerTimeoutElapsed", "GraceElapsed",
        "PartnerGraceElapsed", "ConfirmElapsed", "ReplayElapsed", "JoinRetryElapsed", "HelloAgainElapsed", "TokenRefreshElapsed",
        // what a session's actor holds besides its state: actor refs on this node
        "SessionLinks",
        // relay batching: a session's message to its node's batcher, the batcher's buffer, and the node's batchers
        "CrossingRelay", "CrossingBuffer", "CrossingRelays",
        // settings and registrations (dependency injection on each node)
        "SessionSettings", "ResumeSettings", "ShardingSettings", "ClusterSettings", "ClusterTimings", "ClusterTlsSettings", "RelayBatchingSettings", "SessionRegion",
        "RoomRegion",
        // cluster plumbing: extensions, extractors, allocation (each node's own objects)
        "TraceContext",
        "LostConnections", "NodeStopping", "LocalSessionAllocationStrategy", "LocalSessionMessageExtractor", "HashSessionMessageExtractor", "RoomMessageExtractor",
        "SocketPeerSerializer", "SpanReader", "SpanWriter", "SocketPeerMetrics", "MetricsSnapshot", "WebhookCounts",
        // the entities' mailbox: each actor's own queue, made by its node's dispatcher
        "EntityMailbox", "EntityMessageQueue",
    ];

    [Fact]
    public void Every_domain_type_is_a_bound_message_or_never_leaves_its_node()
    {
        var unclassified = DomainTypes()
            .Where(t => !typeof(ISocketPeerMessage).IsAssignableFrom(t))
            .Select(Name)
            .Where(n => !NeverSent.Contains(n))
            .Order()
            .ToList();

        Assert.True(unclassified.Count == 0, "neither a message nor listed as never sent: " + string.Join(", ", unclassified));
    }

    [Fact]
    public void The_list_names_only_types_that_exist()
    {
        var names = DomainTypes().Select(Name).ToHashSet();

        var stale = NeverSent.Where(n => !names.Contains(n)).Order().ToList();
        Assert.True(stale.Count == 0, "listed but no such type: " + string.Join(", ", stale));
    }

    /// <summary>
    /// Concrete types of the domain assembly that an actor could be told. Not: actors themselves,
    /// types private to an actor (its timer messages, told to itself), compiler-generated types,
    /// static classes, interfaces, enums, exceptions, and extension-id plumbing.
    /// </summary>
    private static IEnumerable<Type> DomainTypes() =>
        typeof(ISocketPeerMessage).Assembly.GetTypes().Where(t =>
            !t.IsInterface && !t.IsEnum && !(t.IsAbstract && t.IsSealed) && !t.IsNestedPrivate
            && t.GetCustomAttributes(typeof(CompilerGeneratedAttribute), false).Length == 0
            && !t.Name.Contains('<') && !typeof(ActorBase).IsAssignableFrom(t) && !typeof(Exception).IsAssignableFrom(t)
            && !IsExtensionId(t));

    private static bool IsExtensionId(Type t)
    {
        for (var b = t.BaseType; b is not null; b = b.BaseType)
            if (b.IsGenericType && b.GetGenericTypeDefinition() == typeof(ExtensionIdProvider<>)) return true;
        return false;
    }

    private static string Name(Type t) => t.IsNested ? $"{t.DeclaringType!.Name}+{t.Name}" : t.Name;
}
