import Connector
import RunCore

/// What the player under test is given and which machine it runs on.
package struct ClientSettings: Sendable, Hashable {
    /// The URL(s) the player is given. Several form a streamer list (JW Player 4); other policies use
    /// the first.
    package var urls: [ConnectURL]
    /// Decides the SYN retransmission schedule, hence how long a silently dropped attempt lasts.
    package var os: ClientOS
    /// An explicit HTTP proxy the client is configured with, if any.
    package var proxy: ProxyAddress?
    /// An external client to run instead of the built-in one (live networks only); `{url}` is replaced.
    package var command: String?
    /// Bounds an external client.
    package var timeout: Duration
    /// The stream the player plays once connected (`client.play`): each run goes on, on the winner,
    /// to the stream's first video keyframe. nil: a run ends at connect.
    package var play: String?

    package init(
        urls: [ConnectURL], os: ClientOS = .defaultOS, proxy: ProxyAddress? = nil, command: String? = nil,
        timeout: Duration = ClientSettings.defaultTimeout, play: String? = nil
    ) {
        self.urls = urls
        self.os = os
        self.proxy = proxy
        self.command = command
        self.timeout = timeout
        self.play = play
    }

    /// The external client's row name in reports and `expect` entries (`external:rtmpdump`: the
    /// program's base name), when there is a command.
    package var externalClientName: String? {
        command.flatMap { try? ClientCommand(parsing: $0) }?.rowName
    }

    /// librtmp's own default timeout, so an external rtmpdump is bounded the way it bounds itself.
    package static let defaultTimeout: Duration = .seconds(30)
}
