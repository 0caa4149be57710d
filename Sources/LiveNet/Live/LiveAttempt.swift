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

/// One attempt of the connector on a live network: a real TCP connection on loopback, the RTMPT
/// tunnel for rtmpt, and a real `RTMPClientSession` on top. Like `SimulatedAttempt` it reports
/// phases and the outcome to its player and decides nothing.
///
/// Two things of the scenario's world are emulated here because loopback has no distance and the
/// kernel's stack is not the scenario's client OS:
/// - the TCP handshake's round trip (2 × the one-way latency): the session starts, and a refusal is
///   reported, no earlier than that after the connect began, as on the scenario's link;
/// - the client OS's connect timeout: an unanswered SYN fails the attempt after the scenario's OS
///   gives up (Windows 21 s), not the lab machine's kernel (Linux 127 s).
final class LiveAttempt: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private enum Transport {
        case plain
        case tunnel(RTMPTClientTunnel)
    }

    let id: AttemptID
    let candidate: Candidate
    private unowned let player: LivePlayer
    private var session: RTMPClientSession
    private var transport: Transport
    private let targetPort: Int
    private let handshakeRoundTrip: Duration
    private let connectTimeout: Duration
    private let loop: any EventLoop
    private var channel: (any Channel)?
    private var startedAt: Duration = .zero
    private var ended = false
    private var timers = TimerTable<RTMPTClientTunnel.Timer>()
    private var pendingOpen: Scheduled<Void>?

    init(
        id: AttemptID, candidate: Candidate, player: LivePlayer, seed: UInt64, targetPort: Int,
        handshakeRoundTrip: Duration, connectTimeout: Duration, loop: any EventLoop
    ) {
        self.id = id
        self.candidate = candidate
        self.player = player
        self.session = RTMPClientSession(
            configuration: .init(app: candidate.application, tcUrl: candidate.url, flashVer: PlayerIdentity.flashVer),
            seed: seed)
        switch candidate.scheme {
        case .rtmpt, .rtmpte, .rtmpts:
            transport = .tunnel(RTMPTClientTunnel(configuration: .init(host: candidate.host, port: candidate.port)))
        case .rtmp, .rtmpe, .rtmps:
            transport = .plain
        }
        self.targetPort = targetPort
        self.handshakeRoundTrip = handshakeRoundTrip
        self.connectTimeout = connectTimeout
        self.loop = loop
    }

    /// Opens the TCP connection; everything else follows from the socket's events.
    func start() {
        startedAt = player.now
        switch candidate.scheme {
        case .rtmp, .rtmpt:
            break
        case .rtmps, .rtmpe, .rtmpte, .rtmpts:
            // The fake server speaks neither TLS nor RTMPE: the live attempt fails like a server
            // that closes on the first bytes, after the TCP handshake's round trip.
            report(after: handshakeRoundTrip) { $0.finish(.protocolError("\(self.candidate.scheme) is not served live")) }
            return
        }
        let bound = NIOLoopBound(self, eventLoop: loop)
        let connecting = ClientBootstrap(group: loop)
            .connectTimeout(TimeAmount(connectTimeout))
            .channelOption(.tcpOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    bound.value.channel = channel
                    try channel.pipeline.syncOperations.addHandler(bound.value)
                }
            }
            .connect(host: "127.0.0.1", port: targetPort)
        connecting.whenFailure { error in
            let attempt = bound.value
            let failure = Self.failure(for: error)
            // A refusal travels back over the link; a timeout already took its time.
            attempt.report(after: failure == .osTimeout ? .zero : attempt.handshakeRoundTrip) { $0.finish(failure) }
        }
    }

    /// The connector no longer wants this attempt, or the run is over: close quietly.
    func cancel() {
        ended = true
        pendingOpen?.cancel()
        timers.cancelAll()
        channel?.close(promise: nil)
    }

    /// Runs `body` once `delay` has passed since the attempt started (at once if it has).
    ///
    /// Nothing once the attempt has ended: a connect still in flight when the attempt was cancelled
    /// completes later (success or failure), possibly after the run and its player are gone, and the
    /// player is an unowned reference (seen as a crash of a netns worker after a calibration run).
    private func report(after delay: Duration, _ body: @escaping (LiveAttempt) -> Void) {
        guard !ended else { return }
        let remaining = startedAt + delay - player.now
        guard remaining > .zero else {
            body(self)
            return
        }
        pendingOpen = loop.assumeIsolated().scheduleTask(in: TimeAmount(remaining)) { [weak self] in
            guard let self else { return }
            self.pendingOpen = nil
            body(self)
        }
    }

    // MARK: Channel events

    func channelActive(context: ChannelHandlerContext) {
        let channel = context.channel
        report(after: handshakeRoundTrip) { attempt in
            guard !attempt.ended else { return }
            attempt.player.reach(.tcpConnected, attempt: attempt.id)
            switch attempt.transport {
            case .plain:
                attempt.runSession(attempt.session.start(), channel: channel)
            case .tunnel(var tunnel):
                let action = tunnel.start()
                attempt.transport = .tunnel(tunnel)
                attempt.runTunnel(action, channel: channel)
            }
        }
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !ended else { return }
        var buffer = unwrapInboundIn(data)
        let bytes = buffer.readBytes(length: buffer.readableBytes) ?? []
        switch transport {
        case .plain:
            runSession(session.received(bytes[...]), channel: context.channel)
        case .tunnel(var tunnel):
            let action = tunnel.received(bytes[...])
            transport = .tunnel(tunnel)
            runTunnel(action, channel: context.channel)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        timers.cancelAll()
        guard !ended else { return }
        // The session hears of the close first: a server that closes after `_error` has answered.
        runSession(session.closed(), channel: context.channel)
        finish(.closed)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        finish(Self.failure(for: error))
    }

    // MARK: Driving the state machines

    private func runTunnel(_ action: RTMPTClientTunnel.Action, channel: any Channel) {
        guard !ended else { return }
        if !action.write.isEmpty {
            channel.writeAndFlush(channel.allocator.buffer(bytes: action.write), promise: nil)
        }
        if !action.deliver.isEmpty {
            runSession(session.received(action.deliver[...]), channel: channel)
        }
        switch action.timer {
        case .schedule(let timer, let delay)?:
            timers.schedule(timer, after: delay, on: loop.assumeIsolated()) { [weak self] in
                guard let self, !self.ended, case .tunnel(var tunnel) = self.transport else { return }
                self.timers.fired(timer)
                let next = tunnel.timerFired(timer)
                self.transport = .tunnel(tunnel)
                self.runTunnel(next, channel: channel)
            }
        case .cancel(let timer)?:
            timers.cancel(timer)
        case nil:
            break
        }
        switch action.event {
        case .opened?:
            player.reach(.tunnelOpened, attempt: id)
            runSession(session.start(), channel: channel)
        case .closed?:
            runSession(session.closed(), channel: channel)
            finish(.closed)
        case .failed(let error)?:
            finish(AttemptFailure(tunnel: error))
        case nil:
            break
        }
    }

    private func runSession(_ action: RTMPClientSession.Action, channel: any Channel) {
        guard !ended else { return }
        switch action {
        case .wait:
            return
        case .send(let bytes, let phases):
            record(phases)
            write(bytes, channel: channel)
        case .finish(let outcome, let bytes, let phases):
            record(phases)
            write(bytes, channel: channel)
            switch outcome {
            case .success:
                // The player decides what happens to the connection (kept, or closed as a loser).
                ended = true
                timers.cancelAll()
                player.attemptSucceeded(id)
            case .rejected(let description):
                finish(.rejected(description))
            case .redirect(let url):
                ended = true
                timers.cancelAll()
                channel.close(promise: nil)
                player.attemptRedirected(id, url: url)
            case .protocolError(let error):
                finish(.protocolError("\(error)"))
            case .closedByPeer:
                finish(.closed)
            }
        case .connectionError:
            channel.close(promise: nil)
        }
    }

    private func record(_ phases: [RTMPClientSession.Phase]) {
        for phase in phases {
            switch phase {
            case .handshakeDone: player.reach(.handshakeDone, attempt: id)
            case .result: player.reach(.connectResult, attempt: id)
            case .handshakeSent, .connectSent: break
            }
        }
    }

    private func write(_ bytes: [UInt8], channel: any Channel) {
        guard !bytes.isEmpty else { return }
        switch transport {
        case .plain:
            channel.writeAndFlush(channel.allocator.buffer(bytes: bytes), promise: nil)
        case .tunnel(var tunnel):
            let action = tunnel.send(bytes)
            transport = .tunnel(tunnel)
            runTunnel(action, channel: channel)
        }
    }

    private func finish(_ failure: AttemptFailure) {
        guard !ended else { return }
        ended = true
        pendingOpen?.cancel()
        timers.cancelAll()
        channel?.close(promise: nil)
        player.attemptFailed(id, failure)
    }

    // MARK: Errors

    /// What a socket error means to the player; anything it does not name ends the attempt as closed.
    static func failure(for error: any Error) -> AttemptFailure {
        AttemptFailure(socket: error) ?? .closed
    }
}
