/// The server side of an RTMP connection: the fake server a scenario describes.
///
/// A sans-I/O state machine driven like the client session. It shakes hands in the client's own
/// dialect (plain or Flash Player 9 digest), reads `connect`, and answers it according to its
/// ``Behavior``, after an optional think time that it asks the runtime to time with a timer. An
/// accepted client gets nginx-rtmp's reply sequence (Window Acknowledgement Size, Set Peer Bandwidth,
/// Set Chunk Size, `_result`) followed by `onBWDone`, and the follow-up commands real clients send
/// (`createStream`, `play`, `publish`, …) are answered so that ffmpeg and rtmpdump get past connect.
///
/// ```swift
/// var session = RTMPServerSession(configuration: .init(behavior: .accept, delay: .milliseconds(10)), seed: 7)
/// on accept: run(session.start())
/// on read:   run(session.received(bytes[...]))
/// on timer:  run(session.timerFired(.thinkTime))
/// on EOF:    run(session.closed())
///
/// func run(_ action: RTMPServerSession.Action) {
///     switch action {
///     case .wait: break
///     case .send(let bytes, let observed): log(observed); write(bytes)
///     case .sendAndScheduleTimer(let bytes, let observed, let timer, let delay):
///         log(observed); write(bytes); schedule(timer, after: delay)
///     case .sendAndClose(let bytes, let observed): log(observed); write(bytes); close()
///     case .cancelTimer(let timer): cancel(timer)
///     }
/// }
/// ```
///
/// Stream rule for `play`: the server sends no media, so by default (``Configuration/playableStreams``
/// empty) every name gets `NetStream.Play.StreamNotFound`, the answer a media server gives for a
/// stream it does not have. A player then stops by itself instead of waiting for media that never
/// comes (rtmpdump over RTMPT polled in a tight loop until killed, docs/rtmp-sessions.md). With a
/// set, its names get StreamBegin + `NetStream.Play.Start`; `nil` plays every name.
public struct RTMPServerSession: Sendable {
    /// How the server answers `connect` (the scenario's `response`).
    public enum Behavior: Sendable, Equatable {
        /// `_result` with NetConnection.Connect.Success.
        case accept
        /// `_error` with NetConnection.Connect.Rejected and this description.
        case reject(description: String)
        /// `_error` (or `onStatus`, see ``Configuration/redirectCommand``) with code 302 and
        /// `ex.redirect` = the URL. A `connect` whose `tcUrl` already names the redirect's host is
        /// accepted: the server then stands for both the origin and the edge it sends clients to, as
        /// one address serving several virtual hosts does, so a player that follows the 302 arrives.
        case redirect(url: String)
        /// Completes the handshake, reads `connect`, and never answers: the client waits until its
        /// own timeout.
        case silent
        /// Closes the connection as soon as the handshake completes, before reading `connect`.
        case closeAfterHandshake
    }

    /// Which command carries a redirect: SRS-style servers use either.
    public enum RedirectCommand: Sendable, Equatable {
        case error
        case onStatus
    }

    /// The server's behaviour and the values it puts on the wire.
    public struct Configuration: Sendable, Equatable {
        public var behavior: Behavior
        /// Think time between reading `connect` and answering it (zero: answer in the same step).
        public var delay: Duration
        /// Window Acknowledgement Size and Set Peer Bandwidth values (nginx: 5 000 000).
        public var windowAcknowledgementSize: UInt32
        public var peerBandwidth: UInt32
        /// The Set Chunk Size sent before `_result` (nginx: 4096).
        public var chunkSize: UInt32
        public var fmsVer: String
        public var capabilities: Double
        /// Send `onBWDone` after `_result`, as FMS and ffmpeg's server do.
        public var sendsBandwidthDone: Bool
        public var redirectCommand: RedirectCommand
        /// The names that play (StreamBegin + `NetStream.Play.Start`); others are not found. Empty by
        /// default: no media is served. `nil`: every stream plays.
        public var playableStreams: Set<String>?
        /// Bounds on what a client can make the server buffer.
        public var chunkLimits: RTMPChunkDecoder.Limits
        /// What a stream that plays carries: `nil` (the default) sends no media after
        /// `NetStream.Play.Start`, as before; otherwise every `play` of a playable name is played
        /// this media, its tags sent as their timestamps come due on the ``Timer/nextFrame`` timer,
        /// until the client deletes the stream or closes (or a file ends).
        public var media: PlayableMedia?
        /// Enhanced RTMP v2's reconnect request, measured by the lab: `nil` (the default) never asks.
        public var reconnectRequest: ReconnectRequest?

