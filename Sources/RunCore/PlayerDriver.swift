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
    /// Play `streamName` on the winner `id` (``AttemptDriver/play(_:thenStreams:on:)``); its first
    /// frame, or why none came, comes back as ``PlayerDriver/playEnded(_:_:at:on:)``, and with
    /// `thenStreams` the stream's later news too (a reconnect request, its loss).
    func play(_ streamName: String, thenStreams: Bool, on id: AttemptID)
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

    package func reconnectRequested(_ id: AttemptID, tcUrl: String?) {
        driver.reconnectRequested(id, tcUrl: tcUrl, at: now, on: self)
    }

    package func streamEnded(_ id: AttemptID, _ reason: String) {
        driver.streamEnded(id, reason, at: now, on: self)
    }
}

/// The player of one run on any network: its `FallbackConnector`, the attempts still running, and
/// the timeline every event is recorded on. It executes the connector's actions on a
/// ``PlayerRuntime`` in the order the connector documents (cancel attempts, cancel timers, start
/// attempts, schedule timers) and decides nothing about the race itself.
///
/// A player given a stream name (a scenario's `client.play`) goes on after connect, on the winner,
/// to the stream's first frame. One that measures a reconnect (the scenario's server sends Enhanced
/// RTMP's reconnect request) streams on after it, and connects again through the connector: to the
/// request's URL when its policy follows requests (keeping the old stream until the new one's first
/// frame), else to its own URLs once the old connection is lost.
///
/// A class, not a struct: an attempt may report back into the driver while the driver is still
/// carrying out the action that started it, which a struct's exclusive access would forbid.
package final class PlayerDriver {
    /// Where the player is, after the connector's race.
    private enum Stage: Equatable {
        /// The connector races for the first connection.
        case connecting
        /// The winner plays; waiting for its first frame.
        case playing(AttemptID)
        /// The first frame came and the stream goes on, until the server asks to reconnect or the
        /// connection is lost.
        case streaming(AttemptID)
        /// The connector races again; `old` streams on until the new winner's first frame (nil once
        /// it was lost).
        case reconnecting(old: AttemptID?)
        /// The reconnect's winner plays; `old` as above.
        case playingAgain(AttemptID, old: AttemptID?)
        /// Measured: the run ends once every attempt has.
        case done
    }

    private var connector: FallbackConnector
    /// What the player plays once connected; nil: the run ends at connect.
    private let streamName: String?
    /// Whether the player streams on after the first frame to measure a reconnect.
    private let measuresReconnect: Bool
    private var stage = Stage.connecting
    package private(set) var timeline = ConnectionTimeline()
    /// Attempts the connector started that have not ended (the winners leave it when they win).
    package private(set) var live: Set<AttemptID> = []

    /// - Parameters:
    ///   - streamName: play it on the winner, to its first frame.
    ///   - measuresReconnect: then stream on, and connect again when the server asks or the stream
    ///     is lost (only with a stream name).
    package init(connector: FallbackConnector, play streamName: String? = nil, measuresReconnect: Bool = false) {
        self.connector = connector
        self.streamName = streamName
        self.measuresReconnect = measuresReconnect && streamName != nil
    }

    /// The policy the player follows (its attempts advertise what it supports).
    package var policy: Policy { connector.policy }

    /// The connector decided (connected or failed) for the first time.
    package var isFinished: Bool { timeline.outcome != nil }
    /// Everything the run measures is measured: the connect, the play and any reconnect.
    package var isMeasured: Bool { stage == .done }
    /// Measured, and every attempt started has ended.
    package var isSettled: Bool { stage == .done && live.isEmpty }

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

    /// The play on `id` is decided: the first frame (the timeline has its phase already), or why
    /// none came.
    package func playEnded(
        _ id: AttemptID, _ outcome: RTMPClientSession.PlayOutcome, at now: Duration, on runtime: some PlayerRuntime
    ) {
        switch stage {
        case .playing(id):
            switch outcome {
            case .firstFrame where measuresReconnect:
                stage = .streaming(id)
            case .firstFrame:
                finish(ending: [id], on: runtime)
            case .failed(let description):
                timeline.playFailed(id, description)
                finish(ending: [id], on: runtime)
            }
        case .playingAgain(id, let old):
            if case .failed(let description) = outcome { timeline.reconnectFailure = description }
            finish(ending: [id] + (old.map { [$0] } ?? []), on: runtime)
        case .connecting, .playing, .streaming, .reconnecting, .playingAgain, .done:
            preconditionFailure("PlayerDriver: the play of \(id) ended (\(outcome)) in \(stage)")
        }
        runtime.playerDidAct()
    }

    /// The server asked `id`'s connection to move. Recorded always (the attempt's phase); followed
    /// when the player streams on it and its policy follows requests.
    package func reconnectRequested(_ id: AttemptID, tcUrl: String?, at now: Duration, on runtime: some PlayerRuntime) {
        guard stage == .streaming(id), connector.policy.followsReconnectRequest,
            let current = timeline.attempt(id)?.candidate.connectURL
        else { return }
        let target: ConnectURL
        do {
            target = try ConnectURL(resolving: tcUrl, against: current)
        } catch {
            timeline.reconnectFailure = "invalid reconnect tcUrl '\(tcUrl ?? "")': \(error)"
            finish(ending: [id], on: runtime)
            runtime.playerDidAct()
            return
        }
        stage = .reconnecting(old: id)
        execute(connector.reconnect(to: [target]), at: now, on: runtime)
    }

    /// A stream that went on after its first frame is lost. The stream the player watches: it
    /// connects anew to its own URLs (a player that does not follow reconnect requests learns of the
    /// move this way). An old stream already being replaced: it is only gone.
    package func streamEnded(_ id: AttemptID, _ reason: String, at now: Duration, on runtime: some PlayerRuntime) {
        switch stage {
        case .streaming(id):
            stage = .reconnecting(old: nil)
            runtime.endAttempt(id)
            execute(connector.reconnect(to: connector.urls), at: now, on: runtime)
        case .reconnecting(old: id):
            stage = .reconnecting(old: nil)
            runtime.endAttempt(id)
        case .playingAgain(let new, old: id):
            stage = .playingAgain(new, old: nil)
            runtime.endAttempt(id)
        case .connecting, .playing, .streaming, .reconnecting, .playingAgain, .done:
            // Only a streaming attempt reports its loss, and only once.
            preconditionFailure("PlayerDriver: stream \(id) ended (\(reason)) in \(stage)")
        }
        runtime.playerDidAct()
    }

    /// The run is over whatever the connector says (a live run's bound): the attempts still running
    /// (and the ones still playing or streaming), which the runtime ends; none is counted as running
    /// afterwards.
    package func abandon() -> Set<AttemptID> {
        defer {
            live = []
            stage = .done
        }
        switch stage {
        case .playing(let id), .streaming(let id), .reconnecting(old: .some(let id)), .playingAgain(let id, old: nil):
            return live.union([id])
        case .playingAgain(let id, old: .some(let old)):
            return live.union([id, old])
        case .connecting, .reconnecting(old: nil), .done:
            return live
        }
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
                stage = .playing(winner)
                runtime.play(streamName, thenStreams: measuresReconnect, on: winner)
            } else {
                // The measurement ends here: the winner is handed to the player. Closing it keeps
                // a run finite (an RTMPT tunnel would poll for ever).
                finish(ending: [winner], on: runtime)
            }
        case .failed(_, let cleanup):
            execute(cleanup, on: runtime)
            stage = .done
        case .reconnected(let winner, _, let cleanup):
            execute(cleanup, on: runtime)
            guard case .reconnecting(let old) = stage, let streamName else {
                preconditionFailure("PlayerDriver: reconnected \(winner) in \(stage)")
            }
            stage = .playingAgain(winner, old: old)
            runtime.play(streamName, thenStreams: false, on: winner)
        case .reconnectFailed(_, let cleanup):
            execute(cleanup, on: runtime)
            guard case .reconnecting(let old) = stage else {
                preconditionFailure("PlayerDriver: a reconnect failed in \(stage)")
            }
            finish(ending: old.map { [$0] } ?? [], on: runtime)
        case .closeLateSuccess(let id):
            end(id, on: runtime)
        }
        runtime.playerDidAct()
    }

    /// Measured: the connections still kept are closed.
    private func finish(ending ids: [AttemptID], on runtime: some PlayerRuntime) {
        stage = .done
        for id in ids { end(id, on: runtime) }
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
