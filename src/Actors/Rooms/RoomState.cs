using System.Collections.Immutable;
using SocketPeer.Actors.Sessions;

namespace SocketPeer.Actors.Rooms;

/// <summary>
/// One member of a room: its session, the join attempt that put it there, whether it resumes,
/// whether its client is away (then a newcomer may take the seat), the session it succeeded, if any,
/// and the partner it named when it joined again after losing its room.
/// </summary>
public readonly record struct RoomSeat(SessionId Session, long Attempt, bool Resumable = false, bool Away = false,
    SessionId? Predecessor = null, SessionId? Partner = null);

/// <summary>
/// The room of one pair code: <c>Empty → Waiting(a) → Paired(a, b)</c>, a third is <c>busy</c>.
/// Pure: <see cref="Handle(JoinRoom)"/> returns the next state and the notifications to send to
/// sessions; the actor only delivers them. Once paired, the room is out of the relay path. Every
/// notification echoes the join attempt of the member it addresses (see <see cref="JoinRoom"/>).
/// </summary>
public sealed record RoomState(PairCode Code, ImmutableArray<RoomSeat> Seats)
{
    public const int Capacity = 2;

    public static RoomState Empty(PairCode code) => new(code, ImmutableArray<RoomSeat>.Empty);

    /// <summary>The check of the seats that newcomers to this full room wait for, if one runs.</summary>
    public SeatCheck? Check { get; init; }

    public ImmutableArray<SessionId> Members => [.. Seats.Select(s => s.Session)];

    public bool IsEmpty => Seats.IsEmpty && Check is null;

    public RoomTransition Handle(JoinRoom join) => Handle(join, []);

    /// <summary>
    /// A join, where <paramref name="doubtful"/> are members whose node is no member of the cluster any
    /// more (the room actor looks that up; ids name their node). Such a member may be a session lost
    /// with its node, or one resumed elsewhere under its old id after a rolling update: a newcomer is
    /// paired with it only once it has answered for its seat.
    /// </summary>
    public RoomTransition Handle(JoinRoom join, IReadOnlyCollection<SessionId> doubtful) => Join(join, doubtful, mayCheck: true);

    /// <param name="mayCheck">
    /// false when a check has just ended and its newcomers join again: one that finds the room full
    /// still (the seat it could take is its own named partner's, or another newcomer took the vacant
    /// one) hears <c>busy</c> rather than starting another check of seats just answered for. Checking
    /// again looped for good in a rebuilt room (found by the crash property tests).
    /// </param>
    private RoomTransition Join(JoinRoom join, IReadOnlyCollection<SessionId> doubtful, bool mayCheck)
    {
        var seat = new RoomSeat(join.Session, join.Attempt, join.Resumable, Predecessor: join.Replaces, Partner: join.Partner);
        // A session that was succeeded lives on, away, until its grace period ends; when its room is
        // lost it joins again like any member. Its successor holds the seat now (it may have joined the
        // rebuilt room first), so the predecessor is told its seat is taken, and ends.
        foreach (var taken in Seats)
            if (taken.Predecessor == join.Session)
                return new(this, [new SeatTaken(join.Session, Code)]);

        var index = IndexOf(join.Session);
        if (index >= 0)
        {
            // Idempotent: the same session again (never paired with itself); answer its latest attempt.
            // During a seat check a join is no answer: it may be a retry sent before its session
            // ended (its LeaveRoom follows), so it neither vouches for the seat nor clears a vacancy
            // the check found; only the session's answer to the check counts.
            var away = Check is not null && Seats[index].Away;
            var again = this with
            {
                Seats = Seats.SetItem(index, seat with { Away = away, Predecessor = join.Replaces ?? Seats[index].Predecessor }),
            };
            return new(again, [again.StatusOf(index)]);
        }

        if (join.Replaces is { } predecessor && IndexOf(predecessor) is var held and >= 0)
        {
            // A successor takes its predecessor's seat in place: the partner stays paired with it.
            var succeeded = this with { Seats = Seats.SetItem(held, seat) };
            return succeeded.Vouching(join.Session, succeeded.StatusOf(held));
        }

        // Newcomers wait their turn behind a running seat check, whatever the seats look like now.
        if (Check is not null)
            return Hold(join);
        if (!mayCheck && Seats.Length == Capacity && !Seats.Any(s => s.Away && s.Session != join.Partner))
            return Busy(join);

        for (var i = 0; i < Seats.Length; i++)
            if (Seats[i].Away && Seats[i].Session != join.Partner)
                return TakeOver(i, seat);

        if (Seats.Length == 1 && !Belong(Seats[0], seat))
        {
            // Two members of a lost room joined again, each naming a partner, but not each other: one
            // of them names a session that was succeeded (the successor is on its way, and claims that
            // seat with Replaces). Pairing these two would tell a paired client peer.left and pair it
            // with a session that is gone (seen in a chaos run). Both keep their seats, unannounced.
            return new(this with { Seats = [Seats[0], seat] }, []);
        }

        if (Seats.Length == 1 && doubtful.Contains(Seats[0].Session))
            return Hold(join);

        return Seats.Length switch
        {
            0 => new(this with { Seats = [seat] }, [new WaitingForPeer(seat.Session, Code, seat.Attempt)]),
            1 => new(this with { Seats = [Seats[0], seat] },
            [
                // The waiting member hears first; the newcomer is the initiator (original protocol).
                new PeerFound(Seats[0].Session, Code, seat.Session, Initiator: false, Seats[0].Attempt, seat.Resumable, seat.Attempt),
                new PeerFound(seat.Session, Code, Seats[0].Session, Initiator: true, seat.Attempt, Seats[0].Resumable, Seats[0].Attempt),
            ]),
            _ => Hold(join),
        };
    }

