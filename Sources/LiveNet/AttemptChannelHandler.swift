import Connector
import NIOCore
import NIOTLS
import RTMP
import RunCore

/// The NIO side of one attempt, for the live player's attempts (`LiveAttempt`) and the `connect`
/// verb's (`ClientAttemptHandler`): it feeds the channel's bytes and close to RunCore's
/// `AttemptDriver` and carries out the driver's writes, tunnel timer and close on the channel. What
/// the attempt's phases and end mean (the player's timeline, the verb's printed result) is the
/// subclass's.
///
/// For `rtmps` TLS sits below it as NIOSSL's client handler in front of it in the pipeline, as the
/// TLS model sits below the driver in `SimulatedAttempt`: the driver's stream starts (`connected`)
/// when the TLS handshake completes, and its bytes are the plaintext. A TLS failure ends the attempt
/// as a protocol error, as the simulated attempt's does.
class AttemptChannelHandler: ChannelInboundHandler, AttemptRuntime {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    let driver: AttemptDriver
    /// The attempt's channel once it exists.
    var channel: (any Channel)?
    var timers = TimerTable<RTMPTClientTunnel.Timer>()
    /// rtmps: the TLS client and the host it is for; nil for the plain schemes.
    let tls: (client: TLSClient, host: String)?

    init(driver: AttemptDriver, tls: (client: TLSClient, host: String)? = nil) {
        self.driver = driver
        self.tls = tls
    }

    /// Puts NIOSSL's client handler in front of this one on `channel`, which is connected: adding it
    /// to an active channel sends the ClientHello at once. The subclass decides when (the live
    /// attempt after the emulated TCP round trip, so that TLS starts when the scenario's TCP would
    /// have finished).
    func startTLS(on channel: any Channel) {
        guard let tls else { preconditionFailure("AttemptChannelHandler: startTLS on an attempt without TLS") }
        do {
            try channel.pipeline.syncOperations.addHandler(try tls.client.handler(host: tls.host), position: .first)
        } catch {
            tlsFailed(error)
        }
    }

    /// TLS is up: the subclass starts the driver's stream here.
    func tlsEstablished() {}

    /// The handshake (or a record later) failed: the attempt ends as a protocol error in words
    /// that say why. The subclass may report it otherwise.
    func tlsFailed(_ error: any Error) {
        driver.fail(.protocolError(tls?.client.explain(error) ?? "TLS: \(error)"), on: self)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? TLSUserEvent, case .handshakeCompleted = event {
            tlsEstablished()
        }
        context.fireUserInboundEventTriggered(event)
    }

    func channelActive(context: ChannelHandlerContext) {
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var buffer = unwrapInboundIn(data)
        let bytes = buffer.readBytes(length: buffer.readableBytes) ?? []
        driver.received(bytes[...], on: self)
    }

    func channelInactive(context: ChannelHandlerContext) {
        timers.cancelAll()
        // The driver reports the close as the attempt's end unless it has ended already (a close it
        // asked for itself: it reports why just after).
        driver.peerClosed(on: self)
        context.fireChannelInactive()
    }

    /// A socket error ends the attempt as the player's socket layer would read it (anything it does
    /// not name as closed).
    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if tls != nil, TLSClient.isTLSError(error) {
            tlsFailed(error)
            return
        }
        driver.fail(Self.failure(for: error), on: self)
    }

    /// What a socket error means to the player; anything it does not name ends the attempt as closed.
    static func failure(for error: any Error) -> AttemptFailure {
        AttemptFailure(socket: error) ?? .closed
    }

    // MARK: AttemptRuntime

    func write(_ bytes: [UInt8]) {
        guard let channel else { return }
        channel.writeAndFlush(channel.allocator.buffer(bytes: bytes), promise: nil)
    }

    func scheduleTunnelTimer(_ timer: RTMPTClientTunnel.Timer, after delay: Duration) {
        guard let loop = channel?.eventLoop else { return }
        timers.schedule(timer, after: delay, on: loop.assumeIsolated()) { [weak self] in
            guard let self else { return }
            self.timers.fired(timer)
            self.driver.timerFired(timer, on: self)
        }
    }

    func cancelTunnelTimer(_ timer: RTMPTClientTunnel.Timer) {
        timers.cancel(timer)
    }

    func closeConnection() {
        channel?.close(promise: nil)
    }

    func reach(_ phase: AttemptPhase) {}

    func serverDigest(verified: Bool) {}

    func attemptEnded(_ end: AttemptEnd) {
        timers.cancelAll()
    }

    func playEnded(_ outcome: RTMPClientSession.PlayOutcome) {}

    func reconnectRequested(tcUrl: String?) {}

    func streamEnded(_ reason: String) {}
}
