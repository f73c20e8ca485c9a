// SocketPeer chat demo. Two browsers that open the same code chat; the badge
// shows whether messages go peer-to-peer (WebRTC, direct or through a TURN
// relay: `data-route` on #path, from getStats()) or through the server.
// `?iceTransportPolicy=relay` in the address makes this page use TURN only.
// `?token=<join token>` passes a join token with every `pair`, for a server that
// requires them (SocketPeer:JoinTokens:Required); the share link never carries it.
// User data is only ever written with textContent / attributes, never as HTML.
// `window.peer` is the current SocketPeer (handy in the console and in tests).
// The video call beside the chat: "Start video" shares the camera and microphone
// (peer.addStream, renegotiated during the chat), the partner's arrive on `track`;
// media goes over WebRTC only, so on the relay the page says video is unavailable.
// Without a camera the page still chats and still shows the partner's video.
(() => {
  'use strict';

  const MAX_MESSAGES = 500;
  const MAX_CODE_LENGTH = 64;

  const el = (id) => document.getElementById(id);
  const ui = {
    pairForm: el('pair-form'),
    pairCode: el('pair-code'),
    join: el('join'),
    newCode: el('new-code'),
    share: el('share'),
    shareLink: el('share-link'),
    copyLink: el('copy-link'),
    notice: el('notice'),
    noticeText: el('notice-text'),
    waitAgain: el('wait-again'),
    state: el('state'),
    path: el('path'),
    pathText: el('path-text'),
    messages: el('messages'),
    composer: el('composer'),
    message: el('message'),
    send: el('send'),
    call: el('call'),
    callStatus: el('call-status'),
    videos: el('videos'),
    remoteFigure: el('remote-figure'),
    remoteVideo: el('remote-video'),
    localFigure: el('local-figure'),
    localVideo: el('local-video'),
  };

  const STATE_TEXT = {
    connecting: 'Connecting…',
    waiting: 'Waiting for your partner',
    connected: 'Connected',
    reconnecting: 'Reconnecting…',
    busy: 'Code already in use',
    left: 'Partner left',
    timeout: 'Nobody joined',
    closed: 'Not connected',
  };

  const PATH_TEXT = { webrtc: 'WebRTC', websocket: 'Relayed by server' };
  const ROUTE_TEXT = { direct: 'WebRTC, direct', turn: 'WebRTC via TURN relay' };
  const ICE_TRANSPORT_POLICY =
    new URLSearchParams(location.search).get('iceTransportPolicy') === 'relay' ? 'relay' : 'all';
  const JOIN_TOKEN = new URLSearchParams(location.search).get('token') || undefined;
  const VIA_TEXT = { webrtc: 'via WebRTC', websocket: 'relayed by server', queued: 'queued', dropped: 'not sent' };

  let peer = null;
  let currentCode = '';
  let partnerLeft = false;
  let timedOut = false;
  // What getPathDetails() last said about the live DataChannel, and a counter
  // so an older, slower answer never overwrites a newer one.
  let route = null;
  let routeAsked = 0;
  // The video call: this page's camera (while shared) and the partner's stream (while it has tracks).
  let localStream = null;
  let remoteStream = null;
  let videoBlocked = false; // told `media.unavailable`, and no upgrade since
  const CALL_HINT = ui.callStatus.textContent;

  if (typeof window.SocketPeer !== 'function') {
    showNotice('The SocketPeer library did not load.', 'error');
    return;
  }

  /* ---------------- pairing ---------------- */

  function cleanCode(raw) {
    return String(raw || '').trim().slice(0, MAX_CODE_LENGTH);
  }

  function codeFromHash() {
    const raw = location.hash.replace(/^#/, '');
    if (!raw) return '';
    try {
      return cleanCode(decodeURIComponent(raw));
    } catch {
      return cleanCode(raw);
    }
  }

  function linkFor(code) {
    return `${location.origin}${location.pathname}#${encodeURIComponent(code)}`;
  }

  function join(rawCode) {
    const code = cleanCode(rawCode);
    if (!code) {
      showNotice('Enter a pair code, or press “New code”.', 'error');
      ui.pairCode.focus();
      return;
    }
    if (peer) peer.destroy();
    if (code !== currentCode) ui.messages.replaceChildren();
    currentCode = code;
    partnerLeft = false;
    timedOut = false;
    hideNotice();

    ui.pairCode.value = code;
    const hash = `#${encodeURIComponent(code)}`;
    if (location.hash !== hash) history.replaceState(null, '', hash);
    ui.shareLink.href = linkFor(code);
    ui.shareLink.textContent = linkFor(code);
    ui.share.hidden = false;

    route = null;
    peer = new window.SocketPeer({ pairCode: code, iceTransportPolicy: ICE_TRANSPORT_POLICY, joinToken: JOIN_TOKEN });
    window.peer = peer;
    watch(peer);
    // A camera shared before goes to the new partner in the first offer.
    if (localStream) peer.addStream(localStream);
    showRemote(null);
    render();
  }

  function watch(p) {
    const mine = (listener) => (...args) => {
      if (p === peer) listener(...args);
    };
    p.on('state', mine(render));
    p.on('path', mine((path) => {
      render();
      addEvent(path === 'webrtc' ? 'Now peer-to-peer over WebRTC.' : 'Now relayed by the server.');
      updateRoute(p);
    }));
    p.on('upgrade', mine(() => {
      // ICE may move to another candidate pair later (e.g. from TURN to direct).
      const pc = p.rtc;
      const ice = pc && pc.sctp && pc.sctp.transport && pc.sctp.transport.iceTransport;
      if (ice && typeof ice.addEventListener === 'function') {
        ice.addEventListener('selectedcandidatepairchange', () => {
          if (p === peer && p.rtc === pc) updateRoute(p);
        });
      }
    }));
    p.on('connect', mine(() => {
      partnerLeft = false;
      timedOut = false;
      hideNotice();
      addEvent('Your partner is here. Say hello!');
      render();
    }));
    p.on('close', mine((info) => {
      if (info.willReconnect && p.resumable) addEvent('Connection lost. Reconnecting; your chat will carry on…');
      render();
    }));
    p.on('resume', mine((info) => {
      // The same session on a new socket: no new `connect`; what was sent
      // meanwhile, either way, is delivered now.
      addEvent(info.state === 'paired' ? 'Reconnected: the chat carried on where it left off.' : 'Reconnected.');
      render();
    }));
    p.on('track', mine((track, stream) => showRemote(stream)));
    p.on('track.removed', mine((track, stream) => {
      if (stream === remoteStream) showRemote(stream.getTracks().length > 0 ? stream : null);
    }));
    p.on('media.unavailable', mine(() => {
      showRemote(null);
      videoBlocked = true;
      setCallStatus('Video needs a peer-to-peer connection, which could not be made: the chat is relayed by the server, video is not.', 'warn');
    }));
    p.on('ice.restart', mine(() => setCallStatus('The connection was interrupted; reconnecting the video…', 'warn')));
    p.on('ice.restarted', mine(() => setCallStatus('Video reconnected.')));
    p.on('upgrade', mine(() => {
      if (!videoBlocked) return;
      videoBlocked = false;
      setCallStatus(CALL_HINT);
    }));
    p.on('peer.left', mine(() => {
      showRemote(null);
      partnerLeft = true;
      addEvent('Your partner left. Waiting for them to come back…');
      render();
    }));
    p.on('data', mine((data, via) => {
      addMessage('theirs', typeof data === 'string' ? data : JSON.stringify(data), via);
    }));
    p.on('busy', mine(() => {
      showNotice(`The code “${p.pairCode}” is already used by two people. Choose another code.`, 'error');
      render();
    }));
    p.on('server.error', mine((err) => {
      if (err.code === 'peer-timeout') {
        timedOut = true;
        showNotice('Nobody joined in time.', 'info', true);
      } else if (err.code === 'invalid-pair-code') {
        showNotice(`The server refused this code${err.message ? `: ${err.message}` : '.'}`, 'error');
      } else if (err.code === 'rate-limited') {
        showNotice('You are sending too fast; slow down.', 'error');
      } else if (err.code.startsWith('join-token-')) {
        showNotice(JOIN_TOKEN
          ? `The server did not accept this page's join token (${err.code}): ${err.message}`
          : 'This server admits only pages with a join token from the application: open it with ?token=… in the address.', 'error');
      } else if (err.code === 'resume-failed') {
        addEvent('Could not pick the chat up where it left off; joining the code again…');
      } else if (err.code !== 'not-paired') {
        showNotice(`Server: ${err.message || err.code}`, 'error');
      }
      render();
    }));
    p.on('error', mine((err) => {
      if (err && err.code === 'queue-full') showNotice('Too many messages waiting for your partner; the last one was not sent.', 'error');
      if (err && err.code === 'renegotiation-unsupported') {
        setCallStatus('Your partner’s app cannot change the video during a chat: they must join again to see it.', 'warn');
      }
      // Failed connection attempts and WebRTC upgrade failures are normal on
      // some networks: the state and path badges already tell the story.
      console.warn('[demo]', err);
    }));
  }

  /* ---------------- rendering ---------------- */

  /**
   * Asks the client how the live path runs (direct or TURN) and shows it. The
   * stats may not name the selected candidate pair yet the moment the channel
   * opens: then it asks again a few times.
   */
  async function updateRoute(p, tries = 0) {
    const asked = ++routeAsked;
    let details = null;
    try {
      details = await p.getPathDetails();
    } catch (err) {
      console.warn('[demo] getPathDetails failed', err);
    }
    if (p !== peer || asked !== routeAsked) return;
    route = details && details.path === 'webrtc' ? details : null;
    render();
    if (route && !route.route && tries < 10) {
      setTimeout(() => {
        if (p === peer && asked === routeAsked) updateRoute(p, tries + 1);
      }, 500);
    }
  }

  function viewState() {
    if (!peer) return 'closed';
    switch (peer.state) {
      case 'connected':
        return 'connected';
      case 'waiting':
        return partnerLeft ? 'left' : 'waiting';
      case 'idle':
        return timedOut ? 'timeout' : peer.socket ? 'waiting' : 'connecting';
      case 'connecting':
      case 'reconnecting':
      case 'busy':
      case 'closed':
        return peer.state;
      default:
        return 'connecting';
    }
  }

  function canSend() {
    // While a resumable session reconnects, messages wait (queued) and go out after the resume.
    return !!peer && (peer.state === 'connected' || peer.path === 'webrtc' || (peer.state === 'reconnecting' && peer.resumable));
  }

  function render() {
    const state = viewState();
    ui.state.dataset.state = state;
    ui.state.textContent = STATE_TEXT[state] || state;

    const path = peer ? peer.path : 'websocket';
    ui.path.dataset.path = path;
    ui.path.dataset.active = String(canSend());
    const known = path === 'webrtc' && route && route.route ? route : null;
    if (known) {
      ui.path.dataset.route = known.route;
      ui.pathText.textContent = ROUTE_TEXT[known.route];
      ui.path.title = `Which path carries your messages (ICE candidates: ${known.local || '?'} ↔ ${known.remote || '?'})`;
    } else {
      delete ui.path.dataset.route;
      ui.pathText.textContent = PATH_TEXT[path];
      ui.path.title = 'Which path carries your messages';
    }

    ui.send.disabled = !canSend();
    ui.waitAgain.hidden = state !== 'timeout';
    document.title = `${STATE_TEXT[state] || state} · SocketPeer chat`;
  }

  function timeNow() {
    return new Date().toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  }

  function append(item) {
    const list = ui.messages;
    const nearBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 80;
    list.append(item);
    while (list.childElementCount > MAX_MESSAGES) list.firstElementChild.remove();
    if (nearBottom || item.classList.contains('mine')) list.scrollTop = list.scrollHeight;
  }

  function addMessage(kind, text, via) {
    const item = document.createElement('li');
    item.className = `msg ${kind}`;
    item.dataset.testid = 'msg';
    item.dataset.via = via || '';
    item.dataset.meta = `${timeNow()} · ${VIA_TEXT[via] || ''}`;
    item.textContent = text;
    append(item);
  }

  function addEvent(text) {
    const item = document.createElement('li');
    item.className = 'event';
    item.textContent = text;
    append(item);
  }

  function showNotice(text, kind = 'info', withWaitAgain = false) {
    ui.noticeText.textContent = text;
    ui.notice.dataset.kind = kind;
    ui.notice.hidden = false;
    ui.waitAgain.hidden = !withWaitAgain;
  }

  function hideNotice() {
    ui.notice.hidden = true;
    ui.noticeText.textContent = '';
  }

  /* ---------------- video call ---------------- */

  function setCallStatus(text, kind) {
    ui.callStatus.textContent = text;
    if (kind) ui.callStatus.dataset.kind = kind;
    else delete ui.callStatus.dataset.kind;
  }

  /** Asks for the camera and microphone (falling back to one of them) and shares them. */
  async function startVideo() {
    ui.call.disabled = true;
    setCallStatus('Asking for your camera and microphone…');
    let stream = null;
    const devices = navigator.mediaDevices;
    for (const constraints of [{ video: true, audio: true }, { video: true }, { audio: true }]) {
      if (!devices || typeof devices.getUserMedia !== 'function') break;
      try {
        stream = await devices.getUserMedia(constraints);
        break;
      } catch (err) {
        console.warn('[demo] getUserMedia', constraints, err);
      }
    }
    ui.call.disabled = false;
    if (!stream) {
      setCallStatus('No camera or microphone here, or access was refused: you can still chat, and see your partner’s video when they share it.', 'warn');
      return;
    }
    localStream = stream;
    ui.localVideo.srcObject = stream;
    if (peer) peer.addStream(stream);
    setCallStatus(peer && peer.path === 'websocket' && peer.state === 'connected'
      ? 'Your video goes out once the connection is peer-to-peer.'
      : 'You are sharing your camera.');
    renderCall();
  }

  function stopVideo() {
    const stream = localStream;
    localStream = null;
    if (stream) {
      if (peer) peer.removeStream(stream);
      for (const track of stream.getTracks()) track.stop();
    }
    ui.localVideo.srcObject = null;
    setCallStatus(CALL_HINT);
    renderCall();
  }

  /** Shows the partner's stream (null: none). Browsers may refuse to play sound unasked: then it plays muted until clicked. */
  function showRemote(stream) {
    if (stream !== remoteStream) {
      remoteStream = stream;
      ui.remoteVideo.srcObject = stream;
      if (stream) {
        ui.remoteVideo.muted = false;
        ui.remoteVideo.play().catch(() => {
          ui.remoteVideo.muted = true;
          ui.remoteVideo.play().catch(() => {});
          setCallStatus('Your partner’s sound is muted by the browser: click their video to hear them.');
        });
      }
    }
    renderCall();
  }

  function renderCall() {
    ui.call.textContent = localStream ? 'Stop video' : 'Start video';
    ui.call.setAttribute('aria-pressed', String(!!localStream));
    ui.localFigure.hidden = !localStream;
    ui.remoteFigure.hidden = !remoteStream;
    ui.videos.hidden = !localStream && !remoteStream;
  }

  /* ---------------- controls ---------------- */

  ui.call.addEventListener('click', () => {
    if (localStream) stopVideo();
    else startVideo();
  });

  ui.remoteVideo.addEventListener('click', () => {
    ui.remoteVideo.muted = false;
    ui.remoteVideo.play().catch(() => {});
  });

  ui.pairForm.addEventListener('submit', (event) => {
    event.preventDefault();
    join(ui.pairCode.value);
    if (peer) ui.message.focus();
  });

  ui.newCode.addEventListener('click', () => {
    join(window.SocketPeer.randomPairCode());
    ui.copyLink.focus();
  });

  ui.composer.addEventListener('submit', (event) => {
    event.preventDefault();
    const text = ui.message.value;
    if (!text.trim() || !canSend()) return;
    const via = peer.send(text);
    addMessage('mine', text, via);
    ui.message.value = '';
    ui.message.focus();
  });

  ui.waitAgain.addEventListener('click', () => {
    if (!peer) return;
    timedOut = false;
    partnerLeft = false;
    hideNotice();
    peer.pair();
    render();
    ui.message.focus();
  });

  ui.copyLink.addEventListener('click', async () => {
    const url = ui.shareLink.href;
    try {
      await navigator.clipboard.writeText(url);
      ui.copyLink.textContent = 'Copied!';
    } catch {
      // No clipboard access (e.g. plain http): select the link for a manual copy.
      const range = document.createRange();
      range.selectNodeContents(ui.shareLink);
      const selection = window.getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
      ui.copyLink.textContent = 'Press Ctrl+C to copy';
    }
    setTimeout(() => {
      ui.copyLink.textContent = 'Copy link';
    }, 2000);
  });

  window.addEventListener('hashchange', () => {
    const code = codeFromHash();
    if (code && code !== currentCode) join(code);
  });

  /* ---------------- start ---------------- */

  const initial = codeFromHash();
  if (initial) {
    join(initial);
  } else {
    ui.pairCode.value = window.SocketPeer.randomPairCode();
    render();
  }
})();
