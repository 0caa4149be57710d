import NIOConcurrencyHelpers
import RunCore

/// Collects what the server and the kernel saw of an external client while it runs: the server's
/// events (from its event loop) and `SYN_SENT` sightings (from the supervisor's polls), each stamped
/// with the real clock when it happened. Turned into offsets from the spawn at the end.
final class ExternalClientRecorder: Sendable {
    private struct Seen {
        /// Each connection by id, with the server's local port it reached; its times are offsets from
        /// `origin` until `snapshot` moves them to the spawn.
        var connections: [Int: (localPort: Int, connection: ExternalClientConnection)] = [:]
        var order: [Int] = []
        var syns: [Int: Sighting] = [:]
        var synOrder: [Int] = []
        /// The client's ports of the connections the server accepted: a SYN seen waiting from one of
        /// them was answered (across the link's latency), not dropped.
        var answeredPorts: Set<Int> = []
        var success: ContinuousClock.Instant?
    }

    struct Sighting {
        /// The port the SYN went to, when several are watched (a namespace's real ports).
        var remotePort: UInt16?
        var first: ContinuousClock.Instant
        var last: ContinuousClock.Instant
        var gone = false
    }

    private let seen = NIOLockedValueBox(Seen())
    /// What connection times are measured from while the run goes on: the spawn's instant is not
    /// known yet when the recorder is made.
    private let origin = ContinuousClock.now

    /// Called on the server's event loop for every event.
    func record(_ event: ServerEvent) {
        let instant = ContinuousClock.now
        let now = instant - origin
        seen.withLockedValue { seen in
            let id = event.connection
            switch event.kind {
            case .accepted(let remote, let localPort):
                seen.connections[id] = (localPort, ExternalClientConnection(port: 0, accepted: now))
                if let port = remote.split(separator: ":").last.flatMap({ Int($0) }) { seen.answeredPorts.insert(port) }
                seen.order.append(id)
            case .detected(let served):
                seen.connections[id]?.connection.via = served
            case .unsupported(let reason):
                seen.connections[id]?.connection.problem = reason
            case .tunnelOpened:
                break
            case .handshakeCompleted:
                if seen.connections[id]?.connection.handshakeDone == nil { seen.connections[id]?.connection.handshakeDone = now }
            case .connect:
                if seen.connections[id]?.connection.connectReceived == nil { seen.connections[id]?.connection.connectReceived = now }
            case .answered(let answer):
                guard seen.connections[id]?.connection.answered == nil else { break }
                seen.connections[id]?.connection.answered = now
                seen.connections[id]?.connection.answer = answer
                // `_result` with NetConnection.Connect.Success: the moment the client is connected.
                if answer == "accepted", seen.success == nil { seen.success = instant }
            case .protocolError(let reason):
                seen.connections[id]?.connection.problem = reason
            case .closed:
                seen.connections[id]?.connection.closed = now
            }
        }
    }

    /// When the server first sent `NetConnection.Connect.Success`.
    var success: ContinuousClock.Instant? { seen.withLockedValue { $0.success } }

    /// Takes one look at the sockets waiting on `silentPort` (the dropped ports' listener).
    func sampleUnanswered(silentPort: Int) {
        sample(KernelListenTable.connecting(toPort: silentPort).map { ($0, nil) })
    }

    /// Takes one look at the sockets waiting for an answer from any of `remotePorts`: in a private
    /// namespace the firewall drops SYNs to the scenario's own ports, and nothing else of the
    /// namespace connects anywhere, so every such socket is the client's unanswered attempt.
    func sampleUnanswered(remotePorts: [UInt16], table: String = "/proc/net/tcp") {
        sample(remotePorts.flatMap { remote in
            KernelListenTable.connecting(toPort: Int(remote), table: table).map { ($0, Optional(remote)) }
        })
    }

    private func sample(_ found: [(local: Int, remote: UInt16?)]) {
        let connecting = Set(found.map(\.local))
        let now = ContinuousClock.now
        seen.withLockedValue { seen in
            for (port, remote) in found {
                if seen.syns[port] == nil {
                    seen.syns[port] = Sighting(remotePort: remote, first: now, last: now)
                    seen.synOrder.append(port)
                } else if seen.syns[port]?.gone == false {
                    seen.syns[port]?.last = now
                }
            }
            for port in seen.synOrder where !connecting.contains(port) {
                seen.syns[port]?.gone = true
            }
        }
    }

    /// Everything seen, as offsets from `start`, in the order it happened. `port(of:)` names the
    /// scenario port of a server listener.
    func snapshot(
        since start: ContinuousClock.Instant, droppedPort: UInt16, port: (Int) -> UInt16?
    ) -> (connections: [ExternalClientConnection], unanswered: [ExternalClientUnansweredAttempt]) {
        let shift = origin - start
        return seen.withLockedValue { seen in
            let connections = seen.order.compactMap { id -> ExternalClientConnection? in
                guard case (let localPort, var connection)? = seen.connections[id] else { return nil }
                connection.port = port(localPort) ?? 0
                connection.accepted += shift
                for time in [\ExternalClientConnection.handshakeDone, \.connectReceived, \.answered, \.closed] {
                    connection[keyPath: time] = connection[keyPath: time].map { $0 + shift }
                }
                return connection
            }
            let unanswered = seen.synOrder.compactMap { local -> ExternalClientUnansweredAttempt? in
                guard let sighting = seen.syns[local], !seen.answeredPorts.contains(local) else { return nil }
                return ExternalClientUnansweredAttempt(
                    port: sighting.remotePort ?? droppedPort, localPort: local, firstSeen: sighting.first - start,
                    lastSeen: sighting.last - start, abandoned: sighting.gone)
            }
            return (connections, unanswered)
        }
    }
}
