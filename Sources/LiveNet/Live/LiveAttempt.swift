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

/// One attempt of the connector on a live network: a real TCP connection (on loopback, or across the
/// netns run's per-packet link), real TLS for rtmps (trusting the run's server), and RunCore's
/// `AttemptDriver` (the session, through the RTMPT tunnel for rtmpt) on top. Like `SimulatedAttempt`
/// it moves the driver's bytes and timers and decides nothing.
///
/// Two things of the scenario's world are emulated here because the kernel's stack is not the
/// scenario's client OS, and loopback has no distance:
/// - on loopback only, the TCP handshake's round trip (2 × the one-way latency): the session starts,
///   and a refusal is reported, no earlier than that after the connect began (the link carries it);
/// - the client OS's connect timeout: an unanswered SYN fails the attempt after the scenario's OS
///   gives up (Windows 21 s), not the lab machine's kernel (Linux 127 s).
final class LiveAttempt: AttemptChannelHandler {
    let id: AttemptID
    let candidate: Candidate
    private unowned let player: LivePlayer
    private let targetHost: String
    private let targetPort: Int
    /// Added to what the socket reports: the scenario's round trip where the network does not carry
    /// the TCP handshake across the latency itself (loopback's relays accept at once), zero over the
    /// per-packet link.
    private let handshakeRoundTrip: Duration
    /// How long an attempt at a scheme the live server does not speak takes to fail: the round trip
    /// of the TCP handshake it would have made.
    private let unservedRoundTrip: Duration
    private let connectTimeout: Duration
    private let loop: any EventLoop
    private var startedAt: Duration = .zero
    private var pendingOpen: Scheduled<Void>?

    init(
        id: AttemptID, candidate: Candidate, player: LivePlayer, seed: UInt64, targetHost: String, targetPort: Int,
        handshakeRoundTrip: Duration, unservedRoundTrip: Duration, connectTimeout: Duration, tls: TLSClient?, loop: any EventLoop,
        advertisesReconnect: Bool = false
    ) {
        self.id = id
        self.candidate = candidate
        self.player = player
        self.targetHost = targetHost
        self.targetPort = targetPort
        self.handshakeRoundTrip = handshakeRoundTrip
        self.unservedRoundTrip = unservedRoundTrip
        self.connectTimeout = connectTimeout
        self.loop = loop
        // Loopback has no HTTP proxy in front of the player: the tunnel goes straight to the port.
        super.init(
            driver: AttemptDriver(
                candidate: candidate, viaProxy: false, seed: seed, advertisesReconnect: advertisesReconnect),
            tls: candidate.scheme == .rtmps ? tls.map { ($0, candidate.host) } : nil)
    }

    /// Opens the TCP connection; everything else follows from the socket's events.
    func start() {
        startedAt = player.now
        switch candidate.scheme {
        case .rtmp, .rtmpt, .rtmpe, .rtmpte, .rtmpts:
            // As on the simulated network (`SimulatedAttempt`): RTMPE's encryption is not modelled,
            // so `rtmpe` travels as `rtmp`, `rtmpte` and `rtmpts` as `rtmpt` (the driver makes the
            // same bytes for them on both networks).
            break
        case .rtmps where tls != nil:
            break
        case .rtmps:
            // No port of the scenario serves rtmps, so the run made its server no certificate: the
            // attempt fails like a server that closes on the ClientHello, after the TCP handshake's
            // round trip.
            report(after: unservedRoundTrip) { $0.driver.fail(.protocolError("\($0.candidate.scheme) is not served live"), on: $0) }
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
            .connect(host: targetHost, port: targetPort)
        connecting.whenFailure { error in
            let attempt = bound.value
            let failure = Self.failure(for: error)
            // A refusal travels back over the link; a timeout already took its time.
            attempt.report(after: failure == .osTimeout ? .zero : attempt.handshakeRoundTrip) {
                $0.driver.fail(failure, on: $0)
            }
        }
    }

    /// The connector no longer wants this attempt, or the run is over: close quietly.
    func cancel() {
        pendingOpen?.cancel()
        driver.cancel(on: self)
    }

    /// It won, and the player plays `streamName` on it.
    func play(_ streamName: String, thenStreams: Bool) {
        driver.play(streamName, thenStreams: thenStreams, on: self)
    }

    /// Runs `body` once `delay` has passed since the attempt started (at once if it has).
    ///
    /// Nothing once the attempt has ended: a connect still in flight when the attempt was cancelled
    /// completes later (success or failure), possibly after the run and its player are gone, and the
    /// player is an unowned reference (seen as a crash of a netns worker after a calibration run).
    private func report(after delay: Duration, _ body: @escaping (LiveAttempt) -> Void) {
        guard !driver.hasEnded else { return }
        let remaining = startedAt + delay - player.now
        guard remaining > .zero else {
            body(self)
            return
        }
        pendingOpen = loop.assumeIsolated().scheduleTask(in: TimeAmount(remaining)) { [weak self] in
            guard let self, !self.driver.hasEnded else { return }
            self.pendingOpen = nil
            body(self)
        }
    }

    // MARK: Channel events

    /// The TCP connection is up. After the emulated round trip the session starts, or, for rtmps,
    /// the TLS handshake: its ClientHello leaves when the scenario's TCP handshake would have ended,
    /// and its own round trips cross the latency relay like every other byte.
    override func channelActive(context: ChannelHandlerContext) {
        report(after: handshakeRoundTrip) { attempt in
            attempt.player.reach(.tcpConnected, attempt: attempt.id)
            if attempt.tls != nil, let channel = attempt.channel {
                attempt.startTLS(on: channel)
            } else {
                attempt.driver.connected(on: attempt)
            }
        }
        context.fireChannelActive()
    }

    /// TLS is up: the session starts on its plaintext, as the simulated attempt starts it when the
    /// TLS model says established.
    override func tlsEstablished() {
        guard !driver.hasEnded else { return }
        driver.connected(on: self)
    }

    // MARK: AttemptRuntime

    override func reach(_ phase: AttemptPhase) {
        player.reach(phase, attempt: id)
    }

    override func attemptEnded(_ end: AttemptEnd) {
        pendingOpen?.cancel()
        super.attemptEnded(end)
        player.attemptEnded(id, end)
    }

    override func playEnded(_ outcome: RTMPClientSession.PlayOutcome) {
        player.playEnded(id, outcome)
    }

    override func reconnectRequested(tcUrl: String?) {
        player.reconnectRequested(id, tcUrl: tcUrl)
    }

    override func streamEnded(_ reason: String) {
        player.streamEnded(id, reason)
    }
}
