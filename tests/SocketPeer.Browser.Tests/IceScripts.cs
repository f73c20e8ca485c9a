namespace SocketPeer.Browser.Tests;

/// <summary>Scripts a test runs in a page before the page's own scripts (init scripts).</summary>
public static class IceScripts
{
    /// <summary>
    /// Records the configuration every RTCPeerConnection gets (<c>ice.configs</c>), the types of the
    /// ICE candidates it gathers (<c>ice.candidates</c>) and its <c>icecandidateerror</c>s
    /// (<c>ice.errors</c>), whatever the client does with them.
    /// </summary>
    public const string Record = """
        window.ice = { configs: [], candidates: [], errors: [] };
        const NativePeerConnection = window.RTCPeerConnection;
        window.RTCPeerConnection = class extends NativePeerConnection {
          constructor(config, ...rest) {
            super(config, ...rest);
            ice.configs.push(JSON.parse(JSON.stringify(config || {})));
            this.addEventListener('icecandidate', (e) => {
              if (e.candidate) ice.candidates.push(e.candidate.type || (/ typ (\w+)/.exec(e.candidate.candidate) || [])[1]);
            });
            this.addEventListener('icecandidateerror', (e) =>
              ice.errors.push({ code: e.errorCode, text: e.errorText, url: e.url }));
          }
        };
        """;

    /// <summary>
    /// Makes the page hear the server as an older server spoke: a <c>session</c> message without
    /// <c>iceServers</c> and <c>iceServersExpireAt</c>.
    /// </summary>
    public const string OlderServerSession = """
        const NativeWebSocket = window.WebSocket;
        window.WebSocket = class extends NativeWebSocket {
          addEventListener(type, listener, options) {
            if (type !== 'message') return super.addEventListener(type, listener, options);
            return super.addEventListener(type, (event) => {
              let data = event.data;
              try {
                const message = JSON.parse(data);
                if (message.type === 'session') {
                  delete message.data.iceServers;
                  delete message.data.iceServersExpireAt;
                  data = JSON.stringify(message);
                }
              } catch { /* not JSON: as it came */ }
              listener.call(this, new MessageEvent('message', { data }));
            }, options);
          }
        };
        """;
}
