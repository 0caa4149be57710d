import RTMP
import RunCore

/// The transparent (intercepting) HTTP proxy an `http-only` firewall rule puts in front of a port.
///
/// It accepts the client's TCP connection itself — so the client's connect succeeds at once, whatever
/// the server does — and reads HTTP requests with the RTMP module's HTTP/1.1 framing (the same code
/// the RTMPT tunnels use). Each complete request goes to the original destination over the proxy's
/// own connection, and the responses come back verbatim. Bytes that cannot be HTTP (raw RTMP starts
/// with 0x03, TLS with 0x16; `PortSniffer` decides from the first bytes) or that break the framing meet
/// `onNonHTTP`: Squid-like proxies answer 400 and close; others wait for the end of headers that
/// never comes, until their idle timeout.
final class TransparentHTTPProxy: TCPHandler {
    private struct Session {
        let origin: SimEndpoint
        var upstream: TCPConnectionID?
        /// Bytes before the sniffer could decide.
        var prefix: [UInt8] = []
        var isHTTP = false
        var parser = HTTPParser(kind: .request, limits: HTTPLimits())
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
            sessions[client] = Session(origin: ends.local)
            touch(client)
        case .received(let bytes):
            guard let session = sessions[client] else { return }
            touch(client)
            guard !session.hanging else { return }
            if session.isHTTP {
                parse(bytes, from: client)
            } else {
                sniff(session.prefix + bytes, from: client)
            }
        case .peerClosed, .failed:
            end(client)
        case .connected:
            return
        }
    }

    private func sniff(_ bytes: [UInt8], from client: TCPConnectionID) {
        switch PortSniffer.sniff(bytes[...]) {
        case .needMoreBytes:
            sessions[client]?.prefix = bytes
        case .http:
            sessions[client]?.prefix = []
            sessions[client]?.isHTTP = true
            parse(bytes, from: client)
        case .rtmp, .rtmpe, .tls, .unknown:
            rejectNonHTTP(client)
        }
    }

    private func parse(_ bytes: [UInt8], from client: TCPConnectionID) {
        guard var session = sessions[client] else { return }
        var requests: [[UInt8]] = []
        do {
            try session.parser.append(bytes[...])
            // Each request consumes at least its head: bounded by the bytes just appended.
            for _ in 0...bytes.count {
                guard let request = try session.parser.nextRequest() else { break }
                requests.append(request.serialized())
            }
        } catch {
            sessions[client] = session
            rejectNonHTTP(client)
            return
        }
        sessions[client] = session
        for request in requests {
            let upstream = sessions[client]?.upstream ?? openUpstream(for: client, to: session.origin)
            network.send(request, on: upstream)
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
            network.send(Self.errorResponse(status: 400, reason: "Bad Request"), on: client)
            end(client)
        case .hang:
            sessions[client]?.hanging = true
            sessions[client]?.prefix = []
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
                    ? Self.errorResponse(status: 504, reason: "Gateway Timeout")
                    : Self.errorResponse(status: 502, reason: "Bad Gateway")
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

    /// A proxy's own error page, closed after it is sent.
    static func errorResponse(status: Int, reason: String) -> [UInt8] {
        let body = Array("<html><body><h1>\(status) \(reason)</h1></body></html>\n".utf8)
        let headers = [
            HTTPHeader("Content-Type", "text/html"), HTTPHeader("Content-Length", String(body.count)),
            HTTPHeader("Connection", "close"),
        ]
        return HTTPResponse(status: status, reason: reason, headers: headers, body: body).serialized()
    }
}
