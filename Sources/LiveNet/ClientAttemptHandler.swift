import Connector
import NIOCore
import RTMP
import RunCore

/// The `connect` verb's attempt on one TCP connection: RunCore's `AttemptDriver` (the session,
/// through the RTMPT tunnel for `rtmpt://`, inside TLS for `rtmps://`) on a NIO channel, timed with
/// the real clock.
///
/// It only moves the driver's bytes and timers; phase times and the outcome go into the attempt's
/// `ClientAttemptRecorder`, which completes the caller's promise exactly once. The verb's job ends at
/// the answer, or with a stream to play (`connect --play`) at the play's end (the first frame, or why
/// none came): the connection is closed then, after a `/close` through a tunnel so that the server can
/// drop its tunnel session at once (or after `closeGrace` if the server does not answer it).
final class ClientAttemptHandler: AttemptChannelHandler {
    /// How long the `/close` exchange may take before the socket is closed anyway.
    static let closeGrace: Duration = .seconds(1)

    private let recorder: ClientAttemptRecorder
    /// Played after a successful connect; nil: the attempt ends at the connect's answer.
    private let stream: String?

    init(
        driver: AttemptDriver, recorder: ClientAttemptRecorder, play stream: String?,
        tls: (client: TLSClient, host: String)? = nil
    ) {
        self.recorder = recorder
        self.stream = stream
        super.init(driver: driver, tls: tls)
    }

    /// TCP is up: the session starts, or for `rtmps://` the TLS handshake first.
    override func channelActive(context: ChannelHandlerContext) {
        channel = context.channel
        recorder.reached(.tcpConnected)
        if tls != nil {
            startTLS(on: context.channel)
        } else {
            driver.connected(on: self)
        }
        context.fireChannelActive()
    }

    override func tlsEstablished() {
        guard !driver.hasEnded else { return }
        recorder.tlsEstablished()
        driver.connected(on: self)
    }

    override func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if tls != nil, TLSClient.isTLSError(error) {
            tlsFailed(error)
            return
        }
        recorder.finish(ClientAttemptRecorder.outcome(for: error))
        driver.cancel(on: self)
    }

    // MARK: AttemptRuntime

    override func reach(_ phase: AttemptPhase) {
        recorder.reached(phase)
    }

    override func serverDigest(verified: Bool) {
        recorder.serverDigest(verified: verified)
    }

    override func attemptEnded(_ end: AttemptEnd) {
        super.attemptEnded(end)
        guard case .succeeded = end else {
            // The driver closed the connection.
            recorder.finish(.ended(end), closingChannel: false)
            return
        }
        guard let stream else {
            recorder.finish(.ended(end), closingChannel: false)
            return closeAfterTheAnswer()
        }
        // The driver is `connected` now, the state it plays from, and the tunnel polls again for
        // the play's answers.
        guard recorder.connectedToPlay() else { return driver.cancel(on: self) }
        driver.play(stream, on: self)
    }

    override func playEnded(_ outcome: RTMPClientSession.PlayOutcome) {
        // The caller's timeout closed the channel first (the session heard the close as the play's
        // failure): nothing to say goodbye on.
        guard recorder.finishPlay(outcome) else { return driver.cancel(on: self) }
        closeAfterTheAnswer()
    }

    /// The attempt is over and the connection still open: close it, after a `/close` through the
    /// tunnel when there is one.
    private func closeAfterTheAnswer() {
        guard driver.closeTunnel(on: self), let channel else {
            closeConnection()
            return
        }
        channel.eventLoop.assumeIsolated().scheduleTask(in: TimeAmount(Self.closeGrace)) {
            channel.close(promise: nil)
        }
    }
}
