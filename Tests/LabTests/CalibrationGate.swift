import Foundation

/// The calibration tests hold live loopback timings to the simulation within max(15 ms, 10 %): on a
/// machine busy with the other suites they measure the machine, not the model. They run only when
/// asked, and `scripts/test` runs them as a step of their own, after everything else.
enum CalibrationGate {
    static let variable = "FALLBACK_LAB_CALIBRATION_TESTS"
    static var requested: Bool { ProcessInfo.processInfo.environment[variable].map { !$0.isEmpty && $0 != "0" } ?? false }
}
