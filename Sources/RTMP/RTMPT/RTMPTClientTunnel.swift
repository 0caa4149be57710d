/// The client end of an RTMPT tunnel: RTMP bytes in, HTTP/1.1 requests out, and back.
///
/// The runtime owns the TCP connection and an `RTMPClientSession`; the tunnel only turns what the
/// session writes into `POST /send/<id>/<seq>` requests, polls with `POST /idle/<id>/<seq>` on a timer,
/// and turns reply bodies (minus the polling byte) into bytes for the session. One request is in
/// flight at a time, as in ffmpeg and librtmp; everything the session writes while a request is in
/// flight goes out together in the next `/send` (librtmp posts each write separately — the server sees
/// the same byte stream either way).
///
/// ```swift
/// var tunnel = RTMPTClientTunnel(configuration: .init(host: "example.com", port: 80))
/// run(tunnel.start())                         // writes POST /open/1
/// // whenever the RTMP session writes bytes:    run(tunnel.send(bytes))
/// // whenever the TCP connection yields bytes:  run(tunnel.received(bytes[...]))
/// // when the poll timer fires:                 run(tunnel.timerFired(.poll))
///
/// func run(_ action: RTMPTClientTunnel.Action) {
///     switch action {
///     case .wait: break
///     case .write, .schedulePoll: carry(action)
///     case .opened(_, let next): carry(next); tunnelOpened()
///     case .deliver(let bytes, let next): carry(next); feedSession(bytes)   // may call tunnel.send(_:)
///     case .closed: done()
///     case .failed(let error, _): fail(error)
///     }
/// }
/// ```
///
/// Carry out a reply's next request before delivering its data: a reply can carry data *and* the
/// next request, and the session's answer to the data goes out in the request after that.
public struct RTMPTClientTunnel: Sendable {
    /// How the client finds and addresses the RTMPT server.
    public struct Configuration: Sendable, Equatable {
        /// Host for the `Host` header (and the absolute URI through a proxy).
        public var host: String
        /// Port for the `Host` header (librtmp always writes it).
        public var port: Int
        /// Through an explicit HTTP proxy: request lines carry the absolute URI
        /// (`POST http://host:port/open/1 HTTP/1.1`) and the TCP connection goes to the proxy.
        public var viaProxy: Bool
        /// Wait before an `/idle` poll after an empty reply (ffmpeg: 50 ms).
        public var idleInterval: Duration
        /// How the wait grows while replies stay empty.
        public var backoff: PollingBackoff
        /// Bounds on replies.
        public var limits: HTTPLimits

        public init(
            host: String, port: Int, viaProxy: Bool = false, idleInterval: Duration = .milliseconds(50),
            backoff: PollingBackoff = .none, limits: HTTPLimits = HTTPLimits()
        ) {
            self.host = host
            self.port = port
            self.viaProxy = viaProxy
            self.idleInterval = idleInterval
            self.backoff = backoff
            self.limits = limits
        }
    }

    /// How the idle wait grows after consecutive empty replies. Real clients ignore the server's
    /// polling byte (ffmpeg waits a fixed 50 ms); Flash Player honoured it.
    public enum PollingBackoff: Sendable, Equatable {
        /// Always `idleInterval` (ffmpeg, librtmp).
        case none
        /// `idleInterval` × the polling byte of the last reply (Red5 sends 1, then 3, 5, 9, 17, 33).
        case serverHint
        /// `idleInterval` doubled for each consecutive empty reply, at most `max`.
        case doubling(max: Duration)
    }

    /// The tunnel's only timer: the next `/idle` poll.
    public enum Timer: Sendable, Hashable {
        case poll
    }

    /// What one input requires; a case that carries a `Next` wants it carried out first.
    public enum Action: Sendable {
        /// Nothing to do until the next input.
        case wait
        /// Write this HTTP request; cancel the poll timer when `cancelPoll`.
        case write([UInt8], cancelPoll: Bool)
        /// Start the poll timer.
        case schedulePoll(after: Duration)
        /// `/open` was answered: the tunnel is up (the "tunnel opened" phase) after `then`.
        case opened(sessionID: String, then: Next)
        /// RTMP bytes for the client session, after `then`.
        case deliver([UInt8], after: Next)
        /// The tunnel ended cleanly: `/close` answered, or the server's polling byte was 0 (the last
        /// reply's data in `deliver`); cancel the poll timer when `cancelPoll`.
        case closed(deliver: [UInt8], cancelPoll: Bool)
        /// The tunnel failed; close the TCP connection (cancel the poll timer when `cancelPoll`).
        case failed(RTMPTError, cancelPoll: Bool)

        init(_ next: Next) {
            switch next {
            case .write(let bytes, let cancelPoll): self = .write(bytes, cancelPoll: cancelPoll)
            case .schedulePoll(let delay): self = .schedulePoll(after: delay)
            }
        }
    }

    /// What follows a reply: the next request, or the next poll.
    public enum Next: Sendable, Equatable {
        case write([UInt8], cancelPoll: Bool)
        case schedulePoll(after: Duration)
    }

