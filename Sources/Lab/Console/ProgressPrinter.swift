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
        var finished: [Int: [RunRecord]] = [:]
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
            state.finished[progress.record.scenarioIndex, default: []].append(progress.record)
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
                      let done = state.finished[state.nextToPrint], done.count == expected {
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

    static func scenarioLine(_ name: String, _ records: [RunRecord]) -> String {
        let failed = records.flatMap(\.verdicts).filter { !$0.passed }.count
        let checked = records.flatMap(\.verdicts).count
        let errors = records.filter { if case .failure = $0.measurement { true } else { false } }.count
        let connected = records.filter { if case .success(let m) = $0.measurement { m.winner != nil } else { false } }.count
        var line = "\(name): \(records.count) runs, \(connected) connected"
        line += checked == 0 ? ", no expectations" : ", \(checked - failed)/\(checked) expectations held"
        if errors > 0 { line += ", \(errors) errored" }
        return line
    }
}
