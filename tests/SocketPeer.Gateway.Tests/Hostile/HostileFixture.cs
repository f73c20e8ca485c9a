using SocketPeer.Testing;

namespace SocketPeer.Gateway.Tests.Hostile;

/// <summary>
/// Short deadlines so that a test of a stalled message takes a second, not the default ten; the
/// limits themselves (sizes, budgets) are the defaults.
/// </summary>
public sealed class HostileFixture : ServerFixture
{
    protected override (string, string)[] Settings =>
    [
        ("SocketPeer:MessageTimeout", "00:00:01"),
        ("SocketPeer:CloseTimeout", "00:00:01"),
    ];
}
