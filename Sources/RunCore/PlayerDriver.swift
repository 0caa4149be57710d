import Connector
import RTMP

/// What a network gives the player driver: attempts and timers. The simulated and the live runtime
/// each implement only these (on the virtual clock and the event queue, or on SwiftNIO and the real
/// clock); what the connector's actions mean, in which order they are carried out, which attempts are
/// still running and what the timeline records is the driver's, once for both.
package protocol PlayerRuntime: AnyObject {
    /// Start the attempt the connector asked for (the driver already counts it as running).
    func startAttempt(_ start: FallbackConnector.AttemptStart)
    /// End an attempt: a loser, a timed-out one, or the winner once its connect (or its play) is
    /// measured.
    func endAttempt(_ id: AttemptID)
    /// Play `streamName` on the winner `id` (``AttemptDriver/play(_:on:)``); its first frame, or why
    /// none came, comes back as ``PlayerDriver/playEnded(_:_:at:on:)``.
    func play(_ streamName: String, on id: AttemptID)
    /// Arm a timer (replacing one of the same id); it comes back as ``PlayerDriver/timerFired(_:at:on:)``.
    func scheduleTimer(_ request: FallbackConnector.TimerRequest)
    func cancelTimer(_ id: FallbackConnector.TimerID)
    /// Called after each event's actions were carried out, for the runtime's own bookkeeping (has the
    /// run settled?).
    func playerDidAct()
    /// The player's driver, which the attempts report to (through the methods below).
    var driver: PlayerDriver { get }
    /// Time since the run started, on the runtime's clock.
    var now: Duration { get }
}

extension PlayerRuntime {
    // What the runtime's attempts report, passed to the driver with the runtime's clock: the same on
    // every network, so written once here.

    package func reach(_ phase: AttemptPhase, attempt: AttemptID) {
        driver.reach(phase, attempt: attempt, at: now)
    }

    /// What an attempt's end means to the player's driver, the same on every network.
    package func attemptEnded(_ id: AttemptID, _ end: AttemptEnd) {
        driver.attemptEnded(id, end, at: now, on: self)
    }

    package func playEnded(_ id: AttemptID, _ outcome: RTMPClientSession.PlayOutcome) {
        driver.playEnded(id, outcome, at: now, on: self)
    }
}

/// The player of one run on any network: its `FallbackConnector`, the attempts still running, and
/// the timeline every event is recorded on. A player given a stream name (a scenario's
/// `client.play`) goes on after connect, on the winner, to the stream's first frame. It executes the connector's actions on a
/// ``PlayerRuntime`` in the order the connector documents (cancel attempts, cancel timers, start
/// attempts, schedule timers) and decides nothing itself.
///
/// A class, not a struct: an attempt may report back into the driver while the driver is still
/// carrying out the action that started it, which a struct's exclusive access would forbid.
package final class PlayerDriver {
    private var connector: FallbackConnector
    /// What the player plays once connected; nil: the run ends at connect.
    private let streamName: String?
    package private(set) var timeline = ConnectionTimeline()
    /// Attempts the connector started that have not ended.
    package private(set) var live: Set<AttemptID> = []
    /// The winner while its play is undecided.
    package private(set) var playing: AttemptID?

    package init(connector: FallbackConnector, play streamName: String? = nil) {
        self.connector = connector
        self.streamName = streamName
    }

    /// The connector decided (connected or failed).
    package var isFinished: Bool { connector.isFinished }
    /// The connector decided, the winner's play (if any) too, and every attempt started has ended.
    package var isSettled: Bool { connector.isFinished && live.isEmpty && playing == nil }

    // MARK: Events

    package func start(at now: Duration, on runtime: some PlayerRuntime) {
        execute(connector.start(), at: now, on: runtime)
    }

    package func timerFired(_ id: FallbackConnector.TimerID, at now: Duration, on runtime: some PlayerRuntime) {
        execute(connector.timerFired(id), at: now, on: runtime)
    }

    package func reach(_ phase: AttemptPhase, attempt: AttemptID, at now: Duration) {
        timeline.reach(phase, attempt: attempt, at: now)
    }

    package func attemptEnded(_ id: AttemptID, _ end: AttemptEnd, at now: Duration, on runtime: some PlayerRuntime) {
        live.remove(id)
        switch end {
        case .succeeded:
            execute(connector.attemptSucceeded(id), at: now, on: runtime)
        case .redirected(let url):
            timeline.redirect(id, to: url, at: now)
            execute(connector.attemptRedirected(id, url: url), at: now, on: runtime)
        case .failed(let failure):
            timeline.fail(id, failure, at: now)
            execute(connector.attemptFailed(id, failure), at: now, on: runtime)
        }
    }

    /// The winner's play is decided: the first frame (the timeline has its phase already), or why
    /// none came. Either way the run is measured and the winner is closed.
    package func playEnded(
        _ id: AttemptID, _ outcome: RTMPClientSession.PlayOutcome, at now: Duration, on runtime: some PlayerRuntime
    ) {
        guard playing == id else { preconditionFailure("PlayerDriver: play of \(id) ended while playing \(String(describing: playing))") }
        playing = nil
        switch outcome {
        case .firstFrame: break
        case .failed(let description): timeline.playFailed(id, description)
        }
        runtime.endAttempt(id)
        runtime.playerDidAct()
    }

    /// The run is over whatever the connector says (a live run's bound): the attempts still running
    /// (and the winner still playing), which the runtime ends; none is counted as running afterwards.
    package func abandon() -> Set<AttemptID> {
        defer {
            live = []
            playing = nil
        }
        return playing.map { live.union([$0]) } ?? live
    }

    // MARK: Carrying out actions

    private func execute(_ action: FallbackConnector.Action, at now: Duration, on runtime: some PlayerRuntime) {
        timeline.apply(action, at: now)
        switch action {
        case .wait:
            break
        case .proceed(let steps):
            execute(steps, on: runtime)
        case .connected(let winner, _, let cleanup):
            execute(cleanup, on: runtime)
            if let streamName {
                // The measurement goes on to the first frame, on the winner.
                playing = winner
                runtime.play(streamName, on: winner)
            } else {
                // The measurement ends here: the winner is handed to the player. Closing it keeps
                // a run finite (an RTMPT tunnel would poll for ever).
                end(winner, on: runtime)
            }
        case .failed(_, let cleanup):
            execute(cleanup, on: runtime)
        case .closeLateSuccess(let id):
            end(id, on: runtime)
        }
        runtime.playerDidAct()
    }

    private func execute(_ steps: FallbackConnector.Steps, on runtime: some PlayerRuntime) {
        for cancellation in steps.cancelAttempts {
            end(cancellation.id, on: runtime)
        }
        for timer in steps.cancelTimers {
            runtime.cancelTimer(timer)
        }
        for start in steps.startAttempts {
            live.insert(start.id)
            runtime.startAttempt(start)
        }
        for request in steps.scheduleTimers {
            runtime.scheduleTimer(request)
        }
    }

    private func end(_ id: AttemptID, on runtime: some PlayerRuntime) {
        live.remove(id)
        runtime.endAttempt(id)
    }
}