    /// <summary>
    /// Before answering <c>busy</c> (the room is full and neither holder is known to be away), or
    /// before pairing with a doubtful member, ask the members whether they still hold their seats
    /// (<see cref="SeatCheck"/>). A check already running takes the newcomer along.
    /// </summary>
    private RoomTransition Hold(JoinRoom join)
    {
        if (Check is { } running)
        {
            if (running.Waits(join.Session)) return new(this with { Check = running.Again(join) }, []);
            return running.IsFull ? Busy(join) : new(this with { Check = running.Add(join) }, []);
        }
        return new(this with { Check = SeatCheck.For(join, Members) }, [.. Seats.Select(s => new CheckSeat(s.Session, Code))]);
    }

    /// <summary>
    /// A successor that takes its predecessor's seat while the seats are checked holds it: it has just
    /// been made for a live socket (unlike a member's own join, which may be an old retry).
    /// </summary>
    private RoomTransition Vouching(SessionId holder, IWithSessionId answer)
    {
        if (Check is not { } check) return new(this, [answer]);
        var settled = (this with { Check = check.Vouch(holder) }).Settle();
        return new(settled.State, [answer, .. settled.Notifications]);
    }

    private static RoomTransition BusyAll(RoomState room, IEnumerable<JoinRoom> joins) =>
        new(room, [.. joins.Select(j => (IWithSessionId)new RoomBusy(j.Session, room.Code, j.Attempt))]);

    private RoomTransition Busy(JoinRoom join) => BusyAll(this, [join]);

    /// <summary>A holder vouched for its seat.</summary>
    public RoomTransition Handle(SeatHeld held) =>
        Check is { } check && IndexOf(held.Session) >= 0
            ? (this with { Check = check.Vouch(held.Session) }).Settle()
            : new(this, []);

    /// <summary>
    /// A seat nobody holds any more (its holder said so, its node is unreachable, or it did not answer
    /// in time): it counts as away, so a newcomer takes it over, as from a client that went away.
    /// </summary>
    public RoomTransition Handle(SeatVacant vacant)
    {
        var index = IndexOf(vacant.Session);
        if (index < 0) return Settle();
        return (this with { Seats = Seats.SetItem(index, Seats[index] with { Away = true }) }).Settle();
    }

    /// <summary>
    /// Ends the seat check once its verdict is known: a full room whose seats were all vouched for →
    /// the newcomers hear <c>busy</c>; otherwise (a seat vacant, a holder gone, or a room of one that
    /// was only doubtful) the newcomers join again, in order (the first takes a vacant seat over, or
    /// pairs). Until every holder still seated has an answer, nothing is decided: with both holders
    /// lost (both clients were on the node that died), the newcomer must not be paired with the second
    /// before its answer is in.
    /// </summary>
    private RoomTransition Settle()
    {
        if (Check is not { } check) return new(this, []);
        var unresolved = Seats.Count(s => check.Holders.Contains(s.Session) && !s.Away && !check.Vouched.Contains(s.Session));
        if (unresolved > 0) return new(this, []);
        var open = this with { Check = null };
        if (Seats.Length == Capacity && Seats.All(s => !s.Away))
            return BusyAll(open, check.Newcomers);
        var notifications = new List<IWithSessionId>();
        foreach (var newcomer in check.Newcomers)
        {
            var joined = open.Join(newcomer, [], mayCheck: false);
            open = joined.State;
            notifications.AddRange(joined.Notifications);
        }
        return new(open, notifications);
    }

    /// <summary>
    /// A newcomer takes the seat of a member whose client is away (docs/architecture.md section 5: a detached
    /// member never blocks a newcomer): that session ends, its partner hears it left, then pairs.
    /// </summary>
    private RoomTransition TakeOver(int index, RoomSeat newcomer)
    {
        var evicted = Seats[index];
        var rest = this with { Seats = Unpaired(Seats.RemoveAt(index)) };
        var notifications = new List<IWithSessionId> { new SeatTaken(evicted.Session, Code) };
        if (!rest.Seats.IsEmpty)
            notifications.Add(new PartnerLeft(rest.Seats[0].Session, Code, evicted.Session, rest.Seats[0].Attempt));
        var joined = rest.Handle(new JoinRoom(Code, newcomer.Session, newcomer.Attempt, newcomer.Resumable,
            Replaces: newcomer.Predecessor));
        return new(joined.State, [.. notifications, .. joined.Notifications]);
    }

