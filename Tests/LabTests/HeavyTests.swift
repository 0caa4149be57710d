import Foundation

/// Tests that load the whole machine for seconds (a thousand sockets, child processes simulating at
/// full speed) run only when asked: next to them, the suites that check real-time behaviour on
/// loopback (a timeout not before N, a connect within a few milliseconds) would see a machine that
/// is not theirs. `scripts/test` runs them on their own after the other suites.
enum HeavyTests {
    static let variable = "FALLBACK_LAB_HEAVY_TESTS"
    static var requested: Bool { ProcessInfo.processInfo.environment[variable].map { !$0.isEmpty && $0 != "0" } ?? false }
}
