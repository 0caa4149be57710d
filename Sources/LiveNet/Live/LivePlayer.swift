import Connector
import NIOCore
import RunCore

/// The player of a live run: its `FallbackConnector`, the attempts and timers the connector asked
/// for, executed on one event loop with the real clock. Like `SimulatedClient`, it carries out the
/// connector's actions and records the timeline; it decides nothing itself.
final class LivePlayer {
    private var connector: FallbackConnector
    private let network: any LiveNetwork
    private let scenario: LiveScenario
    private let seed: UInt64
    private let loop: any EventLoop
    private let clock = ContinuousClock()
    private var origin: ContinuousClock.Instant
    private(set) var timeline = ConnectionTimeline()
    private(set) var synTimes: [AttemptID: [Duration]] = [:]
    private var attempts: [AttemptID: LiveAttempt] = [:]
    private var live: Set<AttemptID> = []
    private var timers: [FallbackConnector.TimerID: Scheduled<Void>] = [:]
    /// Completed with `true` once the connector decided and every attempt it started ended (or the
    /// losers had `settleLimit` to end), with `false` when the run's bound passed undecided.
    private let settled: EventLoopPromise<Bool>
    private var isSettled = false
    private var settleTimer: Scheduled<Void>?
    private var boundTimer: Scheduled<Void>?
    private let settleLimit: Duration
    private let bound: Duration

    init(
        connector: FallbackConnector, network: any LiveNetwork, scenario: LiveScenario, seed: UInt64,
        bound: Duration, settleLimit: Duration, loop: any EventLoop
    ) {
        self.bound = bound
        self.settleLimit = settleLimit
        self.connector = connector
        self.network = network
        self.scenario = scenario
        self.seed = seed
        self.loop = loop
        self.origin = clock.now
        self.settled = loop.makePromise(of: Bool.self)
    }

    /// Time since the connector started.
    var now: Duration { clock.now - origin }

    var settledFuture: EventLoopFuture<Bool> { settled.futureResult }

    /// The connector decided.
    var isFinished: Bool { connector.isFinished }

    func start() {
        origin = clock.now
        network.started(at: origin)
        boundTimer = loop.assumeIsolated().scheduleTask(in: TimeAmount(bound)) { [weak self] in
            guard let self else { return }
            self.settle(decided: self.connector.isFinished)
        }
        execute(connector.start())
    }

    private func settle(decided: Bool) {
        guard !isSettled else { return }
        isSettled = true
        settleTimer?.cancel()
        boundTimer?.cancel()
        settled.succeed(decided)
    }

    /// After the decision, losers still running (a dropped SYN, a blackhole) get `settleLimit` to end
    /// on their own, as the simulated run lets them; then the run is over anyway.
    private func checkSettled() {
        guard connector.isFinished, !isSettled else { return }
        if live.isEmpty {
            settle(decided: true)
        } else if settleTimer == nil {
            settleTimer = loop.assumeIsolated().scheduleTask(in: TimeAmount(settleLimit)) { [weak self] in
                self?.settle(decided: true)
            }
        }
    }

    /// Ends every attempt still open and every timer: the run is over.
    func stop() {
        settle(decided: connector.isFinished)
        for timer in timers.values { timer.cancel() }
        timers = [:]
        for id in live { attempts[id]?.cancel() }
        live = []
    }

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
            // The measurement ends here; the winner is closed as in the simulated run.
            end(winner)
        case .failed(_, let cleanup):
            execute(cleanup)
        case .closeLateSuccess(let id):
            end(id)
        }
        checkSettled()
    }

    private func execute(_ steps: FallbackConnector.Steps) {
        for cancellation in steps.cancelAttempts { end(cancellation.id) }
        for timer in steps.cancelTimers { timers.removeValue(forKey: timer)?.cancel() }
        for start in steps.startAttempts {
            let port = UInt16(clamping: start.candidate.port)
            let attempt = LiveAttempt(
                id: start.id, candidate: start.candidate, player: self,
                seed: RunSeeds.mix(seed, UInt64(truncatingIfNeeded: start.id.rawValue &+ 1)),
                targetPort: network.target(for: port, at: now),
                handshakeRoundTrip: scenario.latency * 2, connectTimeout: scenario.connectTimeout, loop: loop)
            attempts[start.id] = attempt
            live.insert(start.id)
            synTimes[start.id] = [now]
            attempt.start()
        }
        for request in steps.scheduleTimers {
            timers.removeValue(forKey: request.id)?.cancel()
            let id = request.id
            timers[id] = loop.assumeIsolated().scheduleTask(in: TimeAmount(request.after)) { [weak self] in
                guard let self else { return }
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
