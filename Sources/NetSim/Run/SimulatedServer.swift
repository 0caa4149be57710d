import RTMP

/// The fake RTMP server on the simulated network: it listens on the scenario's ports, tells the
/// protocols on a port apart by the client's first bytes, and runs one real `RTMPServerSession` per
/// connection (inside the TLS model for rtmps). It counts what a run costs it.
final class SimulatedServer: TCPHandler {
    private enum Link {
        /// Nothing read yet: the first bytes decide the protocol.
        case sniffing
        case rtmp(RTMPServerSession)
        case rtmps(TLSModel, RTMPServerSession)
        /// Closed by the server; later events are ignored.
        case closed
    }

    private final class Connection {
        var link: Link = .sniffing
        var thinkTimer: SimEventLoop.TaskHandle?
        let seed: UInt64
        init(seed: UInt64) { self.seed = seed }
    }

    private unowned let network: SimNetwork
    private let host: HostID
    private let protocols: [UInt16: [SimulatedScenario.ServerProtocol]]
    private let configuration: RTMPServerSession.Configuration
    private let seed: UInt64
    private var connections: [TCPConnectionID: Connection] = [:]

    /// TCP connections accepted (from clients, proxies and transparent proxies alike).
    private(set) var connectionsAccepted = 0
    /// RTMP handshakes completed (C2 received).
    private(set) var handshakesCompleted = 0

    init(
        network: SimNetwork, host: HostID, protocols: [UInt16: [SimulatedScenario.ServerProtocol]],
        configuration: RTMPServerSession.Configuration, seed: UInt64
    ) {
        self.network = network
        self.host = host
        self.protocols = protocols
        self.configuration = configuration
        self.seed = seed
        for port in protocols.keys.sorted() {
            network.listen(on: host, port: port, handler: self)
        }
    }

    func handle(_ event: TCPEvent, on id: TCPConnectionID) {
        switch event {
        case .accepted:
            connectionsAccepted += 1
            connections[id] = Connection(seed: seed &+ UInt64(connectionsAccepted) &* 0x9E37_79B9_7F4A_7C15)
        case .received(let bytes):
            guard let connection = connections[id] else { return }
            received(bytes, on: id, connection)
        case .peerClosed, .failed:
            guard let connection = connections.removeValue(forKey: id) else { return }
            switch connection.link {
            case .rtmp(var session):
                _ = session.closed()
            case .rtmps(_, var session):
                _ = session.closed()
            case .sniffing, .closed:
                break
            }
            if let timer = connection.thinkTimer { network.loop.cancel(timer) }
            network.close(id)
        case .connected:
            return
        }
    }

    private func received(_ bytes: [UInt8], on id: TCPConnectionID, _ connection: Connection) {
        switch connection.link {
        case .sniffing:
            guard let first = bytes.first, let port = network.endpoints(of: id)?.local.port else { return }
            let offered = protocols[port] ?? []
            if first == 0x03, offered.contains(.rtmp) {
                let session = RTMPServerSession(configuration: configuration, seed: connection.seed)
                connection.link = .rtmp(session)
                received(bytes, on: id, connection)
            } else if first == 0x16, offered.contains(.rtmps) {
                connection.link = .rtmps(TLSModel(role: .server, seed: connection.seed ^ 0x5555), RTMPServerSession(configuration: configuration, seed: connection.seed))
                received(bytes, on: id, connection)
            } else {
                // Nothing on this port speaks that: close, as a server with no handler for it would.
                close(id, connection)
            }
        case .rtmp(var session):
            let action = session.received(bytes[...])
            connection.link = .rtmp(session)
            execute(action, on: id, connection)
        case .rtmps(var tls, var session):
            let output: TLSModel.Output
            do {
                output = try tls.received(bytes)
            } catch {
                close(id, connection)
                return
            }
            if !output.send.isEmpty { network.send(output.send, on: id) }
            connection.link = .rtmps(tls, session)
            guard !output.plaintext.isEmpty else { return }
            let action = session.received(output.plaintext[...])
            connection.link = .rtmps(tls, session)
            execute(action, on: id, connection)
        case .closed:
            return
        }
    }

    private func execute(_ action: RTMPServerSession.Action, on id: TCPConnectionID, _ connection: Connection) {
        switch action {
        case .wait:
            return
        case .send(let bytes, let observed):
            observe(observed)
            write(bytes, on: id, connection)
        case .sendAndScheduleTimer(let bytes, let observed, let timer, let after):
            observe(observed)
            write(bytes, on: id, connection)
            if let old = connection.thinkTimer { network.loop.cancel(old) }
            connection.thinkTimer = network.loop.schedule(after: after) { [weak self, weak connection] in
                guard let self, let connection else { return }
                connection.thinkTimer = nil
                self.timerFired(timer, on: id, connection)
            }
        case .sendAndClose(let bytes, let observed):
            observe(observed)
            write(bytes, on: id, connection)
            close(id, connection)
        case .cancelTimer:
            if let timer = connection.thinkTimer { network.loop.cancel(timer) }
            connection.thinkTimer = nil
        }
    }

    private func timerFired(_ timer: RTMPServerSession.Timer, on id: TCPConnectionID, _ connection: Connection) {
        switch connection.link {
        case .rtmp(var session):
            let action = session.timerFired(timer)
            connection.link = .rtmp(session)
            execute(action, on: id, connection)
        case .rtmps(let tls, var session):
            let action = session.timerFired(timer)
            connection.link = .rtmps(tls, session)
            execute(action, on: id, connection)
        case .sniffing, .closed:
            return
        }
    }

    private func observe(_ observations: [RTMPServerSession.Observation]) {
        for observation in observations {
            switch observation {
            case .handshakeCompleted:
                handshakesCompleted += 1
            case .connectReceived, .connectAnswered, .protocolError:
                break
            }
        }
    }

    private func write(_ bytes: [UInt8], on id: TCPConnectionID, _ connection: Connection) {
        guard !bytes.isEmpty else { return }
        switch connection.link {
        case .rtmps(var tls, let session):
            let sealed = tls.seal(bytes)
            connection.link = .rtmps(tls, session)
            network.send(sealed, on: id)
        case .rtmp, .sniffing, .closed:
            network.send(bytes, on: id)
        }
    }

    private func close(_ id: TCPConnectionID, _ connection: Connection) {
        if let timer = connection.thinkTimer { network.loop.cancel(timer) }
        connection.thinkTimer = nil
        connection.link = .closed
        connections[id] = nil
        network.close(id)
    }
}
