/// The client side of an RTMP connection, from the handshake to the result of `connect`.
///
/// A sans-I/O state machine: the runtime (simulated or real) calls one method per event and executes
/// the ``Action`` it gets back. The session's job ends with the connect ``Outcome``; after a
/// `success` it keeps answering the server's protocol control (ping, acknowledgement window) so that
/// a runtime holding the winning connection open does not get it dropped.
///
/// ```swift
/// var session = RTMPClientSession(configuration: .init(app: "live", tcUrl: "rtmp://host:1935/live"), seed: 1)
/// run(session.start())                        // .send(C0+C1, reached: [.handshakeSent])
/// on read:  run(session.received(bytes[...]))
/// on EOF:   run(session.closed())
///
/// func run(_ action: RTMPClientSession.Action) {
///     switch action {
///     case .wait: break
///     case .send(let bytes, let phases): record(phases, at: now); write(bytes)
///     case .finish(let outcome, let bytes, let phases): record(phases, at: now); write(bytes); report(outcome)
///     case .connectionError(let error): close(error)  // only after a success
///     }
/// }
/// ```
///
/// It knows nothing of TCP or HTTP: for RTMPT the runtime puts its bytes through the tunnel. The
/// client has no timers of its own (attempt timeouts belong to the connector), so ``Timer`` has no
/// cases and ``timerFired(_:)`` can never be called.
public struct RTMPClientSession: Sendable {
    /// What the client sends in `connect`, and how it shakes hands.
    public struct Configuration: Sendable, Equatable {
        /// The application, e.g. `live` for `rtmp://host/live/stream`.
        public var app: String
        /// The URL the connect object carries; ffmpeg always includes the port for plain rtmp,
        /// e.g. `rtmp://host:1935/live`.
        public var tcUrl: String
        /// ffmpeg's "LNX 9,0,124,2" by default (librtmp sends "LNX 10,0,32,18").
        public var flashVer: String
        /// Sent only when set, after `flashVer`, as ffmpeg does.
        public var swfUrl: String?
        /// Sent only when set, after `videoFunction`, as ffmpeg does.
        public var pageUrl: String?
        /// Sent only when set (librtmp's behaviour; ffmpeg never sends it).
        public var objectEncoding: Double?
        /// ffmpeg always sends a digest C1; librtmp a plain one.
        public var handshakeMode: HandshakeMode
        /// Fail with ``RTMPSessionError/serverDigestNotVerified`` unless the server's S1 digest and S2
        /// signature verify (librtmp's FP9 mode). Off by default, like ffmpeg when publishing.
        public var requiresVerifiedServer: Bool
        /// Bounds on what the server can make the client buffer.
        public var chunkLimits: RTMPChunkDecoder.Limits

        public init(
            app: String, tcUrl: String, flashVer: String = "LNX 9,0,124,2", swfUrl: String? = nil,
            pageUrl: String? = nil, objectEncoding: Double? = nil, handshakeMode: HandshakeMode = .digest,
            requiresVerifiedServer: Bool = false, chunkLimits: RTMPChunkDecoder.Limits = .init()
        ) {
            self.app = app
            self.tcUrl = tcUrl
            self.flashVer = flashVer
            self.swfUrl = swfUrl
            self.pageUrl = pageUrl
            self.objectEncoding = objectEncoding
            self.handshakeMode = handshakeMode
            self.requiresVerifiedServer = requiresVerifiedServer
            self.chunkLimits = chunkLimits
        }
    }

    /// The phases a runtime timestamps for the time-to-connect breakdown.
    public enum Phase: Sendable, Equatable {
        /// C0+C1 handed to the runtime.
        case handshakeSent
        /// S0+S1+S2 in and C2 handed to the runtime.
        case handshakeDone(serverDigestVerified: Bool)
        /// `connect` handed to the runtime (right after C2, in the same write).
        case connectSent
        /// The answer to `connect` arrived (`_result`, `_error` or an error `onStatus`).
        case result
    }

    /// What the server said to `connect`'s `_result`, for logs.
    public struct ServerInfo: Sendable, Equatable {
        public var fmsVer: String?
        public var capabilities: Double?
        public var code: String?
        public var objectEncoding: Double?

        public init(fmsVer: String? = nil, capabilities: Double? = nil, code: String? = nil, objectEncoding: Double? = nil) {
            self.fmsVer = fmsVer
            self.capabilities = capabilities
            self.code = code
            self.objectEncoding = objectEncoding
        }
    }

    /// How the connection attempt ended.
    public enum Outcome: Sendable, Equatable {
        /// `_result` for `connect` (NetConnection.Connect.Success).
        case success(ServerInfo)
        /// `_error` (or an error `onStatus`) without a redirect: the description, else the code.
        case rejected(description: String)
        /// Code 302 with `ex.redirect`, in `_error` or `onStatus` (SRS, FMS, Wowza style).
        case redirect(url: String)
        /// The server broke the protocol.
        case protocolError(RTMPSessionError)
        /// The connection closed before an answer to `connect`.
        case closedByPeer
    }

