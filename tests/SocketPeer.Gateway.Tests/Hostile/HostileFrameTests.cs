using System.Text;
using SocketPeer.Testing;

namespace SocketPeer.Gateway.Tests.Hostile;

/// <summary>
/// Frames RFC 6455 (sections 5 and 10) says a server must fail the connection for, written by hand
/// over a bare TCP connection: each gets its documented close code, the offender's connection and
/// session are released, and a well-behaved pair on the same server keeps being served.
/// </summary>
public sealed class HostileFrameTests(HostileFixture fixture) : IClassFixture<HostileFixture>
{
    private SocketPeerServer Server => fixture.Server;

    public static TheoryData<string, byte[], int> ProtocolViolations() => new()
    {
        // 5.1: a client must mask every frame.
        { "unmasked frame", RawWebSocket.Frame(Opcode.Text, """{"type":"leave"}"""u8, masked: false), 1002 },
        // 5.2: reserved bits without a negotiated extension.
        { "RSV1 set", RawWebSocket.Frame(Opcode.Text, """{"type":"leave"}"""u8, reservedBits: 0b100), 1002 },
        { "RSV3 set", RawWebSocket.Frame(Opcode.Text, """{"type":"leave"}"""u8, reservedBits: 0b001), 1002 },
        // 5.2: reserved opcodes, data (0x3) and control (0xB).
        { "reserved data opcode", RawWebSocket.Frame(0x3, "x"u8), 1002 },
        { "reserved control opcode", RawWebSocket.Frame(0xB, "x"u8), 1002 },
        // 5.5: control frames carry at most 125 bytes and are never fragmented.
        { "ping over 125 bytes", RawWebSocket.Frame(Opcode.Ping, new byte[126]), 1002 },
        { "fragmented ping", RawWebSocket.Frame(Opcode.Ping, "x"u8, fin: false), 1002 },
        // 5.4: a continuation needs a message to continue; a new message needs the last one finished.
        { "continuation without a start", RawWebSocket.Frame(Opcode.Continuation, "x"u8), 1002 },
        {
            "new data frame mid-message",
            [.. RawWebSocket.Frame(Opcode.Text, "{"u8, fin: false), .. RawWebSocket.Frame(Opcode.Text, "}"u8)],
            1002
        },
        // 5.2: a 64-bit length's most significant bit must be 0.
        { "length with the top bit set", RawWebSocket.Frame(Opcode.Text, [], declaredLength: long.MinValue), 1002 },
        // 5.5.1 / 7.4: a close payload is empty or a valid code (and reason).
        { "close with a 1-byte payload", RawWebSocket.Frame(Opcode.Close, [0x03]), 1002 },
        { "close with code 999", RawWebSocket.Frame(Opcode.Close, RawWebSocket.ClosePayload(999)), 1002 },
        { "close with code 1005 (never sent)", RawWebSocket.Frame(Opcode.Close, RawWebSocket.ClosePayload(1005)), 1002 },
        // 8.1: text must be UTF-8 (here an overlong encoding and a lone continuation byte).
        { "invalid UTF-8 in text", RawWebSocket.Frame(Opcode.Text, [0x22, 0xC0, 0xAF, 0x80, 0x22]), 1007 },
        { "invalid UTF-8 across fragments", [.. RawWebSocket.Frame(Opcode.Text, [0x22, 0xE2], fin: false), .. RawWebSocket.Frame(Opcode.Continuation, [0x28, 0xA1, 0x22])], 1007 },
    };

    [Theory]
    [MemberData(nameof(ProtocolViolations))]
    public async Task A_protocol_violation_fails_the_connection_and_releases_it(string what, byte[] frames, int closeCode)
    {
        var (a, b) = await Pairs.OpenAsync(Server);
        await using var _ = a;
        await using var __ = b;
        await using var offender = await RawWebSocket.ConnectAsync(Server.Socket);

        await Offender.WriteWhileOpenAsync(offender, frames);

        Assert.True(closeCode == await offender.ClosedAsync(), what);
        await Offender.AssertReleasedAsync(Server, offender.SessionId, othersOpen: 2);
        await Pairs.AssertRelaysAsync(a, b);
    }

    [Fact]
    public async Task A_message_over_MaxFrameBytes_in_fragments_closes_1009()
    {
        var (a, b) = await Pairs.OpenAsync(Server);
        await using var _ = a;
        await using var __ = b;
        await using var offender = await RawWebSocket.ConnectAsync(Server.Socket);
        var half = Encoding.UTF8.GetBytes(new string('x', 40 * 1024));

        await Offender.WriteWhileOpenAsync(offender,
            [.. RawWebSocket.Frame(Opcode.Text, half, fin: false), .. RawWebSocket.Frame(Opcode.Continuation, half)]);

        Assert.Equal(1009, await offender.ClosedAsync());
        await Offender.AssertReleasedAsync(Server, offender.SessionId, othersOpen: 2);
        await Pairs.AssertRelaysAsync(a, b);
    }

    [Fact]
    public async Task A_flood_of_pings_is_answered_and_costs_the_pair_nothing()
    {
        var (a, b) = await Pairs.OpenAsync(Server);
        await using var _ = a;
        await using var __ = b;
        await using var flooder = await RawWebSocket.ConnectAsync(Server.Socket);
        const int pings = 5000;
        var ping = RawWebSocket.Frame(Opcode.Ping, new byte[125]);
        var flood = new byte[ping.Length * pings];
        for (var i = 0; i < pings; i++) ping.CopyTo(flood, i * ping.Length);

        // Read the pongs while writing: a client that reads nothing would block the server's
        // answers, which KeepAliveTimeout deals with (SilentClientTests), not this test.
        var pongs = Task.Run(async () =>
        {
            var seen = 0;
            while (seen < pings)
                if ((await flooder.NextFrameAsync())?.Opcode == Opcode.Pong) seen++;
            return seen;
        });
        await flooder.WriteRawAsync(flood);
        Assert.Equal(pings, await pongs.WaitAsync(RawWebSocket.Timeout));

        // Control frames are not messages: the rate limit is untouched and the socket is served.
        await flooder.SendJsonAsync("probe.after-flood");
        await flooder.ExpectErrorAsync("unknown-type");
        await Pairs.AssertRelaysAsync(a, b);
    }
}
