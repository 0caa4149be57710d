/// The client side of an RTMP connection, from the handshake to the result of `connect`, and on to
/// a stream's first picture when the player asks to play.
///
/// A sans-I/O state machine: the runtime (simulated or real) calls one method per event and executes
/// the ``Action`` it gets back. The connect ``Outcome`` comes first; after a `success` the session
/// keeps answering the server's protocol control (ping, acknowledgement window) so that a runtime
/// holding the winning connection open does not get it dropped. A ``play(_:)`` then does what a
/// player does next (`createStream`, `play`, Set Buffer Length, as ffmpeg sends them) and ends with a
/// ``PlayOutcome``: the first video keyframe, which is what a user waits for, or why none came.
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
        /// Enhanced RTMP's extended capabilities, sent last in `connect` when set: 1 (`Reconnect`)
        /// says the client follows `NetConnection.Connect.ReconnectRequest`.
        public var capsEx: Double?

        public init(
            app: String, tcUrl: String, flashVer: String = "LNX 9,0,124,2", swfUrl: String? = nil,
            pageUrl: String? = nil, objectEncoding: Double? = nil, handshakeMode: HandshakeMode = .digest,
            requiresVerifiedServer: Bool = false, chunkLimits: RTMPChunkDecoder.Limits = .init(), capsEx: Double? = nil
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
            self.capsEx = capsEx
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
        /// `createStream` answered with the NetStream's id; `play` handed to the runtime.
        case streamCreated
        /// `NetStream.Play.Start` arrived on the stream.
        case playStarted
        /// The first video keyframe picture arrived on the stream (not the decoder configuration
        /// that precedes it: a player shows nothing until a picture).
        case firstFrame
        /// Another video message arrived on the stream after the first frame (the stream goes on).
        case frame
        /// The server sent Enhanced RTMP v2's `NetConnection.Connect.ReconnectRequest`, to `tcUrl`
        /// (nil: the current one).
        case reconnectRequested(tcUrl: String?)
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

    /// How a ``play(_:)`` ended.
    public enum PlayOutcome: Sendable, Equatable {
        /// The first video keyframe arrived.
        case firstFrame
        /// No picture will come: the server refused (`_error` for `createStream`, an error
        /// `onStatus` such as `NetStream.Play.StreamNotFound`), ended the stream first
        /// (`NetStream.Play.Stop`), broke the protocol, or closed the connection.
        case failed(description: String)
    }

    /// The client sets no timers; an uninhabited type keeps the event signature uniform.
    public enum Timer: Sendable, Hashable {}

    /// What the runtime does after an event.
    public enum Action: Sendable {
        /// Nothing to write; keep reading.
        case wait
        /// Write `bytes` (empty only when the event reached phases and nothing else) and timestamp
        /// `reached` in order.
        case send([UInt8], reached: [Phase])
        /// The connect attempt is decided: timestamp `reached`, write `send` (possibly empty), report
        /// the outcome. On anything but `success` close the connection; on `success` it may stay open
        /// and later reads keep being answered.
        case finish(Outcome, send: [UInt8], reached: [Phase])
        /// After a `success`, the server broke the protocol: close the connection.
        case connectionError(RTMPSessionError)
        /// The play is decided: timestamp `reached`, write `send` (possibly empty), report the
        /// outcome. The connection stays open either way; the player closes it when it is done.
        case played(PlayOutcome, send: [UInt8], reached: [Phase])
    }

    private enum State: Sendable {
        /// `start()` not called yet.
        case idle
        /// C0+C1 sent; waiting for S0+S1+S2.
        case handshaking(RTMPHandshakeClient)
        /// `connect` sent; waiting for its answer.
        case awaitingResult(ChunkConnection)
        /// Succeeded; answering protocol control only (before a play, or after one was decided).
        case connected(ChunkConnection)
        /// `play(_:)`: `createStream` sent; waiting for the stream id, to play `streamName` on it.
        case creatingStream(ChunkConnection, streamName: String)
        /// `play` sent on `streamID`; waiting for its first video keyframe.
        case playing(ChunkConnection, streamID: UInt32)
        /// The first frame came: every later picture on `streamID` is reported (``Phase/frame``).
        case streaming(ChunkConnection, streamID: UInt32)
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
        case .creatingStream: "creatingStream"
        case .playing: "playing"
        case .streaming: "streaming"
        case .brokenAfterSuccess: "brokenAfterSuccess"
        case .done: "done"
        }
    }

    /// `connect` always uses transaction 1, as ffmpeg and librtmp do.
    static let connectTransactionID: Double = 1
    /// `createStream` follows it as transaction 2 (ffmpeg's next invoke when it plays).
    static let createStreamTransactionID: Double = 2
    /// ffmpeg sends `play` on its source chunk stream (`RTMP_SOURCE_CHANNEL`).
    static let playChunkStreamID: UInt32 = 8
    /// The buffer a player asks for with Set Buffer Length after `play` (ffmpeg's `rtmp_buffer`
    /// default, 3 s); nginx-rtmp and Wowza start a live stream at once whatever it says.
    static let bufferMilliseconds: UInt32 = 3_000

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
        case .handshaking, .awaitingResult, .connected, .creatingStream, .playing, .streaming, .brokenAfterSuccess,
            .done:
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
                return handleChunks(leftover[...], connection: connection, awaiting: .connectResult, prefix: sent,
                                    phases: allPhases)
            }
        case .awaitingResult(let connection):
            return handleChunks(bytes, connection: connection, awaiting: .connectResult, prefix: [], phases: [])
        case .connected(let connection):
            return handleChunks(bytes, connection: connection, awaiting: .nothing, prefix: [], phases: [])
        case .creatingStream(let connection, let name):
            return handleChunks(bytes, connection: connection, awaiting: .streamID(name), prefix: [], phases: [])
        case .playing(let connection, let streamID):
            return handleChunks(bytes, connection: connection, awaiting: .firstFrame(streamID), prefix: [], phases: [])
        case .streaming(let connection, let streamID):
            return handleChunks(bytes, connection: connection, awaiting: .frames(streamID), prefix: [], phases: [])
        case .brokenAfterSuccess(let error):
            state = .done
            return .connectionError(error)
        case .done:
            return .wait
        }
    }

    /// Never called: the client has no timers.
    public mutating func timerFired(_ timer: Timer) -> Action {}

    /// The player plays `streamName` on the connection `connect` opened: `createStream`, then `play`
    /// on the stream it gets, as ffmpeg does after connect. Called once, after a `success`.
    public mutating func play(_ streamName: String) -> Action {
        switch state {
        case .connected(var connection):
            let createStream = RTMPCommand(name: "createStream", transactionID: Self.createStreamTransactionID)
            do {
                let bytes = try connection.encode(.command(createStream))
                state = .creatingStream(connection, streamName: streamName)
                return .send(bytes, reached: [])
            } catch {
                state = .done
                return .played(.failed(description: "\(error)"), send: [], reached: [])
            }
        case .brokenAfterSuccess(let error):
            // The read that carried `_result` broke the stream: no picture can follow.
            state = .done
            return .played(.failed(description: "\(error)"), send: [], reached: [])
        case .idle, .handshaking, .awaitingResult, .creatingStream, .playing, .streaming, .done:
            preconditionFailure("RTMPClientSession.play(\(streamName)) in state \(stateName)")
        }
    }

    /// The server closed the connection (or the tunnel reported it closed).
    public mutating func closed() -> Action {
        switch state {
        case .idle, .handshaking, .awaitingResult:
            state = .done
            return .finish(.closedByPeer, send: [], reached: [])
        case .creatingStream, .playing:
            state = .done
            return .played(.failed(description: Self.closedBeforeFirstFrame), send: [], reached: [])
        case .connected, .streaming, .brokenAfterSuccess, .done:
            // The outcome was reported already; a later close is the runtime's business.
            state = .done
            return .wait
        }
    }

    static let closedBeforeFirstFrame = "the server closed the connection before the first frame"

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
        if let capsEx = configuration.capsEx { object.append("capsEx", .number(capsEx)) }
        return RTMPCommand(name: "connect", transactionID: Self.connectTransactionID, commandObject: .object(object))
    }

    /// What the session waits for while it reads a batch of messages; one message may move it on
    /// (`_result` for connect, then nothing until a play; the stream id, then the first frame).
    private enum Awaiting {
        case connectResult
        case nothing
        case streamID(String)
        case firstFrame(UInt32)
        /// After the first frame: each picture on the stream.
        case frames(UInt32)
    }

    /// Handles the messages in `bytes`: protocol control is answered in every state; the message
    /// that decides what the session waits for (the answer to `connect`, the stream id, the first
    /// frame) moves it on.
    private mutating func handleChunks(
        _ bytes: ArraySlice<UInt8>, connection: ChunkConnection, awaiting: Awaiting, prefix: [UInt8],
        phases: [Phase]
    ) -> Action {
        var connection = connection
        var awaiting = awaiting
        var out = prefix
        var phases = phases
        var outcome: Outcome?
        var played: PlayOutcome?
        let (messages, decodeError) = connection.receive(bytes)
        do {
            reading: for received in messages {
                out += try connection.answerControl(received.message)
                // A connection's reconnect request, whatever the session waits for after connect.
                if case .connectResult = awaiting {} else if let tcUrl = Self.reconnectRequest(received) {
                    phases.append(.reconnectRequested(tcUrl: tcUrl))
                    continue
                }
                switch awaiting {
                case .connectResult:
                    guard case .command(let command) = received.message, let decided = Self.outcome(of: command) else { continue }
                    outcome = decided
                    phases.append(.result)
                    // A refusal ends the session; after a success the rest is read as connected.
                    guard case .success = decided else { break reading }
                    awaiting = .nothing
                case .nothing:
                    continue
                case .streamID(let name):
                    guard case .command(let command) = received.message,
                        command.transactionID == Self.createStreamTransactionID
                    else { continue }
                    awaiting = .nothing
                    guard command.name == "_result", let number = command.arguments.first?.numberValue,
                        let streamID = UInt32(exactly: number)
                    else {
                        played = .failed(description: "createStream: " + Self.describe(command))
                        continue
                    }
                    phases.append(.streamCreated)
                    out += try connection.encode(
                        .command(RTMPCommand(name: "play", transactionID: 0, arguments: [.string(name), .number(-2)])),
                        chunkStreamID: Self.playChunkStreamID, messageStreamID: streamID)
                    out += try connection.encode(
                        .userControl(.setBufferLength(streamID: streamID, milliseconds: Self.bufferMilliseconds)))
                    awaiting = .firstFrame(streamID)
                case .firstFrame(let streamID):
                    guard received.raw.messageStreamID == streamID else { continue }
                    switch received.message {
                    case .command(let command) where command.name == "onStatus":
                        let info = command.information
                        let code = info?["code"]?.stringValue
                        if code == "NetStream.Play.Start" {
                            phases.append(.playStarted)
                        } else if info?["level"]?.stringValue == "error" || code == "NetStream.Play.Stop" {
                            played = .failed(description: Self.describe(command))
                            awaiting = .nothing
                        }
                    case .other(RTMPMessageType.video, let payload) where Self.isKeyframePicture(payload):
                        phases.append(.firstFrame)
                        played = .firstFrame
                        awaiting = .frames(streamID)
                    case .setChunkSize, .abort, .acknowledgement, .userControl, .windowAcknowledgementSize,
                        .setPeerBandwidth, .command, .other:
                        continue
                    }
                case .frames(let streamID):
                    guard received.raw.messageStreamID == streamID, case .other(RTMPMessageType.video, _) = received.message
                    else { continue }
                    phases.append(.frame)
                }
            }
            out += try connection.acknowledgementIfDue()
        } catch {
            return fail(error, awaiting: awaiting, send: out, phases: phases, outcome: outcome, played: played)
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
        if let played {
            let next: State
            switch awaiting {
            case .frames(let streamID): next = .streaming(connection, streamID: streamID)
            case .connectResult, .nothing, .streamID, .firstFrame: next = .connected(connection)
            }
            state = decodeError.map { .brokenAfterSuccess($0) } ?? next
            return .played(played, send: out, reached: phases)
        }
        if let decodeError {
            return fail(decodeError, awaiting: awaiting, send: out, phases: phases, outcome: nil, played: nil)
        }
        switch awaiting {
        case .connectResult: state = .awaitingResult(connection)
        case .nothing: state = .connected(connection)
        case .streamID(let name): state = .creatingStream(connection, streamName: name)
        case .firstFrame(let streamID): state = .playing(connection, streamID: streamID)
        case .frames(let streamID): state = .streaming(connection, streamID: streamID)
        }
        return out.isEmpty && phases.isEmpty ? .wait : .send(out, reached: phases)
    }

    private mutating func fail(
        _ error: RTMPSessionError, awaiting: Awaiting, send: [UInt8], phases: [Phase], outcome: Outcome?,
        played: PlayOutcome?
    ) -> Action {
        state = .done
        if let outcome { return .finish(outcome, send: send, reached: phases) }
        if let played { return .played(played, send: send, reached: phases) }
        switch awaiting {
        case .connectResult: return .finish(.protocolError(error), send: send, reached: phases)
        case .streamID, .firstFrame: return .played(.failed(description: "\(error)"), send: send, reached: phases)
        case .nothing, .frames: return .connectionError(error)
        }
    }

    /// The `tcUrl` of Enhanced RTMP v2's reconnect request (`onStatus` on the NetConnection, message
    /// stream 0, level `status`, code `NetConnection.Connect.ReconnectRequest`): `.some(nil)` when it
    /// names none (reconnect to the current URL), `nil` when the message is not one.
    static func reconnectRequest(_ received: ChunkConnection.Received) -> String?? {
        guard received.raw.messageStreamID == 0, case .command(let command) = received.message,
            command.name == "onStatus", let info = command.information,
            info["code"]?.stringValue == RTMPServerSession.reconnectRequestCode
        else { return nil }
        return .some(info["tcUrl"]?.stringValue)
    }

    /// An answer's description, else its code, else its name: what a log shows of a refusal.
    private static func describe(_ command: RTMPCommand) -> String {
        let info = command.information
        return info?["description"]?.stringValue ?? info?["code"]?.stringValue ?? command.name
    }

    /// Whether a video message's payload is a keyframe picture: FLV's frame type 1, and for AVC and
    /// HEVC a NALU packet (type 1), not the sequence header (type 0) that comes first with the same
    /// frame type. Enhanced RTMP's extended header (bit 7) says the same with its own packet types
    /// (CodedFrames 1, CodedFramesX 3).
    static func isKeyframePicture(_ payload: [UInt8]) -> Bool {
        guard let first = payload.first else { return false }
        if first & 0x80 != 0 {
            let packetType = first & 0x0F
            return (first >> 4) & 0x07 == 1 && (packetType == 1 || packetType == 3)
        }
        guard first >> 4 == 1 else { return false }
        switch first & 0x0F {
        case 7, 12: return payload.count > 1 && payload[1] == 1
        default: return true
        }
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
