using System.Diagnostics;
using Akka.Actor;

namespace SocketPeer.Gateway.Connections;

/// <summary>
/// A sampled socket's <c>socketpeer.connection</c> span (<see cref="Span"/>, ended at once) and the
/// node that recorded it: what its <c>pair</c> and resume spans hang under or link to
/// (docs/operations.md, "Tracing"). A socket nothing samples has none, so an untraced socket holds
/// one null reference for it.
/// </summary>
public sealed record SocketTrace(ActivityContext Span, ActorSystem Node);
