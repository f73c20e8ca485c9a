using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using SocketPeer.Actors.Sessions;
using SocketPeer.Actors.Tests.Infrastructure;
using static SocketPeer.Actors.Sessions.SessionPhase;

namespace SocketPeer.Actors.Tests.Properties;

/// <summary>Once every message has arrived, what sessions believe must be what their rooms hold.</summary>
public sealed class ConsistencyPropertyTests
{
    [Property(MaxTest = 1000)]
    public Property At_rest_every_session_agrees_with_its_room_and_its_partner() =>
        Prop.ForAll(WorldSteps.Runs, run =>
        {
            var world = WorldSteps.Play(run);

            foreach (var (id, session) in world.Sessions)
                if (!Agrees(world, id, session.Phase))
                    Assert.Fail($"{id} is {session.Phase}{Environment.NewLine}{world.Trace}");
            foreach (var (code, room) in world.Rooms)
                foreach (var member in room.Members)
                    if (!world.Sessions.TryGetValue(member, out var s) || s.Phase.Room != code)
                        Assert.Fail($"room {code} holds {member}, which is not in it{Environment.NewLine}{world.Trace}");
        });

    private static bool Agrees(World world, SessionId id, SessionPhase phase) => phase switch
    {
        Unattached => true, // made by a stray message; it stops on its own (receive timeout)
        Idle => world.Rooms.Values.All(r => !r.Members.Contains(id)),
        Waiting w => world.Rooms.TryGetValue(w.Code, out var room) && room.Members.SequenceEqual([id]),
        Paired p => world.Rooms.TryGetValue(p.Code, out var room)
            && room.Members.Length == 2 && room.Members.Contains(id) && room.Members.Contains(p.Partner)
            && world.Sessions.TryGetValue(p.Partner, out var partner)
            && partner.Phase is Paired back && back.Code == p.Code && back.Partner == id,
        _ => false, // still joining with nothing on its way
    };
}
