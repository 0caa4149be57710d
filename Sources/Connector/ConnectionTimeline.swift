/// The record of one connector run: every attempt, the outcome and when, and the server's cost.
///
/// Runtimes build it by feeding it each ``FallbackConnector/Action`` they execute (``apply(_:at:)``)
/// and what the network reports (``reach(_:attempt:at:)``, ``fail(_:_:at:)``,
/// ``redirect(_:to:at:)``), so NetSim and LiveNet record the same things the same way. It is `Codable`,
/// with every type it holds, because a run in a private network namespace is another process, which
/// hands its timeline back as JSON.
public struct ConnectionTimeline: Sendable, Hashable, Codable {
    /// Attempts in the order they started.
    public var attempts: [AttemptRecord]
    public var outcome: ConnectionOutcome?
    /// When the connector connected or gave up.
    public var finishedAt: Duration?
    public var winner: AttemptID?
    public var failure: ConnectFailure?
    public var serverCost: ServerCost
    /// Why the winner's play gave no first frame, when the player played and none came.
    public var playFailure: String?
    /// Why the player could not connect again after a reconnect request or the stream's loss (the
    /// reconnect race gave up, or the new winner's play gave no picture).
    public var reconnectFailure: String?

    public init() {
        attempts = []
        outcome = nil
        finishedAt = nil
        winner = nil
        failure = nil
        serverCost = ServerCost()
    }

    /// Time to `NetConnection.Connect.Success`, when connected.
    public var timeToConnect: Duration? {
        outcome == .connected ? finishedAt : nil
    }

    /// Time to the first video keyframe on the winner, when the player played and it came.
    public var timeToFirstFrame: Duration? {
        winningAttempt?.phases[.firstFrame]
    }

    /// Time until the connector gave up, when it failed.
    public var timeToFail: Duration? {
        outcome == .failed ? finishedAt : nil
    }

    /// The winning attempt's record.
    public var winningAttempt: AttemptRecord? {
        guard let winner else { return nil }
        return attempts.first { $0.id == winner }
    }

    /// The run's regret: its time to connect minus the oracle's (the fastest any single candidate
    /// started alone at t = 0 connects). `nil` when either did not connect.
    public func regret(oracle: Duration?) -> Duration? {
        guard let timeToConnect, let oracle else { return nil }
        return timeToConnect - oracle
    }

    /// The record of `id`, if it started.
    public func attempt(_ id: AttemptID) -> AttemptRecord? {
        attempts.first { $0.id == id }
    }

    // MARK: - Recording

    /// Records what the runtime does for `action` at time `now`.
    public mutating func apply(_ action: FallbackConnector.Action, at now: Duration) {
        switch action {
        case .wait:
            break
        case .proceed(let steps):
            apply(steps, at: now)
        case .connected(let winner, _, let cleanup):
            markWon(winner, at: now)
            self.winner = winner
            outcome = .connected
            finishedAt = now
            apply(cleanup, at: now)
        case .failed(let failure, let cleanup):
            apply(cleanup, at: now)
            self.failure = failure
            outcome = .failed
            finishedAt = now
        case .reconnected(let winner, _, let cleanup):
            // The first winner and outcome stand; the new one is the reconnect's, found as the
            // second attempt that won.
            markWon(winner, at: now)
            apply(cleanup, at: now)
        case .reconnectFailed(let failure, let cleanup):
            apply(cleanup, at: now)
            reconnectFailure = "\(failure)"
        case .closeLateSuccess(let id):
            // It connected after all; the close that follows ends it, still a loser.
            // An attempt already cancelled keeps its ending; one left running (a loser under
            // `losersRunUntilTheyEnd`) got its result now and ends as a closed loser.
            guard let index = attempts.firstIndex(where: { $0.id == id }), attempts[index].ending == nil else { return }
            attempts[index].phases[.connectResult] = attempts[index].phases[.connectResult] ?? now
            attempts[index].ending = .cancelled
            attempts[index].cancelReason = .loser
            attempts[index].end = now
        }
    }

