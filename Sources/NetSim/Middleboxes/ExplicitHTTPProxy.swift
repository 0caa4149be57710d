/// The explicit HTTP proxy a client is configured with: absolute-URI requests are forwarded, and
/// `CONNECT` opens a tunnel to the ports the configuration allows.
///
/// This is the path RTMPT takes out of a network that blocks direct connections, as Flash Player did
/// with the browser's proxy settings. Its connections to the server do not cross the client's
/// firewall: the proxy is the network's sanctioned way out.
public final class ExplicitHTTPProxy: TCPHandler {
    private enum Mode {
        /// Reading requests.
        case requests
        /// `CONNECT` accepted, waiting for the upstream connection.
        case connecting
        /// Relaying raw bytes both ways.
        case tunnel
    }

    private struct Session {
        var mode: Mode = .requests
        var buffer: [UInt8] = []
        var upstream: TCPConnectionID?
        var upstreamTarget: SimEndpoint?
        var responseBuffer: [UInt8] = []
        var relayedResponseBytes = false
    }

    private unowned let network: SimNetwork
    private let host: HostID
    private let configuration: HTTPProxyConfiguration
    private let resolve: [String: IPv4Address]
    private let otherNames: IPv4Address?
    private var sessions: [TCPConnectionID: Session] = [:]
    private var clientOfUpstream: [TCPConnectionID: TCPConnectionID] = [:]

    /// Listens on `port` of `host`.
    /// - Parameters:
    ///   - resolve: the names the proxy can resolve (the server's host name).
    ///   - otherNames: where every other name resolves; `nil` makes them fail with 502.
    public init(
        network: SimNetwork, host: HostID, port: UInt16, configuration: HTTPProxyConfiguration,
        resolve: [String: IPv4Address], otherNames: IPv4Address? = nil
    ) {
        self.otherNames = otherNames
        self.network = network
        self.host = host
        self.configuration = configuration
        self.resolve = resolve
        network.listen(on: host, port: port, handler: self)
    }

    public func handle(_ event: TCPEvent, on connection: TCPConnectionID) {
        if let client = clientOfUpstream[connection] {
            upstreamEvent(event, client: client)
        } else {
            clientEvent(event, on: connection)
        }
    }

    // MARK: Client side

    private func clientEvent(_ event: TCPEvent, on client: TCPConnectionID) {
        switch event {
        case .accepted:
            sessions[client] = Session()
        case .received(let bytes):
            guard let session = sessions[client] else { return }
            switch session.mode {
            case .tunnel:
                if let upstream = session.upstream { network.send(bytes, on: upstream) }
            case .requests, .connecting:
                sessions[client]?.buffer += bytes
                if session.mode == .requests { readRequests(of: client) }
            }
        case .peerClosed, .failed:
            end(client)
        case .connected:
            return
        }
    }

    private func readRequests(of client: TCPConnectionID) {
        var passes = sessions[client]?.buffer.count ?? 0
        while passes > 0, let session = sessions[client], session.mode == .requests, !session.buffer.isEmpty {
            passes -= 1
            switch HTTPHead.parseRequest(session.buffer[...]) {
            case .incomplete:
                return
            case .invalid:
                fail(client, status: 400, reason: "Bad Request")
                return
            case .complete(let head):
                if head.startLine[0] == "CONNECT" {
                    sessions[client]?.buffer.removeFirst(head.length)
                    startTunnel(client, authority: head.startLine[1])
                    return
                }
                guard let length = head.messageLength else {
                    fail(client, status: 400, reason: "Bad Request")
                    return
                }
                guard session.buffer.count >= length else { return }
                let body = Array(session.buffer[head.length..<length])
                sessions[client]?.buffer.removeFirst(length)
                forward(head, body: body, from: client)
            }
        }
    }

    private func startTunnel(_ client: TCPConnectionID, authority: String) {
        guard let target = endpoint(authority: authority, defaultPort: 443) else {
            fail(client, status: 502, reason: "Bad Gateway")
            return
        }
        guard configuration.connectPorts.contains(target.port) else {
            fail(client, status: 403, reason: "Forbidden")
            return
        }
        sessions[client]?.mode = .connecting
        openUpstream(for: client, to: target)
    }

