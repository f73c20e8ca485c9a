namespace SocketPeer.Bench.Measurement;

/// <summary>
/// What one receiver saw of one sender's numbered messages: a bit per sequence number (one flow's
/// whole run is at most a few hundred thousand messages), so duplicates are told from reordering.
/// Touched only by the receiver's loop.
/// </summary>
public sealed class SequenceTracker
{
    private ulong[] _seen = new ulong[64];
    private long _highest = -1;

    public long Distinct { get; private set; }
    public long Duplicated { get; private set; }
    /// <summary>Arrived after a higher number had already arrived.</summary>
    public long OutOfOrder { get; private set; }

    public void Saw(long seq)
    {
        var word = (int)(seq >> 6);
        if (word >= _seen.Length) Array.Resize(ref _seen, Math.Max(word + 1, _seen.Length * 2));
        var bit = 1UL << (int)(seq & 63);
        if ((_seen[word] & bit) != 0)
        {
            Duplicated++;
            return;
        }
        _seen[word] |= bit;
        Distinct++;
        if (seq < _highest) OutOfOrder++;
        else _highest = seq;
    }
}
