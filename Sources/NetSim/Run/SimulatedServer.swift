import RTMP
import RunCore

/// The fake RTMP server on the simulated network: it listens on the scenario's ports, tells the
/// protocols sharing a port apart with the RTMP module's `PortSniffer`, and runs one RunCore
/// `ServerSessionDriver` per RTMP connection, per TLS connection (inside the TLS model) and per RTMPT
/// tunnel session (behind one `RTMPTServerTunnel` per port, pumped by RunCore's `runTunnel`). It
/// counts what a run costs it.
final class SimulatedServer: TCPHandler {
    /// Where one RTMP server session's bytes go.
    private enum Carrier {
        case tcp(TCPConnectionID)
        case tls(TCPConnectionID)
        case tunnel(port: UInt16, session: String)
    }

    /// One RTMP server session, where its bytes go, and its think-time timer.
    private final class Session: ServerSessionRuntime {
        let driver: ServerSessionDriver
        let carrier: Carrier
        unowned let server: SimulatedServer
        var thinkTimer: SimEventLoop.TaskHandle?
        /// Counted among the handshakes in progress until it completes or the session ends.
        var handshaking = true

        init(driver: ServerSessionDriver, carrier: Carrier, server: SimulatedServer) {
            self.driver = driver
            self.carrier = carrier
            self.server = server
        }

        func write(_ bytes: [UInt8]) { server.write(bytes, for: self) }

        func scheduleSessionTimer(_ timer: RTMPServerSession.Timer, after delay: Duration) {
            server.cancelThink(self)
            thinkTimer = server.network.loop.schedule(after: delay) { [weak self] in
                guard let self, !self.driver.isClosed else { return }
                self.thinkTimer = nil
                self.driver.timerFired(timer, on: self)
            }
        }

        func cancelSessionTimer(_ timer: RTMPServerSession.Timer) { server.cancelThink(self) }

        func closeTransport() { server.end(self) }

        func observed(_ observation: RTMPServerSession.Observation) {
            switch observation {
            case .handshakeCompleted:
                server.handshakesCompleted += 1
                server.handshakeEnded(self)
            case .connectReceived, .connectAnswered, .protocolError, .mediaReceived, .reconnectRequested:
                break
            }
        }
    }

    /// One RTMPT connection, for the tunnel's pull loop.
    private struct TunnelConnection: ServerTunnelRuntime {
        unowned let server: SimulatedServer
        let port: UInt16
        let id: TCPConnectionID

        func nextTunnelStep() -> RTMPTServerTunnel.Action? {
            // The tunnel is mutated where it lives (`?.` goes through the dictionary's in-place
            // accessor): a copy taken out and written back would copy its session table on every
            // step, which a herd of thousands of tunnels turns into quadratic time.
            server.tunnels[port]?.next(on: id.rawValue)
        }

        func tunnelSessionOpened(_ name: String) {
            server.tunnelSessions[name] = server.makeSession(carrier: .tunnel(port: port, session: name))
        }

        func tunnelDelivered(_ bytes: [UInt8], to name: String) {
            if let session = server.tunnelSessions[name] { server.feed(session, bytes) }
        }

        func tunnelSessionClosed(_ name: String) {
            if let session = server.tunnelSessions.removeValue(forKey: name) { server.sessionGone(session) }
        }

        func writeTunnelReply(_ bytes: [UInt8]) {
            server.network.send(bytes, on: id)
        }

        func closeTunnelConnection() {
            server.connections[id] = nil
            server.tunnels[port]?.connectionClosed(id.rawValue)
            server.network.close(id)
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
    private let protocols: [UInt16: [ServedProtocol]]
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
        network: SimNetwork, host: HostID, protocols: [UInt16: [ServedProtocol]],
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
        let driver = ServerSessionDriver(configuration: configuration, seed: RunSeeds.session(seed, sessionsCreated))
        return Session(driver: driver, carrier: carrier, server: self)
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
            switch ServedProtocol.sniff(buffered[...], offered: protocols[port] ?? []) {
            case .needMoreBytes:
                connections[id] = .sniffing(buffered)
            case .serve(.rtmp):
                let session = makeSession(carrier: .tcp(id))
                connections[id] = .rtmp(session)
                feed(session, buffered)
            case .serve(.rtmps):
                let session = makeSession(carrier: .tls(id))
                connections[id] = .rtmps(TLSModel(role: .server, seed: RunSeeds.mix(seed, RunSeeds.Salt.tlsServer &+ sessionsCreated)), session)
                received(buffered, on: id)
            case .serve(.rtmpt):
                connections[id] = .rtmpt(port: port)
                received(buffered, on: id)
            case .refuse:
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
            guard let first = tunnels[port]?.received(bytes[...], on: id.rawValue) else { return }
            TunnelConnection(server: self, port: port, id: id).runTunnel(from: first)
        }
    }

    private func connectionGone(_ id: TCPConnectionID) {
        guard let connection = connections.removeValue(forKey: id) else { return }
        switch connection {
        case .rtmp(let session), .rtmps(_, let session):
            sessionGone(session)
        case .rtmpt(let port):
            // A tunnel session outlives its connection: only the connection is forgotten.
            tunnels[port]?.connectionClosed(id.rawValue)
        case .sniffing:
            break
        }
        network.close(id)
    }

    // MARK: RTMP sessions

    private func feed(_ session: Session, _ bytes: [UInt8]) {
        session.driver.received(bytes[...], on: session)
    }

    /// The session's transport went away (the client closed it, or the tunnel session ended).
    private func sessionGone(_ session: Session) {
        session.driver.transportClosed(on: session)
        handshakeEnded(session)
        cancelThink(session)
    }

    private func write(_ bytes: [UInt8], for session: Session) {
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
