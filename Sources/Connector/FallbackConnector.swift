/// The fallback connector: decides which candidate to try when, and when to give up.
///
/// A sans-I/O state machine in the manner of SwiftNIO's `HappyEyeballsConnector` and postgres-nio's
/// `ConnectionStateMachine`: the runtime (simulated or live) reports events, the connector answers with
/// an ``Action`` it executes. It never reads a clock; time passes only through the timers it asks for.
/// One value per run, owned by one isolation domain.
///
/// ```swift
/// var connector = try FallbackConnector(policy: Preset.flowplayer.policy, url: "rtmp://host/live")
/// run(connector.start())
/// // later, from the network:
/// run(connector.attemptFailed(id, .refused))
/// ```
public struct FallbackConnector: Sendable {
    /// Why a connector could not be built.
    public enum SetupError: Error, Sendable, Hashable, CustomStringConvertible {
        case url(ConnectURLError)
        case policy(PolicyError)

        public var description: String {
            switch self {
            case .url(let error): "invalid URL: \(error)"
            case .policy(let error): "invalid policy: \(error)"
            }
        }
    }

    private enum State: Sendable {
        /// Built, `start()` not called yet.
        case idle
        /// Attempts in flight or yet to start.
        case racing
        /// One attempt won; losers may still report (and be closed).
        case connected(winner: AttemptID)
        /// ``reconnect(to:)``: racing again, to other URLs, while `previous` (the winner so far)
        /// stays the player's.
        case reconnecting(previous: AttemptID)
        /// The connector gave up; late reports are answered or ignored.
        case failed(ConnectFailure)
    }

    /// The policy this run follows.
    public let policy: Policy
    /// The URLs given (several for a streamer list).
    public let urls: [ConnectURL]
    /// The candidates the policy derives for the URLs, in order (before any redirect).
    public let candidates: [Candidate]

    private var state: State = .idle
    private var race: Race

    /// A connector for `policy` over `urls` (a streamer list, or one URL).
    public init(policy: Policy, urls: [ConnectURL]) throws(PolicyError) {
        try policy.validate()
        guard !urls.isEmpty else { throw .noURL }
        self.policy = policy
        self.urls = urls
        self.candidates = policy.candidates(for: urls)
        guard !candidates.isEmpty else { throw .noCandidates }
        self.race = Race(candidates: candidates)
    }

    /// A connector for `policy` over the URL text a player is given (`|` separates a streamer list).
    public init(policy: Policy, url: String) throws(SetupError) {
        let urls: [ConnectURL]
        do {
            urls = try ConnectURL.parseList(url)
        } catch {
            throw .url(error)
        }
        do {
            try self.init(policy: policy, urls: urls)
        } catch {
            throw .policy(error)
        }
    }

    /// A connector that tries `candidate` alone from t = 0, following redirects as `policy` does and
    /// leaving timeouts to the OS: one run of the oracle (the fastest any single candidate connects).
    public init(alone candidate: Candidate, following policy: Policy) {
        let only = Policy.only(candidate, following: policy)
        self.policy = only
        self.urls = [candidate.connectURL]
        self.candidates = [candidate]
        self.race = Race(candidates: [candidate])
    }

    /// Whether the run is over (connected or failed).
    public var isFinished: Bool {
        switch state {
        case .idle, .racing, .reconnecting: false
        case .connected, .failed: true
        }
    }

    // MARK: - Events

    /// Starts the run at t = 0: the first candidate (all of them in `parallel` mode) and the timers.
    public mutating func start() -> Action {
        switch state {
        case .idle:
            state = .racing
            var steps = Steps()
            if let overall = policy.overallTimeout {
                race.schedule(.overallTimeout, after: overall, into: &steps)
            }
            beginRound(into: &steps)
            return .proceed(steps)
        case .racing, .connected, .reconnecting, .failed:
            // A connector runs once: a second start is a runtime bug, not an input to absorb.
            preconditionFailure("FallbackConnector.start() in state \(state)")
        }
    }

