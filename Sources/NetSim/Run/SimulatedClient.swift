import Connector
import RunCore

/// One player on the simulated network: its host, its `FallbackConnector`, and the attempts and
/// timers the connector asked for. It executes the connector's actions and records the timeline; it
/// decides nothing itself. A herd is several of these on one network, against one server.
final class SimulatedClient {
    unowned let runtime: SimulatedRuntime
    let host: HostID
    /// Salt for the seeds of this client's sessions.
    private let index: UInt64

    private var connector: FallbackConnector
    private(set) var timeline = ConnectionTimeline()
    private var attempts: [AttemptID: SimulatedAttempt] = [:]
    private var live: Set<AttemptID> = []
    private var timers: [FallbackConnector.TimerID: SimEventLoop.TaskHandle] = [:]
    private(set) var synWatch: [AttemptID: TCPConnectionID] = [:]

    init(runtime: SimulatedRuntime, host: HostID, index: Int, connector: FallbackConnector) {
        self.runtime = runtime
        self.host = host
        self.index = UInt64(index)
        self.connector = connector
    }

    var network: SimNetwork { runtime.network }
    var proxyEndpoint: SimEndpoint? { runtime.proxyEndpoint }
    func resolve(_ name: String) -> IPv4Address { runtime.resolve(name) }

    /// The connector decided and every attempt it started has ended.
    var isSettled: Bool { connector.isFinished && live.isEmpty }
    /// What the runtime was last told about `isSettled`.
    private var reportedSettled = false

    func start() {
        execute(connector.start())
    }

    private var now: Duration { network.loop.now.sinceStart }

    /// Carries out one connector action, in the order the connector documents: cancel attempts,
    /// cancel timers, start attempts, schedule timers.
    private func execute(_ action: FallbackConnector.Action) {
        timeline.apply(action, at: now)
        switch action {
        case .nothing:
            break
        case .proceed(let steps):
            execute(steps)
        case .connected(let winner, _, let cleanup):
            execute(cleanup)
            // The measurement ends here: the winner is handed to the player. Closing it keeps the
            // simulation finite (an RTMPT tunnel would poll for ever).
            end(winner)
        case .failed(_, let cleanup):
            execute(cleanup)
        case .closeLateSuccess(let id):
            end(id)
        }
        if isSettled != reportedSettled {
            reportedSettled.toggle()
            runtime.client(settled: reportedSettled)
        }
    }

    private func execute(_ steps: FallbackConnector.Steps) {
        for cancellation in steps.cancelAttempts {
            end(cancellation.id)
        }
        for timer in steps.cancelTimers {
            if let handle = timers.removeValue(forKey: timer) { network.loop.cancel(handle) }
        }
        for start in steps.startAttempts {
            let attempt = SimulatedAttempt(
                id: start.id, candidate: start.candidate, client: self,
                seed: RunSeeds.mix(runtime.seed, index << 32 | UInt64(truncatingIfNeeded: start.id.rawValue &+ 1))
            )
            attempts[start.id] = attempt
            live.insert(start.id)
            attempt.start()
        }
        for request in steps.scheduleTimers {
            if let old = timers[request.id] { network.loop.cancel(old) }
            let id = request.id
            timers[id] = network.loop.schedule(after: request.after) { [unowned self] in
                self.timers[id] = nil
                self.execute(self.connector.timerFired(id))
            }
        }
    }

    private func end(_ id: AttemptID) {
        live.remove(id)
        attempts[id]?.cancel()
    }

    // MARK: Reports from attempts

    func watchSYNs(of connection: TCPConnectionID, for attempt: AttemptID) {
        synWatch[attempt] = connection
    }

    func reach(_ phase: AttemptPhase, attempt: AttemptID) {
        timeline.reach(phase, attempt: attempt, at: now)
    }

    func attemptSucceeded(_ id: AttemptID) {
        live.remove(id)
        execute(connector.attemptSucceeded(id))
    }

    func attemptFailed(_ id: AttemptID, _ failure: AttemptFailure) {
        live.remove(id)
        timeline.fail(id, failure, at: now)
        execute(connector.attemptFailed(id, failure))
    }

    func attemptRedirected(_ id: AttemptID, url: String) {
        live.remove(id)
        timeline.redirect(id, to: url, at: now)
        execute(connector.attemptRedirected(id, url: url))
    }
}
