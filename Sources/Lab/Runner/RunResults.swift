/// Everything a run command produced, in the canonical order.
package struct RunResults: Sendable {
    /// The scenarios as run (with `--seed`/`--repeat`/`--policy` applied).
    package var scenarios: [Scenario]
    package var records: [RunRecord]
    /// What was asked for but not run, and why (an external client on the simulated network). Not
    /// errors: the exit code does not depend on them.
    package var notes: [String] = []
    /// The plan these results are (part of): its fingerprint, how many jobs it has, and the share
    /// that ran when `--shard` asked for one (`nil`: all of it).
    package var fingerprint = ""
    package var planJobs = 0
    package var shard: Shard?

    /// One expectation that did not hold in one run.
    package struct Failure: Sendable, Hashable, CustomStringConvertible {
        package var scenario: String
        package var policy: String
        package var repetition: Int
        /// `#1`, or `#1 client 3` in a herd.
        package var run: String
        package var expected: String
        package var measured: String
        /// `file:line` of the expectation, so the failure leads back to the claim.
        package var location: String

        package var description: String {
            "\(scenario) / \(policy) \(run): expected \(expected), measured \(measured) (\(location))"
        }
    }

    /// The expectations that did not hold in one run.
    static func failures(of record: RunRecord, in scenarios: [Scenario]) -> [Failure] {
        let file = scenarios.indices.contains(record.scenarioIndex) ? scenarios[record.scenarioIndex].file : record.scenarioName
        return record.verdicts.filter { !$0.passed }.map {
            Failure(scenario: record.scenarioName, policy: record.policy, repetition: record.repetition,
                    run: record.label, expected: $0.expected, measured: $0.measured, location: "\(file):\($0.expectation.line)")
        }
    }

    /// Why a run produced no result, if it did not.
    static func error(of record: RunRecord) -> String? {
        guard case .failure(let error) = record.measurement else { return nil }
        return "\(record.scenarioName) / \(record.policy) \(record.label): \(error.description)"
    }
}
