import HeapModule

/// The virtual clock and its event queue, in the manner of SwiftNIO's `EmbeddedEventLoop`.
///
/// Tasks wait in a priority queue ordered by (ready time, insertion sequence). Running takes the
/// earliest task, sets `now` to its instant and runs it; work it schedules for the same instant runs
/// after it, in order. Time never moves backwards, and nothing here reads the wall clock — a run is a
/// pure function of what was scheduled, which is what makes it reproducible from a seed.
///
/// The loop is owned by one simulated run and used from one isolation domain; it is deliberately not
/// `Sendable`.
///
/// The two events a run has most of — a segment arriving at the end of its link and a TCP
/// connection's retransmission timer — are typed values (`Event`) that the loop hands to its network,
/// not closures: a closure per packet cost a heap allocation for its context, its retains and
/// releases, and for the timers a weak reference (issue 16). Everything else (application timers,
/// proxies, ICMP) is rare and stays a closure.
package final class SimEventLoop {
    /// A handle to cancel a scheduled task.
    package struct TaskHandle: Hashable, Sendable {
        fileprivate let sequence: UInt64
    }

    /// What a scheduled task does when its time comes.
    enum Event {
        case closure(() -> Void)
        /// The segment parked in the network's slot `slot` reaches the end of its link.
        case arrival(slot: Int32)
        /// A TCP connection's timer armed as `generation` fires; `resendSYN` after a reset's wait.
        case tcpTimer(connection: Int32, generation: UInt64, resendSYN: Bool)
    }

    private struct ScheduledTask: Comparable {
        let time: SimTime
        let sequence: UInt64
        let event: Event

        static func < (lhs: ScheduledTask, rhs: ScheduledTask) -> Bool {
            if lhs.time != rhs.time { return lhs.time < rhs.time }
            return lhs.sequence < rhs.sequence
        }

        static func == (lhs: ScheduledTask, rhs: ScheduledTask) -> Bool {
            lhs.time == rhs.time && lhs.sequence == rhs.sequence
        }
    }

    /// Why `run` stopped.
    package enum StopReason: Equatable, Sendable {
        /// No task is left.
        case idle
        /// The next task is after the time limit; `now` was moved to the limit.
        case reachedTimeLimit
        /// The task budget ran out: a guard against a model that never settles.
        case reachedTaskLimit
        /// `stop()` was called by a task.
        case stopped
    }

    /// The current virtual time.
    package private(set) var now: SimTime = .zero
    /// Tasks run so far, for the benchmark and for bounding runs.
    package private(set) var tasksRun: Int = 0

    private var queue = Heap<ScheduledTask>()
    /// The network the typed events are for: it owns this loop, so it outlives every task.
    unowned(unsafe) var network: SimNetwork?
    private var nextSequence: UInt64 = 0
    private var cancelled = Set<UInt64>()
    private var stopRequested = false

    package init() {}

    /// Schedules `work` at `time` (or now, if `time` has passed).
    @discardableResult
    package func schedule(at time: SimTime, _ work: @escaping () -> Void) -> TaskHandle {
        schedule(.closure(work), at: time)
    }

    /// Schedules a typed event at `time` (or now, if `time` has passed), in the same order as a
    /// closure would be: the insertion sequence is shared.
    @discardableResult
    func schedule(_ event: Event, at time: SimTime) -> TaskHandle {
        let sequence = nextSequence
        nextSequence &+= 1
        queue.insert(ScheduledTask(time: max(time, now), sequence: sequence, event: event))
        return TaskHandle(sequence: sequence)
    }

    /// Schedules `work` `delay` from now.
    @discardableResult
    package func schedule(after delay: Duration, _ work: @escaping () -> Void) -> TaskHandle {
        schedule(at: now + delay, work)
    }

    /// Cancels a task that has not run yet; cancelling a task that already ran does nothing.
    package func cancel(_ handle: TaskHandle) {
        cancelled.insert(handle.sequence)
    }

    /// Makes the current `run` return after the running task.
    package func stop() {
        stopRequested = true
    }

    /// Runs tasks in (time, sequence) order until the queue is empty, the next task lies after
    /// `limit`, `stop()` is called, or `maxTasks` tasks have run — every run is bounded.
    @discardableResult
    package func run(until limit: SimTime? = nil, maxTasks: Int = 10_000_000) -> StopReason {
        stopRequested = false
        var budget = maxTasks
        while let next = queue.min {
            if let limit, next.time > limit {
                now = max(now, limit)
                return .reachedTimeLimit
            }
            if budget == 0 { return .reachedTaskLimit }
            let task = queue.removeMin()
            if !cancelled.isEmpty, cancelled.remove(task.sequence) != nil { continue }
            budget -= 1
            now = max(now, task.time)
            tasksRun += 1
            switch task.event {
            case .closure(let work):
                work()
            case .arrival(let slot):
                guard let network else { preconditionFailure("arrival of slot \(slot) on a loop without a network") }
                network.arrive(slot: slot)
            case .tcpTimer(let connection, let generation, let resendSYN):
                guard let network else { preconditionFailure("TCP timer of \(connection) on a loop without a network") }
                network.timerFired(connection: connection, generation: generation, resendSYN: resendSYN)
            }
            if stopRequested { return .stopped }
        }
        if let limit { now = max(now, limit) }
        return .idle
    }

    /// Runs everything due up to `now + delay`, then leaves the clock there, like
    /// `EmbeddedEventLoop.advanceTime(by:)`.
    @discardableResult
    package func advance(by delay: Duration, maxTasks: Int = 10_000_000) -> StopReason {
        run(until: now + delay, maxTasks: maxTasks)
    }
}