        public init(
            behavior: Behavior = .accept, delay: Duration = .zero, windowAcknowledgementSize: UInt32 = 5_000_000,
            peerBandwidth: UInt32 = 5_000_000, chunkSize: UInt32 = 4096, fmsVer: String = "FMS/3,0,1,123",
            capabilities: Double = 31, sendsBandwidthDone: Bool = true, redirectCommand: RedirectCommand = .error,
            playableStreams: Set<String>? = [], chunkLimits: RTMPChunkDecoder.Limits = .init(),
            media: PlayableMedia? = nil, reconnectRequest: ReconnectRequest? = nil
        ) {
            self.behavior = behavior
            self.delay = delay
            self.windowAcknowledgementSize = windowAcknowledgementSize
            self.peerBandwidth = peerBandwidth
            self.chunkSize = chunkSize
            self.fmsVer = fmsVer
            self.capabilities = capabilities
            self.sendsBandwidthDone = sendsBandwidthDone
            self.redirectCommand = redirectCommand
            self.playableStreams = playableStreams
            self.chunkLimits = chunkLimits
            self.media = media
            self.reconnectRequest = reconnectRequest
        }
    }

    /// When a play is asked to move (Enhanced RTMP v2, "Reconnect Request", veovera/enhanced-rtmp
    /// `enhanced-rtmp-v2.md`): a server going down for an update, or remapping its clients, sends
    /// `onStatus` `NetConnection.Connect.ReconnectRequest` on the NetConnection, then keeps serving
    /// until the client leaves, here for `closeAfter` at most. Both times count on the play's own
    /// clock (``Timer/nextFrame``), from its `play`: the server asks after that much media.
    public struct ReconnectRequest: Sendable, Hashable {
        /// Media played before the request.
        public var after: Duration
        /// Where to reconnect, absolute or relative to the current tcUrl; `nil`: the same tcUrl.
        public var tcUrl: String?
        /// How long the server keeps the connection after the request before it closes it (a server
        /// that shuts down): what a client that ignores the request loses its stream to.
        public var closeAfter: Duration

        public init(after: Duration, tcUrl: String? = nil, closeAfter: Duration = .seconds(5)) {
            self.after = after
            self.tcUrl = tcUrl
            self.closeAfter = closeAfter
        }
    }

    /// The server's timers. The think time runs before `connect` is answered and the frame timer only
    /// after, so a session never has both.
    public enum Timer: Sendable, Hashable {
        /// The think time before answering `connect` is over.
        case thinkTime
        /// The play's clock advances one ``PlayableMedia/tick`` on every stream that plays: the
        /// tags now due go out.
        case nextFrame
    }

    /// How `connect` was answered.
    public enum ConnectAnswer: Sendable, Equatable {
        case accepted
        case rejected
        case redirected
    }

    /// What the runtime logs and counts (server cost, connect details).
    public enum Observation: Sendable, Equatable {
        /// C2 arrived; whether C1 carried a valid Flash Player digest.
        case handshakeCompleted(clientUsedDigest: Bool)
        /// `connect` arrived with these fields (empty when absent).
        case connectReceived(app: String, flashVer: String, tcUrl: String)
        /// The answer to `connect` is in the bytes of this action.
        case connectAnswered(ConnectAnswer)
        /// The client broke the protocol; the connection is being closed.
        case protocolError(RTMPSessionError)
        /// An audio or video message arrived on a NetStream (a client publishing): its payload size, so
        /// that the runtime can count what a publisher sent.
        case mediaReceived(streamID: UInt32, bytes: Int)
        /// `NetConnection.Connect.ReconnectRequest` went out, pointing at `tcUrl` (nil: the same).
        case reconnectRequested(tcUrl: String?)
    }

    /// What the runtime does after an event.
    public enum Action: Sendable {
        /// Nothing to write or log; keep reading.
        case wait
        /// Log `observed`, write `bytes` (possibly empty), keep reading.
        case send([UInt8], observed: [Observation])
        /// Log, write, and schedule `timer` to fire after `after`.
        case sendAndScheduleTimer([UInt8], observed: [Observation], timer: Timer, after: Duration)
        /// Log, write, then close the connection. A think-time timer still pending is void: cancel it
        /// with the connection (should it fire anyway, the closed session ignores it).
        case sendAndClose([UInt8], observed: [Observation])
        /// The connection is gone: cancel `timer`.
        case cancelTimer(Timer)
    }

