using System.Collections.Immutable;
using SocketPeer.Actors.Sessions;

namespace SocketPeer.Actors.Rooms;

/// <summary>
/// A room asking its holders whether they still hold their seats before it answers newcomers: a full
/// room before it answers them <c>busy</c>, a room with one member whose node is no member of the
/// cluster any more before it pairs them with it. A seat held by a session on a dead node would otherwise
/// turn away the one client most likely to be knocking: its own, reconnecting (docs/failover.md,
/// "Dead seats"). The check ends when every seat is vouched for or vacant; the room actor makes sure
/// it does, within a deadline.
/// </summary>
/// <param name="Holders">The members asked, when the check began.</param>
/// <param name="Newcomers">The joins waiting for the verdict, in arrival order.</param>
/// <param name="Vouched">The holders that answered <see cref="SeatHeld"/>.</param>
public sealed record SeatCheck(ImmutableArray<SessionId> Holders, ImmutableArray<JoinRoom> Newcomers, ImmutableArray<SessionId> Vouched)
{
    /// <summary>Newcomers one check holds; more are answered <c>busy</c> at once (a full room is not a queue).</summary>
    public const int MaxNewcomers = 4;

    public static SeatCheck For(JoinRoom newcomer, IEnumerable<SessionId> holders) => new([.. holders], [newcomer], []);

    public bool Waits(SessionId session) => Newcomers.Any(j => j.Session == session);

    public bool IsFull => Newcomers.Length >= MaxNewcomers;

    /// <summary>The same newcomer asked again (a retry): keep its place, take its latest attempt.</summary>
    public SeatCheck Again(JoinRoom join) =>
        this with { Newcomers = [.. Newcomers.Select(j => j.Session == join.Session ? join : j)] };

    public SeatCheck Add(JoinRoom join) => this with { Newcomers = Newcomers.Add(join) };

    public SeatCheck Without(SessionId newcomer) =>
        this with { Newcomers = [.. Newcomers.Where(j => j.Session != newcomer)] };

    public SeatCheck Vouch(SessionId holder) => Vouched.Contains(holder) ? this : this with { Vouched = Vouched.Add(holder) };
}
