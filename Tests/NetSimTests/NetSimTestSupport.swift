import Testing
import NetSim
import RunCore

/// An application that records every event with its virtual time, and can answer with a script.
final class RecordingApp: TCPHandler {
    struct Entry {
        let time: SimTime
        let connection: TCPConnectionID
        let event: TCPEvent
    }

    let network: SimNetwork
    private(set) var entries: [Entry] = []
    /// Bytes received per connection, concatenated.
    private(set) var received: [TCPConnectionID: [UInt8]] = [:]
    /// Called after recording; lets a test reply.
    var onEvent: ((TCPEvent, TCPConnectionID) -> Void)?

    init(network: SimNetwork) {
        self.network = network
    }

    func handle(_ event: TCPEvent, on connection: TCPConnectionID) {
        entries.append(Entry(time: network.loop.now, connection: connection, event: event))
        if case .received(let bytes) = event { received[connection, default: []] += bytes }
        onEvent?(event, connection)
    }

    /// The time of the first event matching `predicate`.
    func firstTime(where predicate: (TCPEvent) -> Bool) -> SimTime? {
        entries.first { predicate($0.event) }?.time
    }

    var connectedAt: SimTime? { firstTime { if case .connected = $0 { true } else { false } } }
    var acceptedAt: SimTime? { firstTime { if case .accepted = $0 { true } else { false } } }
    var failure: (error: TCPError, time: SimTime)? {
        for entry in entries { if case .failed(let error) = entry.event { return (error, entry.time) } }
        return nil
    }
    var peerClosedAt: SimTime? { firstTime { if case .peerClosed = $0 { true } else { false } } }
    var allReceived: [UInt8] { received.values.flatMap { $0 } }
}

/// The usual topology: a client and a server, shaped both ways, optionally behind a firewall.
struct Topology {
    static let clientAddress = IPv4Address(192, 0, 2, 10)
    static let serverAddress = IPv4Address(198, 51, 100, 20)
    static let firewallAddress = IPv4Address(198, 51, 100, 1)
    static let proxyAddress = IPv4Address(192, 0, 2, 1)

    let network: SimNetwork
    let client: HostID
    let server: HostID

    init(
        seed: UInt64 = 1, os: OSProfile = .windows, latency: Duration = .milliseconds(20),
        conditions: LinkConditions? = nil, firewall: Firewall? = nil
    ) {
        network = SimNetwork(seed: seed)
        client = network.addHost(address: Self.clientAddress, profile: os)
        server = network.addHost(address: Self.serverAddress, profile: .linux)
        let shaped = conditions ?? LinkConditions(latency: latency)
        network.setPath(between: client, and: server, aToB: shaped, bToA: shaped)
        if let firewall {
            network.installFirewall(firewall, between: client, and: server, address: Self.firewallAddress)
        }
    }

    func serverEndpoint(_ port: UInt16) -> SimEndpoint { SimEndpoint(Self.serverAddress, port) }
}

/// Random-looking but deterministic bytes for payload tests.
func testBytes(_ count: Int, seed: UInt64 = 7) -> [UInt8] {
    var random = SimRandom(seed: seed)
    return (0..<count).map { _ in UInt8(truncatingIfNeeded: random.next()) }
}

func ms(_ value: Int64) -> SimTime { SimTime(.milliseconds(value)) }