    /// Connect again, to `urls`, following the same policy: the server asked the winner to move
    /// (Enhanced RTMP v2's `NetConnection.Connect.ReconnectRequest`, for a player whose policy
    /// follows it), or the winner's connection was lost and the player connects anew to its own
    /// URLs. Only after a connect: the answer is ``Action/reconnected(winner:via:cleanup:)`` or
    /// ``Action/reconnectFailed(_:cleanup:)``, and the connector is connected again either way.
    public mutating func reconnect(to urls: [ConnectURL]) -> Action {
        switch state {
        case .connected(let winner):
            let candidates = policy.candidates(for: urls)
            guard !candidates.isEmpty else {
                return .reconnectFailed(.exhausted(attempts: 0, lastFailure: nil), cleanup: Steps())
            }
            state = .reconnecting(previous: winner)
            race.restart(candidates: candidates)
            var steps = Steps()
            if let overall = policy.overallTimeout {
                race.schedule(.overallTimeout, after: overall, into: &steps)
            }
            beginRound(into: &steps)
            return .proceed(steps)
        case .idle, .racing, .reconnecting, .failed:
            // Only a connection can be asked to move or be lost: anything else is a runtime bug.
            preconditionFailure("FallbackConnector.reconnect(to: \(urls)) in state \(state)")
        }
    }

    /// The attempt got `NetConnection.Connect.Success`.
    public mutating func attemptSucceeded(_ id: AttemptID) -> Action {
        switch state {
        case .idle:
            // No attempt exists before start(): the runtime reported one the connector never started.
            preconditionFailure("FallbackConnector.attemptSucceeded(\(id)) in state \(state)")
        case .racing, .reconnecting:
            guard let attempt = race.attempts[id] else { return .wait }
            guard attempt.live else {
                // Cancelled (abandoned, timed out) but connected before the close took effect.
                return .closeLateSuccess(id)
            }
            var steps = Steps()
            race.retire(id, into: &steps)
            race.slots[attempt.slot].status = .won
            let reconnecting: Bool
            if case .reconnecting = state { reconnecting = true } else { reconnecting = false }
            state = .connected(winner: id)
            if policy.quirks.losersRunUntilTheyEnd {
                // Pending losers run on and are closed when they succeed; redirects not yet
                // followed are simply dropped.
                for index in race.slots.indices {
                    switch race.slots[index].status {
                    case .redirectPending(let from, _):
                        race.disarm(.redirect(from), into: &steps)
                        race.slots[index].status = .done
                    case .inFlight, .waiting, .done, .won:
                        break
                    }
                }
            } else {
                race.cancelInFlight(reason: .loser, into: &steps)
            }
            race.disarmAll(into: &steps)
            if reconnecting {
                return .reconnected(winner: id, via: race.slots[attempt.slot].candidate, cleanup: steps)
            }
            return .connected(winner: id, via: race.slots[attempt.slot].candidate, cleanup: steps)
        case .connected(let winner):
            guard id != winner, race.attempts[id] != nil else { return .wait }
            race.attempts[id]?.live = false
            return .closeLateSuccess(id)
        case .failed:
            guard race.attempts[id] != nil else { return .wait }
            race.attempts[id]?.live = false
            return .closeLateSuccess(id)
        }
    }

    /// The attempt failed (network, proxy, or a rejection by the server).
    public mutating func attemptFailed(_ id: AttemptID, _ failure: AttemptFailure) -> Action {
        switch state {
        case .racing, .reconnecting:
            guard let attempt = race.attempts[id], attempt.live else { return .wait }
            var steps = Steps()
            race.retire(id, into: &steps)
            return setback(slot: attempt.slot, failure: failure, steps: steps)
        case .connected:
            // A loser that ran on (or whose cancel crossed its failure) ended: nothing to do.
            race.attempts[id]?.live = false
            return .wait
        case .failed:
            // The run gave up while this attempt's end was on its way: nothing is left to decide.
            return .wait
        case .idle:
            preconditionFailure("FallbackConnector.attemptFailed(\(id), \(failure)) in state \(state)")
        }
    }

