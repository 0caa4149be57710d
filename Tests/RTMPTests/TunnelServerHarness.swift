#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
@testable import RTMP

/// Runs our `RTMPTServerTunnel` with one `RTMPHandshakeServer` per tunnel session on a loopback port,
/// so that real RTMPT clients (rtmpdump, ffmpeg) can be pointed at it.
///
/// It stops as soon as `done` says the collected RTMP bytes are enough, or at the deadline; every
/// wait is a bounded `poll`.
final class TunnelServerHarness {
    struct SessionLog {
        var handshakeCompleted = false
        var clientUsedDigest = false
        /// RTMP bytes after the handshake (the chunk stream: `connect` and so on).
        var afterHandshake: [UInt8] = []
        var error: RTMPHandshakeError?
    }

    let listener: LoopbackSocket
    let port: UInt16
    private(set) var tunnel = RTMPTServerTunnel(seed: 0x7E57)
    private(set) var sessions: [String: SessionLog] = [:]
    private var handshakes: [String: RTMPHandshakeServer] = [:]
    /// Everything each connection sent, for parsing the requests afterwards.
    private(set) var requestBytes: [Int: [UInt8]] = [:]
    private(set) var connectionsAccepted = 0

    init() throws {
        (listener, port) = try LoopbackSocket.listen()
    }

    /// Serves until `done` is true for the session logs or `seconds` pass.
    func serve(seconds: Int, until done: ([String: SessionLog]) -> Bool) throws {
        var connections: [Int: LoopbackSocket] = [:]
        var nextID = 1
        let rounds = seconds * 20
        for _ in 0..<rounds {
            if done(sessions) { return }
            var descriptors = [pollfd(fd: listener.descriptor, events: Int16(POLLIN), revents: 0)]
            let ids = connections.keys.sorted()
            for id in ids { descriptors.append(pollfd(fd: connections[id]!.descriptor, events: Int16(POLLIN), revents: 0)) }
            guard poll(&descriptors, nfds_t(descriptors.count), 50) > 0 else { continue }
            if descriptors[0].revents != 0 {
                connections[nextID] = try listener.accept(timeoutMilliseconds: 100)
                connectionsAccepted += 1
                nextID += 1
            }
            for (index, id) in ids.enumerated() where descriptors[index + 1].revents != 0 {
                guard let socket = connections[id] else { continue }
                let bytes = (try? socket.read(upTo: 65536, timeoutMilliseconds: 0)) ?? []
                if bytes.isEmpty {
                    tunnel.connectionClosed(id)
                    connections[id] = nil
                    continue
                }
                requestBytes[id, default: []] += bytes
                if !step(tunnel.received(bytes[...], on: id), connection: id, socket: socket) {
                    connections[id] = nil
                }
            }
        }
    }

    /// Executes steps until the tunnel needs more bytes; false when the connection must close.
    private func step(_ first: RTMPTServerTunnel.Action, connection: Int, socket: LoopbackSocket) -> Bool {
        var action = first
        for _ in 0..<1000 {
            switch action {
            case .wait:
                return true
            case .closeConnection:
                return false
            case .sessionOpened(let id):
                handshakes[id] = RTMPHandshakeServer(seed: 0xF00D)
                sessions[id] = SessionLog()
            case .deliver(let id, let bytes):
                deliver(bytes, to: id)
            case .sessionClosed(let id):
                handshakes[id] = nil
            case .write(let bytes):
                guard (try? socket.write(bytes)) != nil else { return false }
            }
            action = tunnel.next(on: connection)
        }
        return false
    }

    private func deliver(_ bytes: [UInt8], to id: String) {
        guard var log = sessions[id] else { return }
        defer { sessions[id] = log }
        if log.handshakeCompleted {
            log.afterHandshake += bytes
            return
        }
        switch handshakes[id]?.received(bytes[...]) {
        case .reply(let reply)?:
            tunnel.enqueue(session: id, bytes: reply)
        case .replyAndCompleted(let reply, let leftover, let digest)?:
            tunnel.enqueue(session: id, bytes: reply)
            log.handshakeCompleted = true
            log.clientUsedDigest = digest
            log.afterHandshake += leftover
        case .completed(let leftover, let digest)?:
            log.handshakeCompleted = true
            log.clientUsedDigest = digest
            log.afterHandshake += leftover
        case .failed(let error)?:
            log.error = error
        case .wait?, nil:
            break
        }
    }

    /// The requests each connection sent, in order.
    func requests() throws -> [HTTPRequest] {
        var out: [HTTPRequest] = []
        for id in requestBytes.keys.sorted() {
            var parser = HTTPParser(kind: .request, limits: HTTPLimits())
            try parser.append(requestBytes[id]![...])
            while let request = try parser.nextRequest() { out.append(request) }
        }
        return out
    }
}

extension [UInt8] {
    /// Whether `needle` occurs in these bytes (for spotting AMF strings such as "connect").
    func contains(bytes needle: [UInt8]) -> Bool {
        guard !needle.isEmpty, count >= needle.count else { return false }
        for start in 0...(count - needle.count) where self[start..<(start + needle.count)].elementsEqual(needle) {
            return true
        }
        return false
    }
}