    /// The client sets no timers; an uninhabited type keeps the event signature uniform.
    public enum Timer: Sendable, Hashable {}

    /// What the runtime does after an event.
    public enum Action: Sendable {
        /// Nothing to write; keep reading.
        case wait
        /// Write `bytes` (never empty) and timestamp `reached` in order.
        case send([UInt8], reached: [Phase])
        /// The connect attempt is decided: timestamp `reached`, write `send` (possibly empty), report
        /// the outcome. On anything but `success` close the connection; on `success` it may stay open
        /// and later reads keep being answered.
        case finish(Outcome, send: [UInt8], reached: [Phase])
        /// After a `success`, the server broke the protocol: close the connection.
        case connectionError(RTMPSessionError)
    }

    private enum State: Sendable {
        /// `start()` not called yet.
        case idle
        /// C0+C1 sent; waiting for S0+S1+S2.
        case handshaking(RTMPHandshakeClient)
        /// `connect` sent; waiting for its answer.
        case awaitingResult(ChunkConnection)
        /// Succeeded; answering protocol control only.
        case connected(ChunkConnection)
        /// Succeeded, but the read that carried `_result` also broke the chunk stream: the error is
        /// reported on the next event, after the success it followed.
        case brokenAfterSuccess(RTMPSessionError)
        /// Failed, closed, or broken after success; every later event is ignored.
        case done
    }

    /// The state's case alone, for a trap's message (the handshake's bytes would drown it).
    private var stateName: String {
        switch state {
        case .idle: "idle"
        case .handshaking: "handshaking"
        case .awaitingResult: "awaitingResult"
        case .connected: "connected"
        case .brokenAfterSuccess: "brokenAfterSuccess"
        case .done: "done"
        }
    }

    /// `connect` always uses transaction 1, as ffmpeg and librtmp do.
    static let connectTransactionID: Double = 1

    public let configuration: Configuration
    private let seed: UInt64
    private var state: State = .idle

    /// - Parameter seed: expands into the handshake's random bytes: the same seed gives the same bytes.
    public init(configuration: Configuration, seed: UInt64) {
        self.configuration = configuration
        self.seed = seed
    }

    /// The TCP connection (or tunnel) is open: send C0+C1.
    public mutating func start() -> Action {
        switch state {
        case .idle:
            var handshake = RTMPHandshakeClient(mode: configuration.handshakeMode, seed: seed)
            let c0c1 = handshake.start()
            state = .handshaking(handshake)
            return .send(c0c1, reached: [.handshakeSent])
        case .handshaking, .awaitingResult, .connected, .brokenAfterSuccess, .done:
            // A session starts once: a second start is a runtime bug, not an input to absorb (as
            // swift-nio's HappyEyeballs and postgres-nio's state machines trap).
            preconditionFailure("RTMPClientSession.start() in state \(stateName)")
        }
    }

    /// Bytes arrived from the server.
    public mutating func received(_ bytes: ArraySlice<UInt8>) -> Action {
        switch state {
        case .idle:
            // The server spoke before we did: no RTMP server does that.
            state = .done
            return .finish(.protocolError(.handshake(.receivedBeforeStart)), send: [], reached: [])
        case .handshaking(var handshake):
            switch handshake.received(bytes) {
            case .wait:
                state = .handshaking(handshake)
                return .wait
            case .failed(let error):
                state = .done
                return .finish(.protocolError(.handshake(error)), send: [], reached: [])
            case .completed(let c2, let verified, let leftover):
                let phases: [Phase] = [.handshakeDone(serverDigestVerified: verified)]
                if configuration.requiresVerifiedServer && !verified {
                    state = .done
                    return .finish(.protocolError(.serverDigestNotVerified), send: c2, reached: phases)
                }
                var connection = ChunkConnection(limits: configuration.chunkLimits, compressesHeaders: true)
                let connect: [UInt8]
                do {
                    connect = try connection.encode(.command(connectCommand()))
                } catch {
                    state = .done
                    return .finish(.protocolError(error), send: c2, reached: phases)
                }
                let sent = c2 + connect
                let allPhases = phases + [.connectSent]
                guard !leftover.isEmpty else {
                    state = .awaitingResult(connection)
                    return .send(sent, reached: allPhases)
                }
                // The server answered before reading connect (legal, if odd): handle those bytes too.
                return handleChunks(leftover[...], connection: connection, awaitingResult: true, prefix: sent,
                                    phases: allPhases)
            }
        case .awaitingResult(let connection):
            return handleChunks(bytes, connection: connection, awaitingResult: true, prefix: [], phases: [])
        case .connected(let connection):
            return handleChunks(bytes, connection: connection, awaitingResult: false, prefix: [], phases: [])
        case .brokenAfterSuccess(let error):
            state = .done
            return .connectionError(error)
        case .done:
            return .wait
        }
    }

