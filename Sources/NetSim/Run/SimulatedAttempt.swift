import Connector
import RTMP
import RunCore

/// One attempt of the connector on the simulated network: a TCP connection (to the server, or to the
/// proxy for RTMPT when the client has one), TLS for rtmps, the RTMPT tunnel for rtmpt, and a real
/// `RTMPClientSession` on top. It reports phases and the outcome to the runtime and does nothing else.
final class SimulatedAttempt: TCPHandler {
    let id: AttemptID
    let candidate: Candidate
    private unowned let runtime: SimulatedClient
    private var session: RTMPClientSession
    private var transport: AttemptTransport
    private var connection: TCPConnectionID?
    /// The attempt reported its end (or was cancelled): later events are ignored.
    private var ended = false
    /// The RTMPT tunnel's poll timer, when armed.
    private var pollTimer: SimEventLoop.TaskHandle?

    init(id: AttemptID, candidate: Candidate, client runtime: SimulatedClient, seed: UInt64) {
        self.id = id
        self.candidate = candidate
        self.runtime = runtime
        let configuration = RTMPClientSession.Configuration(
            app: candidate.application, tcUrl: candidate.url, flashVer: PlayerIdentity.flashVer
        )
        self.session = RTMPClientSession(configuration: configuration, seed: seed)
        self.transport = AttemptTransport(candidate: candidate, proxy: runtime.proxyEndpoint, seed: seed ^ 0xA5A5_A5A5)
    }

    /// Opens the TCP connection; everything else follows from the network's events.
    func start() {
        let target = transport.tcpTarget(resolving: runtime.resolve)
        connection = runtime.network.connect(from: runtime.host, to: target, handler: self)
        if let connection { runtime.watchSYNs(of: connection, for: id) }
    }

    /// The connector no longer wants this attempt (a loser, a timeout, a quirk), or it won and the run
    /// is over: close the socket, quietly.
    func cancel() {
        ended = true
        cancelPoll()
        if let connection { runtime.network.close(connection) }
    }

    // MARK: Network events

    func handle(_ event: TCPEvent, on tcp: TCPConnectionID) {
        guard !ended else { return }
        switch event {
        case .connected:
            runtime.reach(.tcpConnected, attempt: id)
            let output = transport.connected()
            apply(output)
        case .received(let bytes):
            apply(transport.received(bytes))
        case .peerClosed:
            // The session hears of the close first: a server that closes after `_error` has
            // already given its answer.
            run(session.closed())
            guard !ended else { return }
            apply(transport.peerClosed())
        case .failed(let error):
            finish(failure: error.attemptFailure)
        case .accepted:
            return
        }
    }

    private func apply(_ output: AttemptTransport.Output) {
        guard !ended else { return }
        if !output.send.isEmpty, let connection { runtime.network.send(output.send, on: connection) }
        switch output.timer {
        case .schedule(let timer, let after)?:
            cancelPoll()
            pollTimer = runtime.network.loop.schedule(after: after) { [weak self] in
                guard let self, !self.ended else { return }
                self.pollTimer = nil
                self.apply(self.transport.timerFired(timer))
            }
        case .cancel?:
            cancelPoll()
        case nil:
            break
        }
        for phase in output.reached { runtime.reach(phase, attempt: id) }
        if let failure = output.failure {
            finish(failure: failure)
            return
        }
        if output.streamOpened { run(session.start()) }
        guard !ended, !output.delivered.isEmpty else { return }
        run(session.received(output.delivered[...]))
    }

    // MARK: Session actions

    private func run(_ action: RTMPClientSession.Action) {
        guard !ended else { return }
        switch action {
        case .wait:
            return
        case .send(let bytes, let reached):
            record(reached)
            write(bytes)
        case .finish(let outcome, let bytes, let reached):
            record(reached)
            write(bytes)
            switch outcome {
            case .success:
                // The connector decides what happens to the connection (kept, or closed as a loser).
                ended = true
                cancelPoll()
                runtime.attemptSucceeded(id)
            case .rejected(let description):
                finish(failure: .rejected(description))
            case .redirect(let url):
                ended = true
                cancelPoll()
                if let connection { runtime.network.close(connection) }
                runtime.attemptRedirected(id, url: url)
            case .protocolError(let error):
                finish(failure: .protocolError("\(error)"))
            case .closedByPeer:
                finish(failure: .closed)
            }
        case .connectionError:
            if let connection { runtime.network.close(connection) }
        }
    }

    private func record(_ phases: [RTMPClientSession.Phase]) {
        for phase in phases {
            switch phase {
            case .handshakeDone:
                runtime.reach(.handshakeDone, attempt: id)
            case .result:
                runtime.reach(.connectResult, attempt: id)
            case .handshakeSent, .connectSent:
                break
            }
        }
    }

    private func write(_ bytes: [UInt8]) {
        guard !bytes.isEmpty else { return }
        apply(transport.wrap(bytes))
    }

    private func cancelPoll() {
        if let pollTimer { runtime.network.loop.cancel(pollTimer) }
        pollTimer = nil
    }

    private func finish(failure: AttemptFailure) {
        guard !ended else { return }
        ended = true
        cancelPoll()
        if let connection { runtime.network.close(connection) }
        runtime.attemptFailed(id, failure)
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
