/// The server end of RTMPT: HTTP/1.1 requests in, RTMP bytes out to sessions, and back.
///
/// One value serves every TCP connection of a listening port, because a tunnel session (named by its
/// 16-character id) outlives the connection it was opened on. It holds no RTMP session: it tells the
/// runtime when a tunnel session opens, which RTMP bytes to deliver to it, and when it closes; the
/// runtime hands back what the RTMP server session produced with `enqueue(session:bytes:)`, and the
/// tunnel answers `/send` and `/idle` with a polling byte followed by those bytes.
///
/// The order is explicit and pull-driven, one step per call, so that a reply never leaves before the
/// session has reacted to the request it answers:
///
/// ```swift
/// var action = tunnel.received(bytes[...], on: connection)
/// loop: while true {
///     switch action {
///     case .wait: break loop                                  // read more from this connection
///     case .sessionOpened(let id): sessions[id] = RTMPServerSession(...)
///     case .deliver(let id, let rtmp):                            // feed, then queue the output
///         tunnel.enqueue(session: id, bytes: sessions[id]!.received(rtmp[...]).bytesToWrite)
///     case .sessionClosed(let id): sessions[id] = nil
///     case .write(let http): tcp.write(http)
///     case .closeConnection: tcp.close(); break loop
///     }
///     action = tunnel.next(on: connection)                        // the reply, or the next request
/// }
/// ```
///
/// Replies are `HTTP/1.1 200 OK` with `Content-Length`, `Content-Type: application/x-fcs`,
/// `Cache-Control: no-cache` and `Connection: Keep-Alive`. The polling byte follows Red5: 1 while data
/// flows; after more than 10 consecutive empty replies the delay doubles (1 → 3, 5, 9, 17, 33, i.e.
/// delay + 1 with the delay capped at 32); 0 once the server closed the session. `/fcs/ident2`,
/// unknown paths and unknown sessions get `404`; broken HTTP gets `400` (or `413`/`431`) and the
/// connection is closed.
public struct RTMPTServerTunnel: Sendable {
    /// The runtime's name for one TCP connection.
    public typealias ConnectionID = Int

    public struct Configuration: Sendable, Equatable {
        /// Bounds on requests.
        public var limits: HTTPLimits
        /// Open tunnel sessions at most; more `/open` requests get `503`.
        public var maxSessions: Int
        /// RTMP bytes per reply at most (Red5 aims at 32 KiB); the rest waits for the next poll.
        public var maxReplyBytes: Int

        public init(limits: HTTPLimits = HTTPLimits(), maxSessions: Int = 256, maxReplyBytes: Int = 32 * 1024) {
            self.limits = limits
            self.maxSessions = maxSessions
            self.maxReplyBytes = maxReplyBytes
        }
    }

    /// One step for the runtime. After any step but `wait` and `closeConnection`, call
    /// `next(on:)` for the connection.
    public enum Action: Sendable {
        /// Nothing more until bytes arrive on this connection.
        case wait
        /// A client opened a tunnel session: create an RTMP server session for it.
        case sessionOpened(String)
        /// RTMP bytes for the session; `enqueue` its output before calling `next(on:)`.
        case deliver(session: String, bytes: [UInt8])
        /// The client closed the tunnel session: drop its RTMP session.
        case sessionClosed(String)
        /// HTTP response bytes to write on this connection.
        case write([UInt8])
        /// The connection's HTTP is broken beyond repair: close it (the error says why).
        case closeConnection(HTTPError)
    }

    /// Red5: the polling delay doubles after this many consecutive empty replies.
    static let emptyRepliesBeforeBackoff = 10
    /// Red5: the polling delay never exceeds this.
    static let maxPollingDelay: UInt8 = 32

    private struct Session: Sendable {
        var outbox: [UInt8] = []
        var pollingDelay: UInt8 = 0
        var emptyReplies = 0
        /// The RTMP server session ended: answer with polling byte 0 once the outbox is empty.
        var closing = false
        /// A request named this session since the last `sweepInactiveSessions()`.
        var requestedSinceSweep = true
    }

    /// What a connection owes after the step it last returned.
    private enum Owed: Sendable {
        /// Nothing: parse the next request.
        case nothing
        /// This response, built when `next(on:)` is called.
        case reply(Reply)
        /// Close the connection (after the error response went out).
        case close(HTTPError)
    }

    private enum Reply: Sendable {
        case opened(String)
        case poll(String)
        case closed
    }

    private struct Connection: Sendable {
        var parser: HTTPParser
        var owed: Owed = .nothing
    }