    /// Never called: the client has no timers.
    public mutating func timerFired(_ timer: Timer) -> Action {}

    /// The server closed the connection (or the tunnel reported it closed).
    public mutating func closed() -> Action {
        switch state {
        case .idle, .handshaking, .awaitingResult:
            state = .done
            return .finish(.closedByPeer, send: [], reached: [])
        case .connected, .brokenAfterSuccess, .done:
            // The outcome was reported already; a later close is the runtime's business.
            state = .done
            return .wait
        }
    }

    /// The connect command object, fields in ffmpeg's order (rtmp-wire.md, "connect").
    func connectCommand() -> RTMPCommand {
        var object = AMF0Object()
        object.append("app", .string(configuration.app))
        object.append("flashVer", .string(configuration.flashVer))
        if let swfUrl = configuration.swfUrl { object.append("swfUrl", .string(swfUrl)) }
        object.append("tcUrl", .string(configuration.tcUrl))
        object.append("fpad", .boolean(false))
        object.append("capabilities", .number(15))
        object.append("audioCodecs", .number(4071))
        object.append("videoCodecs", .number(252))
        object.append("videoFunction", .number(1))
        if let pageUrl = configuration.pageUrl { object.append("pageUrl", .string(pageUrl)) }
        if let objectEncoding = configuration.objectEncoding { object.append("objectEncoding", .number(objectEncoding)) }
        return RTMPCommand(name: "connect", transactionID: Self.connectTransactionID, commandObject: .object(object))
    }

    /// Handles the messages in `bytes`: protocol control is answered in every state; while awaiting
    /// the result, the first answer to `connect` decides the outcome.
    private mutating func handleChunks(
        _ bytes: ArraySlice<UInt8>, connection: ChunkConnection, awaitingResult: Bool, prefix: [UInt8],
        phases: [Phase]
    ) -> Action {
        var connection = connection
        var out = prefix
        var phases = phases
        var outcome: Outcome?
        let (messages, decodeError) = connection.receive(bytes)
        do {
            for received in messages {
                out += try connection.answerControl(received.message)
                guard awaitingResult, outcome == nil, case .command(let command) = received.message else { continue }
                if let decided = Self.outcome(of: command) {
                    outcome = decided
                    phases.append(.result)
                    if case .success = decided {} else { break }
                }
            }
            out += try connection.acknowledgementIfDue()
        } catch {
            return fail(error, awaitingResult: awaitingResult && outcome == nil, send: out, phases: phases, outcome: outcome)
        }
        if let outcome {
            switch (outcome, decodeError) {
            case (.success, nil):
                state = .connected(connection)
            case (.success, .some(let error)):
                state = .brokenAfterSuccess(error)
            case (.rejected, _), (.redirect, _), (.protocolError, _), (.closedByPeer, _):
                state = .done
            }
            return .finish(outcome, send: out, reached: phases)
        }
        if let decodeError {
            return fail(decodeError, awaitingResult: awaitingResult, send: out, phases: phases, outcome: nil)
        }
        state = awaitingResult ? .awaitingResult(connection) : .connected(connection)
        return out.isEmpty && phases.isEmpty ? .wait : .send(out, reached: phases)
    }

    private mutating func fail(
        _ error: RTMPSessionError, awaitingResult: Bool, send: [UInt8], phases: [Phase], outcome: Outcome?
    ) -> Action {
        state = .done
        if let outcome { return .finish(outcome, send: send, reached: phases) }
        if awaitingResult { return .finish(.protocolError(error), send: send, reached: phases) }
        return .connectionError(error)
    }

    /// Whether `command` answers `connect`, and how. Clients match by transaction id only; an
    /// `onStatus` (transaction 0) counts when its level is `error`, as Flash treats it.
    static func outcome(of command: RTMPCommand) -> Outcome? {
        let info = command.information
        switch command.name {
        case "_result":
            guard command.transactionID == connectTransactionID else { return nil }
            return .success(ServerInfo(
                fmsVer: command.commandObject.objectValue?["fmsVer"]?.stringValue,
                capabilities: command.commandObject.objectValue?["capabilities"]?.numberValue,
                code: info?["code"]?.stringValue,
                objectEncoding: info?["objectEncoding"]?.numberValue))
        case "_error":
            guard command.transactionID == connectTransactionID else { return nil }
            return rejectionOrRedirect(info)
        case "onStatus":
            guard info?["level"]?.stringValue == "error" else { return nil }
            return rejectionOrRedirect(info)
        default:
            return nil
        }
    }

    private static func rejectionOrRedirect(_ info: AMF0Object?) -> Outcome {
        if let ex = info?["ex"]?.objectValue, ex["code"]?.numberValue == 302, let url = ex["redirect"]?.stringValue {
            return .redirect(url: url)
        }
        return .rejected(description: info?["description"]?.stringValue ?? info?["code"]?.stringValue ?? "")
    }
}
