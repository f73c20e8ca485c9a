namespace SocketPeer.Bench.Tests;

/// <summary>The smoke runs start servers and client processes: one at a time, so they do not load the box together.</summary>
[CollectionDefinition(Name)]
public sealed class SmokeCollection
{
    public const string Name = "bench smoke runs";
}
