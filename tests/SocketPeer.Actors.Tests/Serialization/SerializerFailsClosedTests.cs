using System.Runtime.Serialization;
using Akka.Actor;
using Akka.TestKit.Xunit2;
using SocketPeer.Actors.Serialization;
using SocketPeer.Actors.Sessions;

namespace SocketPeer.Actors.Tests.Serialization;

/// <summary>
/// What reaches the remoting port is not necessarily what a node of ours wrote. Whatever the bytes,
/// reading them ends in a message or a <see cref="SerializationException"/> (which remoting logs and
/// drops), never another exception and never an allocation the buffer's size does not justify.
/// </summary>
public sealed class SerializerFailsClosedTests : TestKit
{
    /// <summary>
    /// Generous: the objects, strings and actor refs a buffer of n bytes can describe, with room for
    /// resolving a path. A length prefix obeyed blindly would allocate up to 2 GB.
    /// </summary>
    private static long AllocationBound(int bytes) => 64 * 1024 + 16L * bytes;

    private readonly SocketPeerSerializer _serializer;

    public SerializerFailsClosedTests() => _serializer = new SocketPeerSerializer((ExtendedActorSystem)Sys);

    [Theory]
    [MemberData(nameof(MessageSamples.Names), MemberType = typeof(MessageSamples))]
    public void Every_truncation_of_a_message_reads_or_fails_closed(string name)
    {
        var (bytes, manifest) = Sample(name);

        for (var length = 0; length < bytes.Length; length++)
            AssertReadsOrFailsClosed(bytes[..length], manifest);
    }

    [Theory]
    [MemberData(nameof(MessageSamples.Names), MemberType = typeof(MessageSamples))]
    public void Corrupted_messages_read_or_fail_closed(string name)
    {
        var (bytes, manifest) = Sample(name);
        var random = new Random(name.GetHashCode(StringComparison.Ordinal)); // repeatable per sample

        for (var i = 0; i < 300; i++)
        {
            var corrupted = bytes.ToArray();
            for (var flips = random.Next(1, 4); flips > 0 && corrupted.Length > 0; flips--)
                corrupted[random.Next(corrupted.Length)] = (byte)random.Next(256);
            AssertReadsOrFailsClosed(corrupted, manifest);
        }
    }

    [Fact]
    public void Random_buffers_under_every_manifest_read_or_fail_closed()
    {
        var manifests = MessageSamples.All(ActorRefs.Nobody).Values.Select(_serializer.Manifest).Distinct().ToList();
        var random = new Random(4153);

        foreach (var manifest in manifests)
            for (var i = 0; i < 200; i++)
            {
                var buffer = new byte[random.Next(0, 64)];
                random.NextBytes(buffer);
                AssertReadsOrFailsClosed(buffer, manifest);
            }
    }

    [Fact]
    public void A_length_prefix_asking_for_two_gigabytes_is_refused_before_anything_is_allocated()
    {
        // A relay whose first string (the session id) claims int.MaxValue bytes: a 5-byte header.
        byte[] header = [0xFF, 0xFF, 0xFF, 0xFF, 0x07];

        var before = GC.GetAllocatedBytesForCurrentThread();
        var refused = Assert.Throws<SerializationException>(() => _serializer.FromBinary(header, "PR"));
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Contains("2147483647", refused.Message);
        Assert.True(allocated < AllocationBound(header.Length), $"allocated {allocated} bytes");
    }

    [Fact]
    public void An_enum_value_no_release_wrote_is_refused()
    {
        var bytes = _serializer.ToBinary(new ClientRtcStatus(SessionId.New(), RtcPath.Upgraded));
        bytes[^1] = 9; // RtcPath has 1 and 2

        var refused = Assert.Throws<SerializationException>(() => _serializer.FromBinary(bytes, "CS"));
        Assert.Contains("RtcPath", refused.Message);
    }

    [Fact]
    public void A_refusal_no_release_wrote_is_refused()
    {
        var bytes = _serializer.ToBinary(new RefusedNotice(Refusal.NotInRoom));
        bytes[0] = 99;

        var refused = Assert.Throws<SerializationException>(() => _serializer.FromBinary(bytes, "NRF"));
        Assert.Contains(nameof(Refusal), refused.Message);
    }

    [Theory]
    [InlineData(Refusal.NotPaired)]
    [InlineData(Refusal.PeerTimeout)]
    public void A_refusal_without_what_its_wording_needs_is_refused(Refusal refusal)
    {
        var bytes = _serializer.ToBinary(new RefusedNotice(refusal));

        Assert.Throws<SerializationException>(() => _serializer.FromBinary(bytes, "NRF"));
    }