    /// What the in-flight request was.
    private enum Request: Sendable {
        case send
        case idle
    }

    private enum State: Sendable {
        /// `start()` not called yet.
        case idle
        /// `POST /open/1` in flight.
        case opening
        /// Tunnel up; `inFlight` is the unanswered request, if any.
        case open(sessionID: String, inFlight: Request?)
        /// `POST /close` in flight.
        case closing
        /// Closed cleanly or failed: inputs are ignored.
        case finished
    }

    private let configuration: Configuration
    private var state: State = .idle
    private var parser: HTTPParser
    /// RTMP bytes written by the session and not yet posted.
    private var outbox: [UInt8] = []
    /// `<seq>` of the next send/idle/close request.
    private var sequence = 0
    private var closeRequested = false
    private var pollScheduled = false
    private var consecutiveEmptyReplies = 0

    public init(configuration: Configuration) {
        self.configuration = configuration
        self.parser = HTTPParser(kind: .response, limits: configuration.limits)
    }

    /// Opens the tunnel: `POST /open/1` with a one-byte body. Later calls do nothing.
    public mutating func start() -> Action {
        switch state {
        case .idle:
            state = .opening
            return .write(request(path: "/open/1", body: [0]), cancelPoll: false)
        case .opening, .open, .closing, .finished:
            // A tunnel opens once: a second start is a runtime bug, not an input to absorb.
            preconditionFailure("RTMPTClientTunnel.start() in state \(state)")
        }
    }

    /// RTMP bytes the session wrote. Posted at once if nothing is in flight, otherwise queued for the
    /// next request. Bytes after `close()` or a failure are dropped.
    public mutating func send(_ bytes: [UInt8]) -> Action {
        switch state {
        case .idle, .opening:
            outbox += bytes
            return .wait
        case .open(let sessionID, let inFlight):
            outbox += bytes
            guard inFlight == nil, !closeRequested, !outbox.isEmpty else { return .wait }
            return Action(postOutbox(sessionID: sessionID))
        case .closing, .finished:
            return .wait
        }
    }

    /// Bytes read from the TCP connection.
    public mutating func received(_ bytes: ArraySlice<UInt8>) -> Action {
        switch state {
        case .finished:
            return .wait
        case .idle, .open(_, inFlight: nil):
            guard !bytes.isEmpty else { return .wait }
            return fail(.unexpectedResponse)
        case .opening, .open, .closing:
            break
        }
        let response: HTTPResponse
        do {
            try parser.append(bytes)
            guard let parsed = try parser.nextResponse() else { return .wait }
            response = parsed
        } catch {
            return fail(.http(error))
        }
        guard response.status == 200 else {
            return fail(.status(code: response.status, reason: response.reason))
        }
        guard parser.bufferedByteCount == 0 else { return fail(.unexpectedResponse) }
        switch state {
        case .opening:
            return opened(body: response.body)
        case .open(let sessionID, _):
            return replied(sessionID: sessionID, body: response.body)
        case .closing:
            state = .finished
            return .closed(deliver: [], cancelPoll: false)
        case .idle, .finished:
            return fail(.unexpectedResponse)
        }
    }

    /// A timer fired; stale timers (a request already went out) do nothing. Before `start()` no timer
    /// exists: one firing then is a runtime bug, and traps.
    public mutating func timerFired(_ timer: Timer) -> Action {
        switch timer {
        case .poll:
            pollScheduled = false
            switch state {
            case .open(let sessionID, inFlight: nil):
                if closeRequested { return Action(postClose(sessionID: sessionID)) }
                if !outbox.isEmpty { return Action(postOutbox(sessionID: sessionID)) }
                return Action(post(path: "/idle/\(sessionID)/\(takeSequence())", body: [0], inFlight: .idle, sessionID: sessionID))
            case .opening, .open, .closing, .finished:
                return .wait
            case .idle:
                preconditionFailure("RTMPTClientTunnel.timerFired(\(timer)) in state \(state)")
            }
        }
    }

    /// Ends the tunnel with `POST /close/<id>/<seq>` once no request is in flight.
    public mutating func close() -> Action {
        switch state {
        case .idle:
            state = .finished
            return .closed(deliver: [], cancelPoll: false)
        case .opening, .open(_, inFlight: .some):
            closeRequested = true
            return .wait
        case .open(let sessionID, inFlight: nil):
            return Action(postClose(sessionID: sessionID))
        case .closing, .finished:
            return .wait
        }
    }

    /// The TCP connection closed (peer, proxy or network).
    public mutating func connectionClosed() -> Action {
        switch state {
        case .finished:
            return .wait
        case .idle, .opening, .open, .closing:
            return fail(.connectionClosed)
        }
    }

    // MARK: - Replies

