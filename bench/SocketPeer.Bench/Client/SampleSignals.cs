namespace SocketPeer.Bench.Client;

/// <summary>
/// Realistic signalling payloads: a Chrome-like offer and answer for one audio track and a data
/// channel (about 2 KB of SDP each), and a server-reflexive ICE candidate. Addresses are from the
/// documentation ranges; nothing here is ever dialled.
/// </summary>
public static class SampleSignals
{
    private static readonly string[] OfferLines =
    [
        "v=0", "o=- 4611731400430051336 2 IN IP4 127.0.0.1", "s=-", "t=0 0", "a=group:BUNDLE 0 1",
        "a=extmap-allow-mixed", "a=msid-semantic: WMS 6a2b9c47-8a4e-4bd3-9d3e-5f0c1e2d3a4b",
        "m=audio 9 UDP/TLS/RTP/SAVPF 111 63 9 0 8 13 110 126", "c=IN IP4 0.0.0.0", "a=rtcp:9 IN IP4 0.0.0.0",
        "a=ice-ufrag:Fq3d", "a=ice-pwd:kM9v2XbQ7rT1yLw8ZcN4pH6s", "a=ice-options:trickle",
        "a=fingerprint:sha-256 7B:8B:F0:65:5F:78:E2:51:3B:AC:6F:F3:3F:46:1B:35:DC:B8:5F:64:1A:24:C2:43:F0:A1:58:D0:A1:2C:19:08",
        "a=setup:actpass", "a=mid:0", "a=extmap:1 urn:ietf:params:rtp-hdrext:ssrc-audio-level",
        "a=extmap:2 http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time",
        "a=extmap:3 http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01",
        "a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid", "a=sendrecv",
        "a=msid:6a2b9c47-8a4e-4bd3-9d3e-5f0c1e2d3a4b 0f5e7d1c-2b3a-4c5d-8e9f-a0b1c2d3e4f5", "a=rtcp-mux",
        "a=rtpmap:111 opus/48000/2", "a=rtcp-fb:111 transport-cc", "a=fmtp:111 minptime=10;useinbandfec=1",
        "a=rtpmap:63 red/48000/2", "a=fmtp:63 111/111", "a=rtpmap:9 G722/8000", "a=rtpmap:0 PCMU/8000",
        "a=rtpmap:8 PCMA/8000", "a=rtpmap:13 CN/8000", "a=rtpmap:110 telephone-event/48000",
        "a=rtpmap:126 telephone-event/8000", "a=ssrc:3735928559 cname:Yq8dL2mN5pR7tV9x",
        "a=ssrc:3735928559 msid:6a2b9c47-8a4e-4bd3-9d3e-5f0c1e2d3a4b 0f5e7d1c-2b3a-4c5d-8e9f-a0b1c2d3e4f5",
        "m=application 9 UDP/DTLS/SCTP webrtc-datachannel", "c=IN IP4 0.0.0.0", "a=ice-ufrag:Fq3d",
        "a=ice-pwd:kM9v2XbQ7rT1yLw8ZcN4pH6s", "a=ice-options:trickle",
        "a=fingerprint:sha-256 7B:8B:F0:65:5F:78:E2:51:3B:AC:6F:F3:3F:46:1B:35:DC:B8:5F:64:1A:24:C2:43:F0:A1:58:D0:A1:2C:19:08",
        "a=setup:actpass", "a=mid:1", "a=sctp-port:5000", "a=max-message-size:262144",
    ];

    /// <summary>The offer's SDP as a JSON string body (CRLF escaped).</summary>
    public static readonly string OfferSdp = string.Join("\\r\\n", OfferLines) + "\\r\\n";

    /// <summary>The answer: the same session with the answerer's credentials and setup role.</summary>
    public static readonly string AnswerSdp = OfferSdp
        .Replace("a=setup:actpass", "a=setup:active")
        .Replace("Fq3d", "Zp7k")
        .Replace("4611731400430051336", "8302197546213379902");

    public const string Candidate =
        "candidate:842163049 1 udp 1677729535 192.0.2.10 54321 typ srflx raddr 0.0.0.0 rport 0 generation 0 ufrag Fq3d network-cost 999";
}
