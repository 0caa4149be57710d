import Reports

extension Calibration {
    /// The calibration in the report writers' model: the same rows, figures and verdicts the
    /// terminal table prints.
    package var reportInput: ReportInput {
        let rows = rows.map { row in
            let live: CalibrationReport.Side?
            let liveError: String?
            switch row.live {
            case .success(let side):
                live = CalibrationReport.Side(
                    connected: side.connected, time: side.time, winner: side.winner, firstFrame: side.firstFrame)
                liveError = nil
            case .failure(let error):
                live = nil
                liveError = error.description
            }
            return CalibrationReport.Row(
                scenario: row.scenario, policy: row.policy, seed: row.seed,
                simulated: CalibrationReport.Side(
                    connected: row.simulated.connected, time: row.simulated.time, winner: row.simulated.winner,
                    firstFrame: row.simulated.firstFrame),
                live: live, liveError: liveError, difference: row.difference, tolerance: row.tolerance,
                allowance: row.allowance, baseline: row.processingBaseline, disagreement: row.disagreement)
        }
        let skipped = skipped.map { CalibrationReport.Skipped(scenario: $0.scenario, policy: $0.policy, reason: $0.reason) }
        var report = CalibrationReport(rows: rows, skipped: skipped, baseline: processingBaseline)
        report.distributions = distributions.map { row in
            CalibrationReport.Distribution(
                scenario: row.scenario, policy: row.policy, runs: row.simulated.count,
                simulatedMedian: row.simulatedMedian, simulatedP90: row.simulatedP90, liveMedian: row.liveMedian,
                liveP90: row.liveP90, simulatedConnected: row.simulatedConnected, liveConnected: row.liveConnected,
                medianDifference: row.medianDifference, ksStatistic: row.ksStatistic, ksPValue: row.ksPValue,
                verdict: row.verdict.rawValue, note: row.note)
        }
        return ReportInput(title: "FallbackLab calibration", scenarios: [], calibration: report)
    }

    /// Writes `index.html` with the calibration section and `calibration.csv`, whole or not at all
    /// (the same atomic replacement as run reports).
    package func writeReport(to directory: String) throws(ReportOutput.WriteError) {
        do {
            try ReportWriter(formats: [.html, .csv]).write(reportInput, to: directory)
        } catch {
            throw ReportOutput.WriteError(description: "\(error)")
        }
    }
}
