using SocketPeer.Actors.Diagnostics;
using SocketPeer.Actors.Sessions;
using SocketPeer.Gateway.Limits;
using SocketPeer.Gateway.Protocol;

namespace SocketPeer.Gateway.Connections;

/// <summary>
/// The outbound side of a connection: what its sessions tell its <see cref="ConnectionOutbox"/>, in
/// order. Client messages are encoded and written; what the sessions say about themselves goes to the
/// socket's <see cref="ConnectionSession"/>; a close request or a moved session closes the socket.
/// One per node: every connection's loop runs through it with its own parts.
/// </summary>
public sealed class OutboundPump(ClientFrameEncoder encoder, ResumeCoordinator resume, SocketPeerMetrics metrics)
{
    /// <summary>Writes until the queue ends, a close is written, or a send fails.</summary>
    /// <returns>true when it ended because the client fell behind (the queue overflowed).</returns>
    /// <param name="budget">the client address's limits: <c>busy</c> answers count against it, and the TURN credential of a <c>session</c> is minted from it.</param>
    public async Task<bool> RunAsync(ConnectionOutbox outbox, WebSocketWriter writer, ConnectionSession session,
        IdleWatch idle, CancellationToken over, ClientBudget? budget = null)
    {
        var queue = outbox.Queue;
        while (await queue.WaitToReadAsync())
        {
            while (outbox.TryTake(out var message))
            {
                // A client that let the queue fill is closed now, not after everything queued for it.
                if (outbox.Overflowed) return true;
                if (!await HandleAsync(message, outbox, writer, session, idle, budget, over)) return outbox.Overflowed;
            }
        }
        return outbox.Overflowed;
    }

    /// <returns>false once the socket is closed (or its send given up): the loop ends there.</returns>
    private async Task<bool> HandleAsync(object message, ConnectionOutbox outbox, WebSocketWriter writer,
        ConnectionSession session, IdleWatch idle, ClientBudget? budget, CancellationToken over)
    {
        switch (message)
        {
            case SessionLocation location:
                session.Located(location);
                resume.WatchIfRemote(location, outbox, over);
                return true;
            case SessionLeavingNotice leaving:
                session.Left(leaving.Session);
                return true;
            case ResumeRefusedNotice refused:
                return resume.Refused(refused, session) is not { } error
                    || await HandleAsync(error, outbox, writer, session, idle, budget, over);
            case SessionMovedNotice:
                await writer.CloseAsync(CloseCodes.SessionResumed, "session-resumed");
                return false;
            case CloseRequest close:
                await writer.CloseAsync(close.Code, close.Reason);
                return false;
            case IClientMessage or ServerErrorNotice:
                idle.Sent(message);
                Count(message);
                if (message is BusyNotice) budget?.Busy(); // pair-code guessing hears busy (AddressLimits)
                if (!await writer.SendAsync(encoder.Encode(message, budget))) return false;
                // After the write: a resume waits for the socket's own `session` to have gone out first.
                if (message is SessionStarted started) session.Announce(started.Id);
                return true;
            default:
                return true;
        }
    }

    private void Count(object message)
    {
        switch (message)
        {
            case RelayedNotice r: metrics.Relayed(r.Kind, r.Payload.Length); break;
            case ServerErrorNotice e: metrics.Error(e.Code); break;
            case RefusedNotice refused: metrics.Error(ServerErrors.CodeOf(refused.Refusal)); break;
        }
    }
}