    private mutating func opened(body: [UInt8]) -> Action {
        var idBytes = body[...]
        while let last = idBytes.last, last == 10 || last == 13 { idBytes = idBytes.dropLast() }
        let sessionID = String(decoding: idBytes, as: UTF8.self)
        guard (1...64).contains(idBytes.count), idBytes.allSatisfy({ $0 > 32 && $0 < 127 && $0 != UInt8(ascii: "/") })
        else {
            return fail(.invalidSessionID(String(sessionID.prefix(80))))
        }
        sequence = 0
        state = .open(sessionID: sessionID, inFlight: nil)
        return .opened(sessionID: sessionID, then: afterReply(sessionID: sessionID, dataArrived: false, pollingByte: nil))
    }

    private mutating func replied(sessionID: String, body: [UInt8]) -> Action {
        guard let pollingByte = body.first else { return fail(.missingPollingByte) }
        let data = Array(body.dropFirst())
        if pollingByte == 0 {
            state = .finished
            return .closed(deliver: data, cancelPoll: cancelPoll())
        }
        state = .open(sessionID: sessionID, inFlight: nil)
        consecutiveEmptyReplies = data.isEmpty ? consecutiveEmptyReplies + 1 : 0
        let next = afterReply(sessionID: sessionID, dataArrived: !data.isEmpty, pollingByte: pollingByte)
        return data.isEmpty ? Action(next) : .deliver(data, after: next)
    }

    /// What follows a reply: close if asked, post queued bytes, else schedule the next poll —
    /// at once after data (more may be waiting, and the session gets to answer first), after
    /// `idleInterval` following `/open`, and after the backoff delay following an empty reply.
    private mutating func afterReply(sessionID: String, dataArrived: Bool, pollingByte: UInt8?) -> Next {
        if closeRequested { return postClose(sessionID: sessionID) }
        if !outbox.isEmpty { return postOutbox(sessionID: sessionID) }
        let delay: Duration
        if dataArrived {
            delay = .zero
        } else if let pollingByte {
            delay = pollDelay(pollingByte: pollingByte)
        } else {
            delay = configuration.idleInterval
        }
        pollScheduled = true
        return .schedulePoll(after: delay)
    }

    /// The wait before the next poll after an empty reply. Arithmetic saturates rather than trap on
    /// absurd configurations (intervals of billions of years).
    private func pollDelay(pollingByte: UInt8) -> Duration {
        let interval = configuration.idleInterval
        switch configuration.backoff {
        case .none:
            return interval
        case .serverHint:
            let ceiling = Duration.seconds(Int64.max) / 256
            return interval > ceiling ? interval : interval * Int(pollingByte)
        case .doubling(let max):
            var delay = interval
            var doublings = min(consecutiveEmptyReplies - 1, 64)
            while doublings > 0, delay > .zero, delay < max {
                delay = delay > max / 2 ? max : delay * 2
                doublings -= 1
            }
            return delay < max ? delay : max
        }
    }

    // MARK: - Requests

    private mutating func postOutbox(sessionID: String) -> Next {
        let count = min(outbox.count, configuration.limits.maxBodyBytes)
        let body = Array(outbox.prefix(count))
        // Sent whole, the outbox gives its storage back (an idle tunnel holds none).
        if count == outbox.count { outbox = [] } else { outbox.removeFirst(count) }
        return post(path: "/send/\(sessionID)/\(takeSequence())", body: body, inFlight: .send, sessionID: sessionID)
    }

    private mutating func postClose(sessionID: String) -> Next {
        state = .closing
        closeRequested = false
        let path = "/close/\(sessionID)/\(takeSequence())"
        return .write(request(path: path, body: [0]), cancelPoll: cancelPoll())
    }

    private mutating func post(path: String, body: [UInt8], inFlight: Request, sessionID: String) -> Next {
        state = .open(sessionID: sessionID, inFlight: inFlight)
        return .write(request(path: path, body: body), cancelPoll: cancelPoll())
    }

    private mutating func takeSequence() -> Int {
        defer { sequence += 1 }
        return sequence
    }

    /// Whether a scheduled poll must be cancelled (once).
    private mutating func cancelPoll() -> Bool {
        guard pollScheduled else { return false }
        pollScheduled = false
        return true
    }

    private mutating func fail(_ error: RTMPTError) -> Action {
        state = .finished
        return .failed(error, cancelPoll: cancelPoll())
    }

    /// A POST with librtmp's headers, in librtmp's order and spelling.
    private func request(path: String, body: [UInt8]) -> [UInt8] {
        let hostPort = "\(Self.bracketed(configuration.host)):\(configuration.port)"
        let target = configuration.viaProxy ? "http://\(hostPort)\(path)" : path
        return HTTPRequest(
            method: "POST", target: target,
            headers: [
                HTTPHeader("Host", hostPort),
                HTTPHeader("Accept", "*/*"),
                HTTPHeader("User-Agent", "Shockwave Flash"),
                HTTPHeader("Connection", "Keep-Alive"),
                HTTPHeader("Cache-Control", "no-cache"),
                HTTPHeader("Content-type", "application/x-fcs"),
                HTTPHeader("Content-length", String(body.count)),
            ],
            body: body
        ).serialized()
    }

    /// IPv6 literals go in brackets in `Host` and URIs.
    private static func bracketed(_ host: String) -> String {
        host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
    }
}
