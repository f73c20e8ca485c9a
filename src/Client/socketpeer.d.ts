// Type declarations for the SocketPeer browser client (socketpeer.js).
//
// Classic script:  <script src="/socketpeer/socketpeer.js"></script> defines
//                  the global `SocketPeer` (declared below in `declare global`).
// ES module:       import SocketPeer from '/socketpeer/socketpeer.mjs'
//                  (named export `SocketPeer` too; types in socketpeer.d.mts).

/** Any value JSON can carry; what `send` accepts and `data` delivers. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** Which path carries messages: the DataChannel, or the server's WebSocket relay. */
export type SocketPeerPath = 'webrtc' | 'websocket';

/**
 * Where the client stands with the server:
 * - `idle`: not in a room (before `connect()`, after `leave()`, or after a
 *   `peer-timeout` server error: call `pair()` to wait again);
 * - `connecting`: the first socket is opening;
 * - `waiting`: in the room, no partner yet (again after `peer.left`);
 * - `connected`: paired (`connect` was emitted);
 * - `reconnecting`: the socket closed unasked; a new one is scheduled or opening;
 * - `busy`: the pair code already had two peers; the socket is closed, no reconnect;
 * - `closed`: closed by `close()`/`destroy()`, or closed with `reconnect: false`.
 */
export type SocketPeerState = 'idle' | 'connecting' | 'waiting' | 'connected' | 'reconnecting' | 'busy' | 'closed';

/** How a WebRTC path runs: peer to peer (`direct`), or through a TURN server (`turn`). */
export type SocketPeerRoute = 'direct' | 'turn';

/** An ICE candidate's type; `relay` is a TURN server's address. */
export type IceCandidateType = 'host' | 'srflx' | 'prflx' | 'relay';

/** What `getPathDetails()` reports: which path is live and, for WebRTC, its route from `getStats()`. */
export interface PathDetails {
  path: SocketPeerPath;
  /** `turn` when either end of the selected candidate pair is a `relay` candidate, else `direct`; null on the WebSocket relay or before a pair is selected. */
  route: SocketPeerRoute | null;
  /** The selected pair's local candidate type; null when `route` is. */
  local: IceCandidateType | null;
  /** The selected pair's remote candidate type; null when `route` is. */
  remote: IceCandidateType | null;
}

/**
 * What `send` did with a message. `queued`: kept, in order, until there is a path, or until the
 * relay's pace allows it (relayed data goes out at most 64 at once, then 40 per second, below the
 * server's rate limit, which would drop the excess).
 */
export type SendResult = 'webrtc' | 'websocket' | 'queued' | 'dropped';

/** The `code` of the errors the client raises itself. */
export type SocketPeerErrorCode =
  | 'busy' // the pair code has two peers already
  | 'timeout' // `timeout` ms passed without a partner
  | 'socket-error' // the WebSocket reported an error (connection failed or broke)
  | 'no-websocket' // no WebSocket in this environment
  | 'bad-url' // the WebSocket URL was rejected
  | 'queue-full' // send queue full: the message was dropped
  | 'destroyed' // send() after destroy(): the message was dropped
  | 'listener-error' // one of your listeners threw or rejected (`cause` holds it)
  | 'rtc-unavailable' // RTCPeerConnection could not be created
  | 'rtc-failed' // offer/answer or ICE failed
  | 'rtc-timeout' // the DataChannel did not open within `upgradeTimeout`
  | 'renegotiation-unsupported' // media was added or removed during a call, but the partner (an original or older client) cannot renegotiate: it does not hear of it
  | 'renegotiation-failed' // a renegotiation (media added or removed, an ICE restart) failed; the connection carries on as negotiated before
  | 'resume-incomplete' // resumed, but over 256 relayed messages were unacknowledged and some the server missed may be lost
  | 'join-token'; // the `joinToken` function threw or rejected (`cause` holds it); that `pair` was not sent

export interface SocketPeerError extends Error {
  code?: SocketPeerErrorCode;
  cause?: unknown;
}

