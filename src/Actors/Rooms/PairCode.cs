namespace SocketPeer.Actors.Rooms;

/// <summary>
/// The code two peers share to meet. Validated once at the edge (the gateway's
/// pair-code rules); inside the cluster it is just the room's entity id.
/// </summary>
public readonly record struct PairCode(string Value)
{
    public override string ToString() => Value;
}
