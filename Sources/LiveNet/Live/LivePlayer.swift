import Connector
import NIOCore
import RunCore

/// The player of a live run: the attempts and timers its `PlayerDriver` asks for, on one event loop
/// with the real clock. The driver (RunCore, the same as the simulated run's) executes the
/// connector's actions and records the timeline; this only carries them out on sockets, and bounds
/// the run.
final class LivePlayer: PlayerRuntime {
    let driver: PlayerDriver
    private let network: any LiveNetwork
    private let scenario: LiveScenario
    private let seed: UInt64
    /// rtmps attempts' TLS, trusting exactly the run's server certificate; nil when the server
    /// serves no TLS (an rtmps attempt then fails as not served).
    private let tls: TLSClient?
    private let loop: any EventLoop
    private let clock = ContinuousClock()
    private var origin: ContinuousClock.Instant
    var timeline: ConnectionTimeline { driver.timeline }
    private(set) var synTimes: [AttemptID: [Duration]] = [:]
    private var attempts: [AttemptID: LiveAttempt] = [:]
    private var timers = TimerTable<FallbackConnector.TimerID>()
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
        bound: Duration, settleLimit: Duration, tls: TLSClient?, loop: any EventLoop
    ) {
        self.tls = tls
        self.bound = bound
        self.settleLimit = settleLimit
        self.driver = PlayerDriver(connector: connector, play: scenario.play, measuresReconnect: scenario.measuresReconnect)
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

    func start() {
        origin = clock.now
        network.started(at: origin)
        boundTimer = loop.assumeIsolated().scheduleTask(in: TimeAmount(bound)) { [weak self] in
            guard let self else { return }
            self.settle(decided: self.driver.isFinished)
        }
        driver.start(at: now, on: self)
    }

    private func settle(decided: Bool) {
        guard !isSettled else { return }
        isSettled = true
        settleTimer?.cancel()
        boundTimer?.cancel()
        settled.succeed(decided)
    }

    /// Ends every attempt still open and every timer: the run is over.
    func stop() {
        settle(decided: driver.isFinished)
        timers.cancelAll()
        for id in driver.abandon() { attempts[id]?.cancel() }
    }

    // MARK: PlayerRuntime

    func startAttempt(_ start: FallbackConnector.AttemptStart) {
        let port = UInt16(clamping: start.candidate.port)
        let attempt = LiveAttempt(
            id: start.id, candidate: start.candidate, player: self,
            seed: RunSeeds.mix(seed, UInt64(truncatingIfNeeded: start.id.rawValue &+ 1)),
            targetHost: network.host, targetPort: network.target(for: port, at: now),
            handshakeRoundTrip: network.carriesLatency ? .zero : scenario.latency * 2,
            unservedRoundTrip: scenario.latency * 2, connectTimeout: scenario.connectTimeout, tls: tls, loop: loop,
            advertisesReconnect: driver.policy.followsReconnectRequest)
        attempts[start.id] = attempt
        synTimes[start.id] = [now]
        attempt.start()
    }

    func endAttempt(_ id: AttemptID) {
        attempts[id]?.cancel()
    }

    func play(_ streamName: String, thenStreams: Bool, on id: AttemptID) {
        attempts[id]?.play(streamName, thenStreams: thenStreams)
    }

    func scheduleTimer(_ request: FallbackConnector.TimerRequest) {
        let id = request.id
        timers.schedule(id, after: request.after, on: loop.assumeIsolated()) { [weak self] in
            guard let self else { return }
            self.timers.fired(id)
            self.driver.timerFired(id, at: self.now, on: self)
        }
    }

    func cancelTimer(_ id: FallbackConnector.TimerID) {
        timers.cancel(id)
    }

    /// After the decision (and the winner's play, which the run's bound alone limits), losers still
    /// running (a dropped SYN, a blackhole) get `settleLimit` to end on their own, as the simulated
    /// run lets them; then the run is over anyway.
    func playerDidAct() {
        guard driver.isMeasured, !isSettled else { return }
        if driver.live.isEmpty {
            settle(decided: true)
        } else if settleTimer == nil {
            settleTimer = loop.assumeIsolated().scheduleTask(in: TimeAmount(settleLimit)) { [weak self] in
                self?.settle(decided: true)
            }
        }
    }
}