    /// What is known about the `connect` being answered.
    struct ConnectRequest: Sendable {
        var transactionID: Double
        var objectEncoding: Double
        /// How this `connect` is answered (see ``Behavior/redirect(url:)``).
        var behavior: Behavior
    }

    /// A command read while the server was thinking, handled once `connect` is answered.
    struct PendingCommand: Sendable {
        var command: RTMPCommand
        var messageStreamID: UInt32
    }

    private enum State: Sendable {
        /// Waiting for C0+C1, then C2.
        case handshaking(RTMPHandshakeServer)
        /// Handshake done; waiting for `connect`.
        case awaitingConnect(ChunkConnection)
        /// `connect` read; the think-time timer runs. Commands that arrive meanwhile wait in `pending`.
        case thinking(ChunkConnection, ConnectRequest, pending: [PendingCommand])
        /// Accepted: answering follow-up commands.
        case serving(ChunkConnection, Streams)
        /// Silent: reading and discarding, never answering.
        case ignoring(ChunkConnection)
        /// Closed or told to close; every later event is ignored.
        case closed
    }

    /// Per-connection NetStream bookkeeping.
    struct Streams: Sendable {
        var nextStreamID: UInt32 = 1
        var open: Set<UInt32> = []
        var bandwidthDoneSent = false
        /// The streams playing ``Configuration/media``, in the order their `play` came, each with the
        /// index of its next tag, the ticks its clock has advanced, and, when `play` gave a duration,
        /// the millisecond its play ends at. The frame timer runs while this is not empty.
        var playing: [Play] = []
    }

    /// One stream's play of ``Configuration/media``.
    struct Play: Sendable {
        var streamID: UInt32
        var nextTag = 0
        var ticks = 0
        var stopAt: UInt32?
        /// Whether this play's ``Configuration/reconnectRequest`` went out.
        var reconnectRequested = false
    }

    /// Most commands queued during the think time; more is a client flooding a thinking server.
    static let maxPendingCommands = 32

    public let configuration: Configuration
    private var state: State

    /// - Parameter seed: expands into S1 and S2's random bytes.
    public init(configuration: Configuration, seed: UInt64) {
        self.configuration = configuration
        self.state = .handshaking(RTMPHandshakeServer(seed: seed))
    }

    /// The connection was accepted. The client speaks first, so there is nothing to do yet; the
    /// event exists so that every session has the same four.
    public mutating func start() -> Action {
        .wait
    }

    /// Bytes arrived from the client.
    public mutating func received(_ bytes: ArraySlice<UInt8>) -> Action {
        switch state {
        case .handshaking(var handshake):
            switch handshake.received(bytes) {
            case .wait:
                state = .handshaking(handshake)
                return .wait
            case .reply(let reply):
                state = .handshaking(handshake)
                return .send(reply, observed: [])
            case .replyAndCompleted(let reply, let leftover, let usedDigest):
                return handshakeCompleted(prefix: reply, leftover: leftover, clientUsedDigest: usedDigest)
            case .completed(let leftover, let usedDigest):
                return handshakeCompleted(prefix: [], leftover: leftover, clientUsedDigest: usedDigest)
            case .failed(let error):
                state = .closed
                return .sendAndClose([], observed: [.protocolError(.handshake(error))])
            }
        case .awaitingConnect(let connection), .ignoring(let connection):
            return handle(bytes, connection: connection, prefix: [], observed: [])
        case .thinking(let connection, let request, let pending):
            return handleWhileThinking(bytes, connection: connection, request: request, pending: pending)
        case .serving(let connection, let streams):
            return handle(bytes, connection: connection, prefix: [], observed: [], streams: streams)
        case .closed:
            return .wait
        }
    }