/** Stable codes the server sends in `server.error`; others may be added. */
export type ServerErrorCode =
  | 'bad-message'
  | 'unknown-type'
  | 'binary-not-supported'
  | 'invalid-pair-code'
  | 'not-paired'
  | 'not-in-room'
  | 'rate-limited'
  | 'pair-limited'
  | 'join-token-required'
  | 'join-token-invalid'
  | 'join-token-expired'
  | 'join-token-code'
  | 'too-large'
  | 'peer-timeout'
  | 'resume-failed'
  | 'resume-superseded'
  | 'internal-error';

export interface ServerError {
  code: ServerErrorCode | (string & {});
  message: string;
}

/** Payload of `close`: one per WebSocket that closed. */
export interface CloseInfo {
  /**
   * WebSocket close code (1000 when the client closed it, 1006 for a timed-out attempt).
   * 4001 (`session-resumed`): another socket took this session over; no reconnect.
   */
  code: number;
  reason: string;
  wasClean: boolean;
  /** Whether a reconnect is scheduled (`reconnect` on and the close was not asked for). */
  willReconnect: boolean;
}

/** Payload of `session`: the first server message on every connection. */
export interface SessionInfo {
  id: string;
  /** ICE servers for RTCPeerConnection (STUN, TURN with a short-lived credential); absent from older servers. */
  iceServers?: RTCIceServer[];
  /** When the TURN credential in `iceServers` expires (unix seconds); only with a TURN entry. */
  iceServersExpireAt?: number;
  /** Resume token (servers that support resume). The client keeps the latest; it is not needed by pages. */
  token?: string;
  /** Seconds the server keeps a dropped session for a resume. */
  resumeGrace?: number;
  [extra: string]: unknown;
}

/** Payload of `resume`: a dropped socket's session was taken back on a new socket. */
export interface ResumeInfo {
  /** The highest `seq` of this client's relayed messages the server held; the client re-sent the ones after it. */
  seq: number;
  /** The pairing state taken back: `paired` (the usual case), `waiting`, or `idle` (the client then pairs again). */
  state: 'idle' | 'waiting' | 'paired';
  /** How many kept messages were re-sent. */
  resent: number;
}

/**
 * An `rtc.signal` payload: an SDP description or an ICE candidate. `renegotiate: true` (this
 * client's offers and answers) says the sender takes offers after the first connection.
 */
export type RtcSignal =
  | { type: 'offer' | 'answer'; sdp: string; rtcId?: string; renegotiate?: boolean }
  | { candidate: RTCIceCandidateInit | null; rtcId?: string };

