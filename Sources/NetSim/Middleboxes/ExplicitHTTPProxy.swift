import RTMP
import RunCore

/// The explicit HTTP proxy a client is configured with: absolute-URI requests are forwarded, and
/// `CONNECT` opens a tunnel to the ports the configuration allows.
///
/// This is the path RTMPT takes out of a network that blocks direct connections, as Flash Player did
/// with the browser's proxy settings. Its connections to the server do not cross the client's
/// firewall: the proxy is the network's sanctioned way out.
package final class ExplicitHTTPProxy: TCPHandler {
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
        /// Requests, framed by the RTMP module's HTTP/1.1 parser (the one RTMPT uses).
        var requests = HTTPParser(kind: .request, limits: HTTPLimits())
        var upstream: TCPConnectionID?
        var upstreamTarget: SimEndpoint?
        /// Responses, framed only when the proxy buffers them.
        var responses = HTTPParser(kind: .response, limits: HTTPLimits())
        var relayedResponseBytes = false
        /// The first bytes, until `PortSniffer` can tell whether they start an HTTP request.
        var prefix: [UInt8] = []
        var sniffed = false
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
    package init(
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

    package func handle(_ event: TCPEvent, on connection: TCPConnectionID) {
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
            case .requests where session.sniffed:
                readRequests(bytes, of: client)
            case .requests:
                // Raw RTMP or TLS sent to a proxy is refused at once, as Squid refuses a request line
                // that is not one.
                let first = session.prefix + bytes
                switch PortSniffer.sniff(first[...]) {
                case .needMoreBytes:
                    sessions[client]?.prefix = first
                case .http:
                    sessions[client]?.prefix = []
                    sessions[client]?.sniffed = true
                    readRequests(first, of: client)
                case .rtmp, .rtmpe, .tls, .unknown:
                    fail(client, status: 400, reason: "Bad Request")
                }
            case .connecting:
                // Bytes before the tunnel is up: no client waits less than the 200 before sending.
                fail(client, status: 400, reason: "Bad Request")
            }
        case .peerClosed, .failed:
            end(client)
        case .connected:
            return
        }
    }

    private func readRequests(_ bytes: [UInt8], of client: TCPConnectionID) {
        // Taken out of the dictionary while the parser changes, then put back: a copy left in the
        // dictionary made every append copy the parser's buffer (copy on write).
        guard var session = sessions.removeValue(forKey: client) else { return }
        var requests: [HTTPRequest] = []
        do {
            try session.requests.append(bytes[...])
            // Each request consumes at least its head: bounded by the bytes just appended.
            for _ in 0...bytes.count {
                guard let request = try session.requests.nextRequest() else { break }
                requests.append(request)
                if request.method == "CONNECT" { break }
            }
        } catch {
            sessions[client] = session
            fail(client, status: 400, reason: "Bad Request")
            return
        }
        sessions[client] = session
        for request in requests {
            guard sessions[client]?.mode == .requests else { return }
            if request.method == "CONNECT" {
                startTunnel(client, authority: request.target)
            } else {
                forward(request, from: client)
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

    private func forward(_ request: HTTPRequest, from client: TCPConnectionID) {
        let target = request.target
        guard HTTPRequest.hasPrefixIgnoringASCIICase(target, "http://") else {
            // An origin-form request to a proxy: it does not know where to send it.
            fail(client, status: 400, reason: "Bad Request")
            return
        }
        let rest = target.dropFirst("http://".count)
        let slash = rest.firstIndex(of: "/") ?? rest.endIndex
        guard let destination = endpoint(authority: String(rest[..<slash]), defaultPort: 80) else {
            fail(client, status: 502, reason: "Bad Gateway")
            return
        }
        if let session = sessions[client], session.upstreamTarget != destination, let old = session.upstream {
            clientOfUpstream[old] = nil
            network.close(old)
            sessions[client]?.upstream = nil
            sessions[client]?.responses = HTTPParser(kind: .response, limits: HTTPLimits())
        }
        let upstream = sessions[client]?.upstream ?? openUpstream(for: client, to: destination)
        let forwarded = HTTPRequest(
            method: request.method, target: request.path,
            headers: request.headers.filter { ![HTTPHeader].equalIgnoringASCIICase($0.name, "proxy-connection") },
            body: request.body
        )
        network.send(forwarded.serialized(), on: upstream)
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
        case .accepted:
            return
        case .received(let bytes):
            sessions[client]?.relayedResponseBytes = true
            if configuration.buffering, session.mode == .requests {
                releaseCompleteResponses(bytes, of: client)
            } else {
                network.send(bytes, on: client)
            }
        case .peerClosed:
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
    private func releaseCompleteResponses(_ bytes: [UInt8], of client: TCPConnectionID) {
        guard var session = sessions.removeValue(forKey: client) else { return }
        var complete: [[UInt8]] = []
        do {
            try session.responses.append(bytes[...])
            for _ in 0...bytes.count {
                guard let response = try session.responses.nextResponse() else { break }
                complete.append(response.serialized())
            }
        } catch {
            sessions[client] = session
            fail(client, status: 502, reason: "Bad Gateway")
            return
        }
        sessions[client] = session
        for response in complete { network.send(response, on: client) }
    }

    private func fail(_ client: TCPConnectionID, status: Int, reason: String) {
        network.send(TransparentHTTPProxy.errorResponse(status: status, reason: reason), on: client)
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
