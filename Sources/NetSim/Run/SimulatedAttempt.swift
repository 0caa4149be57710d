import Connector
import RTMP
import RunCore

/// One attempt of the connector on the simulated network: a TCP connection (to the server, or to the
/// proxy for RTMPT when the client has one), the TLS model for rtmps, and RunCore's `AttemptDriver`
/// (the session, through the RTMPT tunnel for rtmpt) on top. It moves the driver's bytes and timers
/// on the virtual network and decides nothing.
///
/// RTMPE's encryption is not modelled: `rtmpe` travels as `rtmp` and `rtmpte` as `rtmpt`. `rtmpts`
/// (RTMPT inside TLS) is not modelled either and travels as `rtmpt` on its port.
final class SimulatedAttempt: TCPHandler, AttemptRuntime {
    let id: AttemptID
    let candidate: Candidate
    private unowned let runtime: SimulatedClient
    private let driver: AttemptDriver
    /// rtmps: the TLS model between the TCP connection and the driver's stream.
    private var tls: TLSModel?
    /// Where the TCP connection goes: the proxy for a proxied tunnel, else the candidate.
    private let proxy: SimEndpoint?
    private var connection: TCPConnectionID?
    /// The RTMPT tunnel's poll timer, when armed.
    private var pollTimer: SimEventLoop.TaskHandle?

    init(id: AttemptID, candidate: Candidate, client runtime: SimulatedClient, seed: UInt64) {
        self.id = id
        self.candidate = candidate
        self.runtime = runtime
        switch candidate.scheme {
        case .rtmps:
            tls = TLSModel(role: .client, seed: seed ^ 0xA5A5_A5A5)
            proxy = nil
        case .rtmp, .rtmpe:
            proxy = nil
        case .rtmpt, .rtmpte, .rtmpts:
            proxy = runtime.proxyEndpoint
        }
        driver = AttemptDriver(
            candidate: candidate, viaProxy: proxy != nil, seed: seed,
            advertisesReconnect: runtime.driver.policy.followsReconnectRequest)
    }

    /// Opens the TCP connection; everything else follows from the network's events.
    func start() {
        let target = proxy ?? SimEndpoint(runtime.resolve(candidate.host), UInt16(clamping: candidate.port))
        connection = runtime.network.connect(from: runtime.host, to: target, handler: self)
        if let connection { runtime.watchSYNs(of: connection, for: id) }
    }

    /// The connector no longer wants this attempt (a loser, a timeout, a quirk), or it won and the run
    /// is over: close the socket, quietly.
    func cancel() {
        driver.cancel(on: self)
    }

    /// It won, and the player plays `streamName` on it.
    func play(_ streamName: String, thenStreams: Bool) {
        driver.play(streamName, thenStreams: thenStreams, on: self)
    }

    // MARK: Network events

    func handle(_ event: TCPEvent, on tcp: TCPConnectionID) {
        guard !driver.hasEnded else { return }
        switch event {
        case .connected:
            runtime.reach(.tcpConnected, attempt: id)
            if tls != nil {
                send(tls!.start())
            } else {
                driver.connected(on: self)
            }
        case .received(let bytes):
            guard tls != nil else {
                driver.received(bytes[...], on: self)
                return
            }
            let result: TLSModel.Output
            do {
                result = try tls!.received(bytes)
            } catch {
                driver.fail(.protocolError("TLS: \(error)"), on: self)
                return
            }
            send(result.send)
            if result.established { driver.connected(on: self) }
            if !result.plaintext.isEmpty { driver.received(result.plaintext[...], on: self) }
        case .peerClosed:
            driver.peerClosed(on: self)
        case .failed(let error):
            driver.fail(error.attemptFailure, on: self)
        case .accepted:
            return
        }
    }

    private func send(_ bytes: [UInt8]) {
        if !bytes.isEmpty, let connection { runtime.network.send(bytes, on: connection) }
    }

    // MARK: AttemptRuntime

    func write(_ bytes: [UInt8]) {
        send(tls != nil ? tls!.seal(bytes) : bytes)
    }

    func scheduleTunnelTimer(_ timer: RTMPTClientTunnel.Timer, after delay: Duration) {
        cancelTunnelTimer(timer)
        pollTimer = runtime.network.loop.schedule(after: delay) { [weak self] in
            guard let self else { return }
            self.pollTimer = nil
            self.driver.timerFired(timer, on: self)
        }
    }

    func cancelTunnelTimer(_ timer: RTMPTClientTunnel.Timer) {
        if let pollTimer { runtime.network.loop.cancel(pollTimer) }
        pollTimer = nil
    }

    func closeConnection() {
        if let connection { runtime.network.close(connection) }
    }

    func reach(_ phase: AttemptPhase) {
        runtime.reach(phase, attempt: id)
    }

    func attemptEnded(_ end: AttemptEnd) {
        runtime.attemptEnded(id, end)
    }

    func playEnded(_ outcome: RTMPClientSession.PlayOutcome) {
        runtime.playEnded(id, outcome)
    }

    func reconnectRequested(tcUrl: String?) {
        runtime.reconnectRequested(id, tcUrl: tcUrl)
    }

    func streamEnded(_ reason: String) {
        runtime.streamEnded(id, reason)
    }
}

extension TCPError {
    /// What the connector hears: the errno a player's socket layer would turn into
    /// `NetConnection.Connect.Failed`.
    var attemptFailure: AttemptFailure {
        switch self {
        case .refused: .refused
        case .hostUnreachable, .networkUnreachable: .unreachable
        case .connectTimedOut: .osTimeout
        case .retransmissionTimedOut, .reset: .closed
        }
    }
}
