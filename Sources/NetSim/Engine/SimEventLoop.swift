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
package final class SimEventLoop {
    /// A handle to cancel a scheduled task.
    package struct TaskHandle: Hashable, Sendable {
        fileprivate let sequence: UInt64
    }

    private struct ScheduledTask: Comparable {
        let time: SimTime
        let sequence: UInt64
        let work: () -> Void

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
    private var nextSequence: UInt64 = 0
    private var cancelled = Set<UInt64>()
    private var stopRequested = false

    package init() {}

    /// Schedules `work` at `time` (or now, if `time` has passed).
    @discardableResult
    package func schedule(at time: SimTime, _ work: @escaping () -> Void) -> TaskHandle {
        let sequence = nextSequence
        nextSequence &+= 1
        queue.insert(ScheduledTask(time: max(time, now), sequence: sequence, work: work))
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
            task.work()
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
