using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using SocketPeer.Actors.Rooms;
using SocketPeer.Actors.Sessions;

namespace SocketPeer.Actors.Tests.Properties;

/// <summary>One room under any sequence of joins and leaves from five sessions.</summary>
public sealed class RoomPropertyTests
{
    private static readonly PairCode Code = new("room");
    private static readonly SessionId[] Sessions = [.. Enumerable.Range(0, 5).Select(i => new SessionId($"s{i}"))];

    private sealed record Command(bool Join, int Session)
    {
        public override string ToString() => $"{(Join ? "join" : "leave")} s{Session}";
    }

    private static readonly Arbitrary<Command[]> Commands = Arb.From(
        Gen.ArrayOf(
            from isJoin in Gen.Frequency((3, Gen.Constant(true)), (2, Gen.Constant(false)))
            from session in Gen.Choose(0, Sessions.Length - 1)
            select new Command(isJoin, session)),
        Shrinks.Shorter);

    [Property(MaxTest = 500)]
    public Property Room_never_holds_more_than_two_distinct_members() =>
        Prop.ForAll(Commands, commands =>
        {
            foreach (var (room, _, _) in Run(commands))
            {
                Assert.InRange(room.Members.Length, 0, RoomState.Capacity);
                Assert.Equal(room.Members.Length, room.Members.Distinct().Count());
            }
        });

    [Property(MaxTest = 500)]
    public Property Peer_found_only_ever_goes_to_a_member_and_names_the_other_member() =>
        Prop.ForAll(Commands, commands =>
        {
            foreach (var (room, _, notifications) in Run(commands))
                foreach (var found in notifications.OfType<PeerFound>())
                {
                    Assert.Equal(2, room.Members.Length);
                    Assert.Contains(found.Session, room.Members);
                    Assert.Contains(found.Partner, room.Members);
                    Assert.NotEqual(found.Session, found.Partner);
                }
        });

    [Property(MaxTest = 500)]
    public Property Room_behaves_like_a_list_of_at_most_two() =>
        Prop.ForAll(Commands, commands =>
        {
            var model = new List<SessionId>();
            foreach (var (room, command, notifications) in Run(commands))
            {
                var session = Sessions[command.Session];
                var wasFull = model.Count == RoomState.Capacity;
                var wasMember = model.Contains(session);
                if (command.Join && !wasMember && !wasFull) model.Add(session);
                if (!command.Join) model.Remove(session);

                Assert.Equal(model, room.Members.ToArray());
                if (command.Join && !wasMember && wasFull) Assert.Equal([new RoomBusy(session, Code)], notifications);
                if (!command.Join && wasMember && model.Count == 1)
                    Assert.Equal([new PartnerLeft(model[0], Code, session)], notifications);
                if (!command.Join && (!wasMember || model.Count == 0)) Assert.Empty(notifications);
            }
        });

    private static IEnumerable<(RoomState Room, Command Command, IReadOnlyList<IWithSessionId> Notifications)> Run(
        IEnumerable<Command> commands)
    {
        var room = RoomState.Empty(Code);
        foreach (var command in commands)
        {
            var session = Sessions[command.Session];
            var t = command.Join ? room.Handle(new JoinRoom(Code, session)) : room.Handle(new LeaveRoom(Code, session));
            // Every holder lives here: each answers a seat check at once, and the room answers after.
            var notifications = t.Notifications.Where(n => n is not CheckSeat).ToList();
            foreach (var check in t.Notifications.OfType<CheckSeat>())
            {
                t = t.State.Handle(new SeatHeld(Code, check.Session));
                notifications.AddRange(t.Notifications);
            }
            room = t.State;
            yield return (room, command, notifications);
        }
    }
}
