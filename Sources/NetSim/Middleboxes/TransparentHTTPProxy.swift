/// The transparent (intercepting) HTTP proxy an `http-only` firewall rule puts in front of a port.
///
/// It accepts the client's TCP connection itself — so the client's connect succeeds at once, whatever
/// the server does — and reads HTTP requests. Each complete request goes to the original destination
/// over the proxy's own connection, and the responses come back verbatim. Bytes that cannot be HTTP
/// (raw RTMP starts with 0x03, TLS with 0x16) meet `onNonHTTP`: Squid-like proxies answer 400 and
/// close; others wait for the end of headers that never comes, until their idle timeout.
final class TransparentHTTPProxy: TCPHandler {
    private struct Session {
        let client: TCPConnectionID
        let origin: SimEndpoint
        var upstream: TCPConnectionID?
        var buffer: [UInt8] = []
        var hanging = false
        var relayedResponseBytes = false
        var idleTimer: SimEventLoop.TaskHandle?
    }

    private unowned let network: SimNetwork
    private let host: HostID
    private let onNonHTTP: FirewallRule.NonHTTPBehaviour
    private let idleTimeout: Duration
    private var sessions: [TCPConnectionID: Session] = [:]
    private var clientOfUpstream: [TCPConnectionID: TCPConnectionID] = [:]

    init(network: SimNetwork, host: HostID, onNonHTTP: FirewallRule.NonHTTPBehaviour, idleTimeout: Duration) {
        self.network = network
        self.host = host
        self.onNonHTTP = onNonHTTP
        self.idleTimeout = idleTimeout
    }

    func handle(_ event: TCPEvent, on connection: TCPConnectionID) {
        if let client = clientOfUpstream[connection] {
            upstreamEvent(event, client: client)
        } else {
            clientEvent(event, on: connection)
        }
    }

    private func clientEvent(_ event: TCPEvent, on client: TCPConnectionID) {
        switch event {
        case .accepted:
            // The intercepted connection's local end is the address the client meant to reach.
            guard let ends = network.endpoints(of: client) else { return }
            sessions[client] = Session(client: client, origin: ends.local)
            touch(client)
        case .received(let bytes):
            guard sessions[client] != nil else { return }
            touch(client)
            guard sessions[client]?.hanging == false else { return }
            sessions[client]?.buffer += bytes
            forwardCompleteRequests(of: client)
        case .peerClosed, .failed:
            end(client)
        case .connected:
            return
        }
    }

    private func forwardCompleteRequests(of client: TCPConnectionID) {
        // Each pass consumes one request; the bound is the buffer size, as every request is ≥ 1 byte.
        var passes = sessions[client]?.buffer.count ?? 0
        while passes > 0, let session = sessions[client], !session.buffer.isEmpty {
            passes -= 1
            switch HTTPHead.parseRequest(session.buffer[...]) {
            case .incomplete:
                return
            case .invalid:
                rejectNonHTTP(client)
                return
            case .complete(let head):
                guard let length = head.messageLength else {
                    rejectNonHTTP(client)
                    return
                }
                guard session.buffer.count >= length else { return }
                let request = Array(session.buffer[0..<length])
                sessions[client]?.buffer.removeFirst(length)
                let upstream = session.upstream ?? openUpstream(for: client, to: session.origin)
                network.send(request, on: upstream)
            }
        }
    }

    private func openUpstream(for client: TCPConnectionID, to origin: SimEndpoint) -> TCPConnectionID {
        let upstream = network.connect(from: host, to: origin, handler: self)
        sessions[client]?.upstream = upstream
        clientOfUpstream[upstream] = client
        return upstream
    }

    private func rejectNonHTTP(_ client: TCPConnectionID) {
        switch onNonHTTP {
        case .error:
            network.send(HTTPHead.errorResponse(status: 400, reason: "Bad Request"), on: client)
            end(client)
        case .hang:
            sessions[client]?.hanging = true
            sessions[client]?.buffer = []
        }
    }

    private func upstreamEvent(_ event: TCPEvent, client: TCPConnectionID) {
        switch event {
        case .connected, .accepted:
            return
        case .received(let bytes):
            sessions[client]?.relayedResponseBytes = true
            touch(client)
            network.send(bytes, on: client)
        case .peerClosed:
            end(client)
        case .failed(let error):
            if sessions[client]?.relayedResponseBytes == false {
                let response = error == .connectTimedOut
                    ? HTTPHead.errorResponse(status: 504, reason: "Gateway Timeout")
                    : HTTPHead.errorResponse(status: 502, reason: "Bad Gateway")
                network.send(response, on: client)
            }
            end(client)
        }
    }

    /// Restarts the idle timer: the proxy gives up on a connection that stays silent this long.
    private func touch(_ client: TCPConnectionID) {
        if let timer = sessions[client]?.idleTimer { network.loop.cancel(timer) }
        sessions[client]?.idleTimer = network.loop.schedule(after: idleTimeout) { [weak self] in
            self?.end(client)
        }
    }

    private func end(_ client: TCPConnectionID) {
        guard let session = sessions.removeValue(forKey: client) else { return }
        if let timer = session.idleTimer { network.loop.cancel(timer) }
        if let upstream = session.upstream {
            clientOfUpstream[upstream] = nil
            network.close(upstream)
        }
        network.close(client)
    }
}
