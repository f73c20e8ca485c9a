namespace SocketPeer.Actors.Tests.Properties;

internal static class Shrinks
{
    /// <summary>Shorter runs: without all of it, then without each half, each quarter, … each single step.</summary>
    public static IEnumerable<T[]> Shorter<T>(T[] run)
    {
        for (var size = run.Length; size >= 1; size /= 2)
            for (var start = 0; start + size <= run.Length; start += size)
                yield return [.. run[..start], .. run[(start + size)..]];
    }
}
