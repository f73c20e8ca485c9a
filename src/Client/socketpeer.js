/*
 * SocketPeer browser client: a 1:1 channel between two browsers that share a
 * pair code. Messages travel over an RTCDataChannel when WebRTC connects and
 * are relayed by the server over the WebSocket otherwise; the caller never has
 * to care which path is live.
 *
 * No build step and no dependency: native WebSocket, RTCPeerConnection and
 * RTCDataChannel. Types: socketpeer.d.ts beside this file.
 *
 * Loading. This one file works in both worlds:
 *   - classic script: <script src="/socketpeer/socketpeer.js"></script>
 *     defines the global `SocketPeer`;
 *   - ES module: import SocketPeer from '/socketpeer/socketpeer.mjs';
 *     socketpeer.mjs imports this file for its side effect and re-exports the
 *     global. The code below is therefore written to be valid both as a
 *     classic script and as module code (strict mode, no top-level bindings,
 *     `globalThis` rather than `this`/`window`), and it installs itself only
 *     once, so loading it both ways on one page yields one and the same class.
 *   - CommonJS (bundlers, Node tests): `module.exports` is set when present.
 *
 * Behaviour in brief (events and payloads are listed in socketpeer.d.ts):
 *   - `connect` means "paired" (the server's `peer.found`), never just "socket
 *     open". The peer told `initiator: true` sends `rtc.connect` and offers;
 *     the other one prepares on `rtc.connect` and answers.
 *   - `send` uses the DataChannel when it is open, the server relay otherwise
 *     (if `socketFallback`), and queues (bounded, in order) when neither is
 *     available. Both paths carry JSON text, so both deliver the same value.
 *   - A close the client did not ask for reconnects with exponential back-off
 *     and jitter. `busy` closes the socket for good (no reconnect loop on a
 *     taken code); `timeout` bounds the wait for a partner, as in the original.
 *   - ICE servers come from the server's `session` message (STUN, and TURN
 *     with a short-lived credential, refreshed from `GET /socketpeer/ice`
 *     before it expires) unless the page passes its own `iceServers`;
 *     `iceTransportPolicy: 'relay'` forces the DataChannel through TURN.
 *     `getPathDetails()` tells from getStats() whether WebRTC runs direct or
 *     through a TURN relay.
 *   - Resume (option `resume`, default on; docs/protocol.md "Resume"): the
 *     client opts its session in, numbers what it relays, acknowledges what
 *     it receives, and after a dropped socket takes the same session back on
 *     the new one (`resume` event, no second `connect`); the partner notices
 *     nothing and what it sent meanwhile arrives exactly once, in order.
 *     When the server cannot resume, it pairs again as the original did.
 *     Relayed data is paced below the server's rate limit (RELAY_BURST), so
 *     neither a re-send nor a page's burst is dropped by the server.
 *   - Media (the `stream` option, addStream/removeStream/addTrack/removeTrack
 *     at any time) goes over WebRTC only. After the first connection, changes
 *     are renegotiated over `rtc.signal` the W3C "perfect negotiation" way
 *     (the initiator is impolite), with partners that said they can
 *     (`renegotiate: true`; not the original). An open connection that loses
 *     its path restarts ICE once (`ice.restart`) before falling back to the
 *     relay (docs/protocol.md "WebRTC signalling and media").
 *   - Server extensions are emitted under their wire names: `session`,
 *     `peer.left`, `server.error`. The client never emits a server message as
 *     `error`, and never throws from an event: failing listeners are reported.
 */