    /// A timer the session scheduled fired.
    public mutating func timerFired(_ timer: Timer) -> Action {
        switch (timer, state) {
        case (.thinkTime, .thinking(var connection, let request, let pending)):
            var out: [UInt8]
            var observed: [Observation]
            do {
                (out, observed) = try answer(request, connection: &connection)
            } catch {
                state = .closed
                return .sendAndClose([], observed: [.protocolError(error)])
            }
            return afterAnswer(request, connection: connection, pending: pending, out: &out, observed: &observed)
        case (.nextFrame, .serving(var connection, var streams)):
            guard !streams.playing.isEmpty else { return .wait }  // every stream stopped: the timer ends
            var out: [UInt8]
            let reconnect: ReconnectStep
            do {
                out = try advancePlays(&streams, connection: &connection)
                (reconnect, out) = try reconnectStep(&streams, out: out, connection: &connection)
            } catch {
                return protocolFailure(error, out: [], observed: [])
            }
            state = .serving(connection, streams)
            switch reconnect {
            case .none:
                break
            case .requested(let tcUrl):
                guard !streams.playing.isEmpty else { return .send(out, observed: [.reconnectRequested(tcUrl: tcUrl)]) }
                return .sendAndScheduleTimer(
                    out, observed: [.reconnectRequested(tcUrl: tcUrl)], timer: .nextFrame, after: frameInterval)
            case .closing:
                // The grace after the request is over: the server goes away, as one shutting down does.
                state = .closed
                return .sendAndClose(out, observed: [])
            }
            // The last stream may have just played its last picture: then the timer ends here.
            guard !streams.playing.isEmpty else { return .send(out, observed: []) }
            return .sendAndScheduleTimer(out, observed: [], timer: .nextFrame, after: frameInterval)
        case (.thinkTime, .handshaking), (.thinkTime, .awaitingConnect), (.thinkTime, .serving),
            (.thinkTime, .ignoring), (.thinkTime, .closed), (.nextFrame, .handshaking), (.nextFrame, .awaitingConnect),
            (.nextFrame, .thinking), (.nextFrame, .ignoring), (.nextFrame, .closed):
            // A late or stray expiry (e.g. the runtime fired it after a close): nothing to answer.
            return .wait
        }
    }

    /// The client closed the connection.
    public mutating func closed() -> Action {
        switch state {
        case .thinking:
            state = .closed
            return .cancelTimer(.thinkTime)
        case .serving(_, let streams) where !streams.playing.isEmpty:
            state = .closed
            return .cancelTimer(.nextFrame)
        case .handshaking, .awaitingConnect, .serving, .ignoring, .closed:
            state = .closed
            return .wait
        }
    }

    private mutating func handshakeCompleted(prefix: [UInt8], leftover: [UInt8], clientUsedDigest: Bool) -> Action {
        let observed: [Observation] = [.handshakeCompleted(clientUsedDigest: clientUsedDigest)]
        switch configuration.behavior {
        case .closeAfterHandshake:
            state = .closed
            return .sendAndClose(prefix, observed: observed)
        case .accept, .reject, .redirect, .silent:
            let connection = ChunkConnection(limits: configuration.chunkLimits, compressesHeaders: false)
            state = .awaitingConnect(connection)
            return handle(leftover[...], connection: connection, prefix: prefix, observed: observed)
        }
    }

