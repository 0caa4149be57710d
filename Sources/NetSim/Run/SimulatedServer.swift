import RTMP
import RunCore

/// The fake RTMP server on the simulated network: it listens on the scenario's ports, tells the
/// protocols sharing a port apart with the RTMP module's `PortSniffer`, and runs one real
/// `RTMPServerSession` per RTMP connection, per TLS connection (inside the TLS model) and per RTMPT
/// tunnel session (behind one `RTMPTServerTunnel` per port). It counts what a run costs it.
final class SimulatedServer: TCPHandler {
    /// Where one RTMP server session's bytes go.
    private enum Carrier {
        case tcp(TCPConnectionID)
        case tls(TCPConnectionID)
        case tunnel(port: UInt16, session: String)
    }

    /// One RTMP server session and its think-time timer.
    private final class Session {
        var rtmp: RTMPServerSession
        let carrier: Carrier
        var thinkTimer: SimEventLoop.TaskHandle?
        var closed = false
        /// Counted among the handshakes in progress until it completes or the session ends.
        var handshaking = true

        init(rtmp: RTMPServerSession, carrier: Carrier) {
            self.rtmp = rtmp
            self.carrier = carrier
        }
    }

    private enum Connection {
        /// Fewer bytes than the sniffer needs so far.
        case sniffing([UInt8])
        case rtmp(Session)
        case rtmps(TLSModel, Session)
        case rtmpt(port: UInt16)
    }

    private unowned let network: SimNetwork
    private let protocols: [UInt16: [SimulatedScenario.ServerProtocol]]
    private let configuration: RTMPServerSession.Configuration
    private let seed: UInt64
    private var connections: [TCPConnectionID: Connection] = [:]
    private var tunnels: [UInt16: RTMPTServerTunnel] = [:]
    private var tunnelSessions: [String: Session] = [:]
    private var sessionsCreated: UInt64 = 0

    /// TCP connections accepted (from clients, proxies and transparent proxies alike).
    private(set) var connectionsAccepted = 0
    /// RTMP handshakes completed (C2 received).
    private(set) var handshakesCompleted = 0
    /// The most TCP connections open at the server at one instant: accepted and neither closed by
    /// the server nor by the peer. A herd's clients multiply it by the attempts their policy keeps
    /// in flight, which is what sizes a server's connection table after an outage.
    private(set) var peakConnections = 0
    /// The most RTMP handshakes in progress at one instant (session started, C2 not yet received):
    /// the digest handshakes are the server's CPU cost of a herd.
    private(set) var peakHandshakes = 0
    private var handshakesInProgress = 0

    /// - Parameter clients: the herd's size. The RTMP module's tunnel caps open sessions to protect
    ///   a live server from hostile input; the simulated origin stands for a production server, so
    ///   its cap grows with the herd (room for eight sessions per client) and a herd never meets the
    ///   fake server's own limit. One client keeps the module's default.
    init(
        network: SimNetwork, host: HostID, protocols: [UInt16: [SimulatedScenario.ServerProtocol]],
        configuration: RTMPServerSession.Configuration, seed: UInt64, clients: Int = 1
    ) {
        self.network = network
        self.protocols = protocols
        self.configuration = configuration
        self.seed = seed
        for port in protocols.keys.sorted() {
            network.listen(on: host, port: port, handler: self)
            if protocols[port]?.contains(.rtmpt) == true {
                var tunnelConfiguration = RTMPTServerTunnel.Configuration()
                tunnelConfiguration.maxSessions = max(tunnelConfiguration.maxSessions, 8 * clients)
                tunnels[port] = RTMPTServerTunnel(seed: RunSeeds.mix(seed, UInt64(port)), configuration: tunnelConfiguration)
            }
        }
    }

    private func makeSession(carrier: Carrier) -> Session {
        sessionsCreated += 1
        handshakesInProgress += 1
        peakHandshakes = max(peakHandshakes, handshakesInProgress)
        return Session(rtmp: RTMPServerSession(configuration: configuration, seed: RunSeeds.session(seed, sessionsCreated)), carrier: carrier)
    }

    // MARK: TCP events

    func handle(_ event: TCPEvent, on id: TCPConnectionID) {
        switch event {
        case .accepted:
            connectionsAccepted += 1
            connections[id] = .sniffing([])
            peakConnections = max(peakConnections, connections.count)
        case .received(let bytes):
            received(bytes, on: id)
        case .peerClosed, .failed:
            connectionGone(id)
        case .connected:
            return
        }
    }

    private func received(_ bytes: [UInt8], on id: TCPConnectionID) {
        guard let connection = connections[id] else { return }
        switch connection {
        case .sniffing(let earlier):
            let buffered = earlier + bytes
            guard let port = network.endpoints(of: id)?.local.port else { return }
            let offered = protocols[port] ?? []
            switch PortSniffer.sniff(buffered[...]) {
            case .needMoreBytes:
                connections[id] = .sniffing(buffered)
            case .rtmp where offered.contains(.rtmp):
                let session = makeSession(carrier: .tcp(id))
                connections[id] = .rtmp(session)
                feed(session, buffered)
            case .tls where offered.contains(.rtmps):
                let session = makeSession(carrier: .tls(id))
                connections[id] = .rtmps(TLSModel(role: .server, seed: RunSeeds.mix(seed, RunSeeds.Salt.tlsServer &+ sessionsCreated)), session)
                received(buffered, on: id)
            case .http where offered.contains(.rtmpt):
                connections[id] = .rtmpt(port: port)
                received(buffered, on: id)
            case .rtmp, .rtmpe, .tls, .http, .unknown:
                // Nothing on this port speaks that: close, as a server without a handler does.
                connections[id] = nil
                network.close(id)
            }
        case .rtmp(let session):
            feed(session, bytes)
        case .rtmps(var tls, let session):
            let output: TLSModel.Output
            do {
                output = try tls.received(bytes)
            } catch {
                end(session)
                return
            }
            connections[id] = .rtmps(tls, session)
            if !output.send.isEmpty { network.send(output.send, on: id) }
            if !output.plaintext.isEmpty { feed(session, output.plaintext) }
        case .rtmpt(let port):
            drive(port: port, connection: id) { tunnel in tunnel.received(bytes[...], on: id.rawValue) }
        }
    }

