using SocketPeer.Bench.Client;
using SocketPeer.Bench.Measurement;

namespace SocketPeer.Bench.Scenarios;

/// <summary>
/// One direction of one pair: numbered, timestamped data messages from <see cref="Sender"/> to
/// <see cref="Receiver"/>. Sent either one per receipt (closed loop, a fixed window in flight) or on a
/// schedule (open loop, stamped with the scheduled time so a late send counts as latency).
/// </summary>
public sealed class RelayFlow(WsConnection sender, WsConnection receiver, MessageTemplate template)
{
    private int _pumping;
    private long _due;
    private long _slotStart;
    private double _slotInterval;
    private double _slotPhase;

    public WsConnection Sender { get; } = sender;
    public WsConnection Receiver { get; } = receiver;
    public SequenceTracker Seen { get; } = new();
    /// <summary>Sequence number of the next message to send; only one sender at a time touches it.</summary>
    public long NextSeq { get; private set; }
    public long ReceivedInWindow { get; set; }
    public bool Broken { get; private set; }

    /// <summary>Closed loop: sends the next message, stamped now.</summary>
    public async ValueTask SendNextAsync()
    {
        await Sender.SendFilledAsync(template, NextSeq, Stamp.Now);
        NextSeq++;
    }

    /// <summary>Open loop: slot <c>k</c> of this flow is at <c>start + (k + phase) × interval</c>.</summary>
    public void UseSchedule(long start, double interval, double phase)
    {
        _slotStart = start;
        _slotInterval = interval;
        _slotPhase = phase;
    }

    /// <summary>Open loop, from the scheduler thread: slot <paramref name="slot"/> is due; send what is owed.</summary>
    public void Due(long slot)
    {
        Volatile.Write(ref _due, slot + 1);
        if (Interlocked.CompareExchange(ref _pumping, 1, 0) == 0) _ = PumpAsync();
    }

    private async Task PumpAsync()
    {
        try
        {
            while (true)
            {
                while (NextSeq < Volatile.Read(ref _due))
                {
                    await Sender.SendFilledAsync(template, NextSeq, SlotTime(NextSeq));
                    NextSeq++;
                }
                Volatile.Write(ref _pumping, 0);
                // A slot that came due after the check above and before the flag dropped is ours to send.
                if (NextSeq >= Volatile.Read(ref _due) || Interlocked.CompareExchange(ref _pumping, 1, 0) != 0) return;
            }
        }
        catch (Exception e) when (WsConnection.IsDisconnect(e))
        {
            Broken = true;
        }
    }

    private long SlotTime(long seq) => _slotStart + (long)((seq + _slotPhase) * _slotInterval);
}