    private let configuration: Configuration
    private var random: SplitMix64
    private var sessions: [String: Session] = [:]
    private var connections: [ConnectionID: Connection] = [:]

    /// - Parameter seed: expands into the session ids, so runs are reproducible.
    public init(seed: UInt64, configuration: Configuration = Configuration()) {
        self.configuration = configuration
        self.random = SplitMix64(seed: seed)
    }

    /// Ids of the open tunnel sessions, sorted.
    public var sessionIDs: [String] { sessions.keys.sorted() }

    /// Bytes read on a connection; returns the first step. Call `next(on:)` after executing it.
    public mutating func received(_ bytes: ArraySlice<UInt8>, on connection: ConnectionID) -> Action {
        // Taken out of the dictionary while it changes, and put back: a copy left in the dictionary
        // would make every append copy the parser's buffer (copy on write).
        var state = connections.removeValue(forKey: connection)
            ?? Connection(parser: HTTPParser(kind: .request, limits: configuration.limits))
        do {
            try state.parser.append(bytes)
        } catch {
            switch state.owed {
            case .nothing:
                state.owed = .close(error)
                connections[connection] = state
                return .write(Self.errorResponse(for: error))
            case .reply, .close:
                // A step is still being executed; no response may overtake it, so just close.
                connections[connection] = nil
                return .closeConnection(error)
            }
        }
        let owed = state.owed
        connections[connection] = state
        switch owed {
        case .nothing:
            return next(on: connection)
        case .reply, .close:
            // The previous step is not executed yet; its `next(on:)` call continues from here.
            return .wait
        }
    }

    /// The runtime executed the last step for this connection: the owed reply, or the next request.
    public mutating func next(on connection: ConnectionID) -> Action {
        // Taken out while it changes (see `received(_:on:)`); every path below puts it back or ends it.
        guard var state = connections.removeValue(forKey: connection) else { return .wait }
        switch state.owed {
        case .close(let error):
            connections[connection] = nil
            return .closeConnection(error)
        case .reply(let reply):
            state.owed = .nothing
            connections[connection] = state
            return .write(respond(reply))
        case .nothing:
            break
        }
        let request: HTTPRequest
        do {
            guard let parsed = try state.parser.nextRequest() else {
                connections[connection] = state
                return .wait
            }
            request = parsed
        } catch {
            state.owed = .close(error)
            connections[connection] = state
            return .write(Self.errorResponse(for: error))
        }
        let (action, owed) = handle(request)
        state.owed = owed
        connections[connection] = state
        return action
    }

    /// RTMP bytes the server session produced for a tunnel session, sent with the next reply.
    /// Returns false (and drops the bytes) for a session that is not open.
    @discardableResult
    public mutating func enqueue(session id: String, bytes: [UInt8]) -> Bool {
        guard sessions[id] != nil else { return false }
        sessions[id]?.outbox += bytes
        return true
    }

    /// The RTMP server session ended (rejected, finished): the client learns it from a polling byte 0
    /// once the queued bytes are out. Returns false for an unknown session.
    @discardableResult
    public mutating func closeSession(_ id: String) -> Bool {
        guard sessions[id] != nil else { return false }
        sessions[id]?.closing = true
        return true
    }

    /// Forgets a session at once, queued bytes included: for the runtime's inactivity timer (Red5
    /// drops a session after a period without requests) or a server shutting down. Requests for it
    /// get 404 afterwards. Returns false for an unknown session.
    @discardableResult
    public mutating func dropSession(_ id: String) -> Bool {
        sessions.removeValue(forKey: id) != nil
    }

    /// Drops every session no request has named since the previous sweep and returns their ids in
    /// order, so the runtime can end their server sessions.
    ///
    /// A client that abandons a tunnel (a player whose other transport won, a crash) never says
    /// `/close`; without this a long-running server fills up to `maxSessions` and answers `503`.
    /// The tunnel keeps no clock: the runtime calls this every inactivity period, so a session is
    /// dropped after between one and two periods without a request. A live client polls far more
    /// often (the polling delay is capped at 33 intervals of its idle timer).
    public mutating func sweepInactiveSessions() -> [String] {
        var dropped: [String] = []
        for id in sessions.keys.sorted() {
            if sessions[id]?.requestedSinceSweep == true {
                sessions[id]?.requestedSinceSweep = false
            } else {
                sessions[id] = nil
                dropped.append(id)
            }
        }
        return dropped
    }

    /// The TCP connection closed: forget its buffered requests. Tunnel sessions stay open, as clients
    /// may reconnect and continue them.
    public mutating func connectionClosed(_ connection: ConnectionID) {
        connections[connection] = nil
    }

    // MARK: - Requests