    /// The server answered the attempt's `connect` with a redirect (302) to `url`.
    public mutating func attemptRedirected(_ id: AttemptID, url: String) -> Action {
        switch state {
        case .racing, .reconnecting:
            guard let attempt = race.attempts[id], attempt.live else { return .wait }
            var steps = Steps()
            race.retire(id, into: &steps)
            guard policy.followRedirects else {
                return setback(slot: attempt.slot, failure: .rejected("redirect to \(url) not followed"), steps: steps)
            }
            guard race.redirectsFollowed < policy.redirectLimit else {
                return setback(
                    slot: attempt.slot,
                    failure: .rejected("redirect limit (\(policy.redirectLimit)) reached at \(url)"),
                    steps: steps
                )
            }
            let target: ConnectURL
            do {
                target = try ConnectURL(parsing: url)
            } catch {
                return setback(slot: attempt.slot, failure: .rejected("invalid redirect '\(url)': \(error)"), steps: steps)
            }
            race.redirectsFollowed += 1
            if policy.quirks.redirectRestartsRound {
                race.slots[attempt.slot].status = .done
                race.cancelInFlight(reason: .redirectRestart, into: &steps)
                race.disarmAll(keeping: .overallTimeout, into: &steps)
                race.round = .restartPending(from: id, to: target)
            } else {
                race.slots[attempt.slot].status = .redirectPending(from: id, to: target)
            }
            if policy.redirectDelay > .zero {
                race.schedule(.redirect(id), after: policy.redirectDelay, into: &steps)
            } else {
                followRedirect(from: id, into: &steps)
            }
            return Self.proceedOrNothing(steps)
        case .connected:
            race.attempts[id]?.live = false
            return .wait
        case .failed:
            return .wait
        case .idle:
            preconditionFailure("FallbackConnector.attemptRedirected(\(id), url: \(url)) in state \(state)")
        }
    }

    /// A timer the connector asked for fired.
    public mutating func timerFired(_ id: TimerID) -> Action {
        switch state {
        case .connected, .failed:
            // Cleanups cancelled every timer; one that fires anyway crossed the cancel.
            return .wait
        case .idle:
            // No timer is scheduled before start().
            preconditionFailure("FallbackConnector.timerFired(\(id)) in state \(state)")
        case .racing, .reconnecting:
            guard race.consumeFired(id) else { return .wait }
            var steps = Steps()
            switch id {
            case .stagger:
                advance(into: &steps)
                return Self.proceedOrNothing(steps)
            case .minimumSpacing:
                switch race.round {
                case .running(.spacingWithStartDue):
                    race.round = .running(.free)
                    advance(into: &steps)
                case .running(.spacing):
                    race.round = .running(.free)
                case .running(.free), .restartPending:
                    // Disarmed at every change that ends the spacing: it cannot be armed here.
                    preconditionFailure("FallbackConnector: minimum spacing fired in \(race.round)")
                }
                return Self.proceedOrNothing(steps)
            case .attemptTimeout(let attemptID):
                guard let attempt = race.attempts[attemptID], attempt.live else { return .wait }
                race.retire(attemptID, into: &steps)
                steps.cancelAttempts.append(Cancellation(attemptID, .policyTimeout))
                return setback(slot: attempt.slot, failure: nil, steps: steps)
            case .overallTimeout:
                return fail(
                    .overallTimeout(policy.overallTimeout ?? .zero), cancelling: .overallTimeout, steps: steps)
            case .redirect(let from):
                followRedirect(from: from, into: &steps)
                return Self.proceedOrNothing(steps)
            }
        }
    }

    // MARK: - Decisions

    /// Starts a round: the first candidate, or all of them in `parallel` mode.
    private mutating func beginRound(into steps: inout Steps) {
        switch policy.mode {
        case .parallel:
            while race.candidatesLeftToStart {
                let index = race.nextSlot
                race.nextSlot += 1
                startAttempt(slot: index, redirectedFrom: nil, into: &steps)
            }
        case .sequential, .staggered:
            advance(into: &steps)
        }
    }

    /// Starts the next candidate and, in `staggered` mode, re-arms the stagger from now.
    private mutating func advance(into steps: inout Steps) {
        if case .running(.spacingWithStartDue) = race.round { race.round = .running(.spacing) }
        guard race.candidatesLeftToStart else { return }
        if policy.quirks.abandonPrevious {
            race.cancelInFlight(reason: .abandoned, into: &steps)
        }
        let index = race.nextSlot
        race.nextSlot += 1
        startAttempt(slot: index, redirectedFrom: nil, into: &steps)
        switch policy.mode {
        case .staggered:
            race.disarmStagger(into: &steps)
            if race.candidatesLeftToStart {
                race.staggerGeneration += 1
                race.schedule(.stagger(generation: race.staggerGeneration), after: policy.stagger, into: &steps)
            }
        case .sequential, .parallel:
            break
        }
    }

    /// Advances now, or when the minimum spacing since the last start has elapsed.
    private mutating func requestAdvance(into steps: inout Steps) {
        switch race.round {
        case .running(.free):
            advance(into: &steps)
        case .running(.spacing), .running(.spacingWithStartDue):
            race.round = .running(.spacingWithStartDue)
        case .restartPending:
            // The old round is void: its setbacks start nothing.
            return
        }
    }

