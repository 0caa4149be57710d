import RunCore
/// The simulated network: hosts, the links between them, the firewall, and every TCP connection.
///
/// Applications (the client runtime, the fake server, proxies) talk to it through connection ids and
/// receive `TCPEvent`s on their `TCPHandler`. Everything happens on the owned `SimEventLoop`; every
/// random draw comes from the seed given here, in an order fixed by what the run does, so the same
/// seed and the same scenario give the same packets byte for byte.
package final class SimNetwork {
    package let loop: SimEventLoop
    /// Every packet put on the wire so far.
    package private(set) var trace: PacketTrace

    struct Host {
        let address: IPv4Address
        let profile: OSProfile
        var nextEphemeralPort: UInt16 = 49_152
    }

    struct FlowKey: Hashable {
        let host: Int
        let local: SimEndpoint
        let remote: SimEndpoint
    }

    /// One direction between two hosts, by host index.
    private struct LinkKey: Hashable {
        let from: Int
        let to: Int
    }

    private struct ListenerKey: Hashable {
        let host: Int
        let port: UInt16
    }

    /// A stateful firewall's verdict on one tracked connection.
    private enum TrackedVerdict {
        case pass
        case intercept(any TCPHandler)
    }

    private struct ConntrackKey: Hashable {
        let client: SimEndpoint
        let server: SimEndpoint
    }

    private struct FirewallPlacement {
        let firewall: Firewall
        /// The protected clients, by host index (a herd has several).
        let clients: [Bool]
        let server: Int
        let box: Int

        func protects(_ host: Int) -> Bool { host < clients.count && clients[host] }
    }

    private var random: SimRandom
    private(set) var hosts: [Host] = []
    /// Host indices by address. A herd has up to 100,000 client hosts, so neither this lookup nor
    /// the links below may grow with the square of the hosts or scan them on every packet.
    private var hostIndices: [UInt32: Int] = [:]
    /// Links by source and destination host index (`LinkKey`); only the shaped or used directions
    /// exist, which for a herd is a few per client instead of a hosts × hosts matrix.
    private var links: [LinkKey: Link] = [:]
    private var listeners: [ListenerKey: any TCPHandler] = [:]
    private var flows: [FlowKey: TCPConnection] = [:]
    /// Live connections by `TCPConnectionID.rawValue` (ids are handed out in order from 0; a slot is
    /// `nil` once its connection is gone). An array, not a dictionary: every `send`, `close` and
    /// `forget` looks a connection up, and hashing the id was a measurable share of a run.
    private var connections: [TCPConnection?] = []
    private var liveConnections = 0
    /// Bumped whenever a host or a link is added or replaced, so that a connection's cached `Route`
    /// is resolved again after any change of topology.
    private var topologyGeneration = 0
    private var placement: FirewallPlacement?
    private var conntrack: [ConntrackKey: TrackedVerdict] = [:]
    private var interceptors: [Int: any TCPHandler] = [:]

    /// A segment on its link, waiting for its arrival event.
    private struct InFlight {
        var segment: TCPSegment
        var source: Int
        var destination: Int
        var traceIndex: Int?
    }

    /// Segments on the wire by slot (the arrival event carries the slot); a slot is reused once its
    /// segment has arrived, so the table is as large as the most segments ever in flight at once.
    private var inFlight: [InFlight?] = []
    private var freeSlots: [Int32] = []

    /// - Parameters:
    ///   - seed: the run's seed; every random draw of the network derives from it.
    ///   - recordTrace: `false` skips the packet trace, for benchmarks and repetitions.
    package init(seed: UInt64, recordTrace: Bool = true, loop: SimEventLoop = SimEventLoop()) {
        precondition(loop.network == nil, "a SimEventLoop serves one SimNetwork")
        self.loop = loop
        self.random = SimRandom(seed: seed)
        self.trace = PacketTrace(isRecording: recordTrace)
        loop.network = self
    }

    // MARK: Topology

    /// Adds a host with `address` whose TCP stack behaves like `profile`.
    package func addHost(address: IPv4Address, profile: OSProfile = .linux) -> HostID {
        precondition(hostIndex(of: address) == nil, "two hosts with address \(address)")
        hostIndices[address.value] = hosts.count
        hosts.append(Host(address: address, profile: profile))
        topologyGeneration += 1
        return HostID(rawValue: hosts.count - 1)
    }

    package func address(of host: HostID) -> IPv4Address { hosts[host.rawValue].address }

    private func hostIndex(of address: IPv4Address) -> Int? {
        hostIndices[address.value]
    }

    /// Shapes the direction `from` → `to`. A direction never shaped is an ideal wire.
    package func setPath(from: HostID, to: HostID, conditions: LinkConditions) {
        links[LinkKey(from: from.rawValue, to: to.rawValue)] = Link(conditions: conditions, random: random.split())
        topologyGeneration += 1
    }

    /// Makes `from` → `to` use the very link `otherFrom` → `otherTo` uses: one transmitter, one
    /// queue, so packets of both paths wait behind each other at its bandwidth (clients behind one
    /// access link).
    package func sharePath(from: HostID, to: HostID, withPathFrom otherFrom: HostID, to otherTo: HostID) {
        links[LinkKey(from: from.rawValue, to: to.rawValue)] = link(from: otherFrom.rawValue, to: otherTo.rawValue)
        topologyGeneration += 1
    }

    /// Shapes both directions between `a` and `b`.
    package func setPath(between a: HostID, and b: HostID, aToB: LinkConditions, bToA: LinkConditions) {
        setPath(from: a, to: b, conditions: aToB)
        setPath(from: b, to: a, conditions: bToA)
    }

    private func link(from: Int, to: Int) -> Link {
        let key = LinkKey(from: from, to: to)
        if let link = links[key] { return link }
        let link = Link(conditions: .ideal, random: random.split())
        links[key] = link
        return link
    }

    /// Puts `firewall` in front of `server` for traffic from `client`, and returns the firewall's own
    /// host (at `address`), where transparent proxies and black holes terminate intercepted
    /// connections.
    ///
    /// The firewall sits at the server's end of the path: what it sends back to the client shares
    /// the server → client link, and it reaches the server over an ideal wire.
    @discardableResult
    package func installFirewall(_ firewall: Firewall, between client: HostID, and server: HostID, address: IPv4Address) -> HostID {
        installFirewall(firewall, between: [client], and: server, address: address)
    }

    /// The same for several clients behind one firewall (a thundering herd).
    @discardableResult
    package func installFirewall(_ firewall: Firewall, between clients: [HostID], and server: HostID, address: IPv4Address) -> HostID {
        let box = addHost(address: address, profile: .linux)
        var protected = [Bool](repeating: false, count: hosts.count)
        for client in clients {
            links[LinkKey(from: box.rawValue, to: client.rawValue)] = link(from: server.rawValue, to: client.rawValue)
            protected[client.rawValue] = true
        }
        placement = FirewallPlacement(firewall: firewall, clients: protected, server: server.rawValue, box: box.rawValue)
        topologyGeneration += 1
        return box
    }

    // MARK: Sockets

    /// Listens on `port` of `host`; `handler` receives the events of every accepted connection.
    package func listen(on host: HostID, port: UInt16, handler: any TCPHandler) {
        listeners[ListenerKey(host: host.rawValue, port: port)] = handler
    }

    /// Opens a connection from `host` to `remote`: the first SYN leaves now.
    @discardableResult
    package func connect(from host: HostID, to remote: SimEndpoint, handler: any TCPHandler) -> TCPConnectionID {
        let local = SimEndpoint(hosts[host.rawValue].address, allocatePort(on: host.rawValue, remote: remote))
        let connection = makeConnection(host: host.rawValue, local: local, remote: remote, handler: handler, passive: false)
        connection.startActiveOpen()
        return connection.id
    }

    /// Writes bytes; they are segmented at the MSS and sent as soon as the handshake allows.
    package func send(_ bytes: [UInt8], on connection: TCPConnectionID) {
        liveConnection(connection)?.send(bytes)
    }

    /// Closes the socket: pending data, then FIN. No further events are delivered for it.
    package func close(_ connection: TCPConnectionID) {
        liveConnection(connection)?.close()
    }

    /// Resets the connection. No further events are delivered for it.
    package func abort(_ connection: TCPConnectionID) {
        liveConnection(connection)?.abort()
    }

    /// The two ends of a live connection.
    package func endpoints(of connection: TCPConnectionID) -> (local: SimEndpoint, remote: SimEndpoint)? {
        liveConnection(connection).map { ($0.local, $0.remote) }
    }

    private func liveConnection(_ id: TCPConnectionID) -> TCPConnection? {
        connections.indices.contains(id.rawValue) ? connections[id.rawValue] : nil
    }

    /// When each active open sent its SYNs (the first and every retransmission), for the attempt
    /// timelines; kept after the connection is gone.
    package private(set) var synLog: [TCPConnectionID: [SimTime]] = [:]

    func noteSYN(of connection: TCPConnectionID) {
        synLog[connection, default: []].append(loop.now)
    }

    /// How many connections are open or opening, for tests that check nothing leaks.
    package var openConnectionCount: Int { liveConnections }

    private func allocatePort(on host: Int, remote: SimEndpoint) -> UInt16 {
        let address = hosts[host].address
        for _ in 0..<16_384 {
            let port = hosts[host].nextEphemeralPort
            hosts[host].nextEphemeralPort = port == 65_535 ? 49_152 : port + 1
            if flows[FlowKey(host: host, local: SimEndpoint(address, port), remote: remote)] == nil {
                return port
            }
        }
        preconditionFailure("ephemeral ports exhausted on \(address)")
    }

    private func makeConnection(host: Int, local: SimEndpoint, remote: SimEndpoint, handler: any TCPHandler, passive: Bool) -> TCPConnection {
        let id = TCPConnectionID(rawValue: connections.count)
        let connection = TCPConnection(
            id: id, host: HostID(rawValue: host), local: local, remote: remote, profile: hosts[host].profile,
            network: self, handler: handler, iss: UInt32(truncatingIfNeeded: random.next()), passive: passive
        )
        connections.append(connection)
        liveConnections += 1
        flows[FlowKey(host: host, local: local, remote: remote)] = connection
        return connection
    }

    func forget(_ connection: TCPConnection) {
        if connections[connection.id.rawValue] != nil {
            connections[connection.id.rawValue] = nil
            liveConnections -= 1
        }
        let key = FlowKey(host: connection.host.rawValue, local: connection.local, remote: connection.remote)
        if flows[key] === connection { flows[key] = nil }
    }

    // MARK: Packets

    /// Where one connection's segments go: its peer's host index and the link to it, as resolved
    /// for `generation` of the topology. A connection keeps one so that each segment it sends does
    /// not hash the peer's address and the link's key again.
    struct Route {
        fileprivate let generation: Int
        fileprivate let destination: Int
        fileprivate let link: Link
    }

    /// Puts `segment` on the wire from `host`.
    func emit(_ segment: TCPSegment, from host: HostID) {
        var route: Route?
        emit(segment, from: host, route: &route)
    }

    /// Puts `segment` on the wire from `host` along `route`, resolving it first if it is `nil` or
    /// older than the topology. Every segment given one `route` must have the same source host and
    /// destination address (a connection's own segments). The same packets, links and random draws
    /// as resolving each time: a link is created by the first segment that needs it either way.
    func emit(_ segment: TCPSegment, from host: HostID, route: inout Route?) {
        let now = loop.now
        let resolved: Route
        if let route, route.generation == topologyGeneration {
            resolved = route
        } else {
            guard let destination = hostIndex(of: segment.destination.address) else {
                route = nil
                trace.record(TracedPacket(time: now, content: .tcp(segment), fate: .noRoute))
                return
            }
            resolved = Route(generation: topologyGeneration, destination: destination, link: link(from: host.rawValue, to: destination))
            route = resolved
        }
        let destination = resolved.destination
        let index = trace.nextIndex
        trace.record(TracedPacket(time: now, content: .tcp(segment), fate: .lost))
        guard let arrival = resolved.link.transmit(size: segment.wireSize, flow: segment.flow, at: now) else {
            return
        }
        let parked = InFlight(segment: segment, source: host.rawValue, destination: destination, traceIndex: index)
        let slot: Int32
        if let free = freeSlots.popLast() {
            slot = free
            inFlight[Int(free)] = parked
        } else {
            slot = Int32(inFlight.count)
            inFlight.append(parked)
        }
        loop.schedule(.arrival(slot: slot), at: arrival)
    }

    /// The arrival event of the segment in `slot`.
    func arrive(slot: Int32) {
        guard let parked = inFlight[Int(slot)] else { preconditionFailure("arrival of empty slot \(slot)") }
        inFlight[Int(slot)] = nil
        freeSlots.append(slot)
        arrive(parked.segment, from: parked.source, to: parked.destination, traceIndex: parked.traceIndex)
    }

    /// The timer event of connection `connection`. A connection that has ended is no longer in the
    /// table; its timers were cancelled when it ended, so nothing is lost by not finding it.
    func timerFired(connection: Int32, generation: UInt64, resendSYN: Bool) {
        connections[Int(connection)]?.timerFired(generation: generation, resendSYN: resendSYN)
    }

    private func arrive(_ segment: TCPSegment, from source: Int, to destination: Int, traceIndex: Int?) {
        guard let placement, destination == placement.server, placement.protects(source) else {
            trace.setFate(.delivered(at: loop.now), at: traceIndex)
            deliver(segment, to: destination, interceptor: nil)
            return
        }
        let key = ConntrackKey(client: segment.source, server: segment.destination)
        if let verdict = conntrack[key] {
            trace.setFate(.delivered(at: loop.now), at: traceIndex)
            switch verdict {
            case .pass: deliver(segment, to: destination, interceptor: nil)
            case .intercept(let handler): deliver(segment, to: placement.box, interceptor: handler)
            }
            return
        }
        let isNewConnection = segment.flags.contains(.syn) && !segment.flags.contains(.ack)
        guard isNewConnection, let (rule, action) = placement.firewall.verdict(port: segment.destination.port, at: loop.now) else {
            if isNewConnection { conntrack[key] = .pass }
            trace.setFate(.delivered(at: loop.now), at: traceIndex)
            deliver(segment, to: destination, interceptor: nil)
            return
        }
        switch action {
        case .allow:
            conntrack[key] = .pass
            trace.setFate(.delivered(at: loop.now), at: traceIndex)
            deliver(segment, to: destination, interceptor: nil)
        case .drop:
            trace.setFate(.dropped(rule: rule), at: traceIndex)
        case .reject:
            trace.setFate(.rejected(rule: rule), at: traceIndex)
            let reset = TCPSegment(
                source: segment.destination, destination: segment.source, sequence: 0,
                acknowledgement: segment.sequence &+ segment.sequenceLength, flags: [.rst, .ack]
            )
            emit(reset, from: HostID(rawValue: placement.box))
        case .rejectICMP(let code):
            trace.setFate(.rejected(rule: rule), at: traceIndex)
            emitICMP(ICMPUnreachable(source: hosts[placement.box].address, destination: segment.source.address, code: code, quoted: segment), from: placement.box)
        case .httpOnly(let onNonHTTP, let idleTimeout):
            let handler = interceptor(rule: rule) {
                TransparentHTTPProxy(network: self, host: HostID(rawValue: placement.box), onNonHTTP: onNonHTTP, idleTimeout: idleTimeout)
            }
            conntrack[key] = .intercept(handler)
            trace.setFate(.delivered(at: loop.now), at: traceIndex)
            deliver(segment, to: placement.box, interceptor: handler)
        case .blackhole:
            let handler = interceptor(rule: rule) { Blackhole() }
            conntrack[key] = .intercept(handler)
            trace.setFate(.delivered(at: loop.now), at: traceIndex)
            deliver(segment, to: placement.box, interceptor: handler)
        }
    }

    private func interceptor(rule: Int, make: () -> any TCPHandler) -> any TCPHandler {
        if let existing = interceptors[rule] { return existing }
        let handler = make()
        interceptors[rule] = handler
        return handler
    }

    private func deliver(_ segment: TCPSegment, to host: Int, interceptor: (any TCPHandler)?) {
        let key = FlowKey(host: host, local: segment.destination, remote: segment.source)
        if let connection = flows[key] {
            connection.receive(segment)
            return
        }
        let isSYN = segment.flags.contains(.syn) && !segment.flags.contains(.ack)
        let handler: (any TCPHandler)?
        if let interceptor {
            handler = interceptor
        } else if segment.destination.address == hosts[host].address {
            handler = listeners[ListenerKey(host: host, port: segment.destination.port)]
        } else {
            handler = nil
        }
        if isSYN, let handler {
            let connection = makeConnection(host: host, local: segment.destination, remote: segment.source, handler: handler, passive: true)
            connection.startPassiveOpen(syn: segment)
            return
        }
        guard !segment.flags.contains(.rst) else { return }
        // No socket: a closed port, or a segment for a connection that is gone (RFC 793 reset rules).
        let reset: TCPSegment
        if segment.flags.contains(.ack) {
            reset = TCPSegment(source: segment.destination, destination: segment.source, sequence: segment.acknowledgement, acknowledgement: 0, flags: .rst)
        } else {
            reset = TCPSegment(
                source: segment.destination, destination: segment.source, sequence: 0,
                acknowledgement: segment.sequence &+ segment.sequenceLength, flags: [.rst, .ack]
            )
        }
        emit(reset, from: HostID(rawValue: host))
    }

    private func emitICMP(_ message: ICMPUnreachable, from host: Int) {
        let now = loop.now
        guard let destination = hostIndex(of: message.destination) else { return }
        let index = trace.nextIndex
        trace.record(TracedPacket(time: now, content: .icmp(message), fate: .lost))
        guard let arrival = link(from: host, to: destination).transmit(size: 56, at: now) else {
            return
        }
        loop.schedule(at: arrival) { [unowned self] in
            self.trace.setFate(.delivered(at: self.loop.now), at: index)
            let key = FlowKey(host: destination, local: message.quoted.source, remote: message.quoted.destination)
            self.flows[key]?.receive(message)
        }
    }
}
