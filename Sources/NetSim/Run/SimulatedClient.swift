import Connector
import RunCore

/// One player on the simulated network: its host, and the attempts and timers its `PlayerDriver`
/// asks for, on the virtual clock. The driver (RunCore) executes the connector's actions and records
/// the timeline; this only carries them out here. A herd is several of these on one network, against
/// one server.
final class SimulatedClient: PlayerRuntime {
    unowned let runtime: SimulatedRuntime
    let host: HostID
    /// Salt for the seeds of this client's sessions.
    private let index: UInt64

    let driver: PlayerDriver
    var timeline: ConnectionTimeline { driver.timeline }
    private var attempts: [AttemptID: SimulatedAttempt] = [:]
    private var timers: [FallbackConnector.TimerID: SimEventLoop.TaskHandle] = [:]
    private(set) var synWatch: [AttemptID: TCPConnectionID] = [:]

    init(
        runtime: SimulatedRuntime, host: HostID, index: Int, connector: FallbackConnector, play: String?,
        measuresReconnect: Bool
    ) {
        self.runtime = runtime
        self.host = host
        self.index = UInt64(index)
        self.driver = PlayerDriver(connector: connector, play: play, measuresReconnect: measuresReconnect)
    }

    var network: SimNetwork { runtime.network }
    var proxyEndpoint: SimEndpoint? { runtime.proxyEndpoint }
    func resolve(_ name: String) -> IPv4Address { runtime.resolve(name) }

    /// The connector decided and every attempt it started has ended.
    var isSettled: Bool { driver.isSettled }
    /// What the runtime was last told about `isSettled`.
    private var reportedSettled = false

    func start() {
        driver.start(at: now, on: self)
    }

    var now: Duration { network.loop.now.sinceStart }

    // MARK: PlayerRuntime

    func startAttempt(_ start: FallbackConnector.AttemptStart) {
        let attempt = SimulatedAttempt(
            id: start.id, candidate: start.candidate, client: self,
            seed: RunSeeds.mix(runtime.seed, index << 32 | UInt64(truncatingIfNeeded: start.id.rawValue &+ 1))
        )
        attempts[start.id] = attempt
        attempt.start()
    }

    func endAttempt(_ id: AttemptID) {
        attempts[id]?.cancel()
    }

    func play(_ streamName: String, thenStreams: Bool, on id: AttemptID) {
        attempts[id]?.play(streamName, thenStreams: thenStreams)
    }

    func scheduleTimer(_ request: FallbackConnector.TimerRequest) {
        if let old = timers[request.id] { network.loop.cancel(old) }
        let id = request.id
        timers[id] = network.loop.schedule(after: request.after) { [unowned self] in
            self.timers[id] = nil
            self.driver.timerFired(id, at: self.now, on: self)
        }
    }

    func cancelTimer(_ id: FallbackConnector.TimerID) {
        if let handle = timers.removeValue(forKey: id) { network.loop.cancel(handle) }
    }

    func playerDidAct() {
        if isSettled != reportedSettled {
            reportedSettled.toggle()
            runtime.client(settled: reportedSettled)
        }
    }

    // MARK: Reports from attempts

    func watchSYNs(of connection: TCPConnectionID, for attempt: AttemptID) {
        synWatch[attempt] = connection
    }
}