    /// Decodes `bytes` and handles each message in order, in the awaiting-connect, silent or
    /// serving states (the thinking state queues instead; see ``handleWhileThinking``).
    private mutating func handle(
        _ bytes: ArraySlice<UInt8>, connection: ChunkConnection, prefix: [UInt8], observed: [Observation],
        streams: Streams? = nil
    ) -> Action {
        var connection = connection
        var out = prefix
        var observed = observed
        var streams = streams
        // The frame timer starts with the first stream that plays and runs while any does.
        let wasPlaying = streams?.playing.isEmpty == false
        let (messages, decodeError) = connection.receive(bytes)
        var index = 0
        do {
            while index < messages.count {
                let received = messages[index]
                index += 1
                out += try connection.answerControl(received.message)
                if streams != nil, case .other(let type, let payload) = received.message,
                    type == RTMPMessageType.audio || type == RTMPMessageType.video {
                    observed.append(.mediaReceived(streamID: received.raw.messageStreamID, bytes: payload.count))
                    continue
                }
                guard case .command(let command) = received.message else { continue }
                if var current = streams {
                    out += try serve(command, messageStreamID: received.raw.messageStreamID, streams: &current,
                                     connection: &connection)
                    streams = current
                    continue
                }
                guard case .awaitingConnect = state, command.name == "connect" else { continue }
                let object = command.commandObject.objectValue
                observed.append(.connectReceived(
                    app: object?["app"]?.stringValue ?? "", flashVer: object?["flashVer"]?.stringValue ?? "",
                    tcUrl: object?["tcUrl"]?.stringValue ?? ""))
                let request = ConnectRequest(
                    transactionID: command.transactionID,
                    objectEncoding: object?["objectEncoding"]?.numberValue ?? 0,
                    behavior: configuration.behavior.answering(tcUrl: object?["tcUrl"]?.stringValue ?? ""))
                switch configuration.behavior {
                case .silent:
                    state = .ignoring(connection)
                    continue
                case .closeAfterHandshake:
                    // Unreachable in practice (the handshake closed); close anyway.
                    state = .closed
                    return .sendAndClose(out, observed: observed)
                case .accept, .reject, .redirect:
                    break
                }
                if configuration.delay > .zero {
                    // Everything after connect in this read waits for the answer.
                    var pending: [PendingCommand] = []
                    for later in messages[index...] {
                        out += try connection.answerControl(later.message)
                        if case .command(let c) = later.message {
                            pending.append(PendingCommand(command: c, messageStreamID: later.raw.messageStreamID))
                        }
                    }
                    out += try connection.acknowledgementIfDue()
                    if let decodeError { return protocolFailure(decodeError, out: out, observed: observed) }
                    guard pending.count <= Self.maxPendingCommands else {
                        return protocolFailure(.tooManyPendingCommands(limit: Self.maxPendingCommands), out: out,
                                               observed: observed)
                    }
                    state = .thinking(connection, request, pending: pending)
                    return .sendAndScheduleTimer(out, observed: observed, timer: .thinkTime, after: configuration.delay)
                }
                let (answerBytes, answerObserved) = try answer(request, connection: &connection)
                out += answerBytes
                observed += answerObserved
                switch request.behavior {
                case .accept:
                    streams = Streams()
                    streams?.bandwidthDoneSent = configuration.sendsBandwidthDone
                case .reject, .redirect, .silent, .closeAfterHandshake:
                    state = .closed
                    return .sendAndClose(out, observed: observed)
                }
            }
            out += try connection.acknowledgementIfDue()
        } catch {
            return protocolFailure(error, out: out, observed: observed)
        }
        if let decodeError { return protocolFailure(decodeError, out: out, observed: observed) }
        switch state {
        case .ignoring:
            state = .ignoring(connection)
        case .handshaking, .awaitingConnect, .thinking, .serving, .closed:
            state = streams.map { .serving(connection, $0) } ?? .awaitingConnect(connection)
        }
        if !wasPlaying, let streams, !streams.playing.isEmpty {
            return .sendAndScheduleTimer(out, observed: observed, timer: .nextFrame, after: frameInterval)
        }
        return out.isEmpty && observed.isEmpty ? .wait : .send(out, observed: observed)
    }

    /// While thinking, control is answered at once and commands queue for after the answer.
    private mutating func handleWhileThinking(
        _ bytes: ArraySlice<UInt8>, connection: ChunkConnection, request: ConnectRequest, pending: [PendingCommand]
    ) -> Action {
        var connection = connection
        var pending = pending
        var out: [UInt8] = []
        let (messages, decodeError) = connection.receive(bytes)
        do {
            for received in messages {
                out += try connection.answerControl(received.message)
                if case .command(let command) = received.message {
                    pending.append(PendingCommand(command: command, messageStreamID: received.raw.messageStreamID))
                }
            }
            out += try connection.acknowledgementIfDue()
        } catch {
            return protocolFailure(error, out: out, observed: [])
        }
        if let decodeError { return protocolFailure(decodeError, out: out, observed: []) }
        guard pending.count <= Self.maxPendingCommands else {
            return protocolFailure(.tooManyPendingCommands(limit: Self.maxPendingCommands), out: out, observed: [])
        }
        state = .thinking(connection, request, pending: pending)
        return out.isEmpty ? .wait : .send(out, observed: [])
    }

    /// After the think time: the answer, then the commands that queued up behind `connect`.
    private mutating func afterAnswer(
        _ request: ConnectRequest, connection: ChunkConnection, pending: [PendingCommand], out: inout [UInt8],
        observed: inout [Observation]
    ) -> Action {
        var connection = connection
        switch request.behavior {
        case .reject, .redirect, .silent, .closeAfterHandshake:
            state = .closed
            return .sendAndClose(out, observed: observed)
        case .accept:
            break
        }
        var streams = Streams()
        streams.bandwidthDoneSent = configuration.sendsBandwidthDone
        do {
            for item in pending {
                out += try serve(item.command, messageStreamID: item.messageStreamID, streams: &streams,
                                 connection: &connection)
            }
        } catch {
            return protocolFailure(error, out: out, observed: observed)
        }
        state = .serving(connection, streams)
        if !streams.playing.isEmpty {
            return .sendAndScheduleTimer(out, observed: observed, timer: .nextFrame, after: frameInterval)
        }
        return .send(out, observed: observed)
    }

    private mutating func protocolFailure(_ error: RTMPSessionError, out: [UInt8], observed: [Observation]) -> Action {
        state = .closed
        return .sendAndClose(out, observed: observed + [.protocolError(error)])
    }
}
