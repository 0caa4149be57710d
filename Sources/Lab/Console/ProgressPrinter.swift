import Foundation
import NIOConcurrencyHelpers

/// Shows a run's progress: a live, rewritten line with counts and an estimate on a terminal; one plain
/// line per finished scenario, in scenario order, when the output is a log (not a terminal, or `CI` set).
package final class ProgressPrinter: Sendable {
    package enum Style: Sendable {
        case live
        case lines
    }

    /// `live` only on a terminal outside CI, as CI logs keep every carriage-return frame.
    package static func style(isTerminal: Bool, environment: [String: String]) -> Style {
        isTerminal && environment["CI"] == nil ? .live : .lines
    }

    private struct State {
        var runsPerScenario: [Int: Int] = [:]
        var finished: [Int: ScenarioCounts] = [:]
        var nextToPrint = 0
        var scenarioNames: [Int: String] = [:]
        var lastLiveLength = 0
    }

    private let style: Style
    private let write: @Sendable (String) -> Void
    private let started: ContinuousClock.Instant
    private let state = NIOLockedValueBox(State())

    /// `plan` gives each scenario's name and number of runs, in order; `write` receives text to print.
    /// `runsPerScenario` replaces the count of runs per scenario when it is not policies × repetitions
    /// × clients (a live run adds each scenario's external client runs).
    package init(
        style: Style, scenarios: [Scenario], runsPerScenario: [Int]? = nil, write: @escaping @Sendable (String) -> Void
    ) {
        self.style = style
        self.write = write
        self.started = ContinuousClock.now
        var initial = State()
        for (index, scenario) in scenarios.enumerated() {
            initial.runsPerScenario[index] = runsPerScenario.flatMap { $0.indices.contains(index) ? $0[index] : nil }
                ?? scenario.policies.count * max(1, scenario.repetitions) * max(1, scenario.clients)
            initial.scenarioNames[index] = scenario.name
        }
        state.withLockedValue { $0 = initial }
    }

    /// Called once per finished run, from any worker.
    package func report(_ progress: RunProgress) {
        let elapsed = ContinuousClock.now - started
        // Written under the lock: two workers that finish scenarios one after the other must not
        // print them the other way round (seen as swapped lines at --jobs 2).
        state.withLockedValue { state in
            state.finished[progress.record.scenarioIndex, default: ScenarioCounts()].add(progress.record)
            switch style {
            case .live:
                let line = Self.liveLine(progress, elapsed: elapsed)
                let padding = String(repeating: " ", count: max(0, state.lastLiveLength - line.count))
                state.lastLiveLength = line.count
                write("\r" + line + padding)
            case .lines:
                var out = ""
                // Print finished scenarios in order, so logs read the same for any --jobs.
                while let expected = state.runsPerScenario[state.nextToPrint],
                      let done = state.finished[state.nextToPrint], done.runs == expected {
                    out += Self.scenarioLine(state.scenarioNames[state.nextToPrint] ?? "", done) + "\n"
                    state.finished[state.nextToPrint] = nil
                    state.nextToPrint += 1
                }
                if !out.isEmpty { write(out) }
            }
        }
    }

    /// Ends the live line so what follows starts on a fresh one.
    package func finish() {
        if case .live = style { write("\n") }
    }

    static func liveLine(_ progress: RunProgress, elapsed: Duration) -> String {
        let percent = progress.total == 0 ? 100 : progress.finished * 100 / progress.total
        var line = "[\(progress.finished)/\(progress.total)] \(percent)% \(progress.record.scenarioName) / \(progress.record.policy)"
        if progress.finished < progress.total, progress.finished > 0 {
            let remaining = elapsed * (progress.total - progress.finished) / progress.finished
            // Whole seconds: an estimate that changes in its third decimal on every run is noise.
            let seconds = max(1, Int((remaining.components.seconds * 1_000 + remaining.components.attoseconds / 1_000_000_000_000_000 + 500) / 1_000))
            line += " · about \(seconds) s left"
        }
        return line
    }

    static func scenarioLine(_ name: String, _ counts: ScenarioCounts) -> String {
        var line = "\(name): \(counts.runs) runs, \(counts.connected) connected"
        line += counts.checked == 0 ? ", no expectations" : ", \(counts.checked - counts.failed)/\(counts.checked) expectations held"
        if counts.errors > 0 { line += ", \(counts.errors) errored" }
        return line
    }

    /// What a scenario's line says, counted as its runs finish (its records are not kept).
    struct ScenarioCounts {
        var runs = 0
        var connected = 0
        var checked = 0
        var failed = 0
        var errors = 0

        mutating func add(_ record: RunRecord) {
            runs += 1
            checked += record.verdicts.count
            failed += record.verdicts.count { !$0.passed }
            switch record.measurement {
            case .success(let measured): if measured.winner != nil { connected += 1 }
            case .failure: errors += 1
            }
        }
    }
}