export interface SocketPeerOptions {
  /** Code both peers share to meet. Default: a random 10-character code. */
  pairCode?: string;
  /** WebSocket endpoint; ws(s)://, http(s):// or page-relative. Default: `/socketpeer/` on the page's host. */
  url?: string;
  /** Relay messages through the server while the DataChannel is not open. Default true. When false, messages wait (queued) for the DataChannel. */
  socketFallback?: boolean;
  /** Reconnect after a close the client did not ask for; the initiator also retries a failed WebRTC upgrade. Default true. */
  reconnect?: boolean;
  /** First reconnect delay in ms; doubles per consecutive failure, capped at 30 s, jittered to 50–100 %. Default 1000. */
  reconnectDelay?: number;
  /** Delay in ms, jittered to 50–100 %, of the first reconnect after a socket that was up drops abruptly (close code 1006, or the server's 1012 "restarting"): the session waits on another node. Later attempts back off from `reconnectDelay`. Default 250. */
  firstReconnectDelay?: number;
  /** Ms from `connect()` until a partner is found (`connect`) before the attempt is abandoned (`connect_timeout`). 0 = none. Default 0. */
  timeout?: number;
  /** Call `connect()` on the next tick after construction. Default true. */
  autoconnect?: boolean;
  /** A server option in the original; accepted and ignored by the client. */
  serveLibrary?: boolean;
  /**
   * ICE servers for RTCPeerConnection. Default: the server's list from its `session` message
   * (STUN, and TURN with a short-lived credential the client refreshes before it expires;
   * `[]`, host candidates only, from a server without ICE configuration). A list given here,
   * even `[]`, replaces the server's.
   */
  iceServers?: RTCIceServer[];
  /** `relay` gathers TURN relay candidates only, so the DataChannel always goes through TURN. Default `all`. */
  iceTransportPolicy?: RTCIceTransportPolicy;
  /** Try the WebRTC upgrade at all. Default true; false = relay only. */
  webrtc?: boolean;
  /** Ms an upgrade attempt may take before it is abandoned (`upgrade_error`). 0 = none. Default 15000. */
  upgradeTimeout?: number;
  /** Messages kept while no path is available; beyond it, sends are dropped with an `error`. Default 256. */
  sendQueueSize?: number;
  /**
   * Resume the session after a dropped socket (server drop, 1012 service restart, network loss),
   * when the server supports it: same pairing, no second `connect`, the partner hears nothing,
   * and relayed messages sent either way meanwhile arrive exactly once, in order (`resume` event).
   * If the server cannot resume (`server.error` `resume-failed`), the client pairs again as
   * without resume. `close()`, `destroy()` and leaving the page send `leave` first, so the
   * partner hears `peer.left` at once. Default true; false = the original behaviour.
   */
  resume?: boolean;
  /** Log to `console.debug`. Default false. */
  debug?: boolean;
  /**
   * A join token for servers that require them (`JoinTokens:Required`; docs/protocol.md, "Join
   * tokens"): a JWT your backend signs for the pair code. Give a function: it is called with the
   * pair code before every `pair` (the first, one after `pair(newCode)`, one after a failed
   * resume), so each carries a fresh token. A string is sent as is with every `pair`. A function
   * that throws or rejects emits `error` with code `join-token`, and that `pair` is not sent.
   * A refused token is a `server.error` (`join-token-*`).
   */
  joinToken?: string | ((pairCode: string) => string | Promise<string>);
  /**
   * Media to send to the partner (a `MediaStream` from `getUserMedia`), as the original's `stream`:
   * its tracks go in the first WebRTC offer (or, on the answering side, in the answer, on the
   * transceivers the offer made for their kinds). Media travels over WebRTC only, never through
   * the server's relay. The partner's page gets `stream` (and `track`) events. Media of a kind the
   * first offer did not carry, and media added or removed later (`addStream`, `removeStream`,
   * `addTrack`, `removeTrack`), goes in a renegotiation, with a partner that can renegotiate.
   */
  stream?: MediaStream | null;
}