    /// The attempt won at `now` (its connect result then, unless it came earlier).
    private mutating func markWon(_ id: AttemptID, at now: Duration) {
        guard let index = attempts.firstIndex(where: { $0.id == id }) else { return }
        attempts[index].ending = .won
        attempts[index].end = now
        if attempts[index].phases[.connectResult] == nil {
            attempts[index].phases[.connectResult] = now
        }
    }

    /// Records the steps' cancellations and starts at `now`.
    public mutating func apply(_ steps: FallbackConnector.Steps, at now: Duration) {
        for cancellation in steps.cancelAttempts {
            guard let index = attempts.firstIndex(where: { $0.id == cancellation.id }),
                attempts[index].ending == nil
            else { continue }
            attempts[index].ending = cancellation.reason.ending
            attempts[index].timeoutOwner = cancellation.reason.timeoutOwner
            attempts[index].cancelReason = cancellation.reason
            attempts[index].end = now
        }
        for start in steps.startAttempts {
            attempts.append(
                AttemptRecord(
                    id: start.id, candidate: start.candidate, tryNumber: start.tryNumber,
                    redirectedFrom: start.redirectedFrom, start: now
                )
            )
        }
    }

    /// The attempt reached `phase` at `now` (the first time counts, but for `lastFrame`, which is
    /// the latest picture).
    public mutating func reach(_ phase: AttemptPhase, attempt id: AttemptID, at now: Duration) {
        guard let index = attempts.firstIndex(where: { $0.id == id }),
            attempts[index].phases[phase] == nil || phase == .lastFrame
        else {
            return
        }
        attempts[index].phases[phase] = now
    }

    /// The reconnect's winner: the second attempt that won, when the player connected again.
    public var reconnectWinner: AttemptRecord? {
        attempts.lazy.filter { $0.ending == .won }.dropFirst().first
    }

    /// From the server's reconnect request on the first winner to the first frame on the new one.
    public var reconnectSwitchTime: Duration? {
        guard let requested = winningAttempt?.phases[.reconnectRequested],
            let frame = reconnectWinner?.phases[.firstFrame]
        else { return nil }
        return frame - requested
    }

    /// From the last picture on the first winner to the first on the reconnect's winner: what the
    /// viewer does not see (negative when the new stream started before the old one's last picture).
    public var reconnectMediaGap: Duration? {
        guard let last = winningAttempt?.phases[.lastFrame], let frame = reconnectWinner?.phases[.firstFrame] else {
            return nil
        }
        return frame - last
    }

    /// The attempt failed at `now`.
    public mutating func fail(_ id: AttemptID, _ failure: AttemptFailure, at now: Duration) {
        guard let index = attempts.firstIndex(where: { $0.id == id }), attempts[index].ending == nil else { return }
        attempts[index].ending = failure.ending
        attempts[index].timeoutOwner = failure == .osTimeout ? .os : nil
        attempts[index].end = now
        switch failure {
        case .rejected(let text), .proxyError(let text), .protocolError(let text):
            attempts[index].detail = text
            if case .rejected = failure, attempts[index].phases[.connectResult] == nil {
                attempts[index].phases[.connectResult] = now
            }
        case .refused, .unreachable, .osTimeout, .closed:
            break
        }
    }

    /// The winner's play ended without a first frame, for `reason`.
    public mutating func playFailed(_ id: AttemptID, _ reason: String) {
        guard winner == id else { return }
        playFailure = reason
    }

    /// The server redirected the attempt to `url` at `now`.
    public mutating func redirect(_ id: AttemptID, to url: String, at now: Duration) {
        guard let index = attempts.firstIndex(where: { $0.id == id }), attempts[index].ending == nil else { return }
        attempts[index].ending = .redirected
        attempts[index].detail = url
        attempts[index].end = now
        if attempts[index].phases[.connectResult] == nil {
            attempts[index].phases[.connectResult] = now
        }
    }
}