    private func connectionGone(_ id: TCPConnectionID) {
        guard let connection = connections.removeValue(forKey: id) else { return }
        switch connection {
        case .rtmp(let session), .rtmps(_, let session):
            execute(session.rtmp.closed(), for: session)
            session.closed = true
            handshakeEnded(session)
            cancelThink(session)
        case .rtmpt(let port):
            // A tunnel session outlives its connection: only the connection is forgotten.
            tunnels[port]?.connectionClosed(id.rawValue)
        case .sniffing:
            break
        }
        network.close(id)
    }

    // MARK: RTMPT

    /// Runs the tunnel's pull loop for one connection, as the RTMP module prescribes: each step is
    /// executed before asking for the next, so a reply never leaves before its session has reacted.
    private func drive(port: UInt16, connection id: TCPConnectionID, first: (inout RTMPTServerTunnel) -> RTMPTServerTunnel.Action) {
        // The tunnel is mutated where it lives (`tunnels[port]!` and `?.` go through the
        // dictionary's in-place accessor): a copy taken out and written back would copy its session
        // table on every step, which a herd of thousands of tunnels turns into quadratic time.
        guard tunnels[port] != nil else { return }
        var action = first(&tunnels[port]!)
        // Every step consumes buffered input or produces output; the bound only guards the model.
        for _ in 0..<100_000 {
            switch action {
            case .needMore:
                return
            case .sessionOpened(let name):
                tunnelSessions[name] = makeSession(carrier: .tunnel(port: port, session: name))
            case .deliver(let name, let bytes):
                if let session = tunnelSessions[name] { feed(session, bytes) }
            case .sessionClosed(let name):
                if let session = tunnelSessions.removeValue(forKey: name) {
                    execute(session.rtmp.closed(), for: session)
                    session.closed = true
                    handshakeEnded(session)
                    cancelThink(session)
                }
            case .write(let bytes):
                network.send(bytes, on: id)
            case .closeConnection:
                connections[id] = nil
                tunnels[port]?.connectionClosed(id.rawValue)
                network.close(id)
                return
            }
            guard let next = tunnels[port]?.next(on: id.rawValue) else { return }
            action = next
        }
    }

    // MARK: RTMP sessions

    private func feed(_ session: Session, _ bytes: [UInt8]) {
        guard !session.closed else { return }
        execute(session.rtmp.received(bytes[...]), for: session)
    }

    private func execute(_ action: RTMPServerSession.Action, for session: Session) {
        switch action {
        case .wait:
            return
        case .send(let bytes, let observed):
            observe(observed, for: session)
            write(bytes, for: session)
        case .sendAndScheduleTimer(let bytes, let observed, let timer, let after):
            observe(observed, for: session)
            write(bytes, for: session)
            cancelThink(session)
            session.thinkTimer = network.loop.schedule(after: after) { [weak self, weak session] in
                guard let self, let session, !session.closed else { return }
                session.thinkTimer = nil
                self.execute(session.rtmp.timerFired(timer), for: session)
            }
        case .sendAndClose(let bytes, let observed):
            observe(observed, for: session)
            write(bytes, for: session)
            end(session)
        case .cancelTimer:
            cancelThink(session)
        }
    }

    private func observe(_ observations: [RTMPServerSession.Observation], for session: Session) {
        for observation in observations {
            switch observation {
            case .handshakeCompleted:
                handshakesCompleted += 1
                handshakeEnded(session)
            case .connectReceived, .connectAnswered, .protocolError:
                break
            }
        }
    }

    private func write(_ bytes: [UInt8], for session: Session) {
        guard !bytes.isEmpty else { return }
        switch session.carrier {
        case .tcp(let id):
            network.send(bytes, on: id)
        case .tls(let id):
            guard case .rtmps(var tls, let owner)? = connections[id] else { return }
            let sealed = tls.seal(bytes)
            connections[id] = .rtmps(tls, owner)
            network.send(sealed, on: id)
        case .tunnel(let port, let name):
            // Queued for the next reply on the tunnel (the client's next /send or /idle).
            _ = tunnels[port]?.enqueue(session: name, bytes: bytes)
        }
    }

    /// The server ends a session: the TCP connection closes, or the tunnel session is closed.
    private func end(_ session: Session) {
        session.closed = true
        handshakeEnded(session)
        cancelThink(session)
        switch session.carrier {
        case .tcp(let id), .tls(let id):
            connections[id] = nil
            network.close(id)
        case .tunnel(let port, let name):
            _ = tunnels[port]?.closeSession(name)
        }
    }

    /// The session no longer counts among the handshakes in progress (completed, or ended first).
    private func handshakeEnded(_ session: Session) {
        guard session.handshaking else { return }
        session.handshaking = false
        handshakesInProgress -= 1
    }

    private func cancelThink(_ session: Session) {
        if let timer = session.thinkTimer { network.loop.cancel(timer) }
        session.thinkTimer = nil
    }
}
