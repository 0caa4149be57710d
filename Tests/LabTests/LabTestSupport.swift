import Testing
import Lab

extension Calibration {
    /// The rows whose live side measured something, each with that measurement; a row whose live run
    /// failed is recorded as the test's issue (with the policy and the error) and left out.
    func measuredRows(sourceLocation: SourceLocation = #_sourceLocation) -> [(row: CalibrationRow, live: CalibrationRow.Side)] {
        rows.compactMap { row in
            guard case .success(let live) = row.live else {
                Issue.record("\(row.policy): \(row.live)", sourceLocation: sourceLocation)
                return nil
            }
            return (row, live)
        }
    }
}
