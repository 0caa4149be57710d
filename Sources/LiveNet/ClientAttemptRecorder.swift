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
/// caller's promise completes exactly once.
final class ClientAttemptRecorder {
    private let clock = ContinuousClock()
    private let start: ContinuousClock.Instant
    private var result: LiveConnectResult
    private let promise: EventLoopPromise<LiveConnectResult>
    private var finished = false
    /// The attempt's channel once it exists, so a timeout can close it.
    var channel: (any Channel)?
    /// The caller's time limit, cancelled once the attempt ends another way.
    var timeoutTask: Scheduled<Void>?

    init(url: String, promise: EventLoopPromise<LiveConnectResult>) {
        self.start = clock.now
        self.result = LiveConnectResult(url: url, outcome: .timeout, elapsed: .zero)
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
        case .streamCreated, .playStarted, .firstFrame, .reconnectRequested, .lastFrame: break
        }
    }

    func serverDigest(verified: Bool) {
        guard !finished else { return }
        result.serverDigestVerified = verified
    }

    /// Ends the attempt with `outcome` unless it has ended already. Closes the channel unless the
    /// caller still has something to say on it (RTMPT posts `/close` after the result).
    func finish(_ outcome: LiveConnectResult.Outcome, closingChannel: Bool = true) {
        guard !finished else { return }
        finished = true
        result.outcome = outcome
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
