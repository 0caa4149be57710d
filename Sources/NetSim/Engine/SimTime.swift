import RunCore

/// An instant on a simulated run's virtual clock, counted in nanoseconds from the run's start.
///
/// Virtual time is a plain integer so that it is exact, cheap to compare, and never depends on the
/// machine: a simulated run that covers two minutes of dropped SYNs takes microseconds of wall time.
package struct SimTime: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Nanoseconds since the start of the run.
    package var nanoseconds: Int64

    /// The run's start.
    package static let zero = SimTime(nanoseconds: 0)

    package init(nanoseconds: Int64) {
        self.nanoseconds = nanoseconds
    }

    /// The instant `offset` after the start of the run.
    package init(_ offset: Duration) {
        self.nanoseconds = offset.nanosecondsClamped
    }

    /// The time elapsed since the start of the run.
    package var sinceStart: Duration { .nanoseconds(nanoseconds) }

    package static func < (lhs: SimTime, rhs: SimTime) -> Bool { lhs.nanoseconds < rhs.nanoseconds }

    package static func + (lhs: SimTime, rhs: Duration) -> SimTime {
        SimTime(nanoseconds: lhs.nanoseconds &+ rhs.nanosecondsClamped)
    }

    package static func - (lhs: SimTime, rhs: SimTime) -> Duration {
        .nanoseconds(lhs.nanoseconds &- rhs.nanoseconds)
    }

    package var description: String {
        let micros = nanoseconds / 1_000
        return "\(micros / 1_000).\(String(repeating: "0", count: 3 - String(micros % 1_000).count))\(micros % 1_000)ms"
    }
}
