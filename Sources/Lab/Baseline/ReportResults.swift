import Foundation
import Reports

/// The runs of a report folder as its `results.csv` holds them: what `compare` reads back. Only the
/// design's public columns are read (and `server_peak_connections` where a report has it), so a
/// report of any version since the first compares.
package struct ReportResults: Sendable {
    /// One row of `results.csv`: one run (one client of a herd).
    package struct Run: Sendable, Equatable {
        package var scenario: String
        package var policy: String
        package var network: String
        package var connected: Bool
        /// Milliseconds; nil when the run failed.
        package var timeToConnect: Double?
        package var winner: String
        package var serverConnections: Double
        /// nil in a report that does not have the column.
        package var serverPeak: Double?
    }

    /// Why a folder cannot be compared.
    package struct FolderError: Error, Sendable, CustomStringConvertible {
        package var folder: String
        package var reason: String
        package var description: String { "\(folder): \(reason)" }
    }

    package var folder: String
    package var runs: [Run]

    /// Runs already read (tests, a run's own records).
    package init(folder: String, runs: [Run]) {
        self.folder = folder
        self.runs = runs
    }

    /// The columns a report's `results.csv` must have (the design's first columns).
    static let required = ["scenario", "policy", "network", "outcome", "time_to_connect_ms", "winner", "server_connections"]

    /// Reads `folder/results.csv`. A folder without one, or whose file is not a results table, is
    /// not a report (the command's exit 65), with the reason and, for a bad line, its number.
    package init(folder: String) throws(FolderError) {
        let path = (folder as NSString).appendingPathComponent("results.csv")
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw FolderError(folder: folder, reason: "not a folder")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw FolderError(folder: folder, reason: "not a report folder: it has no results.csv")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw FolderError(folder: folder, reason: "results.csv is not UTF-8 text")
        }
        try self.init(folder: folder, results: text)
    }

    /// The runs of a results table's text (a folder's file, or a run's own before it is written).
    package init(folder: String, results text: String) throws(FolderError) {
        self.folder = folder
        let records: [[String]]
        do {
            records = try CSVRecords.parse(text)
        } catch {
            throw FolderError(folder: folder, reason: "results.csv \(error)")
        }
        guard let header = records.first else { throw FolderError(folder: folder, reason: "results.csv is empty") }
        var column: [String: Int] = [:]
        for (index, name) in header.enumerated() where column[name] == nil { column[name] = index }
        let missing = Self.required.filter { column[$0] == nil }
        guard missing.isEmpty else {
            throw FolderError(folder: folder, reason: "results.csv has no column \(missing.joined(separator: ", ")): not a report's results table")
        }
        var runs: [Run] = []
        for (offset, record) in records.dropFirst().enumerated() {
            let line = offset + 2
            guard record.count == header.count else {
                throw FolderError(folder: folder, reason: "results.csv line \(line): \(record.count) fields where the header has \(header.count)")
            }
            func value(_ name: String) -> String { column[name].map { record[$0] } ?? "" }
            func number(_ name: String) throws(FolderError) -> Double? {
                let text = value(name)
                if text.isEmpty { return nil }
                guard let number = Double(text), number.isFinite else {
                    throw FolderError(folder: folder, reason: "results.csv line \(line): \(name) '\(text)' is not a number")
                }
                return number
            }
            let outcome = value("outcome")
            guard outcome == "connected" || outcome == "failed" else {
                throw FolderError(folder: folder, reason: "results.csv line \(line): outcome '\(outcome)' is neither connected nor failed")
            }
            runs.append(Run(
                scenario: value("scenario"), policy: value("policy"), network: value("network"),
                connected: outcome == "connected", timeToConnect: try number("time_to_connect_ms"),
                winner: value("winner"), serverConnections: try number("server_connections") ?? 0,
                serverPeak: try number("server_peak_connections")))
        }
        self.runs = runs
    }
}