    private mutating func startAttempt(slot index: Int, redirectedFrom: AttemptID?, into steps: inout Steps) {
        let id = AttemptID(race.nextAttemptNumber)
        race.nextAttemptNumber += 1
        race.attemptsStarted += 1
        race.slots[index].triesStarted += 1
        race.slots[index].status = .inFlight(id)
        race.attempts[id] = Race.Attempt(slot: index, live: true)
        steps.startAttempts.append(
            AttemptStart(
                id: id, candidate: race.slots[index].candidate, candidateIndex: index,
                tryNumber: race.slots[index].triesStarted, redirectedFrom: redirectedFrom
            )
        )
        if let timeout = policy.attemptTimeout {
            race.schedule(.attemptTimeout(id), after: timeout, into: &steps)
        }
        switch policy.mode {
        case .sequential, .staggered:
            // Spacing only matters while another start may follow.
            if policy.minimumSpacing > .zero, race.candidatesLeftToStart {
                race.disarmSpacing(into: &steps)
                race.spacingGeneration += 1
                race.round = .running(.spacing)
                race.schedule(
                    .minimumSpacing(generation: race.spacingGeneration), after: policy.minimumSpacing, into: &steps)
            }
        case .parallel:
            break
        }
    }

    /// Starts the target of a redirect whose delay elapsed: the redirected candidate moves to the
    /// new URL, or the whole round restarts on it.
    private mutating func followRedirect(from id: AttemptID, into steps: inout Steps) {
        if case .restartPending(let from, let target) = race.round, from == id {
            race.round = .running(.free)
            race.slots = policy.candidates(for: [target]).map { Race.Slot(candidate: $0) }
            race.nextSlot = 0
            beginRound(into: &steps)
            return
        }
        for index in race.slots.indices {
            switch race.slots[index].status {
            case .redirectPending(let from, let target) where from == id:
                race.slots[index].candidate = Candidate(url: target)
                race.slots[index].triesStarted = 0
                startAttempt(slot: index, redirectedFrom: id, into: &steps)
                return
            case .redirectPending, .inFlight, .waiting, .done, .won:
                continue
            }
        }
    }

    /// An attempt ended without connecting (`failure` is `nil` for the policy's own timeout): retry,
    /// advance, wait, or give up, as the policy says.
    private mutating func setback(slot index: Int, failure: AttemptFailure?, steps: Steps) -> Action {
        var steps = steps
        if policy.quirks.anyFailureEndsAll {
            race.slots[index].status = .done
            return fail(.anyFailureEndedAll(failure), cancelling: .anyFailureEndsAll, steps: steps)
        }
        if policy.quirks.rejectionEndsAll, let failure, !failure.isConnectFailed {
            race.slots[index].status = .done
            return fail(.rejectionEndedAll(failure), cancelling: .rejectionEndsAll, steps: steps)
        }
        let retryable = failure?.isConnectFailed ?? true
        if retryable, race.slots[index].triesStarted <= policy.retries {
            startAttempt(slot: index, redirectedFrom: nil, into: &steps)
            return .proceed(steps)
        }
        race.slots[index].status = .done
        if policy.quirks.endRoundOnlyOnLastFailure, index == race.slots.count - 1 {
            return fail(.roundEnded(failure), cancelling: .roundEnded, steps: steps)
        }
        if !race.anythingInFlight, !race.candidatesLeftToStart {
            return fail(.exhausted(attempts: race.attemptsStarted, lastFailure: failure), cancelling: .loser, steps: steps)
        }
        switch policy.mode {
        case .sequential:
            requestAdvance(into: &steps)
        case .staggered:
            if policy.advanceOnFailure, !race.anythingInFlight {
                requestAdvance(into: &steps)
            }
        case .parallel:
            break
        }
        return Self.proceedOrNothing(steps)
    }

    private mutating func fail(_ failure: ConnectFailure, cancelling reason: CancelReason, steps: Steps) -> Action {
        var steps = steps
        race.cancelInFlight(reason: reason, into: &steps)
        race.disarmAll(into: &steps)
        if case .reconnecting(let previous) = state {
            // The reconnect gave up; the first connection's result stands.
            state = .connected(winner: previous)
            return .reconnectFailed(failure, cleanup: steps)
        }
        state = .failed(failure)
        return .failed(failure, cleanup: steps)
    }

    private static func proceedOrNothing(_ steps: Steps) -> Action {
        steps.isEmpty ? .wait : .proceed(steps)
    }
}