/** Every event and the arguments its listeners receive. */
export interface SocketPeerEvents {
  /** Paired with a partner (on the server's `peer.found`); messages can flow. */
  connect: [];
  /** Paired again: every `connect` after the first one. Not emitted for a resume (see `resume`). */
  reconnect: [];
  /**
   * A new socket took the dropped one's session back: still paired (no `connect`), with what the
   * server missed re-sent; the partner's messages sent meanwhile follow as `data` events.
   */
  resume: [info: ResumeInfo];
  /** A WebSocket is being opened (every attempt). */
  connect_attempt: [];
  /** A WebSocket is being opened and it is not the first attempt. */
  reconnect_attempt: [];
  /** A connection attempt failed (socket error, busy, timeout). Also emitted as `error`. */
  connect_error: [error: SocketPeerError];
  /** `connect_error` of an attempt that was not the first. */
  reconnect_error: [error: SocketPeerError];
  /** `timeout` elapsed without a partner; the socket is closed (and reconnects if `reconnect`). */
  connect_timeout: [error: SocketPeerError];
  /** A message from the partner, whichever path carried it (`via` tells which). */
  data: [data: any, via: SocketPeerPath];
  /** The DataChannel opened: messages now go peer-to-peer. */
  upgrade: [];
  /** A WebRTC upgrade attempt started (initiator: after `connect`; other side: on `rtc.connect`). */
  upgrade_attempt: [];
  /** An upgrade attempt failed. Also emitted as `error`. The initiator retries with back-off while paired. */
  upgrade_error: [error: SocketPeerError];
  /** An open DataChannel closed: messages go through the relay again. */
  downgrade: [];
  /** `path` changed. */
  path: [path: SocketPeerPath];
  /** `state` changed. */
  state: [state: SocketPeerState];
  /** The pair code already has two peers. The socket is closed and not reconnected; `error` and `connect_error` follow. */
  busy: [error: SocketPeerError];
  /** A WebSocket closed. */
  close: [info: CloseInfo];
  /** Any error. Without a listener it is logged with console.error (never thrown). */
  error: [error: SocketPeerError];
  /** The server's `session` message: `sessionId` is set. */
  session: [info: SessionInfo];
  /** The server's `peer.found`, emitted right after `connect` (and `reconnect`). */
  'peer.found': [info: { initiator: boolean }];
  /** The partner left or was lost; WebRTC is torn down, the client waits for a new partner on the same socket. */
  'peer.left': [];
  /**
   * The server refused a request; the connection lives on. Not emitted as `error`.
   * `resume-failed`: the session could not be taken back; the client pairs again on its own.
   * `resume-superseded`: the token was older than the session's latest but one (another tab or
   * socket holds the session); the client pairs again on its own, as for `resume-failed`.
   */
  'server.error': [error: ServerError];
  /** The partner's media stream arrived (once per stream, per WebRTC connection), as the original's `stream` event. */
  stream: [stream: MediaStream];
  /**
   * WebRTC has not connected for this pairing (`reason`: `webrtc-disabled`, `rtc-unavailable`,
   * `rtc-failed`, `rtc-timeout`, `no-offer` when the partner never offered within
   * `upgradeTimeout`, or `ice-failed` when an ICE restart could not bring an open connection back),
   * so messages go through the server's relay, which never carries media: audio and video cannot
   * flow for now. Once per pairing, and once more after each `upgrade`; a later `upgrade` brings
   * media back.
   */
  'media.unavailable': [info: { reason: string }];
  /** One of the partner's media tracks arrived, with the stream it belongs to (also for tracks added during a call). */
  track: [track: MediaStreamTrack, stream: MediaStream];
  /** The partner stopped sending one of its tracks (`removeTrack`/`removeStream`): it left `stream`. */
  'track.removed': [track: MediaStreamTrack, stream: MediaStream];
  /**
   * The open WebRTC connection lost its path (ICE `failed`, or `disconnected` for over 3 s: a
   * network change) and ICE is restarted over the existing signalling. Meanwhile `path` is
   * `websocket` and messages are relayed; media pauses. Followed by `ice.restarted`, or, when ICE
   * does not come back within `upgradeTimeout` (15 s when 0), by `downgrade` and
   * `media.unavailable` (`ice-failed`). Only with a partner that can renegotiate; with another, a
   * lost path closes the connection at once (`downgrade`) as before.
   */
  'ice.restart': [info: { reason: 'failed' | 'disconnected' }];
  /** The ICE restart brought the connection back: the same DataChannel and media carry on; `path` is `webrtc` again. */
  'ice.restarted': [];
  /** A signal relayed from the partner (diagnostics). */
  'rtc.signal': [signal: RtcSignal];
  /** The partner is about to offer (diagnostics). */
  'rtc.connect': [];
}

export type SocketPeerEventName = keyof SocketPeerEvents;

export type SocketPeerListener<E extends SocketPeerEventName> = (
  this: SocketPeer,
  ...args: SocketPeerEvents[E]
) => unknown;

export declare class SocketPeer {
  constructor(options?: SocketPeerOptions);

  static readonly version: string;
  /** A random code from an unambiguous lowercase alphabet (no i, l, o, 0, 1). */
  static randomPairCode(length?: number): string;
  static readonly SocketPeer: typeof SocketPeer;

  // Options, writable as in the original (take effect on the next use).
  pairCode: string;
  url: string;
  socketFallback: boolean;
  reconnect: boolean;
  reconnectDelay: number;
  firstReconnectDelay: number;
  timeout: number;
  autoconnect: boolean;
  serveLibrary: boolean;
  /** The ICE servers in use: the page's `iceServers` option, else the server's list. Assigning null/undefined goes back to the server's list. */
  get iceServers(): RTCIceServer[];
  set iceServers(list: RTCIceServer[] | null | undefined);
  iceTransportPolicy: RTCIceTransportPolicy;
  webrtc: boolean;
  upgradeTimeout: number;
  sendQueueSize: number;
  resume: boolean;
  debug: boolean;

