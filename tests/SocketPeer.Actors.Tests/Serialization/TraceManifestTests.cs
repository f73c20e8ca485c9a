using System.Runtime.Serialization;
using Akka.Actor;
using Akka.TestKit.Xunit2;
using SocketPeer.Actors.Diagnostics;
using SocketPeer.Actors.Rooms;
using SocketPeer.Actors.Serialization;
using SocketPeer.Actors.Sessions;

namespace SocketPeer.Actors.Tests.Serialization;

/// <summary>
/// The messages that carry a trace context across nodes (docs/operations.md, "Tracing"): with one,
/// a new manifest; without one, the manifest and the bytes of the release before, so that a node of
/// each release reads what the other writes during a rolling update while tracing is off.
/// </summary>
public sealed class TraceManifestTests : TestKit
{
    private static readonly PairCode Code = new("code");
    private static readonly SessionId Session = new("0123456789abcdef0123456789abcdef");
    private static readonly SessionId Other = new("fedcba9876543210fedcba9876543210");
    private static readonly ResumeClaims Claims = new(Session, ResumeState.Paired, Code, Other, true, 3);

    private readonly SocketPeerSerializer _serializer;

    public TraceManifestTests() => _serializer = new SocketPeerSerializer((ExtendedActorSystem)Sys);

    /// <summary>Each traced message untraced, its old manifest, its traced form, its new manifest.</summary>
    private IEnumerable<(ISocketPeerMessage Untraced, string Old, ISocketPeerMessage Traced, string New)> Messages()
    {
        var trace = MessageSamples.Trace;
        var connection = CreateTestProbe().Ref;
        var join = new JoinRoom(Code, Session, 2, Resumable: true, Partner: Other);
        var pair = new ClientPair(Session, Code);
        var found = new PeerFound(Session, Code, Other, Initiator: true, 2, PartnerResumable: true);
        var resume = new ResumeConnection(Session, connection, Claims, 5, DateTimeOffset.FromUnixTimeSeconds(1_800_000_000));
        var resumed = new PartnerResumed(Other, Session, Code, 5, Replaces: new SessionId("predecessor"));
        yield return (join, "JR", join with { Trace = trace }, "JR2");
        yield return (pair, "CP", pair with { Trace = trace }, "CP2");
        yield return (found, "PF", found with { Trace = trace }, "PF2");
        yield return (resume, "RC2", resume with { Trace = trace }, "RC3");
        yield return (resumed, "PRS", resumed with { Trace = trace }, "PRS2");
    }

    [Fact]
    public void Untraced_messages_keep_the_old_manifest_and_traced_ones_get_the_new()
    {
        foreach (var (untraced, old, traced, @new) in Messages())
        {
            Assert.Equal(old, _serializer.Manifest(untraced));
            Assert.Equal(@new, _serializer.Manifest(traced));
        }
    }

    [Fact]
    public void A_traced_message_is_its_untraced_bytes_followed_by_the_trace_context()
    {
        // So the old manifest's bytes are exactly what the previous release wrote and reads.
        foreach (var (untraced, _, traced, _) in Messages())
        {
            var before = _serializer.ToBinary(untraced);
            var after = _serializer.ToBinary(traced);
            Assert.Equal(before, after[..before.Length]);
            Assert.True(after.Length > before.Length);
        }
    }

    [Fact]
    public void Both_manifests_read_back_the_message_they_were_written_from()
    {
        foreach (var (untraced, old, traced, @new) in Messages())
        {
            MessageSamples.AssertSameFields(untraced, _serializer.FromBinary(_serializer.ToBinary(untraced), old));
            MessageSamples.AssertSameFields(traced, _serializer.FromBinary(_serializer.ToBinary(traced), @new));
        }
    }

    [Fact]
    public void A_trace_context_that_is_no_W3C_text_is_refused()
    {
        var bad = new ClientPair(Session, Code, new TraceContext("00-not-a-trace-parent-01"));

        Assert.Throws<SerializationException>(() => _serializer.FromBinary(_serializer.ToBinary(bad), "CP2"));
    }

    [Fact]
    public void A_new_manifest_without_its_trace_context_is_refused()
    {
        // A truncated CP2 is no CP: the reader does not guess.
        var bytes = _serializer.ToBinary(new ClientPair(Session, Code));

        Assert.Throws<SerializationException>(() => _serializer.FromBinary(bytes, "CP2"));
    }
}
