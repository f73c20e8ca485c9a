using System.Text;
using SocketPeer.Testing;

namespace SocketPeer.Gateway.Tests.Hostile;

/// <summary>
/// Messages that are well-formed WebSocket but hostile in what they say or in how they arrive:
/// text that is not text once unescaped, codes that only look whole, messages that never end,
/// and fragments that carry nothing.
/// </summary>
public sealed class HostileMessageTests(HostileFixture fixture) : IClassFixture<HostileFixture>
{
    private SocketPeerServer Server => fixture.Server;

    [Theory]
    [InlineData("""{"type":"\ud800"}""")]                      // an unpaired high surrogate as the type
    [InlineData("""{"type":"x\udc00y"}""")]                    // an unpaired low surrogate
    [InlineData("""{"type":"pair","data":"abc\ud800"}""")]     // in a pair code
    [InlineData("""{"type":"resume","data":{"token":"\udfff","seq":0}}""")]
    [InlineData("""{"type":"session","data":{"\ud800":true}}""")] // in a property name
    public async Task A_string_that_is_not_valid_text_is_bad_message_and_the_socket_is_still_served(string frame)
    {
        var (a, b) = await Pairs.OpenAsync(Server);
        await using var _ = a;
        await using var __ = b;
        await using var offender = await RawWebSocket.ConnectAsync(Server.Socket);

        await offender.SendTextAsync(frame);

        await offender.ExpectErrorAsync("bad-message");
        await offender.SendJsonAsync("probe.still-served");
        await offender.ExpectErrorAsync("unknown-type");
        await Pairs.AssertRelaysAsync(a, b);
    }

    [Theory]
    [InlineData("blue-fox\n")]
    [InlineData("blue-fox\r\n")]
    [InlineData("\nblue-fox")]
    public async Task A_pair_code_is_matched_whole_so_a_newline_is_refused(string code)
    {
        await using var offender = await RawWebSocket.ConnectAsync(Server.Socket);

        await offender.SendJsonAsync("pair", code);

        await offender.ExpectErrorAsync("invalid-pair-code");
    }

    public static TheoryData<string, byte[]> MessagesThatNeverEnd() => new()
    {
        // A first fragment, and nothing after it.
        { "text without FIN", RawWebSocket.Frame(Opcode.Text, """{"type":"""u8, fin: false) },
        // A header announcing 2^62 bytes, and no payload: the server cannot see the length, only the wait.
        { "2^62-byte header", RawWebSocket.Frame(Opcode.Text, [], declaredLength: 1L << 62) },
        // A header announcing 1000 bytes, and 10 of them.
        { "short payload", RawWebSocket.Frame(Opcode.Text, "0123456789"u8, declaredLength: 1000) },
    };

    [Theory]
    [MemberData(nameof(MessagesThatNeverEnd))]
    public async Task A_message_that_does_not_complete_within_MessageTimeout_closes_1008(string what, byte[] frames)
    {
        var (a, b) = await Pairs.OpenAsync(Server);
        await using var _ = a;
        await using var __ = b;
        await using var offender = await RawWebSocket.ConnectAsync(Server.Socket);

        await offender.WriteRawAsync(frames);

        Assert.True(1008 == await offender.ClosedAsync(), what);
        await Offender.AssertReleasedAsync(Server, offender.SessionId, othersOpen: 2);
        await Pairs.AssertRelaysAsync(a, b);
    }

    [Fact]
    public async Task Twenty_thousand_empty_continuation_frames_close_1008()
    {
        var (a, b) = await Pairs.OpenAsync(Server);
        await using var _ = a;
        await using var __ = b;
        await using var offender = await RawWebSocket.ConnectAsync(Server.Socket);
        var empty = RawWebSocket.Frame(Opcode.Continuation, [], fin: false);
        using var flood = new MemoryStream();
        flood.Write(RawWebSocket.Frame(Opcode.Text, "{"u8, fin: false));
        for (var i = 0; i < 20_000; i++) flood.Write(empty);

        await Offender.WriteWhileOpenAsync(offender, flood.ToArray());

        Assert.Equal(1008, await offender.ClosedAsync());
        await Offender.AssertReleasedAsync(Server, offender.SessionId, othersOpen: 2);
        await Pairs.AssertRelaysAsync(a, b);
    }

    [Fact]
    public async Task A_few_empty_fragments_are_allowed()
    {
        await using var client = await RawWebSocket.ConnectAsync(Server.Socket);
        var empty = RawWebSocket.Frame(Opcode.Continuation, [], fin: false);

        byte[] message =
        [
            .. RawWebSocket.Frame(Opcode.Text, """{"type":"probe."""u8, fin: false),
            .. empty, .. empty, .. empty,
            .. RawWebSocket.Frame(Opcode.Continuation, "fragmented\"}"u8),
        ];

        await client.WriteRawAsync(message);

        await client.ExpectErrorAsync("unknown-type");
    }

    [Fact]
    public async Task An_empty_text_message_is_bad_message()
    {
        await using var client = await RawWebSocket.ConnectAsync(Server.Socket);

        await client.SendFrameAsync(Opcode.Text, []);

        await client.ExpectErrorAsync("bad-message");
        await client.SendTextAsync(Encoding.UTF8.GetString("""{"type":"probe.after"}"""u8));
        await client.ExpectErrorAsync("unknown-type");
    }
}
