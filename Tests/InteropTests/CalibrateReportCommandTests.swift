import Foundation
import Testing

/// `fallback-lab calibrate --out DIR` through the executable: the terminal table and the report
/// folder (index.html's calibration section, calibration.csv) carry the same rows and figures.
@Suite("Command line: calibrate --out", .timeLimit(.minutes(5)))
struct CalibrateReportCommandTests {
    /// `+3.7 ms`, `-12 ms`, `1.234 s` → milliseconds.
    static func milliseconds(_ text: Substring) -> Double? {
        let parts = text.split(separator: " ")
        guard parts.count == 2, let value = Double(parts[0].hasPrefix("+") ? parts[0].dropFirst() : parts[0]) else { return nil }
        switch parts[1] {
        case "ms": return value
        case "s": return value * 1000
        default: return nil
        }
    }

    @Test(.enabled(if: InteropEnvironment.isCI || CommandLineTests.executable != nil, "the fallback-lab executable is not built"))
    func theReportFolderMatchesTheTable() async throws {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("fallbacklab-calibrate-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: out) }
        let scenario = try #require(Self.packageRoot?.appendingPathComponent("Scenarios/port-1935-rejected.yaml").path)
        let result = try await CommandLineTests.run([
            "calibrate", scenario, "--policy", "flash-builtin", "--policy", "akamai", "--max-duration", "1s",
            "--live-repeat", "1", "--out", out,
        ])
        // 0 when both rows agree, 1 when the loaded machine made one disagree: the report is written either way.
        #expect(result.status == 0 || result.status == 1, "\(result.output)")
        #expect(result.output.contains("report: \(out)/"), "\(result.output)")

        let html = try String(contentsOfFile: out + "/index.html", encoding: .utf8)
        #expect(html.contains("<section id=\"calibration\">"))
        let csv = try String(contentsOfFile: out + "/calibration.csv", encoding: .utf8)
        let csvRows = csv.split(separator: "\r\n").dropFirst().map {
            // The last column (why a row disagrees) may hold commas, quoted; the others never do here.
            $0.split(separator: ",", maxSplits: 14, omittingEmptySubsequences: false)
        }
        let tableRows = result.output.split(separator: "\n")
            .filter { $0.hasPrefix("port-1935-rejected ") }
            .map { $0.split(separator: "  ", omittingEmptySubsequences: true).map { $0.trimmingCharacters(in: .whitespaces) } }
        #expect(csvRows.count == 2, "\(csv)")
        #expect(tableRows.count == 2, "\(result.output)")
        for (table, row) in zip(tableRows, csvRows) {
            try #require(table.count == 7 && row.count == 15, "\(table) \(row)")
            #expect(row[0] == "port-1935-rejected" && row[1] == Substring(table[1]))
            #expect(html.contains("<td>\(table[1])</td>"))
            // The same difference, to the table's rounding (0.1 ms).
            if table[4] == "-" {
                #expect(row[9].isEmpty && row[6] == "error", "a live run without a result: \(row)")
                continue
            }
            let tableDifference = try #require(Self.milliseconds(Substring(table[4])), "\(table[4])")
            let csvDifference = try #require(Double(row[9]), "\(row[9])")
            #expect(abs(tableDifference - csvDifference) <= 0.051, "\(table[4]) vs \(row[9])")
            #expect((table[6] == "agree") == (row[13] == "agree"), "\(table[6]) vs \(row[13])")
        }
    }

    static var packageRoot: URL? {
        var directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        for _ in 0..<4 {
            if FileManager.default.fileExists(atPath: directory.appendingPathComponent("Package.swift").path) { return directory }
            directory.deleteLastPathComponent()
        }
        return nil
    }
}
