import NIOCore

/// The timers a sans-I/O state machine asked for, as tasks on the event loop, keyed by its timer ids.
///
/// The cores only say `scheduleTimer(id, after:)` / `cancelTimer(id)`; this table turns that into
/// `Scheduled` tasks and remembers them so a connection that closes cancels everything it still owes.
/// It lives on one event loop (handlers own it), hence the isolated scheduling and no locking.
struct TimerTable<ID: Hashable> {
    private var scheduled: [ID: Scheduled<Void>] = [:]

    /// Schedules `fire` after `delay`, replacing a pending timer with the same id.
    mutating func schedule(
        _ id: ID, after delay: Duration, on loop: NIOIsolatedEventLoop, fire: @escaping () -> Void
    ) {
        scheduled.removeValue(forKey: id)?.cancel()
        scheduled[id] = loop.scheduleTask(in: TimeAmount(delay), fire)
    }

    mutating func cancel(_ id: ID) {
        scheduled.removeValue(forKey: id)?.cancel()
    }

    /// Forgets a timer that just fired, so `cancelAll` does not touch it.
    mutating func fired(_ id: ID) {
        scheduled.removeValue(forKey: id)
    }

    mutating func cancelAll() {
        for task in scheduled.values { task.cancel() }
        scheduled.removeAll()
    }
}