    /// The first step for a request and what remains owed after it.
    private mutating func handle(_ request: HTTPRequest) -> (Action, Owed) {
        let path = TunnelPath(request.path)
        switch path {
        case .unknown:
            // Includes /fcs/ident2, which Flash Player asks first and Red5 answers with 404.
            return (.write(Self.status(404, "Not Found")), .nothing)
        case .open, .send, .idle, .close:
            break
        }
        guard request.method == "POST" else { return (.write(Self.status(405, "Method Not Allowed")), .nothing) }
        switch path {
        case .unknown:
            return (.write(Self.status(404, "Not Found")), .nothing)
        case .open:
            guard sessions.count < configuration.maxSessions, let id = newSessionID() else {
                return (.write(Self.status(503, "Service Unavailable")), .nothing)
            }
            sessions[id] = Session()
            return (.sessionOpened(id), .reply(.opened(id)))
        case .send(let id) where sessions[id] != nil:
            sessions[id]?.requestedSinceSweep = true
            return (.deliver(session: id, bytes: request.body), .reply(.poll(id)))
        case .idle(let id) where sessions[id] != nil:
            sessions[id]?.requestedSinceSweep = true
            return (.write(respond(.poll(id))), .nothing)
        case .close(let id) where sessions[id] != nil:
            sessions[id] = nil
            return (.sessionClosed(id), .reply(.closed))
        case .send, .idle, .close:
            return (.write(Self.status(404, "Not Found")), .nothing)
        }
    }

    private mutating func respond(_ reply: Reply) -> [UInt8] {
        switch reply {
        case .opened(let id):
            return Self.ok(body: Array("\(id)\n".utf8))
        case .closed:
            return Self.ok(body: [0])
        case .poll(let id):
            guard var session = sessions[id] else {
                // Closed by the client on another connection meanwhile.
                return Self.ok(body: [0])
            }
            let count = min(session.outbox.count, configuration.maxReplyBytes)
            let data = Array(session.outbox.prefix(count))
            // Sent whole, the outbox gives its storage back (an idle session holds none).
            if count == session.outbox.count { session.outbox = [] } else { session.outbox.removeFirst(count) }
            let pollingByte: UInt8
            if data.isEmpty {
                session.emptyReplies += 1
                if session.emptyReplies > Self.emptyRepliesBeforeBackoff {
                    session.pollingDelay = min(max(session.pollingDelay, 1) * 2, Self.maxPollingDelay)
                }
                pollingByte = session.closing ? 0 : session.pollingDelay + 1
            } else {
                session.emptyReplies = 0
                session.pollingDelay = 0
                pollingByte = 1
            }
            if pollingByte == 0 {
                sessions[id] = nil
            } else {
                sessions[id] = session
            }
            return Self.ok(body: [pollingByte] + data)
        }
    }

    /// A fresh 16-character id (16 hex digits of the seeded generator); nil after 8 collisions.
    private mutating func newSessionID() -> String? {
        for _ in 0..<8 {
            let value = random.next()
            var id = String(value, radix: 16, uppercase: true)
            id = String(repeating: "0", count: 16 - id.count) + id
            if sessions[id] == nil { return id }
        }
        return nil
    }

    // MARK: - Responses

    static func ok(body: [UInt8]) -> [UInt8] {
        HTTPResponse(
            status: 200, reason: "OK",
            headers: [
                HTTPHeader("Content-Length", String(body.count)),
                HTTPHeader("Content-Type", "application/x-fcs"),
                HTTPHeader("Cache-Control", "no-cache"),
                HTTPHeader("Connection", "Keep-Alive"),
            ],
            body: body
        ).serialized()
    }

    static func status(_ code: Int, _ reason: String, close: Bool = false) -> [UInt8] {
        HTTPResponse(
            status: code, reason: reason,
            headers: [
                HTTPHeader("Content-Length", "0"),
                HTTPHeader("Cache-Control", "no-cache"),
                HTTPHeader("Connection", close ? "close" : "Keep-Alive"),
            ],
            body: []
        ).serialized()
    }

    static func errorResponse(for error: HTTPError) -> [UInt8] {
        switch error {
        case .headerTooLarge: status(431, "Request Header Fields Too Large", close: true)
        case .bodyTooLarge, .pipelineTooDeep: status(413, "Content Too Large", close: true)
        case .unsupportedVersion: status(505, "HTTP Version Not Supported", close: true)
        case .unsupportedTransferEncoding: status(501, "Not Implemented", close: true)
        case .malformedStartLine, .malformedHeader, .invalidContentLength, .missingContentLength:
            status(400, "Bad Request", close: true)
        }
    }
}