    [Theory]
    [InlineData("SS")]
    [InlineData("NT")]
    [InlineData("RC")]
    public void A_manifest_of_the_release_before_resume_claims_is_refused(string manifest)
    {
        // Those carried a signed token string; their successors carry claims (docs/failover.md, "Rolling updates").
        using var stream = new MemoryStream();
        using (var w = new BinaryWriter(stream)) { w.Write("s-1"); w.Write("AAAA.bbbb"); w.Write(30); }

        var refused = Assert.Throws<SerializationException>(() => _serializer.FromBinary(stream.ToArray(), manifest));
        Assert.Contains("does not know manifest", refused.Message);
    }

    [Fact]
    public void A_resume_refusal_no_release_wrote_is_refused()
    {
        var bytes = _serializer.ToBinary(new ResumeRefusedNotice(SessionId.New(), ResumeRefusal.Ended));
        bytes[^1] = 9;

        var refused = Assert.Throws<SerializationException>(() => _serializer.FromBinary(bytes, "NRR"));
        Assert.Contains(nameof(ResumeRefusal), refused.Message);
    }

    [Theory]
    [InlineData(ResumeState.Waiting, false, false)] // waiting needs a code
    [InlineData(ResumeState.Paired, true, false)] // paired needs a partner
    [InlineData(ResumeState.Idle, false, true)] // no generation is negative
    public void Claims_without_what_their_state_needs_are_refused(ResumeState state, bool withCode, bool negative)
    {
        using var stream = new MemoryStream();
        using (var w = new BinaryWriter(stream))
        {
            w.Write((byte)state); w.Write(withCode ? "code" : ""); w.Write(""); w.Write(false); w.Write(negative ? -1L : 1L);
        }
        var refused = Assert.Throws<SerializationException>(() => _serializer.FromBinary(WithSession(stream.ToArray()), "NT2"));
        Assert.Contains("claims of", refused.Message);
    }

    /// <summary>Claims' bytes after a session id, as they are written.</summary>
    private static byte[] WithSession(byte[] rest)
    {
        using var stream = new MemoryStream();
        using (var w = new BinaryWriter(stream)) { w.Write("s-1"); w.Write(rest); }
        return stream.ToArray();
    }

    [Fact]
    public void A_resumed_state_no_release_wrote_is_refused()
    {
        using var stream = new MemoryStream();
        using (var w = new BinaryWriter(stream)) { w.Write(3L); w.Write("confused"); }

        Assert.Throws<SerializationException>(() => _serializer.FromBinary(stream.ToArray(), "NRS"));
    }

    [Fact]
    public void A_resumed_notice_is_written_as_the_previous_release_wrote_it()
    {
        // Nodes of both releases exchange it during a rolling restart: its state stays a name on the wire.
        using var stream = new MemoryStream();
        using (var w = new BinaryWriter(stream)) { w.Write(3L); w.Write("waiting"); }

        Assert.Equal(stream.ToArray(), _serializer.ToBinary(new ResumedNotice(3, ResumeState.Waiting)));
        Assert.Equal(new ResumedNotice(3, ResumeState.Waiting), _serializer.FromBinary(stream.ToArray(), "NRS"));
    }

    [Fact]
    public void Text_that_is_not_utf8_is_refused_not_replaced()
    {
        byte[] bytes = [3, (byte)'a', 0xC3, 0x28]; // a length of 3, then an invalid two-byte sequence

        Assert.Throws<SerializationException>(() => _serializer.FromBinary(bytes, "CL"));
    }

    private (byte[] Bytes, string Manifest) Sample(string sample)
    {
        var message = MessageSamples.All(CreateTestProbe().Ref)[sample];
        return (_serializer.ToBinary(message), _serializer.Manifest(message));
    }

    private void AssertReadsOrFailsClosed(byte[] bytes, string manifest)
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        try
        {
            _serializer.FromBinary(bytes, manifest);
        }
        catch (SerializationException)
        {
        }
        catch (Exception e)
        {
            Assert.Fail($"'{manifest}' of {Convert.ToHexString(bytes)}: {e.GetType().Name}: {e.Message}");
        }
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(allocated <= AllocationBound(bytes.Length),
            $"'{manifest}' of {bytes.Length} bytes allocated {allocated} bytes");
    }
}
