import Connector

extension ReportInput {
    /// The design's public leading columns of `results.csv`, in this exact order.
    static let resultsLeadingColumns = [
        "scenario", "policy", "repetition", "seed", "network", "outcome", "time_to_connect_ms",
        "time_to_fail_ms", "winner", "attempts", "server_connections", "wasted_connections", "expectation",
    ]

    /// Columns that follow: the oracle and regret, the handshakes the server completed, why a run
    /// failed, the run's capture (relative to the report directory), then the client of a herd (1
    /// otherwise) and the most connections and handshakes open at the server at one instant (empty
    /// where the runtime does not observe them). New columns are only ever appended.
    static let resultsExtraColumns = [
        "oracle_ms", "oracle_candidate", "regret_ms", "server_handshakes", "failure_reason", "pcap",
        "client", "server_peak_connections", "server_peak_handshakes",
    ]

    /// `results.csv`: one row per run.
    func resultsCSV(layout: ReportLayout) -> String {
        var table = CSVTable(header: Self.resultsLeadingColumns + Self.resultsExtraColumns)
        for (scenarioIndex, scenario) in scenarios.enumerated() {
            for (runIndex, run) in scenario.runs.enumerated() {
                table.append([
                    .text(scenario.name), .text(run.policy), .number(String(run.repetition)),
                    .number(String(run.seed)), .text(run.network), .text(run.outcomeToken),
                    Self.cell(run.timeToConnect), Self.cell(run.timeToFail), run.winner.map(CSVTable.Cell.text) ?? .empty,
                    .number(String(run.attempts.count)), .number(String(run.cost.connectionsAccepted)),
                    .number(String(run.cost.wastedConnections)), .text(run.expectationVerdict),
                    Self.cell(run.oracle?.timeToConnect), run.oracle.map { .text($0.candidate) } ?? .empty,
                    Self.cell(run.regret), .number(String(run.cost.handshakesCompleted)),
                    run.failureReason.map(CSVTable.Cell.text) ?? .empty,
                    layout.pcapName(scenario: scenarioIndex, run: runIndex).map { .text("pcap/" + $0) } ?? .empty,
                    .number(String(run.client)), Self.cell(run.cost.peakConnections), Self.cell(run.cost.peakHandshakes),
                ])
            }
        }
        return table.text
    }

    /// The columns of `attempts.csv`.
    static let attemptColumns = [
        "scenario", "policy", "repetition", "seed", "attempt", "candidate", "started_ms", "syn_retransmissions",
        "syn_retransmission_ms", "tcp_connected_ms", "tunnel_opened_ms", "handshake_done_ms", "connect_result_ms",
        "ending", "ending_detail", "ended_ms", "client",
    ]

    /// `attempts.csv`: one row per attempt with its phases and how it ended.
    func attemptsCSV() -> String {
        var table = CSVTable(header: Self.attemptColumns)
        for scenario in scenarios {
            for run in scenario.runs {
                for attempt in run.attempts {
                    let retransmissions = attempt.synRetransmissions.map(\.millisecondsText).joined(separator: ";")
                    table.append([
                        .text(scenario.name), .text(run.policy), .number(String(run.repetition)),
                        .number(String(run.seed)), .number(String(attempt.id)), .text(attempt.candidate),
                        Self.cell(attempt.startedAt), .number(String(attempt.synRetransmissions.count)),
                        retransmissions.isEmpty ? .empty : .text(retransmissions),
                        Self.cell(attempt.time(of: .tcpConnected)), Self.cell(attempt.time(of: .tunnelOpened)),
                        Self.cell(attempt.time(of: .handshakeDone)), Self.cell(attempt.time(of: .connectResult)),
                        .text(attempt.endingToken),
                        attempt.endingDetail.isEmpty ? .empty : .text(attempt.endingDetail),
                        Self.cell(attempt.endedAt), .number(String(run.client)),
                    ])
                }
            }
        }
        return table.text
    }

    private static func cell(_ duration: Duration?) -> CSVTable.Cell {
        duration.map { .number($0.millisecondsText) } ?? .empty
    }

    private static func cell(_ count: Int?) -> CSVTable.Cell {
        count.map { .number(String($0)) } ?? .empty
    }
}
