extension FallbackConnector {
    /// The bookkeeping of one run: the candidates of the current round, the attempts started, the
    /// timers armed, and the round's phase. Kept apart from `State` so each event mutates it in place.
    struct Race: Sendable {
        /// Whether the next candidate may start now (sequential and staggered rounds with a minimum
        /// spacing between starts; always `free` otherwise).
        enum Pacing: Sendable {
            /// A start may follow at once.
            case free
            /// The last start was less than the minimum spacing ago.
            case spacing
            /// The last start was less than the minimum spacing ago, and the next one became due
            /// meanwhile: it starts when the spacing elapses.
            case spacingWithStartDue
        }

        /// The phase of the round.
        enum Round: Sendable {
            /// Its candidates start as the policy paces them.
            case running(Pacing)
            /// A redirect restarts the round on its target once the redirect delay elapsed
            /// (FLVPlayback); every attempt of the old round was cancelled and nothing else starts.
            case restartPending(from: AttemptID, to: ConnectURL)
        }

        enum SlotStatus: Sendable, Hashable {
            /// Not started yet.
            case waiting
            /// An attempt on this candidate is in flight.
            case inFlight(AttemptID)
            /// This candidate's attempt was redirected; the new target starts when the delay elapses.
            case redirectPending(from: AttemptID, to: ConnectURL)
            /// Done without winning (failed, timed out, cancelled).
            case done
            /// It won.
            case won
        }

        struct Slot: Sendable {
            var candidate: Candidate
            var triesStarted = 0
            var status = SlotStatus.waiting
        }

        struct Attempt: Sendable {
            var slot: Int
            /// Still in flight as far as the connector knows.
            var live: Bool
        }

        var slots: [Slot]
        /// Index of the next slot to start.
        var nextSlot = 0
        var attempts: [AttemptID: Attempt] = [:]
        var nextAttemptNumber = 1
        var attemptsStarted = 0
        /// Armed timers in the order they were armed, so cleanups list them deterministically.
        var armedTimers: [TimerID] = []
        var staggerGeneration = 0
        var spacingGeneration = 0
        var redirectsFollowed = 0
        var round = Round.running(.free)

        init(candidates: [Candidate]) {
            slots = candidates.map { Slot(candidate: $0) }
        }

        /// A new round over `candidates` (a reconnect): the attempts, their numbering and counts
        /// carry on, so the connection's attempts keep one id each and late reports of the first
        /// round's losers are still known; everything about the old round is reset.
        mutating func restart(candidates: [Candidate]) {
            slots = candidates.map { Slot(candidate: $0) }
            nextSlot = 0
            staggerGeneration += 1
            spacingGeneration += 1
            redirectsFollowed = 0
            round = .running(.free)
        }

        /// Whether anything can still connect without a new start: an attempt in flight or a
        /// redirect waiting for its delay.
        var anythingInFlight: Bool {
            if case .restartPending = round { return true }
            return slots.contains { slot in
                switch slot.status {
                case .inFlight, .redirectPending: true
                case .waiting, .done, .won: false
                }
            }
        }

        /// Whether the round has candidates not started yet (none while a restart is pending: the old
        /// round's are void).
        var candidatesLeftToStart: Bool {
            switch round {
            case .running: nextSlot < slots.count
            case .restartPending: false
            }
        }

        mutating func schedule(_ id: TimerID, after delay: Duration, into steps: inout Steps) {
            armedTimers.append(id)
            steps.scheduleTimers.append(TimerRequest(id, after: delay))
        }

        /// Cancels an armed timer; one scheduled in these same steps is simply not scheduled.
        mutating func disarm(_ id: TimerID, into steps: inout Steps) {
            guard let index = armedTimers.firstIndex(of: id) else { return }
            armedTimers.remove(at: index)
            if let pending = steps.scheduleTimers.firstIndex(where: { $0.id == id }) {
                steps.scheduleTimers.remove(at: pending)
            } else {
                steps.cancelTimers.append(id)
            }
        }

        /// Removes a timer that fired; `false` when it was not armed (cancelled, or stale).
        mutating func consumeFired(_ id: TimerID) -> Bool {
            guard let index = armedTimers.firstIndex(of: id) else { return false }
            armedTimers.remove(at: index)
            return true
        }

        mutating func disarmAll(keeping kept: TimerID? = nil, into steps: inout Steps) {
            for id in armedTimers where id != kept {
                disarm(id, into: &steps)
            }
        }

        mutating func disarmStagger(into steps: inout Steps) {
            for id in armedTimers {
                switch id {
                case .stagger: disarm(id, into: &steps)
                case .minimumSpacing, .attemptTimeout, .overallTimeout, .redirect: break
                }
            }
        }

        mutating func disarmSpacing(into steps: inout Steps) {
            for id in armedTimers {
                switch id {
                case .minimumSpacing: disarm(id, into: &steps)
                case .stagger, .attemptTimeout, .overallTimeout, .redirect: break
                }
            }
        }

        /// Marks an attempt as no longer in flight and drops its policy timeout.
        mutating func retire(_ id: AttemptID, into steps: inout Steps) {
            attempts[id]?.live = false
            disarm(.attemptTimeout(id), into: &steps)
        }

        /// Cancels every attempt in flight and every pending redirect, in candidate order.
        mutating func cancelInFlight(reason: CancelReason, into steps: inout Steps) {
            for index in slots.indices {
                switch slots[index].status {
                case .inFlight(let id):
                    retire(id, into: &steps)
                    steps.cancelAttempts.append(Cancellation(id, reason))
                    slots[index].status = .done
                case .redirectPending(let from, _):
                    disarm(.redirect(from), into: &steps)
                    slots[index].status = .done
                case .waiting, .done, .won:
                    break
                }
            }
            if case .restartPending(let from, _) = round {
                disarm(.redirect(from), into: &steps)
                round = .running(.free)
            }
        }
    }
}
