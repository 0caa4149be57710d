/// Everything a run command produced, in the canonical order.
public struct RunResults: Sendable {
    /// The scenarios as run (with `--seed`/`--repeat`/`--policy` applied).
    public var scenarios: [Scenario]
    public var records: [RunRecord]
    /// What was asked for but not run, and why (an external client on the simulated network). Not
    /// errors: the exit code does not depend on them.
    public var notes: [String] = []

    /// One expectation that did not hold in one run.
    public struct Failure: Sendable, Hashable, CustomStringConvertible {
        public var scenario: String
        public var policy: String
        public var repetition: Int
        /// `#1`, or `#1 client 3` in a herd.
        public var run: String
        public var expected: String
        public var measured: String
        /// `file:line` of the expectation, so the failure leads back to the claim.
        public var location: String

        public var description: String {
            "\(scenario) / \(policy) \(run): expected \(expected), measured \(measured) (\(location))"
        }
    }

    public var failedExpectations: [Failure] {
        records.flatMap { record in
            let file = scenarios.indices.contains(record.scenarioIndex) ? scenarios[record.scenarioIndex].file : record.scenarioName
            return record.verdicts.filter { !$0.passed }.map {
                Failure(scenario: record.scenarioName, policy: record.policy, repetition: record.repetition,
                        run: record.label, expected: $0.expected, measured: $0.measured, location: "\(file):\($0.expectation.line)")
            }
        }
    }

    /// Runs that produced no result, with why.
    public var errors: [String] {
        records.compactMap { record in
            guard case .failure(let error) = record.measurement else { return nil }
            return "\(record.scenarioName) / \(record.policy) \(record.label): \(error.description)"
        }
    }

    /// The design's exit codes: 0 when every expectation held, 1 when one failed or a run errored.
    public var exitCode: Int32 { failedExpectations.isEmpty && errors.isEmpty ? 0 : 1 }
}