    public RoomTransition Handle(MemberAway away) => Mark(away.Session, true);

    /// <summary>A member whose client came back holds its seat: that vouches for it in a running check.</summary>
    public RoomTransition Handle(MemberBack back)
    {
        var marked = Mark(back.Session, false);
        return marked.State.Check is { } check && marked.State.IndexOf(back.Session) >= 0
            ? (marked.State with { Check = check.Vouch(back.Session) }).Settle() // a held seat waits for the other's answer
            : marked;
    }

    private RoomTransition Mark(SessionId session, bool away)
    {
        var index = IndexOf(session);
        return index < 0
            ? new(this, [])
            : (this with { Seats = Seats.SetItem(index, Seats[index] with { Away = away }) }).Settle();
    }

    public RoomTransition Handle(LeaveRoom leave)
    {
        var index = IndexOf(leave.Session);
        if (index < 0)
        {
            // A newcomer waiting for a seat check gave up (its client left or closed), and a member may
            // name it as the partner it lost: both, in that order (the forgetting may pair).
            var room = this;
            if (Check is { } check && check.Waits(leave.Session))
            {
                var rest = check.Without(leave.Session);
                room = this with { Check = rest.Newcomers.IsEmpty ? null : rest };
            }
            return room.NamedBy(leave.Session) is var naming and >= 0 ? room.Forget(naming) : new(room, []);
        }

        var next = this with { Seats = Unpaired(Seats.RemoveAt(index)) };
        if (next.Seats.IsEmpty)
            return next.Settle(); // newcomers held by a check, if any, have the room to themselves
        // The one left alone hears it first; then the newcomers a seat check held, if any, join again.
        var left = new PartnerLeft(next.Seats[0].Session, Code, leave.Session, next.Seats[0].Attempt);
        var settled = next.Settle();
        return new(settled.State, [left, .. settled.Notifications]);
    }

    private int NamedBy(SessionId partner)
    {
        for (var i = 0; i < Seats.Length; i++)
            if (Seats[i].Partner == partner) return i;
        return -1;
    }

    /// <summary>
    /// The member at <paramref name="naming"/> gave up on the partner it named when it joined this
    /// rebuilt room (that session is gone: its <c>LeaveRoom</c> for it arrives here). It names nobody
    /// now; if that was all that kept it from the other seat (two members that named others, seated
    /// unannounced), the two are paired: the member that gave up is waiting again and hears
    /// <c>peer.found</c>; the other, already paired with it, takes it as a repeat. Found by the crash
    /// property tests: both clients otherwise waited for good.
    /// </summary>
    private RoomTransition Forget(int naming)
    {
        var apart = Seats.Length == Capacity && !Belong(Seats[0], Seats[1]);
        var next = this with { Seats = Seats.SetItem(naming, Seats[naming] with { Partner = null }) };
        if (!apart || !Belong(next.Seats[0], next.Seats[1])) return new(next, []);
        return new(next,
        [
            new PeerFound(next.Seats[0].Session, Code, next.Seats[1].Session, Initiator: false, next.Seats[0].Attempt,
                next.Seats[1].Resumable, next.Seats[1].Attempt),
            new PeerFound(next.Seats[1].Session, Code, next.Seats[0].Session, Initiator: true, next.Seats[1].Attempt,
                next.Seats[0].Resumable, next.Seats[0].Attempt),
        ]);
    }

    /// <summary>
    /// Whether two members may be paired: unless both name a partner (both were paired when their room
    /// was lost), in which case only if they name each other. A member naming a partner still pairs
    /// with a newcomer, as before: its own partner may be gone for good.
    /// </summary>
    private static bool Belong(RoomSeat seated, RoomSeat joining) =>
        seated.Partner is not { } seatedNamed || joining.Partner is not { } joiningNamed
        || (seatedNamed == joining.Session && joiningNamed == seated.Session);

    /// <summary>The member left alone hears that its partner left: it no longer names one.</summary>
    private static ImmutableArray<RoomSeat> Unpaired(ImmutableArray<RoomSeat> seats) =>
        [.. seats.Select(s => s with { Partner = null })];

    private int IndexOf(SessionId session)
    {
        for (var i = 0; i < Seats.Length; i++)
            if (Seats[i].Session == session) return i;
        return -1;
    }

    private IWithSessionId StatusOf(int index)
    {
        var seat = Seats[index];
        return Seats.Length == 1
            ? new WaitingForPeer(seat.Session, Code, seat.Attempt)
            : new PeerFound(seat.Session, Code, Seats[1 - index].Session, Initiator: index == 1, seat.Attempt,
                Seats[1 - index].Resumable, Seats[1 - index].Attempt);
    }
}

/// <summary>The room after a command, and what each affected session must be told.</summary>
public sealed record RoomTransition(RoomState State, IReadOnlyList<IWithSessionId> Notifications);
