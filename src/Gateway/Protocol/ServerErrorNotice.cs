namespace SocketPeer.Gateway.Protocol;

/// <summary>
/// <c>server.error {code, message}</c>, as written to the client. The gateway's own refusals (bad
/// input, rate limits) are made as this; a session's come typed (<see cref="Actors.Sessions.RefusedNotice"/>)
/// and <see cref="ServerErrors"/> words them. <see cref="Code"/> is one of <see cref="ServerErrorCodes"/>.
/// </summary>
public sealed record ServerErrorNotice(string Code, string Message);