  /** `"webrtc"` while the DataChannel is open, else `"websocket"`. */
  readonly path: SocketPeerPath;
  /** When the server's TURN credential expires (unix seconds); null without one or with the page's own `iceServers`. */
  readonly iceServersExpireAt: number | null;
  /** Id from the server's `session` message on the current/last connection, or null. */
  readonly sessionId: string | null;
  readonly state: SocketPeerState;
  /** Whether this side offers in the current pairing; null when unpaired. */
  readonly initiator: boolean | null;
  /** Diagnostics: the live RTCPeerConnection, or null. */
  readonly rtc: RTCPeerConnection | null;
  /** Diagnostics: the live RTCDataChannel, or null. */
  readonly channel: RTCDataChannel | null;
  /** Diagnostics: the live WebSocket, or null. */
  readonly socket: WebSocket | null;
  /** The media this peer sends (the `stream` option). */
  stream: MediaStream | null;
  /** True while paired (the original's name). */
  readonly socketConnected: boolean;
  /** True while the DataChannel is open (the original's name). */
  readonly rtcConnected: boolean;
  /** Messages waiting in the send queue. */
  readonly queuedMessages: number;
  /** True while a dropped socket would be resumed (the server accepted the opt-in and gave a token). */
  readonly resumable: boolean;
  /** Highest `seq` received from the partner in this pairing (0: none, or no resume). */
  readonly lastReceivedSeq: number;
  /** `seq` of the last message relayed to the partner in this pairing. */
  readonly lastSentSeq: number;
  /** Relayed messages the partner has not acknowledged yet (kept, at most 256, to re-send after a resume). */
  readonly unacknowledgedMessages: number;
  readonly destroyed: boolean;

  /** Opens the WebSocket and pairs as soon as it opens. No-op when a socket is open or opening. */
  connect(): this;
  /** Joins the room of `pairCode` (default: the current one); connects first if needed. */
  pair(pairCode?: string): this;
  /** Leaves the room and keeps the socket (state `idle`). */
  leave(): this;
  /**
   * Sends a JSON value to the partner on the live path, or queues it (in
   * order) until there is one. Throws TypeError for a value JSON cannot represent.
   */
  send(data: JsonValue | unknown): SendResult;
  /** Which path is live and, for WebRTC, whether it runs direct or through TURN (from `getStats()`). */
  getPathDetails(): Promise<PathDetails>;
  /**
   * Sends every track of `stream` to the partner, at any time: before the call they go in the first
   * offer (as the `stream` option's); during it, in a renegotiation over `rtc.signal` (either side
   * may start one; the DataChannel and the path stay as they are). A partner that cannot renegotiate
   * (the original client) does not get media added during a call: `error` `renegotiation-unsupported`.
   */
  addStream(stream: MediaStream): this;
  /** Stops sending every track of `stream` (the `stream` option's too); the partner hears `track.removed`. */
  removeStream(stream: MediaStream): this;
  /** Sends one track as part of `stream` (default: a stream of its own), at any time (see `addStream`). */
  addTrack(track: MediaStreamTrack, stream?: MediaStream): this;
  /** Stops sending `track`; the partner hears `track.removed`. */
  removeTrack(track: MediaStreamTrack): this;
  /** Leaves the room (so the partner hears `peer.left` at once), closes WebRTC and the socket without reconnecting; `connect()` starts again with a fresh session. */
  close(): this;
  /** `close()` for good: no more events, queue dropped. */
  destroy(): this;

  on<E extends SocketPeerEventName>(event: E, listener: SocketPeerListener<E>): this;
  addListener<E extends SocketPeerEventName>(event: E, listener: SocketPeerListener<E>): this;
  once<E extends SocketPeerEventName>(event: E, listener: SocketPeerListener<E>): this;
  /** off(event, listener) removes one listener; off(event) all of that event; off() all. */
  off<E extends SocketPeerEventName>(event?: E, listener?: SocketPeerListener<E>): this;
  removeListener<E extends SocketPeerEventName>(event: E, listener?: SocketPeerListener<E>): this;
  removeAllListeners(event?: SocketPeerEventName): this;
  listenerCount(event: SocketPeerEventName): number;
  emit<E extends SocketPeerEventName>(event: E, ...args: SocketPeerEvents[E]): boolean;
  emit(event: string, ...args: unknown[]): boolean;
}

export default SocketPeer;

type SocketPeerClass = typeof SocketPeer;
type SocketPeerInstance = SocketPeer;

declare global {
  /** Defined by `<script src="/socketpeer/socketpeer.js">`. */
  var SocketPeer: SocketPeerClass;
  type SocketPeer = SocketPeerInstance;
}
