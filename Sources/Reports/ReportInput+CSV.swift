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
    /// where the runtime does not observe them), then, for a client that plays (`client.play`), the
    /// time to the first frame on the winner or why none came, then a reconnect's (Enhanced RTMP's
    /// request, or a new connect after the stream was lost): from the request to the new first frame,
    /// the media gap, the new winner, or why it failed. New columns are only ever appended.
    static let resultsExtraColumns = [
        "oracle_ms", "oracle_candidate", "regret_ms", "server_handshakes", "failure_reason", "pcap",
        "client", "server_peak_connections", "server_peak_handshakes", "time_to_first_frame_ms", "play_failure",
        "reconnect_switch_ms", "reconnect_gap_ms", "reconnect_winner", "reconnect_failure",
    ]

    /// `results.csv`'s header line.
    static var resultsHeader: String { CSVTable(header: resultsLeadingColumns + resultsExtraColumns).text }

    /// A run's row of `results.csv`, its capture named `pcap` in `pcap/`.
    static func resultsRow(scenario: String, _ run: RunReport, pcap: String?) -> String {
        CSVTable.line([
            .text(scenario), .text(run.policy), .number(String(run.repetition)),
            .number(String(run.seed)), .text(run.network), .text(run.outcomeToken),
            cell(run.timeToConnect), cell(run.timeToFail), run.winner.map(CSVTable.Cell.text) ?? .empty,
            .number(String(run.attempts.count)), .number(String(run.cost.connectionsAccepted)),
            .number(String(run.cost.wastedConnections)), .text(run.expectationVerdict),
            cell(run.oracle?.timeToConnect), run.oracle.map { .text($0.candidate) } ?? .empty,
            cell(run.regret), .number(String(run.cost.handshakesCompleted)),
            run.failureReason.map(CSVTable.Cell.text) ?? .empty,
            pcap.map { .text("pcap/" + $0) } ?? .empty,
            .number(String(run.client)), cell(run.cost.peakConnections), cell(run.cost.peakHandshakes),
            cell(run.timeToFirstFrame), run.playFailure.map(CSVTable.Cell.text) ?? .empty,
            cell(run.reconnectSwitchTime), cell(run.reconnectMediaGap),
            run.reconnectWinner.map { .text($0.candidate) } ?? .empty,
            run.reconnectFailure.map(CSVTable.Cell.text) ?? .empty,
        ], columns: resultsLeadingColumns.count + resultsExtraColumns.count)
    }

    /// The columns of `attempts.csv`.
    static let attemptColumns = [
        "scenario", "policy", "repetition", "seed", "attempt", "candidate", "started_ms", "syn_retransmissions",
        "syn_retransmission_ms", "tcp_connected_ms", "tunnel_opened_ms", "handshake_done_ms", "connect_result_ms",
        "ending", "ending_detail", "ended_ms", "client", "stream_created_ms", "play_started_ms", "first_frame_ms",
        "reconnect_requested_ms", "last_frame_ms",
    ]

    /// `attempts.csv`'s header line.
    static var attemptsHeader: String { CSVTable(header: attemptColumns).text }

    /// A run's rows of `attempts.csv`: one per attempt with its phases and how it ended.
    static func attemptRows(scenario: String, _ run: RunReport) -> String {
        var out = ""
        for attempt in run.attempts {
            let retransmissions = attempt.synRetransmissions.map(\.millisecondsText).joined(separator: ";")
            out += CSVTable.line([
                .text(scenario), .text(run.policy), .number(String(run.repetition)),
                .number(String(run.seed)), .number(String(attempt.id)), .text(attempt.candidate),
                cell(attempt.startedAt), .number(String(attempt.synRetransmissions.count)),
                retransmissions.isEmpty ? .empty : .text(retransmissions),
                cell(attempt.time(of: .tcpConnected)), cell(attempt.time(of: .tunnelOpened)),
                cell(attempt.time(of: .handshakeDone)), cell(attempt.time(of: .connectResult)),
                .text(attempt.endingToken),
                attempt.endingDetail.isEmpty ? .empty : .text(attempt.endingDetail),
                cell(attempt.endedAt), .number(String(run.client)), cell(attempt.time(of: .streamCreated)),
                cell(attempt.time(of: .playStarted)), cell(attempt.time(of: .firstFrame)),
                cell(attempt.time(of: .reconnectRequested)), cell(attempt.time(of: .lastFrame)),
            ], columns: attemptColumns.count)
        }
        return out
    }

    private static func cell(_ duration: Duration?) -> CSVTable.Cell {
        duration.map { .number($0.millisecondsText) } ?? .empty
    }

    private static func cell(_ count: Int?) -> CSVTable.Cell {
        count.map { .number(String($0)) } ?? .empty
    }
}
