import Connector
import RTMP
import RunCore

/// Everything a simulated run needs to know about the world: the client, its proxy, the network, the
/// firewall and the server. The scenario file's `client`, `proxy`, `server`, `network` and `firewall`
/// sections map onto it one to one.
package struct SimulatedScenario: Sendable {
    /// The explicit HTTP proxy the client is configured with (`client.proxy`).
    package struct ClientProxy: Sendable {
        package var host: String
        package var port: UInt16
        package var configuration: HTTPProxyConfiguration

        package init(host: String, port: UInt16, configuration: HTTPProxyConfiguration = HTTPProxyConfiguration()) {
            self.host = host
            self.port = port
            self.configuration = configuration
        }
    }

    /// The URL the player is given (`|` separates a streamer list).
    package var url: String {
        get { urlText }
        set {
            urlText = newValue
            parsedURLs = Self.parse(newValue)
        }
    }
    private var urlText: String

    /// Sets the URL list from URLs already parsed (a scenario file's, a candidate's), without a
    /// round trip through text: `url` is their text for traces and messages.
    package mutating func setURLs(_ urls: [ConnectURL]) {
        urlText = urls.map(\.description).joined(separator: "|")
        parsedURLs = .success(urls)
    }
    /// `url` parsed once, when it is set: every run's connector is built from it, and parsing the text
    /// again for each run was 5 % of the simulator's time (docs/performance.md).
    package private(set) var parsedURLs: Result<[ConnectURL], ConnectURLError>
    /// The client's TCP stack: its SYN schedule decides what a silent drop costs.
    package var clientOS: OSProfile
    /// HTTP-based transports (rtmpt) go through it when set, as Flash Player used the browser's
    /// proxy settings; rtmp and rtmps always go direct.
    package var clientProxy: ClientProxy?
    /// Ports and what each speaks. Default: 1935 rtmp; 443 rtmp and rtmps; 80 rtmp and rtmpt.
    package var serverPorts: [UInt16: [ServedProtocol]]
    /// How the server answers `connect`, and its think time.
    package var serverSession: RTMPServerSession.Configuration
    /// Client → server shaping.
    package var uplink: LinkConditions
    /// Server → client shaping.
    package var downlink: LinkConditions
    package var firewall: Firewall
    /// The stream the player plays on the winner after connect (`client.play`), so the run goes on
    /// to the first frame; nil: the run ends at connect. The server needs `serverSession.media` then.
    package var play: String?
    /// Whether the player streams on after its first frame to measure a reconnect: the server sends
    /// a reconnect request (`serverSession.reconnectRequest`) and then goes away.
    package var measuresReconnect: Bool { play != nil && serverSession.reconnectRequest != nil }

    package static let defaultServerPorts: [UInt16: [ServedProtocol]] = [
        1935: [.rtmp], 443: [.rtmp, .rtmps], 80: [.rtmp, .rtmpt],
    ]

    package init(
        url: String, clientOS: OSProfile = .windows, clientProxy: ClientProxy? = nil,
        serverPorts: [UInt16: [ServedProtocol]] = Self.defaultServerPorts,
        serverSession: RTMPServerSession.Configuration = RTMPServerSession.Configuration(),
        uplink: LinkConditions = .ideal, downlink: LinkConditions = .ideal, firewall: Firewall = Firewall()
    ) {
        self.urlText = url
        self.parsedURLs = Self.parse(url)
        self.clientOS = clientOS
        self.clientProxy = clientProxy
        self.serverPorts = serverPorts
        self.serverSession = serverSession
        self.uplink = uplink
        self.downlink = downlink
        self.firewall = firewall
    }

    private static func parse(_ url: String) -> Result<[ConnectURL], ConnectURLError> {
        Result { () throws(ConnectURLError) in try ConnectURL.parseList(url) }
    }

    /// The same shaping both ways (the scenario file's `network:` section).
    package init(
        url: String, clientOS: OSProfile = .windows, clientProxy: ClientProxy? = nil,
        serverPorts: [UInt16: [ServedProtocol]] = Self.defaultServerPorts,
        serverSession: RTMPServerSession.Configuration = RTMPServerSession.Configuration(),
        network: LinkConditions, firewall: Firewall = Firewall()
    ) {
        self.init(
            url: url, clientOS: clientOS, clientProxy: clientProxy, serverPorts: serverPorts,
            serverSession: serverSession, uplink: network, downlink: network, firewall: firewall
        )
    }
}