    private func forward(_ head: HTTPHead, body: [UInt8], from client: TCPConnectionID) {
        let target = head.startLine[1]
        guard target.lowercased().hasPrefix("http://") else {
            // An origin-form request to a proxy: it does not know where to send it.
            fail(client, status: 400, reason: "Bad Request")
            return
        }
        let rest = target.dropFirst("http://".count)
        let slash = rest.firstIndex(of: "/") ?? rest.endIndex
        let path = slash == rest.endIndex ? "/" : String(rest[slash...])
        guard let destination = endpoint(authority: String(rest[..<slash]), defaultPort: 80) else {
            fail(client, status: 502, reason: "Bad Gateway")
            return
        }
        if let session = sessions[client], session.upstreamTarget != destination, let old = session.upstream {
            clientOfUpstream[old] = nil
            network.close(old)
            sessions[client]?.upstream = nil
        }
        let upstream = sessions[client]?.upstream ?? openUpstream(for: client, to: destination)
        var text = "\(head.startLine[0]) \(path) \(head.startLine[2])\r\n"
        for header in head.headers where header.name.lowercased() != "proxy-connection" {
            text += "\(header.name): \(header.value)\r\n"
        }
        text += "\r\n"
        network.send(Array(text.utf8) + body, on: upstream)
    }

    @discardableResult
    private func openUpstream(for client: TCPConnectionID, to target: SimEndpoint) -> TCPConnectionID {
        let upstream = network.connect(from: host, to: target, handler: self)
        sessions[client]?.upstream = upstream
        sessions[client]?.upstreamTarget = target
        clientOfUpstream[upstream] = client
        return upstream
    }

    private func endpoint(authority: String, defaultPort: UInt16) -> SimEndpoint? {
        let parts = authority.split(separator: ":", maxSplits: 1).map(String.init)
        guard let name = parts.first, let address = resolve[name.lowercased()] ?? parseAddress(name) ?? otherNames else { return nil }
        guard parts.count == 2 else { return SimEndpoint(address, defaultPort) }
        guard let port = UInt16(parts[1]) else { return nil }
        return SimEndpoint(address, port)
    }

    private func parseAddress(_ text: String) -> IPv4Address? {
        let octets = text.split(separator: ".").compactMap { UInt8($0) }
        guard octets.count == 4 else { return nil }
        return IPv4Address(octets[0], octets[1], octets[2], octets[3])
    }

    // MARK: Upstream side

    private func upstreamEvent(_ event: TCPEvent, client: TCPConnectionID) {
        guard let session = sessions[client] else { return }
        switch event {
        case .connected:
            guard session.mode == .connecting else { return }
            sessions[client]?.mode = .tunnel
            network.send(Array("HTTP/1.1 200 Connection established\r\n\r\n".utf8), on: client)
            let early = session.buffer
            sessions[client]?.buffer = []
            if !early.isEmpty, let upstream = session.upstream { network.send(early, on: upstream) }
        case .accepted:
            return
        case .received(let bytes):
            sessions[client]?.relayedResponseBytes = true
            if configuration.buffering, session.mode == .requests {
                sessions[client]?.responseBuffer += bytes
                releaseCompleteResponses(of: client)
            } else {
                network.send(bytes, on: client)
            }
        case .peerClosed:
            if let pending = sessions[client]?.responseBuffer, !pending.isEmpty {
                network.send(pending, on: client)
            }
            end(client)
        case .failed(let error):
            if !session.relayedResponseBytes {
                if error == .connectTimedOut {
                    fail(client, status: 504, reason: "Gateway Timeout")
                } else {
                    fail(client, status: 502, reason: "Bad Gateway")
                }
            } else {
                end(client)
            }
        }
    }

    /// A buffering proxy releases a response only once all of it has arrived.
    private func releaseCompleteResponses(of client: TCPConnectionID) {
        var passes = sessions[client]?.responseBuffer.count ?? 0
        while passes > 0, let buffer = sessions[client]?.responseBuffer, !buffer.isEmpty {
            passes -= 1
            switch HTTPHead.parseResponse(buffer[...]) {
            case .incomplete:
                return
            case .invalid:
                fail(client, status: 502, reason: "Bad Gateway")
                return
            case .complete(let head):
                guard let length = head.messageLength else {
                    fail(client, status: 502, reason: "Bad Gateway")
                    return
                }
                guard buffer.count >= length else { return }
                network.send(Array(buffer[0..<length]), on: client)
                sessions[client]?.responseBuffer.removeFirst(length)
            }
        }
    }

    private func fail(_ client: TCPConnectionID, status: Int, reason: String) {
        network.send(HTTPHead.errorResponse(status: status, reason: reason), on: client)
        end(client)
    }

    private func end(_ client: TCPConnectionID) {
        guard let session = sessions.removeValue(forKey: client) else { return }
        if let upstream = session.upstream {
            clientOfUpstream[upstream] = nil
            network.close(upstream)
        }
        network.close(client)
    }
}
