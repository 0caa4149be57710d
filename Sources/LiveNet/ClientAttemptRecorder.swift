import Connector
import NIOCore
import NIOPosix
import RTMP
import RunCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The timeline of one live client attempt: phase times against the real monotonic clock, and the
/// outcome, reported once.
///
/// Lives on the attempt's event loop. Whatever ends the attempt first (the session's outcome, a socket
/// error, the connection closing, the caller's timeout) wins; later endings are ignored, so the
/// caller's promise completes exactly once. With a stream to play, a successful connect does not end
/// the attempt: it goes on (``connectedToPlay()``) until the play's end (``finishPlay(_:)``), and what
/// ends it first meanwhile ends the play, not the connect, which has succeeded and been timed.
final class ClientAttemptRecorder {
    private let clock = ContinuousClock()
    private let start: ContinuousClock.Instant
    private var result: LiveConnectResult
    private let promise: EventLoopPromise<LiveConnectResult>
    private var finished = false
    /// The connect succeeded and the attempt goes on to the stream's first frame.
    private var playing = false
    /// The attempt's channel once it exists, so a timeout can close it.
    var channel: (any Channel)?
    /// The caller's time limit, cancelled once the attempt ends another way.
    var timeoutTask: Scheduled<Void>?

    init(url: String, stream: String?, promise: EventLoopPromise<LiveConnectResult>) {
        self.start = clock.now
        self.result = LiveConnectResult(url: url, outcome: .timeout, elapsed: .zero, stream: stream)
        self.promise = promise
    }

    private var elapsed: Duration { clock.now - start }

    func reached(_ phase: AttemptPhase) {
        guard !finished else { return }
        switch phase {
        case .tcpConnected: result.tcpConnected = result.tcpConnected ?? elapsed
        case .tunnelOpened: result.tunnelOpened = result.tunnelOpened ?? elapsed
        case .handshakeDone: result.handshakeDone = elapsed
        case .connectResult: result.connectResult = elapsed
        case .streamCreated: result.streamCreated = elapsed
        case .playStarted: result.playStarted = elapsed
        case .firstFrame: result.firstFrame = elapsed
        case .reconnectRequested, .lastFrame: break
        }
    }

    /// rtmps: the TLS handshake completed (not a phase of the connector's timeline, which has none
    /// for TLS, as the simulated attempt records none).
    func tlsEstablished() {
        guard !finished else { return }
        result.tlsEstablished = result.tlsEstablished ?? elapsed
    }

    func serverDigest(verified: Bool) {
        guard !finished else { return }
        result.serverDigestVerified = verified
    }

    /// Ends the attempt with `outcome` unless it has ended already. Closes the channel unless the
    /// caller still has something to say on it (RTMPT posts `/close` after the result). While the
    /// attempt plays, the connect has succeeded already: `outcome` (the caller's timeout, a socket
    /// error) is how the play ended.
    func finish(_ outcome: LiveConnectResult.Outcome, closingChannel: Bool = true) {
        guard !finished else { return }
        if playing {
            result.play = outcome == .timeout ? .timeout : .failed(LiveConnectResult.reason(for: outcome))
        } else {
            result.outcome = outcome
        }
        complete(closingChannel: closingChannel)
    }

    /// The connect succeeded and the stream is played next: the attempt goes on, and its end will be
    /// the play's. Returns false when the attempt had ended already (nothing is to be played then).
    func connectedToPlay() -> Bool {
        guard !finished else { return false }
        guard result.stream != nil else {
            preconditionFailure("ClientAttemptRecorder: connectedToPlay() for \(result.url) with no stream to play")
        }
        result.outcome = .ended(.succeeded)
        playing = true
        return true
    }

    /// The play is decided (the first frame, or why none came): the attempt ends, and the caller says
    /// goodbye on the channel. Returns false when the attempt had ended already (the caller's timeout
    /// closed the channel, which is how the session heard the play fail).
    func finishPlay(_ outcome: RTMPClientSession.PlayOutcome) -> Bool {
        guard playing else {
            preconditionFailure("ClientAttemptRecorder: a play of \(result.url) ended (\(outcome)) before its connect succeeded")
        }
        guard !finished else { return false }
        switch outcome {
        case .firstFrame: result.play = .firstFrame
        case .failed(let description): result.play = .failed(description)
        }
        complete(closingChannel: false)
        return true
    }

    private func complete(closingChannel: Bool) {
        finished = true
        result.elapsed = elapsed
        timeoutTask?.cancel()
        promise.succeed(result)
        if closingChannel { channel?.close(promise: nil) }
    }

    /// What a socket-level error means for the attempt (the player's own mapping), else the error
    /// itself in words.
    static func outcome(for error: any Error) -> LiveConnectResult.Outcome {
        if let failure = AttemptFailure(socket: error) { return .ended(.failed(failure)) }
        if let connection = error as? NIOConnectionError, connection.dnsAError != nil || connection.dnsAAAAError != nil {
            return .failed("cannot resolve \(connection.host)")
        }
        return .failed("\(error)")
    }
}
