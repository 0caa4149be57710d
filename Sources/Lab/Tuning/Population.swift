import Connector

/// A population file (`fallback-lab tune`): the share of users behind each kind of network, what
/// "best" means over them, the budget a policy must stay within, and what the tuner may change.
package struct Population: Sendable {
    package var file: String
    package var description: String
    /// Each scenario with its weight, the weights normalised to sum to 1.
    package var members: [Member]
    package var objective: Objective
    /// What a failed connect counts as: its time to fail plus this.
    package var failureCost: Duration
    package var budget: Budget
    package var search: SearchSpace
    /// Monte Carlo repetitions per scenario and policy at the search's last rung.
    package var repetitions: Int
    package var seed: UInt64

    package struct Member: Sendable {
        package var scenario: Scenario
        package var weight: Double
    }

    /// The statistic of time to connect over the population that the tuner minimises.
    package enum Objective: String, Sendable, CaseIterable {
        case p50, p90, p95, p99, mean

        /// The percentile, or `nil` for the mean.
        var percentile: Double? {
            switch self {
            case .p50: 50
            case .p90: 90
            case .p95: 95
            case .p99: 99
            case .mean: nil
            }
        }
    }

    /// Constraints over the population; a policy that breaks one is not chosen, whatever its objective.
    package struct Budget: Sendable, Equatable {
        /// The most connections one client holds open at the server at one instant (a herd's peak over
        /// its clients), worst run.
        package var maxServerPeakConnections: Double?
        /// Connections the server accepted that did not carry the stream, mean per client.
        package var maxWastedConnections: Double?
        /// Share of connects that failed, weighted.
        package var maxFailureRate: Double?
    }

    /// What the tuner may change. Defaults: everything a custom policy has.
    package struct SearchSpace: Sendable, Equatable {
        /// The candidates a policy may use, in the order they may appear; a tuned policy uses a
        /// non-empty subset of them, in any order.
        package var candidates: [CandidateSpec]
        package var stagger: ClosedRange<Duration>
        package var attemptTimeout: ClosedRange<Duration>

        package static let defaultCandidates: [CandidateSpec] = ["url", "rtmp:443", "rtmp:80", "rtmpt:80"].compactMap {
            try? CandidateSpec(parsing: $0)
        }
        package static let defaultStagger: ClosedRange<Duration> = .milliseconds(50) ... .seconds(3)
        package static let defaultAttemptTimeout: ClosedRange<Duration> = .milliseconds(500) ... .seconds(30)
    }

    package static let defaultFailureCost: Duration = .seconds(60)
    package static let defaultRepetitions = 20
}
