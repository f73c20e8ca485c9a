namespace SocketPeer.Actors.Crossings;

/// <summary>
/// Whether a session's messages to a partner on another node go through this node's batcher for that
/// node (<see cref="CrossingBatcher"/>), which sends what it has as one remote message, instead of one
/// remote message each (<c>SocketPeer:Cluster:RelayBatching</c>, docs/architecture.md section 6).
/// </summary>
public sealed class RelayBatchingSettings
{
    /// <summary>Off by default until measured not to cost more than the single messages.</summary>
    public bool Enabled { get; set; }

    /// <summary>A batch holding this many messages is sent at once.</summary>
    public int MaxMessages { get; set; } = 64;

    public const int MaxMessagesLimit = 4096;

    /// <summary>
    /// A message that would take a batch past this many bytes (estimated) goes in the next one; a
    /// single larger message travels alone.
    /// </summary>
    public int MaxBytes { get; set; } = 32 * 1024;

    /// <summary>
    /// Akka.Remote drops a frame over its maximum frame size (128,000 bytes by default). A batch stays
    /// near <see cref="MaxBytes"/> (refs' paths are estimated, a few KiB off at most), well below it; a
    /// message larger than the bound travels alone, as it did before batching.
    /// </summary>
    public const int MaxBytesLimit = 60 * 1024;

    public const int MinBytes = 1024;

    /// <summary>What is wrong with these values, for the host's start-up validation.</summary>
    public IEnumerable<string> Problems()
    {
        if (MaxMessages is < 1 or > MaxMessagesLimit)
            yield return $"SocketPeer:Cluster:RelayBatching:MaxMessages must be between 1 and {MaxMessagesLimit} (got {MaxMessages}).";
        if (MaxBytes is < MinBytes or > MaxBytesLimit)
            yield return $"SocketPeer:Cluster:RelayBatching:MaxBytes must be between {MinBytes} and {MaxBytesLimit} (got {MaxBytes}).";
    }
}
