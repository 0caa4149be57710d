import Connector
import RTMP

/// The in-process fake RTMP/RTMPT server: where it listens, what it speaks there and how it answers.
package struct ServerSettings: Sendable, Hashable {
    /// The host the server answers as; defaults to the first URL's host.
    package var host: String
    /// Port → the protocols spoken there, told apart by their first bytes.
    package var ports: [Int: [RTMPScheme]]
    package var response: ServerResponse
    /// The server's think time before it answers `connect`.
    package var delay: Duration
    /// What a `play` receives (`server.media`: the generated video, or an FLV file's tags); nil: no
    /// stream plays. The loader gives a scenario whose client plays the generated video by default.
    package var media: PlayableMedia?
    /// Enhanced RTMP v2's reconnect request (`server.reconnect-request`): after how much play the
    /// server asks its clients to move, where to, and when it then goes away.
    package var reconnectRequest: RTMPServerSession.ReconnectRequest?

    package init(
        host: String, ports: [Int: [RTMPScheme]] = ServerSettings.defaultPorts,
        response: ServerResponse = .accept, delay: Duration = .zero, media: PlayableMedia? = nil
    ) {
        self.host = host
        self.ports = ports
        self.response = response
        self.delay = delay
        self.media = media
    }

    /// The session every connection of the fake server runs, on either network: every stream name
    /// plays the media when there is some; none plays without.
    package var session: RTMPServerSession.Configuration {
        RTMPServerSession.Configuration(
            behavior: response.behavior, delay: delay, playableStreams: media == nil ? [] : nil, media: media,
            reconnectRequest: reconnectRequest)
    }

    /// What the fake server can speak: RTMP, RTMPT and RTMP over TLS (no RTMPE: its encryption is
    /// Adobe's and not implemented here).
    package static let protocols: [RTMPScheme] = [.rtmp, .rtmpt, .rtmps]

    /// What a stock Flash Media Server / Wowza set-up for firewalled users listens on.
    package static let defaultPorts: [Int: [RTMPScheme]] = [
        1935: [.rtmp], 443: [.rtmp, .rtmps], 80: [.rtmp, .rtmpt],
    ]
}