(function installSocketPeer(root) {
  'use strict';

  const BRAND = Symbol.for('socketpeer.client');
  const existing = root.SocketPeer;
  if (typeof existing === 'function' && existing[BRAND]) {
    if (typeof module === 'object' && module && module.exports) module.exports = existing;
    return;
  }

  const VERSION = '2.0.0';
  const MAX_BACKOFF_MS = 30000;
  // A socket that stayed open this long counts as a success: the next
  // reconnect starts again from `reconnectDelay`.
  const STABLE_CONNECTION_MS = 10000;
  const WS_OPEN = 1;
  const WS_CONNECTING = 0;
  const PAIR_CODE_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';

  // Resume (docs/protocol.md "Resume").
  // Own relayed messages kept until the partner acknowledges them: the same
  // bound as the server's `Resume:BufferMessages`, since a partner that is
  // further behind than that cannot resume anyway. Past it the oldest copy is
  // dropped (the newest are the likeliest to be lost in flight); a resume that
  // would need a dropped copy reports `resume-incomplete` (see #keepForResend).
  const RESEND_BUFFER = 256;
  // Acknowledge after this many unacknowledged messages, or after
  // ACK_DELAY_MS, whichever comes first; the server asks for "every 32
  // messages or every second", and half a second leaves room for the trip.
  const ACK_EVERY = 32;
  const ACK_DELAY_MS = 500;
  // The session this socket served was resumed on another socket: whoever
  // holds it now is the live client, so this one must not reconnect.
  const CLOSE_SESSION_RESUMED = 4001;
  // Relayed `data` is paced below the server's default rate limit
  // (`MessagesPerSecond` 50, `MessageBurst` 100), leaving room for signals
  // and acks. Over the limit the server drops messages, and a numbered
  // message after a dropped one would be taken as the next: the gap would go
  // unnoticed. The re-sends after a resume (up to 256) and a send queue
  // flushed at once would otherwise be such bursts. Over the budget, data
  // waits in the send queue (in order) and goes out as it refills.
  const RELAY_BURST = 64;
  const RELAY_PER_SECOND = 40;

  // ICE restart (an open connection whose network changed). `disconnected` is often a blip that
  // heals by itself within a few seconds; past this grace the path is taken as broken.
  const ICE_DISCONNECTED_GRACE_MS = 3000;
  // How long a restart may take before the client gives up on it and falls back to the relay,
  // when `upgradeTimeout` is 0 (no bound of the page's).
  const ICE_RESTART_TIMEOUT_MS = 15000;

  /* ------------------------------------------------------------------ */
  /* Event emitter                                                       */
  /* ------------------------------------------------------------------ */

  /**
   * A small event emitter. A listener that throws (or returns a promise that
   * rejects) never breaks the emitter or the library: its failure is reported
   * as an `error` event, and a failing `error` listener is reported on the
   * console, so reporting never recurses.
   */
  class Emitter {
    #listeners = new Map();

    on(event, listener) {
      if (typeof listener !== 'function') throw new TypeError('listener must be a function');
      let list = this.#listeners.get(event);
      if (!list) this.#listeners.set(event, (list = []));
      list.push({ listener, once: false });
      return this;
    }

    addListener(event, listener) {
      return this.on(event, listener);
    }

    once(event, listener) {
      this.on(event, listener);
      const list = this.#listeners.get(event);
      list[list.length - 1].once = true;
      return this;
    }

    /** off(event, listener) removes one; off(event) all of an event; off() all. */
    off(event, listener) {
      if (event === undefined) {
        this.#listeners.clear();
        return this;
      }
      const list = this.#listeners.get(event);
      if (!list) return this;
      if (listener === undefined) {
        this.#listeners.delete(event);
        return this;
      }
      const index = list.findIndex((entry) => entry.listener === listener);
      if (index >= 0) list.splice(index, 1);
      if (list.length === 0) this.#listeners.delete(event);
      return this;
    }

    removeListener(event, listener) {
      return this.off(event, listener);
    }

    removeAllListeners(event) {
      return this.off(event);
    }

    listenerCount(event) {
      const list = this.#listeners.get(event);
      return list ? list.length : 0;
    }

    /** Calls every listener of `event`; returns whether there was one. */
    emit(event, ...args) {
      const list = this.#listeners.get(event);
      if (!list || list.length === 0) {
        if (event === 'error') reportToConsole('unhandled "error" event', args[0]);
        return false;
      }
      for (const entry of list.slice()) {
        if (entry.once) {
          const index = list.indexOf(entry);
          if (index >= 0) list.splice(index, 1);
          if (list.length === 0 && this.#listeners.get(event) === list) this.#listeners.delete(event);
        }
        let result;
        try {
          result = entry.listener.apply(this, args);
        } catch (err) {
          this.#listenerFailed(event, err);
          continue;
        }
        if (result && typeof result.then === 'function') {
          Promise.resolve(result).catch((err) => this.#listenerFailed(event, err));
        }
      }
      return true;
    }

    #listenerFailed(event, err) {
      if (event === 'error' || this.listenerCount('error') === 0) {
        reportToConsole(`a listener of "${String(event)}" failed`, err);
        return;
      }
      const wrapped = new Error(`A listener of "${String(event)}" threw: ${describe(err)}`);
      wrapped.cause = err;
      wrapped.code = 'listener-error';
      this.emit('error', wrapped);
    }
  }

  function reportToConsole(what, err) {
    if (typeof console !== 'undefined' && console.error) console.error(`[SocketPeer] ${what}:`, err);
  }

  function describe(err) {
    return err && err.message ? err.message : String(err);
  }

  function makeError(message, code, cause) {
    const err = new Error(message);
    if (code) err.code = code;
    if (cause !== undefined) err.cause = cause;
    return err;
  }

  function randomPairCode(length = 10) {
    const n = Math.max(1, Math.min(64, Math.floor(length) || 10));
    const bytes = new Uint8Array(n);
    if (root.crypto && typeof root.crypto.getRandomValues === 'function') {
      root.crypto.getRandomValues(bytes);
    } else {
      for (let i = 0; i < n; i++) bytes[i] = Math.floor(Math.random() * 256);
    }
    let code = '';
    for (const b of bytes) code += PAIR_CODE_ALPHABET[b % PAIR_CODE_ALPHABET.length];
    return code;
  }

  function randomId() {
    return randomPairCode(12);
  }

  /** The default endpoint: `/socketpeer/` on the page's own host. */
  function defaultUrl() {
    const loc = root.location;
    if (loc && loc.host) return `${loc.protocol === 'https:' ? 'wss' : 'ws'}://${loc.host}/socketpeer/`;
    return 'ws://localhost/socketpeer/';
  }

  /** Accepts ws(s)://, http(s):// (as the original did) and page-relative URLs. */
  function toWebSocketUrl(url) {
    const base = root.location && root.location.href ? root.location.href : undefined;
    const parsed = new URL(String(url), base);
    if (parsed.protocol === 'http:') parsed.protocol = 'ws:';
    else if (parsed.protocol === 'https:') parsed.protocol = 'wss:';
    return parsed.href;
  }

  function isPlainObject(value) {
    return value !== null && typeof value === 'object' && !Array.isArray(value);
  }

  /**
   * The `iceServers` of a `session` message (or of `GET /socketpeer/ice`) as
   * an RTCConfiguration.iceServers list: entries without a usable `urls` are
   * dropped, so one odd entry cannot make RTCPeerConnection throw.
   */
  function readIceServers(list) {
    if (!Array.isArray(list)) return [];
    const servers = [];
    for (const entry of list) {
      if (!isPlainObject(entry)) continue;
      const urls = (Array.isArray(entry.urls) ? entry.urls : [entry.urls]).filter((url) => typeof url === 'string' && url);
      if (urls.length === 0) continue;
      const server = { urls };
      if (typeof entry.username === 'string') server.username = entry.username;
      if (typeof entry.credential === 'string') server.credential = entry.credential;
      servers.push(server);
    }
    return servers;
  }

  /** `GET …/ice` beside the WebSocket endpoint: ws://host/socketpeer/ → http://host/socketpeer/ice. */
  function iceEndpointUrl(socketUrl) {
    const url = new URL(toWebSocketUrl(socketUrl));
    url.protocol = url.protocol === 'wss:' ? 'https:' : 'http:';
    url.pathname = `${url.pathname.replace(/\/+$/, '')}/ice`;
    url.search = '';
    url.hash = '';
    return url.href;
  }

  /**
   * The candidate pair ICE selected, from an RTCStatsReport: the transport's
   * `selectedCandidatePairId`, else a nominated (or, in Firefox, `selected`)
   * pair that succeeded. Null when there is none (yet).
   */
  function selectedCandidatePair(stats) {
    let fromTransport = null;
    let fallback = null;
    stats.forEach((report) => {
      if (report.type === 'transport' && report.selectedCandidatePairId && !fromTransport) {
        fromTransport = stats.get(report.selectedCandidatePairId) || null;
      } else if (report.type === 'candidate-pair' && report.state === 'succeeded' && (report.nominated || report.selected)) {
        if (!fallback || report.selected) fallback = report;
      }
    });
    return fromTransport || fallback;
  }

  /* ------------------------------------------------------------------ */
  /* SocketPeer                                                          */
  /* ------------------------------------------------------------------ */

  class SocketPeer extends Emitter {
    // Connection to the server.
    #ws = null;
    #sessionId = null;
    #state = 'idle';
    #paired = false;
    #initiator = null;
    #everConnected = false;
    #attemptsMade = 0; // socket attempts ever made (to tell a reconnect attempt)
    #failures = 0; // consecutive failed connections since the last success
    #openedAt = 0;
    #pairedOnThisSocket = false;
    #closeRequested = false;
    #busy = false;
    #destroyed = false;
    #pairGeneration = 0; // bumped by every change of partner
    #mediaToldGeneration = -1; // the pairing whose `media.unavailable` was emitted
    #connectTimer = null;
    #reconnectTimer = null;

    // WebRTC upgrade.
    #pc = null;
    #dc = null;
    #rtcId = null;
    #rtcOpen = false;
    #pendingCandidates = [];
    /** Ids of the partner's media streams announced (`stream`) on the current peer connection. */
    #remoteStreams = new Set();
    // Media added with addTrack/addStream ([{ track, stream }]), beside the `stream` option, and
    // tracks of the `stream` option the page withdrew with removeTrack.
    #addedMedia = [];
    #withdrawn = new Set();
    // Renegotiation (perfect negotiation: the initiator is impolite, its partner polite). Only with a
    // partner whose first offer or answer said it can (`renegotiate: true`): the original client
    // and older releases of this one take no offer after the first connection.
    #partnerRenegotiates = false;
    #makingOffer = false;
    #settingRemoteAnswer = false;
    // ICE restart of a connection that was open (see ICE_DISCONNECTED_GRACE_MS).
    #iceRestarting = false;
    #iceGraceTimer = null;
    #iceRestartTimer = null;
    #rtcAttempts = 0;
    #upgradeTimer = null;
    #rtcRetryTimer = null;
    #path = 'websocket';

    // ICE servers: the page's own list (option `iceServers`) wins over the
    // server's (from `session`, refreshed before its TURN credential expires).
    #ownIceServers = null;
    #serverIceServers = [];
    #iceServersExpireAt = null; // unix seconds, server list only
    #iceRefreshTimer = null;

    // Messages waiting for a path.
    #queue = [];

    // Resume. A session is opted in on every socket (when `resume` is on);
    // the token and the sequence state below outlive a dropped socket so the
    // next one can take the session back.
    #resumeActive = false; // the session is opted in: relayed messages are numbered and acknowledged
    #resumeToken = null; // latest token (`session`, `session.token`); null: nothing to resume
    #optInSent = false; // `session {resume:true}` went out on this socket
    #resumePending = false; // `resume` went out on this socket; waiting for `resumed` or `resume-failed`
    #resumeHeld = null; // what the dropped socket's session held: 'paired' | 'waiting'; null: resume nothing
    #stashedSessions = []; // `session` messages that arrive while a resume is pending
    #recvSeq = 0; // highest seq received from the partner in this pairing
    #sendSeq = 0; // seq of the last message relayed to the partner in this pairing
    #unacked = []; // [{ seq, frame }] relayed and not yet acknowledged by the partner, oldest first
    #droppedSeq = 0; // highest seq whose copy #unacked had no room for
    #ackedSeq = 0; // highest seq acknowledged to the server
    #ackTimer = null;
    #pageHideListener = null;
    #resendBacklog = []; // frames to re-send after a resume, waiting for relay budget
    #relayBudget = RELAY_BURST; // token bucket for relayed data (see RELAY_BURST)
    #relayBudgetAt = 0;
    #drainTimer = null;

    #connections = {
      socket: { success: 0, error: 0, attempt: 0 },
      rtc: { success: 0, error: 0, attempt: 0 },
    };

    constructor(options = {}) {
      super();
      const opts = isPlainObject(options) ? options : {};
      const pick = (name, fallback) => (opts[name] === undefined || opts[name] === null ? fallback : opts[name]);

      this.pairCode = String(pick('pairCode', randomPairCode()));
      this.url = pick('url', defaultUrl());
      this.socketFallback = pick('socketFallback', true) !== false;
      this.reconnect = pick('reconnect', true) !== false;
      this.reconnectDelay = Math.max(0, Number(pick('reconnectDelay', 1000)) || 0);
      this.firstReconnectDelay = Math.max(0, Number(pick('firstReconnectDelay', 250)) || 0);
      this.timeout = Math.max(0, Number(pick('timeout', 0)) || 0);
      this.autoconnect = pick('autoconnect', true) !== false;
      this.serveLibrary = pick('serveLibrary', true) !== false; // a server option; kept for compatibility
      this.iceServers = opts.iceServers; // an array overrides the server's list; absent: the server's
      this.iceTransportPolicy = pick('iceTransportPolicy', 'all') === 'relay' ? 'relay' : 'all';
      this.webrtc = pick('webrtc', true) !== false;
      this.upgradeTimeout = Math.max(0, Number(pick('upgradeTimeout', 15000)) || 0);
      this.sendQueueSize = Math.max(0, Math.floor(Number(pick('sendQueueSize', 256)) || 0));
      this.resume = pick('resume', true) !== false;
      this.debug = pick('debug', false) === true;
      // A string, or a function of the pair code returning a token (or a promise of one).
      this.joinToken = pick('joinToken', undefined);
      // A MediaStream (getUserMedia) whose tracks go to the partner over WebRTC, as the original's `stream`.
      this.stream = pick('stream', null);

      this.#log('new peer');
      if (this.autoconnect) setTimeout(() => this.connect(), 0);
    }

    /* ---------------- read-only state (also for diagnostics) ---------------- */

    /** `"webrtc"` while the DataChannel is open, else `"websocket"`. */
    get path() {
      return this.#path;
    }

    /**
     * The ICE servers RTCPeerConnection gets: the page's `iceServers` option
     * when it gave one, else the list of the server's `session` message
     * (`[]` until then, and from servers that send none). Assigning an array
     * overrides the server's list; assigning null or undefined goes back to it.
     */
    get iceServers() {
      return this.#ownIceServers || this.#serverIceServers;
    }

    set iceServers(list) {
      this.#ownIceServers = Array.isArray(list) ? list.slice() : null;
    }

    /** When the server's TURN credential expires (unix seconds); null with no credential or the page's own list. */
    get iceServersExpireAt() {
      return this.#ownIceServers ? null : this.#iceServersExpireAt;
    }

    /**
     * What carries messages right now, from the RTCPeerConnection's stats:
     * `{ path, route, local, remote }`. `path` is "webrtc" or "websocket";
     * for WebRTC, `route` is "turn" when either end of the selected ICE
     * candidate pair is a TURN relay candidate, else "direct", and
     * `local`/`remote` are the pair's candidate types ("host", "srflx",
     * "prflx", "relay"). Route and types are null on the WebSocket relay or
     * when no pair is selected (yet).
     */
    async getPathDetails() {
      const pc = this.#pc;
      const details = { path: this.#path, route: null, local: null, remote: null };
      if (!pc || !this.#rtcOpen || typeof pc.getStats !== 'function') return details;
      let stats;
      try {
        stats = await pc.getStats();
      } catch (err) {
        this.#log('getStats failed', err);
        return { ...details, path: this.#path };
      }
      // The channel may have closed while the stats were gathered.
      if (pc !== this.#pc || !this.#rtcOpen) return { ...details, path: this.#path };
      const pair = selectedCandidatePair(stats);
      if (!pair) return details;
      const local = stats.get(pair.localCandidateId);
      const remote = stats.get(pair.remoteCandidateId);
      details.local = (local && local.candidateType) || null;
      details.remote = (remote && remote.candidateType) || null;
      if (details.local || details.remote) {
        details.route = details.local === 'relay' || details.remote === 'relay' ? 'turn' : 'direct';
      }
      return details;
    }

    /** Id of the current server session (from the `session` message), or null. */
    get sessionId() {
      return this.#sessionId;
    }

    get state() {
      return this.#state;
    }

    /** Whether this peer made the WebRTC offer in the current pairing (null when unpaired). */
    get initiator() {
      return this.#initiator;
    }

    /** The live RTCPeerConnection, or null. For diagnostics. */
    get rtc() {
      return this.#pc;
    }

    /** The live RTCDataChannel, or null. For diagnostics. */
    get channel() {
      return this.#dc;
    }

    /** The live WebSocket, or null. For diagnostics. */
    get socket() {
      return this.#ws;
    }

    /** The original's name: true while paired with a partner through the server. */
    get socketConnected() {
      return this.#paired;
    }

    /** The original's name: true while the DataChannel is open. */
    get rtcConnected() {
      return this.#rtcOpen;
    }

    get queuedMessages() {
      return this.#queue.length;
    }

    /**
     * True while a dropped socket would be resumed: the server took the
     * opt-in (its `session` carried a token) and the client holds a token.
     */
    get resumable() {
      return this.resume && this.#resumeActive && this.#resumeToken !== null;
    }

    /** Highest `seq` received from the partner in this pairing (0: none, or resume off). */
    get lastReceivedSeq() {
      return this.#recvSeq;
    }

    /** `seq` of the last message this client relayed to its partner in this pairing. */
    get lastSentSeq() {
      return this.#sendSeq;
    }

    /** Relayed messages the partner has not acknowledged yet (kept to be re-sent after a resume). */
    get unacknowledgedMessages() {
      return this.#unacked.length;
    }

    get destroyed() {
      return this.#destroyed;
    }

    /** Attempt counters, as the original kept them. */
    get _connections() {
      return this.#connections;
    }

    /* ---------------- public methods ---------------- */

    /** Opens the WebSocket (done automatically unless `autoconnect: false`). */
    connect() {
      if (this.#destroyed) {
        this.#log('connect() after destroy() ignored');
        return this;
      }
      if (this.#ws && (this.#ws.readyState === WS_OPEN || this.#ws.readyState === WS_CONNECTING)) {
        this.#log('already connected');
        return this;
      }
      clearTimeout(this.#reconnectTimer);
      this.#reconnectTimer = null;
      this.#closeRequested = false;
      this.#busy = false;
      this.#watchPageHide();

      const isRetry = this.#attemptsMade > 0;
      this.#attemptsMade++;
      this.#connections.socket.attempt++;

      if (typeof root.WebSocket !== 'function') {
        this.#setState('closed');
        this.#socketError(makeError('WebSocket is not supported by this environment', 'no-websocket'));
        return this;
      }

      let ws;
      try {
        ws = new root.WebSocket(toWebSocketUrl(this.url));
      } catch (err) {
        // A malformed URL: retrying would fail the same way.
        this.#setState('closed');
        this.#socketError(makeError(`Cannot open WebSocket to "${this.url}": ${describe(err)}`, 'bad-url', err));
        return this;
      }
      this.#ws = ws;
      this.#openedAt = 0;
      this.#pairedOnThisSocket = false;
      ws.addEventListener('open', () => ws === this.#ws && this.#onOpen());
      ws.addEventListener('message', (event) => ws === this.#ws && this.#onMessage(event));
      ws.addEventListener('error', () => ws === this.#ws && this.#socketError(makeError('WebSocket error', 'socket-error')));
      ws.addEventListener('close', (event) => {
        if (ws !== this.#ws) return;
        this.#onSocketClosed({ code: event.code, reason: event.reason, wasClean: event.wasClean });
      });

      if (this.timeout > 0) {
        clearTimeout(this.#connectTimer);
        this.#connectTimer = setTimeout(() => this.#onConnectTimeout(ws), this.timeout);
      }

      this.#setState(this.#state === 'reconnecting' ? 'reconnecting' : 'connecting');
      this.#log('connecting to', ws.url);
      this.emit('connect_attempt');
      if (isRetry) this.emit('reconnect_attempt');
      return this;
    }

    /** Joins the room of `pairCode` (or of the current code); connects first if needed. */
    pair(pairCode) {
      if (pairCode !== undefined && pairCode !== null) this.pairCode = String(pairCode);
      if (this.#destroyed) return this;
      if (!this.#ws || this.#ws.readyState !== WS_OPEN) {
        // An open socket pairs with the current code as soon as it opens.
        if (!this.#ws || this.#ws.readyState !== WS_CONNECTING) this.connect();
        return this;
      }
      if (this.#paired) this.#partnerGone();
      this.#busy = false;
      this.#sendPair();
      this.#setState('waiting');
      return this;
    }

    /** Leaves the room but keeps the socket (a SocketPeer extension). */
    leave() {
      clearTimeout(this.#connectTimer);
      this.#connectTimer = null;
      if (this.#paired) this.#partnerGone();
      else this.#teardownRtc();
      this.#wire('leave');
      if (this.#ws && !this.#destroyed) this.#setState('idle');
      return this;
    }

    /**
     * Sends any JSON value to the partner. Returns the path it took:
     * `"webrtc"`, `"websocket"`, `"queued"` (no path yet, or the relay is at
     * its pace, see RELAY_BURST: kept, in order, until it can go) or
     * `"dropped"` (queue full or destroyed; an `error` event says why).
     * Throws a TypeError for a value JSON cannot represent.
     */
    send(data) {
      let text;
      try {
        text = JSON.stringify(data === undefined ? null : data);
      } catch (err) {
        throw new TypeError(`SocketPeer.send: data must be JSON-serialisable (${describe(err)})`);
      }
      if (text === undefined) throw new TypeError('SocketPeer.send: data must be JSON-serialisable');
      if (this.#destroyed) {
        this.emit('error', makeError('Cannot send: this SocketPeer was destroyed', 'destroyed'));
        return 'dropped';
      }
      if (this.#queue.length > 0) this.#flushQueue();
      if (this.#queue.length === 0) {
        const sentOn = this.#transmit(text);
        if (sentOn) return sentOn;
      }
      if (this.#queue.length >= this.sendQueueSize) {
        this.emit(
          'error',
          makeError(
            `Send queue full (${this.sendQueueSize} messages waiting for a partner): message dropped`,
            'queue-full',
          ),
        );
        return 'dropped';
      }
      this.#queue.push(text);
      return 'queued';
    }

    /**
     * Sends every track of `stream` to the partner, at any time: before pairing (they go in the
     * first offer, as the `stream` option's do) or during a call (a renegotiation over `rtc.signal`).
     */
    addStream(stream) {
      if (!stream || typeof stream.getTracks !== 'function') throw new TypeError('SocketPeer.addStream: a MediaStream is required');
      for (const track of stream.getTracks()) this.addTrack(track, stream);
      return this;
    }

    /** Stops sending every track of `stream` (the `stream` option's too); the partner's page hears `track.removed`. */
    removeStream(stream) {
      if (!stream || typeof stream.getTracks !== 'function') throw new TypeError('SocketPeer.removeStream: a MediaStream is required');
      for (const track of stream.getTracks()) this.removeTrack(track);
      this.#addedMedia = this.#addedMedia.filter((entry) => entry.stream !== stream);
      if (this.stream === stream) this.stream = null;
      return this;
    }

    /** Sends `track`, as part of `stream` (the partner's `track` event names it), at any time. */
    addTrack(track, stream) {
      if (!track || typeof track.kind !== 'string') throw new TypeError('SocketPeer.addTrack: a MediaStreamTrack is required');
      this.#withdrawn.delete(track);
      if (!this.#localMedia().some((entry) => entry.track === track)) {
        this.#addedMedia.push({ track, stream: stream || new root.MediaStream([track]) });
      }
      const pc = this.#pc;
      // The answering side adds its media once the offer is in (#acceptOffer), on the offer's transceivers.
      if (pc && (this.#initiator || pc.remoteDescription)) this.#addLocalTracks(pc);
      return this;
    }

    /** Stops sending `track`; the partner's page hears `track.removed`. */
    removeTrack(track) {
      this.#addedMedia = this.#addedMedia.filter((entry) => entry.track !== track);
      const stream = this.stream;
      if (stream && typeof stream.getTracks === 'function' && stream.getTracks().includes(track)) this.#withdrawn.add(track);
      const pc = this.#pc;
      if (!pc) return this;
      for (const sender of pc.getSenders()) {
        if (sender.track !== track) continue;
        try {
          pc.removeTrack(sender); // negotiationneeded: the partner hears of it in a renegotiation
        } catch (err) {
          this.#log('could not remove a media track', err);
        }
      }
      return this;
    }

    /** Closes the DataChannel and the socket; no reconnect. `connect()` starts again. */
    close() {
      this.#closeRequested = true;
      this.#clearTimers();
      // A resumable session outlives its socket for the server's grace period,
      // and the partner would hear nothing until it ends: say goodbye first.
      this.#leaveResumableSession();
      if (this.#paired) this.#partnerGone();
      else this.#teardownRtc();
      this.#forgetResume();
      const ws = this.#ws;
      if (ws) {
        this.#detachSocket(1000, 'client closed');
        this.#afterSocketClosed({ code: 1000, reason: 'client closed', wasClean: true });
      } else if (!this.#busy) {
        this.#setState('closed');
      }
      return this;
    }

    /** close() for good: no reconnect, no more events, the send queue is dropped. */
    destroy() {
      if (this.#destroyed) return this;
      this.reconnect = false;
      this.close();
      this.#destroyed = true;
      this.#queue.length = 0;
      this.#unwatchPageHide();
      return this;
    }

    /* ---------------- socket ---------------- */

    #onOpen() {
      this.#openedAt = Date.now();
      if (this.resume && this.#resumeToken !== null && this.#resumeHeld !== null) {
        // The server wants `resume` as the socket's first message, so nothing
        // else (no opt-in, no `pair`) goes out until it answers: `resumed`, or
        // `server.error` `resume-failed` and then the original way (#onResumeFailed).
        this.#log('socket open; resuming session', this.#sessionId, 'after seq', this.#recvSeq);
        this.#resumePending = true;
        this.#stashedSessions = [];
        this.#wire('resume', { token: this.#resumeToken, seq: this.#recvSeq });
        return;
      }
      this.#forgetResume();
      this.#startSession();
    }

    /** A fresh session on this socket: opt into resume, then pair as the original did. */
    #startSession() {
      this.#log('pairing with', this.pairCode);
      if (this.resume) {
        // Before `pair`, so the pairing is numbered from its first message.
        this.#optInSent = this.#wire('session', { resume: true });
      }
      this.#sendPair();
      this.#setState('waiting');
    }

    #onMessage(event) {
      if (typeof event.data !== 'string') {
        this.#log('ignored a binary frame');
        return;
      }
      let message;
      try {
        message = JSON.parse(event.data);
      } catch {
        this.#log('ignored a frame that is not JSON');
        return;
      }
      if (!isPlainObject(message) || typeof message.type !== 'string') {
        this.#log('ignored a frame without a type');
        return;
      }
      const { type, data } = message;
      switch (type) {
        case 'session':
          this.#onSession(data);
          break;
        case 'peer.found':
          this.#onPeerFound(data);
          break;
        case 'busy':
          this.#onBusy();
          break;
        case 'data':
          if (this.#isNew(message.seq)) this.emit('data', data, 'websocket');
          break;
        case 'rtc.connect':
          if (!this.#isNew(message.seq)) break;
          this.#onRtcConnect();
          this.emit('rtc.connect');
          break;
        case 'rtc.signal':
          if (!this.#isNew(message.seq)) break;
          this.#onSignal(data);
          this.emit('rtc.signal', data);
          break;
        case 'ack':
          this.#onAck(data);
          break;
        case 'session.token':
          if (isPlainObject(data) && typeof data.token === 'string' && this.resume) this.#resumeToken = data.token;
          break;
        case 'resumed':
          this.#onResumed(data);
          break;
        case 'peer.left':
          this.#onPeerLeft();
          break;
        case 'server.error':
          this.#onServerError(data);
          break;
        default:
          this.#log('ignored a message of unknown type', type);
      }
    }

    #onSession(data) {
      if (!isPlainObject(data) || typeof data.id !== 'string') return;
      if (this.#resumePending) {
        // The new socket's own fresh session, and, if the resume succeeds, the
        // resumed one: which one this socket serves is known only from the
        // answer, so `session` is applied (and emitted) then.
        this.#stashedSessions.push(data);
        return;
      }
      this.#applySession(data);
    }

    #applySession(data) {
      this.#sessionId = data.id;
      // A server that can resume sends a token with every session; one that
      // cannot (an older server) sends none, and the client then behaves as
      // the original did.
      if (this.resume && typeof data.token === 'string') {
        this.#resumeToken = data.token;
        this.#resumeActive = true;
      }
      // A server without ICE configuration (or an older one) sends no list: host candidates only.
      this.#setServerIceServers(data.iceServers, data.iceServersExpireAt);
      this.emit('session', data);
    }

    #setServerIceServers(list, expireAt) {
      this.#serverIceServers = readIceServers(list);
      this.#iceServersExpireAt = typeof expireAt === 'number' && Number.isFinite(expireAt) ? expireAt : null;
      this.#scheduleIceRefresh();
    }

    /**
     * A TURN credential lives `Ice:CredentialLifetime` (1 h by default); a
     * socket can live longer. Shortly before it expires, fetch a fresh list
     * from `GET /socketpeer/ice` so later upgrades still get through TURN.
     */
    #scheduleIceRefresh(delayMs) {
      clearTimeout(this.#iceRefreshTimer);
      this.#iceRefreshTimer = null;
      if (this.#iceServersExpireAt === null || this.#destroyed) return;
      if (delayMs === undefined) {
        const remaining = this.#iceServersExpireAt * 1000 - Date.now();
        delayMs = remaining - Math.min(remaining / 10, 300000);
      }
      this.#iceRefreshTimer = setTimeout(() => {
        this.#iceRefreshTimer = null;
        this.#refreshIceServers();
      }, Math.min(Math.max(delayMs, 1000), 2147483647));
    }

    async #refreshIceServers() {
      const ws = this.#ws;
      if (!ws || this.#destroyed || typeof root.fetch !== 'function') return;
      try {
        const response = await root.fetch(iceEndpointUrl(this.url), { cache: 'no-store' });
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
        const body = await response.json();
        if (ws !== this.#ws) return; // a new session brought its own list
        this.#setServerIceServers(body && body.iceServers, body && body.iceServersExpireAt);
        this.#log('ICE servers refreshed');
      } catch (err) {
        this.#log('refreshing the ICE servers failed; retrying in 60 s', err);
        if (ws === this.#ws) this.#scheduleIceRefresh(60000);
      }
    }

    #onPeerFound(data) {
      const initiator = isPlainObject(data) && data.initiator === true;
      clearTimeout(this.#connectTimer);
      this.#connectTimer = null;
      if (this.#paired || this.#pc) this.#partnerGone();

      this.#resetSequence(); // a new pairing numbers from 1 both ways
      const generation = ++this.#pairGeneration;
      this.#paired = true;
      this.#pairedOnThisSocket = true;
      this.#initiator = initiator;
      this.#failures = 0;
      this.#rtcAttempts = 0;
      this.#connections.socket.attempt = 0;
      this.#connections.socket.success++;
      this.#setState('connected');
      this.#flushQueue();

      const wasConnectedBefore = this.#everConnected;
      this.#everConnected = true;
      this.#log('peer found; initiator:', initiator);
      this.emit('connect');
      if (wasConnectedBefore) this.emit('reconnect');
      this.emit('peer.found', { initiator });

      // A listener may have closed or re-paired meanwhile.
      if (generation !== this.#pairGeneration || !this.#paired) return;
      if (!this.#rtcSupported()) {
        this.#mediaUnavailable(this.webrtc ? 'rtc-unavailable' : 'webrtc-disabled');
      } else if (!initiator && this.upgradeTimeout > 0) {
        // The partner offers; one that never does (its WebRTC is off) leaves this side on the relay.
        setTimeout(() => {
          if (generation === this.#pairGeneration && this.#paired && !this.#pc && !this.#rtcOpen) this.#mediaUnavailable('no-offer');
        }, this.upgradeTimeout);
      }
      if (initiator) this.#startUpgrade();
    }

    /**
     * Tells the page, once per pairing (and once more after each upgrade: an ICE restart that fails),
     * that WebRTC has not connected and messages go through the server's relay, which never
     * carries media: a call's audio and video cannot flow for now. A later upgrade (the initiator
     * retries) brings them, announced by `upgrade` and `stream`.
     */
    #mediaUnavailable(reason) {
      if (this.#mediaToldGeneration === this.#pairGeneration || !this.#paired) return;
      this.#mediaToldGeneration = this.#pairGeneration;
      this.#log('media unavailable:', reason);
      this.emit('media.unavailable', { reason });
    }

    #onBusy() {
      const err = makeError(`Pair code "${this.pairCode}" is already in use`, 'busy');
      this.#busy = true;
      this.#closeRequested = true; // a taken code stays taken: no automatic reconnect
      this.#clearTimers();
      this.#teardownRtc();
      this.#setState('busy');
      if (this.#ws) {
        this.#detachSocket(1000, 'busy');
        this.#afterSocketClosed({ code: 1000, reason: 'busy', wasClean: true });
      }
      this.emit('busy', err);
      this.#socketError(err);
    }

    #onPeerLeft() {
      if (this.#paired || this.#pc) this.#partnerGone();
      if (this.#ws && this.#ws.readyState === WS_OPEN) this.#setState('waiting');
      this.emit('peer.left');
    }

    #onServerError(data) {
      const info = {
        code: isPlainObject(data) && typeof data.code === 'string' ? data.code : 'unknown',
        message: isPlainObject(data) && typeof data.message === 'string' ? data.message : '',
      };
      if (this.#resumePending) {
        // `resume` is the only message on this socket so far, so this is its
        // answer (`resume-failed`, or a server that does not know it).
        this.#onResumeFailed(info);
        this.emit('server.error', info);
        return;
      }
      if (info.code === 'unknown-type' && this.#optInSent && !this.#resumeActive && info.message.includes('"session"')) {
        // An older server that knows no resume answered the opt-in: the page
        // did not ask for it, so it is not told; the client works without.
        this.#log('the server does not support resume');
        this.#optInSent = false;
        return;
      }
      if (info.code === 'peer-timeout') {
        // Removed from the room after waiting alone; the socket stays open.
        clearTimeout(this.#connectTimer);
        this.#connectTimer = null;
        if (this.#paired || this.#pc) this.#partnerGone();
        this.#setState('idle');
      }
      this.#log('server error', info.code, info.message);
      this.emit('server.error', info);
    }

    /* ---------------- resume ---------------- */

    /**
     * `resumed {seq, state}`: the new socket serves the old session. Re-send
     * what the server did not get (after its `seq`), then what waited for a
     * path; the partner's missed messages follow from the server, in order.
     * `connect` is not emitted again: the pairing never ended.
     */
    #onResumed(data) {
      if (!this.#resumePending) {
        this.#log('ignored an unexpected "resumed"');
        return;
      }
      this.#resumePending = false;
      const serverSeq = isPlainObject(data) && Number.isSafeInteger(data.seq) && data.seq > 0 ? data.seq : 0;
      const state = isPlainObject(data) && typeof data.state === 'string' ? data.state : 'idle';
      const held = this.#resumeHeld;
      this.#resumeHeld = null;

      // The resumed session keeps its id (the fresh one this socket started with is discarded).
      const stash = this.#stashedSessions;
      this.#stashedSessions = [];
      const session = stash.find((s) => s.id === this.#sessionId) || stash[stash.length - 1];
      if (session) this.#applySession(session);
      this.#resumeActive = true; // the session was opted in before it was resumed
      this.#ackedSeq = this.#recvSeq; // `resume` carried it
      this.#failures = 0;

      let resent = 0;
      let partnerLost = false;
      if (state === 'paired' && held === 'paired') {
        clearTimeout(this.#connectTimer);
        this.#connectTimer = null;
        this.#paired = true;
        this.#pairedOnThisSocket = true;
        this.#setState('connected');
        resent = this.#resendAfter(serverSeq);
        this.#flushQueue();
        // A WebRTC attempt that failed while the socket was down is retried by
        // the initiator, as after any failed attempt; an open channel carries on.
        if (this.#initiator && !this.#pc && this.#rtcSupported()) this.#scheduleUpgradeRetry();
      } else if (state === 'paired') {
        // Waiting when the socket dropped, paired meanwhile: the `peer.found`
        // the server kept for this client comes next, with the replay.
        this.#setState('waiting');
      } else {
        if (held === 'paired') {
          // The server should have said `resume-failed`; the partner is gone either way.
          partnerLost = true;
          this.#partnerGone();
        }
        if (state === 'waiting') {
          this.#setState('waiting');
        } else {
          // Out of the room (e.g. `peer-timeout` meanwhile): a new socket pairs, as the original's did.
          this.#sendPair();
          this.#setState('waiting');
        }
      }
      this.#log(`resumed (${state}); the server had up to seq ${serverSeq}; re-sent ${resent}`);
      this.emit('resume', { seq: serverSeq, state, resent });
      if (partnerLost) this.emit('peer.left');
    }

    /** Re-sends, in order and with their numbers, the kept messages after `serverSeq`. */
    #resendAfter(serverSeq) {
      if (serverSeq > this.#sendSeq) {
        // The server claims messages this client never numbered. Carry on above
        // its number (anything at or below it would be dropped as a duplicate),
        // and say so: it is a server bug, not a normal case.
        reportToConsole('resume', new Error(`the server holds seq ${serverSeq}, above the last one sent (${this.#sendSeq})`));
        this.#sendSeq = serverSeq;
      }
      if (serverSeq < this.#droppedSeq) {
        const err = makeError(
          `Resumed, but messages ${serverSeq + 1}..${this.#droppedSeq} may be lost: over ${RESEND_BUFFER} were unacknowledged, and their copies were dropped`,
          'resume-incomplete',
        );
        this.emit('error', err);
      }
      // Paced like any relayed data (see RELAY_BURST), ahead of the send queue.
      this.#resendBacklog = this.#unacked.filter((entry) => entry.seq > serverSeq).map((entry) => entry.frame);
      const resent = this.#resendBacklog.length;
      this.#drain();
      return resent;
    }

    /**
     * The resume failed (`resume-failed`: expired, ended, or too far behind):
     * carry on with this socket's fresh session the original way, `pair`
     * again, which yields a new `peer.found` and `connect` (and `reconnect`).
     * What this client kept for the old pairing is dropped with it.
     */
    #onResumeFailed(info) {
      this.#resumePending = false;
      const stash = this.#stashedSessions;
      this.#stashedSessions = [];
      const fresh = stash.find((s) => s.id !== this.#sessionId) || stash[stash.length - 1];
      this.#log(`resume failed (${info.code}); ${this.#unacked.length} unacknowledged messages dropped; pairing again`);
      this.#forgetResume();
      if (this.#paired || this.#pc) this.#partnerGone();
      this.#initiator = null;
      if (fresh) this.#applySession(fresh);
      this.#startSession();
    }

    /** Nothing to resume any more: no token, no held state, no sequence state. */
    #forgetResume() {
      this.#resumeActive = false;
      this.#resumeToken = null;
      this.#resumeHeld = null;
      this.#resumePending = false;
      this.#stashedSessions = [];
      this.#resetSequence();
    }

    /** Sends `leave` for a resumable session in a room, so the partner hears `peer.left` now, not after the grace period. */
    #leaveResumableSession() {
      const ws = this.#ws;
      if (!this.#resumeActive || this.#resumePending || !ws || ws.readyState !== WS_OPEN) return;
      if (this.#paired || this.#state === 'waiting') this.#wire('leave');
    }

    /**
     * A closed tab takes its socket with it without `leave`; a resumable
     * session would then keep the partner waiting for the grace period. The
     * page's `pagehide` (not for a page kept in the back/forward cache, which
     * may come back and resume) leaves first.
     */
    #watchPageHide() {
      if (this.#pageHideListener || typeof root.addEventListener !== 'function') return;
      this.#pageHideListener = (event) => {
        if (!event || !event.persisted) this.#leaveResumableSession();
      };
      root.addEventListener('pagehide', this.#pageHideListener);
    }

    #unwatchPageHide() {
      if (!this.#pageHideListener || typeof root.removeEventListener !== 'function') return;
      root.removeEventListener('pagehide', this.#pageHideListener);
      this.#pageHideListener = null;
    }

    #onConnectTimeout(ws) {
      this.#connectTimer = null;
      if (ws !== this.#ws) return;
      const err = makeError(`Connection timeout after ${this.timeout} ms`, 'timeout');
      // As in the original, a timed-out attempt counts as failed: reconnect
      // applies, with a fresh session (a resume would only wait on).
      this.#leaveResumableSession();
      this.#forgetResume();
      this.#detachSocket(1000, 'timeout');
      this.emit('connect_timeout', err);
      this.#socketError(err);
      this.#afterSocketClosed({ code: 1006, reason: 'timeout', wasClean: false });
    }

    #onSocketClosed(info) {
      this.#ws = null;
      this.#afterSocketClosed(info);
    }

    /** Stops listening to the current socket and closes it. */
    #detachSocket(code, reason) {
      const ws = this.#ws;
      this.#ws = null;
      if (!ws) return;
      try {
        if (ws.readyState === WS_OPEN || ws.readyState === WS_CONNECTING) ws.close(code, reason);
      } catch (err) {
        this.#log('closing the socket failed', err);
      }
    }

    #afterSocketClosed({ code, reason, wasClean }) {
      clearTimeout(this.#connectTimer);
      this.#connectTimer = null;
      clearTimeout(this.#iceRefreshTimer); // the next session brings a fresh list
      this.#iceRefreshTimer = null;
      const stable = this.#pairedOnThisSocket || (this.#openedAt > 0 && Date.now() - this.#openedAt >= STABLE_CONNECTION_MS);
      this.#failures = stable ? 1 : this.#failures + 1;
      this.#openedAt = 0;

      // 4001: another socket took this session over; it is the live one now.
      const resumedElsewhere = code === CLOSE_SESSION_RESUMED;
      const willReconnect = !this.#closeRequested && this.reconnect && !this.#destroyed && !resumedElsewhere;
      // A resumable session stays alive on the server for its grace period
      // (the partner hears nothing meanwhile): the next socket takes it back
      // with the token and the sequence state kept here. A socket that closes
      // while its own resume is pending keeps what the first drop held.
      if (willReconnect && this.resumable && !this.#resumePending) {
        const held = this.#paired ? 'paired' : this.#state === 'waiting' ? 'waiting' : null;
        this.#resumeHeld = held;
      } else if (!willReconnect || !this.resumable) {
        this.#forgetResume();
      }
      const resuming = this.#resumeHeld !== null;
      this.#resumePending = false;
      this.#stashedSessions = [];
      this.#optInSent = false;
      this.#resendBacklog = []; // still in #unacked: the next resume works it out again
      clearTimeout(this.#ackTimer);
      this.#ackTimer = null;

      // Without a resume the server forgets the pairing with the socket. An
      // open DataChannel may outlive it and keeps carrying messages; a
      // half-made one cannot finish without signalling, unless the session is
      // resumed: then its signals wait, numbered, for the next socket.
      if (this.#paired) {
        this.#paired = false;
        this.#pairGeneration++;
        clearTimeout(this.#rtcRetryTimer);
        this.#rtcRetryTimer = null;
      }
      if (this.#pc && !this.#rtcOpen && !resuming) this.#teardownRtc();

      if (willReconnect) {
        // A socket that was up and dropped abruptly (1006: its node died or the network broke;
        // 1012: the server restarts and says "come back now") is retried almost at once: the
        // session, or the successor that takes it over, waits on another node, and every second
        // here is a second the pair does not relay. Jittered, so a node's clients do not all return
        // in one tick. Later attempts back off from `reconnectDelay` as before.
        const abrupt = this.#failures === 1 && (code === 1006 || code === 1012);
        const delay = abrupt ? this.firstReconnectDelay * (0.5 + Math.random() / 2) : this.#backoff(this.#failures);
        this.#setState('reconnecting');
        this.#log(`socket closed (${code}); reconnecting in ${Math.round(delay)} ms`);
        clearTimeout(this.#reconnectTimer);
        this.#reconnectTimer = setTimeout(() => {
          this.#reconnectTimer = null;
          this.connect();
        }, delay);
      } else {
        this.#setState(this.#busy ? 'busy' : 'closed');
        this.#log(`socket closed (${code})`);
      }
      if (!this.#destroyed) {
        this.emit('close', { code, reason: reason || '', wasClean: !!wasClean, willReconnect });
      }
    }

    #socketError(err) {
      this.#connections.socket.error++;
      this.emit('error', err);
      this.emit('connect_error', err);
      if (this.#attemptsMade > 1) this.emit('reconnect_error', err);
    }

    /** 1x, 2x, 4x … `reconnectDelay`, capped at 30 s, with "equal jitter" (50–100 %). */
    #backoff(attempt) {
      const base = Math.min(this.reconnectDelay * 2 ** Math.max(0, attempt - 1), MAX_BACKOFF_MS);
      return base / 2 + Math.random() * (base / 2);
    }

    /** Sends one control message on the socket; false when it is not open. */
    /**
     * Sends `pair` with the current code, carrying a join token when the page gave a `joinToken`:
     * a fresh one for every `pair` (a token is short-lived and bound to its code), fetched first.
     * A token that arrives after the socket or the code changed is not used: that `pair` is sent
     * again by whatever changed them.
     */
    #sendPair() {
      const source = this.joinToken;
      if (source === undefined || source === null) return this.#wire('pair', this.pairCode);
      const code = this.pairCode;
      const ws = this.#ws;
      Promise.resolve()
        .then(() => (typeof source === 'function' ? source(code) : source))
        .then((token) => {
          if (this.#destroyed || this.#ws !== ws || this.pairCode !== code) return;
          this.#wire('pair', code, { token: String(token) });
        }, (err) => {
          if (this.#destroyed) return;
          this.emit('error', makeError(`Could not get a join token for "${code}"`, 'join-token', err));
        });
      return true;
    }

    #wire(type, data, extra) {
      const ws = this.#ws;
      if (!ws || ws.readyState !== WS_OPEN) {
        this.#log(`not sent (socket not open): ${type}`);
        return false;
      }
      try {
        ws.send(JSON.stringify(data === undefined ? { type } : extra ? { type, data, ...extra } : { type, data }));
        return true;
      } catch (err) {
        this.#log(`sending ${type} failed`, err);
        return false;
      }
    }

    /* ---------------- data paths ---------------- */

    /**
     * Sends serialised data on the best live path; returns the path, or null.
     *
     * The DataChannel is reliable and ordered, so what goes over it is outside
     * the resume scheme (no seq, no ack, nothing kept). At the moment of an
     * upgrade, relayed messages may still be on their way through the server
     * when the first DataChannel message is sent: they keep their numbers,
     * arrive (or, after a resume, are replayed) exactly once and are
     * acknowledged as usual, but the DataChannel message can overtake them;
     * order holds per path, not across the switch (as without resume). The
     * same goes for a downgrade the other way, and a DataChannel that closes
     * with messages in flight loses them: resume covers the relay only.
     */
    #transmit(text) {
      if (this.#rtcOpen && !this.#iceRestarting && this.#dc && this.#dc.readyState === 'open') {
        try {
          this.#dc.send(text);
          return 'webrtc';
        } catch (err) {
          this.#log('DataChannel send failed; trying the relay', err);
        }
      }
      const ws = this.#ws;
      if (this.socketFallback && this.#paired && ws && ws.readyState === WS_OPEN && !this.#resumePending) {
        // Re-sends go first (order), and only within the relay budget.
        if (this.#resendBacklog.length > 0 || !this.#takeRelayBudget()) return null;
        if (this.#relay('data', text)) return 'websocket';
      }
      return null;
    }

    /** One unit of relay budget, refilled at RELAY_PER_SECOND; false (and a drain scheduled) when spent. */
    #takeRelayBudget() {
      const now = Date.now();
      if (this.#relayBudgetAt > 0) {
        this.#relayBudget = Math.min(RELAY_BURST, this.#relayBudget + ((now - this.#relayBudgetAt) * RELAY_PER_SECOND) / 1000);
      }
      this.#relayBudgetAt = now;
      if (this.#relayBudget >= 1) {
        this.#relayBudget -= 1;
        return true;
      }
      this.#scheduleDrain();
      return false;
    }

    #scheduleDrain() {
      if (this.#drainTimer !== null || this.#destroyed) return;
      const wait = Math.ceil(((1 - this.#relayBudget) * 1000) / RELAY_PER_SECOND);
      this.#drainTimer = setTimeout(() => {
        this.#drainTimer = null;
        this.#drain();
      }, Math.max(wait, 5));
    }

    /** Sends what waited for relay budget: re-sends first, then the send queue. */
    #drain() {
      const ws = this.#ws;
      if (this.#paired && ws && ws.readyState === WS_OPEN && !this.#resumePending) {
        while (this.#resendBacklog.length > 0 && this.#takeRelayBudget()) {
          if (!this.#sendFrame(this.#resendBacklog.shift(), 'a re-sent message')) break;
        }
      }
      this.#flushQueue();
    }

    /**
     * Relays one message to the partner through the server (`data`,
     * `rtc.signal`, `rtc.connect`; `json` is the serialised data, or
     * undefined for none). In a resumable session it is numbered and kept
     * until the partner acknowledges it, so a resume can re-send what the
     * server missed; while the socket is down between a drop and its resume,
     * it is only numbered and kept (signals of a WebRTC attempt in progress),
     * and goes out with the re-sends. Returns whether it was sent or kept.
     */
    #relay(type, json) {
      const ws = this.#ws;
      const open = !!ws && ws.readyState === WS_OPEN && !this.#resumePending;
      const data = json === undefined ? '' : `,"data":${json}`;
      if (!this.#resumeActive) {
        return open && this.#sendFrame(`{"type":"${type}"${data}}`, type);
      }
      if (!open && this.#resumeHeld !== 'paired') return false;
      const seq = ++this.#sendSeq;
      const frame = `{"type":"${type}"${data},"seq":${seq}}`;
      this.#keepForResend(seq, frame);
      if (open) this.#sendFrame(frame, type); // kept even if this fails: the socket is closing, a resume re-sends it
      return true;
    }

    #sendFrame(frame, type) {
      try {
        this.#ws.send(frame);
        return true;
      } catch (err) {
        this.#log(`sending ${type} failed`, err);
        return false;
      }
    }

    /**
     * Keeps a copy of a relayed message until the partner acknowledges it.
     * Bounded: past RESEND_BUFFER unacknowledged messages the oldest copy is
     * dropped. The message itself was still sent; it is lost only if a resume
     * turns out to need it (the server did not get it before the socket
     * dropped, or lost it with a node), and #onResumed then reports
     * `resume-incomplete`. A partner 256 messages behind is one the server
     * gives up on anyway (`Resume:BufferMessages`).
     */
    #keepForResend(seq, frame) {
      this.#unacked.push({ seq, frame });
      if (this.#unacked.length > RESEND_BUFFER) {
        const oldest = this.#unacked.shift();
        if (this.#droppedSeq === 0) this.#log(`over ${RESEND_BUFFER} relayed messages unacknowledged: dropping the oldest copies`);
        this.#droppedSeq = oldest.seq;
      }
    }

    /** `ack {seq}` from the server: the partner has everything up to `seq`; forget those copies. */
    #onAck(data) {
      const seq = isPlainObject(data) ? data.seq : undefined;
      if (!Number.isSafeInteger(seq)) return;
      let done = 0;
      while (done < this.#unacked.length && this.#unacked[done].seq <= seq) done++;
      if (done > 0) this.#unacked.splice(0, done);
    }

    /**
     * Whether a relayed message with this `seq` is new: true, and remembered,
     * when it is above the highest one received; false for a duplicate (a
     * replay of something already delivered), which is dropped so the page
     * sees every message once. Messages without a number (a session that is
     * not opted in) are always new.
     */
    #isNew(seq) {
      if (!this.#resumeActive || !Number.isSafeInteger(seq) || seq <= 0) return true;
      if (seq <= this.#recvSeq) {
        this.#log(`dropped a duplicate (seq ${seq} <= ${this.#recvSeq})`);
        this.#scheduleAck(); // the server thinks it is missing: tell it again
        return false;
      }
      this.#recvSeq = seq;
      this.#scheduleAck();
      return true;
    }

    /**
     * Acknowledges received messages cheaply: at once every ACK_EVERY
     * messages, else once ACK_DELAY_MS after the first unacknowledged one
     * (one timer at a time, not one per message).
     */
    #scheduleAck() {
      if (this.#recvSeq - this.#ackedSeq >= ACK_EVERY) {
        this.#sendAck();
      } else if (this.#ackTimer === null) {
        this.#ackTimer = setTimeout(() => {
          this.#ackTimer = null;
          this.#sendAck();
        }, ACK_DELAY_MS);
      }
    }

    #sendAck() {
      clearTimeout(this.#ackTimer);
      this.#ackTimer = null;
      if (!this.#resumeActive || this.#resumePending) return;
      // A socket that is down acknowledges with its `resume` instead.
      if (this.#wire('ack', { seq: this.#recvSeq })) this.#ackedSeq = this.#recvSeq;
    }

    /** A new pairing (or none): both ways number from 1 again, nothing is owed. */
    #resetSequence() {
      this.#recvSeq = 0;
      this.#sendSeq = 0;
      this.#ackedSeq = 0;
      this.#droppedSeq = 0;
      this.#unacked = [];
      this.#resendBacklog = [];
      clearTimeout(this.#ackTimer);
      this.#ackTimer = null;
    }

    #flushQueue() {
      while (this.#queue.length > 0) {
        if (!this.#transmit(this.#queue[0])) return;
        this.#queue.shift();
      }
    }

    #setPath(path) {
      if (this.#path === path) return;
      this.#path = path;
      if (this.#paired) this.#wire('rtc.status', { state: path === 'webrtc' ? 'upgraded' : 'downgraded' });
      this.emit('path', path);
    }

    #setState(state) {
      if (this.#state === state) return;
      this.#state = state;
      this.emit('state', state);
    }

    /* ---------------- WebRTC upgrade ---------------- */

    #rtcSupported() {
      return this.webrtc && typeof root.RTCPeerConnection === 'function';
    }

    /** Initiator: ask the partner to get ready, then offer. */
    #startUpgrade() {
      if (!this.#rtcSupported()) {
        this.#log('WebRTC unavailable or disabled: staying on the relay');
        return;
      }
      this.#relay('rtc.connect');
      this.#createPeerConnection(true, randomId());
    }

    /** Non-initiator: the partner is about to offer. */
    #onRtcConnect() {
      if (!this.#paired || this.#initiator !== false || !this.#rtcSupported()) return;
      this.#createPeerConnection(false, null);
    }

    #createPeerConnection(initiator, rtcId) {
      this.#teardownRtc();
      let pc;
      try {
        pc = new root.RTCPeerConnection({
          iceServers: this.iceServers,
          iceTransportPolicy: this.iceTransportPolicy === 'relay' ? 'relay' : 'all',
        });
      } catch (err) {
        this.#rtcFailed(null, makeError(`Cannot create RTCPeerConnection: ${describe(err)}`, 'rtc-unavailable', err));
        return null;
      }
      this.#pc = pc;
      this.#rtcId = rtcId;
      this.#pendingCandidates = [];
      this.#partnerRenegotiates = false;
      this.#makingOffer = false;
      this.#settingRemoteAnswer = false;
      this.#rtcAttempts++;
      this.#connections.rtc.attempt++;

      pc.addEventListener('icecandidate', (event) => {
        if (pc !== this.#pc || !event.candidate) return;
        const candidate = typeof event.candidate.toJSON === 'function' ? event.candidate.toJSON() : event.candidate;
        this.#signal({ candidate });
      });
      const watchState = () => {
        if (pc !== this.#pc) return;
        const state = pc.connectionState || pc.iceConnectionState;
        if (state === 'closed') this.#rtcEnded(pc);
        else if (this.#rtcOpen) this.#watchOpenIce(pc);
        else if (state === 'failed') this.#rtcFailed(pc, makeError('WebRTC connection failed', 'rtc-failed'));
      };
      pc.addEventListener('connectionstatechange', watchState);
      pc.addEventListener('iceconnectionstatechange', watchState);
      pc.addEventListener('track', (event) => {
        if (pc === this.#pc) this.#onRemoteTrack(event);
      });
      pc.addEventListener('negotiationneeded', () => {
        if (pc === this.#pc) this.#renegotiate(pc);
      });

      if (initiator) {
        let channel;
        try {
          channel = pc.createDataChannel('socketpeer', { ordered: true });
        } catch (err) {
          this.#rtcFailed(pc, makeError(`Cannot create a DataChannel: ${describe(err)}`, 'rtc-failed', err));
          return null;
        }
        this.#watchChannel(pc, channel);
        // The page's media goes in the first offer, beside the DataChannel (as the original's did).
        this.#addLocalTracks(pc);
        this.#makeOffer(pc);
      } else {
        pc.addEventListener('datachannel', (event) => {
          if (pc === this.#pc && !this.#dc) this.#watchChannel(pc, event.channel);
        });
      }

      if (this.upgradeTimeout > 0) {
        this.#upgradeTimer = setTimeout(() => {
          if (pc === this.#pc && !this.#rtcOpen) {
            this.#rtcFailed(pc, makeError(`WebRTC upgrade timed out after ${this.upgradeTimeout} ms`, 'rtc-timeout'));
          }
        }, this.upgradeTimeout);
      }
      this.#log('upgrade attempt', this.#rtcAttempts, initiator ? '(offering)' : '(answering)');
      this.emit('upgrade_attempt');
      return pc;
    }

    async #makeOffer(pc) {
      try {
        const offer = await pc.createOffer();
        if (pc !== this.#pc) return;
        await pc.setLocalDescription(offer);
        if (pc !== this.#pc) return;
        this.#signal({ type: offer.type, sdp: offer.sdp });
      } catch (err) {
        this.#rtcFailed(pc, makeError(`Creating the WebRTC offer failed: ${describe(err)}`, 'rtc-failed', err));
      }
    }

    /**
     * Sends a signal of the current attempt; `rtcId` lets both ends drop stale ones. Offers and
     * answers say `renegotiate: true`: this client takes offers after the first connection.
     */
    #signal(payload) {
      if (this.#rtcId) payload.rtcId = this.#rtcId;
      if (typeof payload.sdp === 'string') payload.renegotiate = true;
      this.#relay('rtc.signal', JSON.stringify(payload));
    }

    #onSignal(data) {
      if (!isPlainObject(data) || !this.#paired || !this.#rtcSupported()) return;
      // Ignore signals of an earlier attempt (signals without an id come from
      // clients that do not tag them and are taken as current).
      const id = typeof data.rtcId === 'string' ? data.rtcId : null;
      if (data.type === 'offer' && typeof data.sdp === 'string') {
        // An offer of the current attempt on a connection that has been negotiated once (on the
        // initiator's side: any offer of its own attempt) is a renegotiation; any other offer
        // starts an attempt, and only the initiator's partner takes those.
        const pc = this.#pc;
        if (pc && id && id === this.#rtcId && (this.#initiator || pc.remoteDescription)) this.#acceptRenegotiation(pc, data);
        else if (!this.#initiator) this.#acceptOffer(data, id);
      } else if (data.type === 'answer' && typeof data.sdp === 'string') {
        const pc = this.#pc;
        if (!pc || pc.signalingState !== 'have-local-offer') return;
        if (id && this.#rtcId && id !== this.#rtcId) return;
        this.#applyAnswer(pc, data);
      } else if ('candidate' in data) {
        const pc = this.#pc;
        if (!pc || (id && this.#rtcId && id !== this.#rtcId)) return;
        if (!data.candidate) return; // end of candidates
        if (!pc.remoteDescription) this.#pendingCandidates.push(data.candidate);
        else this.#addCandidate(pc, data.candidate);
      }
    }

    async #acceptOffer(data, id) {
      let pc = this.#pc;
      const sameAttempt = pc && (!id || !this.#rtcId || id === this.#rtcId);
      if (!pc || !sameAttempt || pc.signalingState !== 'stable' || pc.remoteDescription) {
        pc = this.#createPeerConnection(false, id);
        if (!pc) return;
      }
      if (id) this.#rtcId = id;
      this.#partnerRenegotiates = data.renegotiate === true;
      try {
        await pc.setRemoteDescription({ type: 'offer', sdp: data.sdp });
        if (pc !== this.#pc) return;
        this.#drainCandidates(pc);
        // After the offer, so each track takes the transceiver the offer made for its kind and
        // goes out in the answer.
        this.#addLocalTracks(pc);
        const answer = await pc.createAnswer();
        if (pc !== this.#pc) return;
        await pc.setLocalDescription(answer);
        if (pc !== this.#pc) return;
        this.#signal({ type: answer.type, sdp: answer.sdp });
      } catch (err) {
        this.#rtcFailed(pc, makeError(`Answering the WebRTC offer failed: ${describe(err)}`, 'rtc-failed', err));
      }
    }

    async #applyAnswer(pc, data) {
      const first = !pc.currentRemoteDescription;
      if (first) this.#partnerRenegotiates = data.renegotiate === true;
      this.#settingRemoteAnswer = true;
      try {
        await pc.setRemoteDescription({ type: 'answer', sdp: data.sdp });
        if (pc === this.#pc) this.#drainCandidates(pc);
      } catch (err) {
        if (first) this.#rtcFailed(pc, makeError(`Applying the WebRTC answer failed: ${describe(err)}`, 'rtc-failed', err));
        else this.#renegotiationFailed(pc, err);
      } finally {
        if (pc === this.#pc) this.#settingRemoteAnswer = false;
      }
    }

    /**
     * `negotiationneeded` (media added or removed, an ICE restart) on a connection negotiated once:
     * offer, perfect-negotiation style, over `rtc.signal`. Before the first exchange is done the
     * first offer and answer carry everything, so the event is ignored; the browser fires it again
     * once the connection is stable if something is still missing.
     */
    async #renegotiate(pc) {
      if (!pc.currentRemoteDescription || !pc.currentLocalDescription) return;
      if (!this.#partnerRenegotiates) {
        this.emit(
          'error',
          makeError('The partner cannot renegotiate (an original or older client): media added or removed after the first connection does not reach it', 'renegotiation-unsupported'),
        );
        return;
      }
      try {
        this.#makingOffer = true;
        await pc.setLocalDescription();
        if (pc !== this.#pc) return;
        const description = pc.localDescription;
        this.#log('renegotiating:', description.type);
        this.#signal({ type: description.type, sdp: description.sdp });
      } catch (err) {
        this.#renegotiationFailed(pc, err);
      } finally {
        if (pc === this.#pc) this.#makingOffer = false;
      }
    }

    /**
     * The partner's offer on a negotiated connection. Both sides may offer at once (glare): the
     * impolite side (the initiator) ignores the partner's offer and waits for the answer to its
     * own; the polite side rolls its own offer back (implicitly, in setRemoteDescription) and
     * answers, and its browser asks for its offer again afterwards if it still needs one.
     */
    async #acceptRenegotiation(pc, data) {
      if (data.renegotiate === true) this.#partnerRenegotiates = true;
      const polite = !this.#initiator;
      const ready = !this.#makingOffer && (pc.signalingState === 'stable' || this.#settingRemoteAnswer);
      if (!ready && !polite) {
        this.#log('glare: ignored the partner\'s offer (ours goes first)');
        return;
      }
      try {
        await pc.setRemoteDescription({ type: 'offer', sdp: data.sdp });
        if (pc !== this.#pc) return;
        this.#drainCandidates(pc);
        // Media added while this side's own offer was rolled back goes in this answer when it can.
        this.#addLocalTracks(pc);
        await pc.setLocalDescription();
        if (pc !== this.#pc) return;
        const description = pc.localDescription;
        this.#signal({ type: description.type, sdp: description.sdp });
      } catch (err) {
        this.#renegotiationFailed(pc, err);
      }
    }

    /**
     * A renegotiation that failed leaves the connection as it was negotiated before: the
     * DataChannel and the media already flowing carry on. The page hears why.
     */
    #renegotiationFailed(pc, err) {
      if (pc !== this.#pc) return;
      this.#log('renegotiation failed', err);
      this.emit('error', makeError(`Renegotiating the WebRTC connection failed: ${describe(err)}`, 'renegotiation-failed', err));
    }

    /** The media to send: the `stream` option's tracks (less those withdrawn) and those added since. */
    #localMedia() {
      const media = [];
      const stream = this.stream;
      if (stream && typeof stream.getTracks === 'function') {
        for (const track of stream.getTracks()) if (!this.#withdrawn.has(track)) media.push({ track, stream });
      }
      for (const entry of this.#addedMedia) if (!media.some((m) => m.track === entry.track)) media.push(entry);
      return media;
    }

    /** Adds the local media that this peer connection does not send yet. */
    #addLocalTracks(pc) {
      const sent = new Set(pc.getSenders().map((sender) => sender.track));
      for (const { track, stream } of this.#localMedia()) {
        if (sent.has(track) || track.readyState === 'ended') continue;
        try {
          pc.addTrack(track, stream);
        } catch (err) {
          this.#log('could not add a media track', err);
        }
      }
    }

    /**
     * The partner's media: `track` for each track with the stream it belongs to, `stream` once per
     * stream (the original's event), and `track.removed` when a renegotiation takes one away.
     */
    #onRemoteTrack(event) {
      const track = event.track;
      const stream = (event.streams && event.streams[0]) || new root.MediaStream([track]);
      this.emit('track', track, stream);
      if (this.#remoteStreams.has(stream.id)) return;
      this.#remoteStreams.add(stream.id);
      const pc = this.#pc;
      stream.addEventListener('removetrack', (removed) => {
        if (pc === this.#pc) this.emit('track.removed', removed.track, stream);
      });
      this.emit('stream', stream);
    }

    #drainCandidates(pc) {
      const pending = this.#pendingCandidates;
      this.#pendingCandidates = [];
      for (const candidate of pending) this.#addCandidate(pc, candidate);
    }

    async #addCandidate(pc, candidate) {
      try {
        await pc.addIceCandidate(candidate);
      } catch (err) {
        // One bad candidate does not fail the attempt; ICE decides.
        if (pc === this.#pc) this.#log('ignored an ICE candidate', err);
      }
    }

    #watchChannel(pc, channel) {
      this.#dc = channel;
      channel.addEventListener('open', () => {
        if (channel === this.#dc) this.#onUpgraded();
      });
      channel.addEventListener('close', () => {
        if (channel === this.#dc) this.#rtcEnded(pc);
      });
      channel.addEventListener('message', (event) => {
        if (channel !== this.#dc) return;
        if (typeof event.data !== 'string') {
          this.#log('ignored a binary DataChannel message');
          return;
        }
        let value;
        try {
          value = JSON.parse(event.data);
        } catch {
          this.#log('ignored a DataChannel message that is not JSON');
          return;
        }
        this.emit('data', value, 'webrtc');
      });
    }

    /**
     * ICE of a connection that was open: `disconnected` past ICE_DISCONNECTED_GRACE_MS, or
     * `failed`, is a broken path (a network change): restart ICE once over the existing
     * signalling, with messages relayed meanwhile; back to `connected`, all carries on (same
     * DataChannel, same media). A partner that cannot renegotiate cannot restart either: then, and
     * when the restart does not bring ICE back, the connection is closed and the relay takes over.
     */
    #watchOpenIce(pc) {
      const ice = pc.iceConnectionState;
      if (ice === 'connected' || ice === 'completed') {
        this.#iceRecovered(pc);
      } else if (this.#iceRestarting) {
        // The state the restart started from may be reported again before the new checks begin:
        // the restart's own bound (#restartIce) decides when it failed.
      } else if (ice === 'failed' || ice === 'disconnected') {
        if (!this.#partnerRenegotiates || typeof pc.restartIce !== 'function') {
          if (ice === 'failed') this.#rtcFailed(pc, makeError('WebRTC connection failed', 'rtc-failed'));
          else this.#rtcEnded(pc);
        } else if (ice === 'failed') {
          this.#restartIce(pc, 'failed');
        } else if (this.#iceGraceTimer === null) {
          this.#iceGraceTimer = setTimeout(() => {
            this.#iceGraceTimer = null;
            const now = pc.iceConnectionState;
            if (pc === this.#pc && !this.#iceRestarting && (now === 'disconnected' || now === 'failed')) this.#restartIce(pc, 'disconnected');
          }, ICE_DISCONNECTED_GRACE_MS);
        }
      }
    }

    #restartIce(pc, reason) {
      clearTimeout(this.#iceGraceTimer);
      this.#iceGraceTimer = null;
      this.#iceRestarting = true;
      this.#log(`ICE ${reason}: restarting ICE`);
      // Messages go through the relay until ICE is back (#transmit): none waits on a broken path.
      this.#setPath('websocket');
      this.emit('ice.restart', { reason });
      const timeout = this.upgradeTimeout > 0 ? this.upgradeTimeout : ICE_RESTART_TIMEOUT_MS;
      this.#iceRestartTimer = setTimeout(() => {
        this.#iceRestartTimer = null;
        if (pc === this.#pc && this.#iceRestarting) this.#iceRestartFailed(pc);
      }, timeout);
      try {
        pc.restartIce(); // negotiationneeded: an offer with fresh ICE credentials (#renegotiate)
      } catch (err) {
        this.#log('restartIce failed', err);
        this.#iceRestartFailed(pc);
      }
    }

    #iceRecovered(pc) {
      clearTimeout(this.#iceGraceTimer);
      this.#iceGraceTimer = null;
      if (!this.#iceRestarting) return;
      this.#clearIceRestart();
      this.#log('ICE restarted: back on WebRTC');
      this.emit('ice.restarted');
      if (pc === this.#pc && this.#rtcOpen) {
        this.#setPath('webrtc');
        this.#flushQueue();
      }
    }

    /** The restart did not bring ICE back: close the connection; the relay carries on and media stops. */
    #iceRestartFailed(pc) {
      if (pc !== this.#pc) return;
      this.#log('the ICE restart did not reconnect; falling back to the relay');
      this.#rtcEnded(pc);
      this.#mediaUnavailable('ice-failed');
    }

    #clearIceRestart() {
      clearTimeout(this.#iceGraceTimer);
      clearTimeout(this.#iceRestartTimer);
      this.#iceGraceTimer = this.#iceRestartTimer = null;
      this.#iceRestarting = false;
    }

    #onUpgraded() {
      clearTimeout(this.#upgradeTimer);
      this.#upgradeTimer = null;
      clearTimeout(this.#rtcRetryTimer);
      this.#rtcRetryTimer = null;
      this.#rtcOpen = true;
      this.#rtcAttempts = 0;
      // Media flows again: a later loss of WebRTC is told again (`media.unavailable`).
      this.#mediaToldGeneration = -1;
      this.#connections.rtc.success++;
      this.#connections.rtc.attempt = 0;
      this.#log('upgraded to WebRTC');
      this.#flushQueue();
      this.#setPath('webrtc');
      this.emit('upgrade');
    }

    /** An attempt (or a live channel) failed: report it and maybe retry. */
    #rtcFailed(pc, err) {
      if (pc && pc !== this.#pc) return;
      this.#connections.rtc.error++;
      this.#teardownRtc();
      this.emit('upgrade_error', err);
      this.emit('error', err);
      this.#mediaUnavailable((err && err.code) || 'rtc-failed');
      this.#scheduleUpgradeRetry();
    }

    /** A live channel closed (partner's side went away or the network broke). */
    #rtcEnded(pc) {
      if (pc !== this.#pc) return;
      this.#teardownRtc();
      this.#scheduleUpgradeRetry();
    }

    /** As in the original: the initiator retries, with back-off, while paired. */
    #scheduleUpgradeRetry() {
      if (!this.reconnect || !this.#paired || !this.#initiator || this.#destroyed) return;
      clearTimeout(this.#rtcRetryTimer);
      const generation = this.#pairGeneration;
      const delay = this.#backoff(Math.max(1, this.#rtcAttempts));
      this.#log(`retrying the WebRTC upgrade in ${Math.round(delay)} ms`);
      this.#rtcRetryTimer = setTimeout(() => {
        this.#rtcRetryTimer = null;
        if (generation === this.#pairGeneration && this.#paired && !this.#pc) this.#startUpgrade();
      }, delay);
    }

    /** Closes the RTCPeerConnection; emits `downgrade` if the channel was open. */
    #teardownRtc() {
      clearTimeout(this.#upgradeTimer);
      this.#upgradeTimer = null;
      const pc = this.#pc;
      const dc = this.#dc;
      const wasOpen = this.#rtcOpen;
      this.#pc = null;
      this.#dc = null;
      this.#rtcId = null;
      this.#rtcOpen = false;
      this.#pendingCandidates = [];
      this.#remoteStreams = new Set();
      this.#partnerRenegotiates = false;
      this.#makingOffer = false;
      this.#settingRemoteAnswer = false;
      this.#clearIceRestart();
      try {
        if (dc) dc.close();
      } catch {
        /* already closed */
      }
      try {
        if (pc) pc.close();
      } catch {
        /* already closed */
      }
      if (wasOpen) {
        this.#log('downgraded to the WebSocket relay');
        this.#setPath('websocket');
        this.emit('downgrade');
      }
    }

    /** The pairing ended (partner left, re-pair, close): back to unpaired. */
    #partnerGone() {
      clearTimeout(this.#rtcRetryTimer);
      this.#rtcRetryTimer = null;
      this.#resetSequence();
      this.#paired = false;
      this.#initiator = null;
      this.#pairGeneration++;
      this.#teardownRtc();
    }

    #clearTimers() {
      clearTimeout(this.#connectTimer);
      clearTimeout(this.#reconnectTimer);
      clearTimeout(this.#rtcRetryTimer);
      clearTimeout(this.#upgradeTimer);
      clearTimeout(this.#iceRefreshTimer);
      clearTimeout(this.#ackTimer);
      clearTimeout(this.#drainTimer);
      this.#connectTimer = this.#reconnectTimer = this.#rtcRetryTimer = this.#upgradeTimer = this.#iceRefreshTimer = null;
      this.#ackTimer = this.#drainTimer = null;
    }

    #log(...args) {
      if (this.debug && typeof console !== 'undefined') console.debug(`[SocketPeer ${this.pairCode}]`, ...args);
    }

    /** Emits nothing once destroyed. */
    emit(event, ...args) {
      if (this.#destroyed) return false;
      return super.emit(event, ...args);
    }
  }

  Object.defineProperty(SocketPeer, BRAND, { value: true });
  SocketPeer.version = VERSION;
  SocketPeer.randomPairCode = randomPairCode;
  SocketPeer.SocketPeer = SocketPeer;

  root.SocketPeer = SocketPeer;
  if (typeof module === 'object' && module && module.exports) module.exports = SocketPeer;
})(globalThis);
