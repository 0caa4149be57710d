import Foundation
import Testing

@testable import Lab

/// What live runs and calibration put into a report folder: the live capture under the same name a
/// simulated run's capture gets, and calibrate's section and CSV matching its terminal table.
@Suite("Live reports", .serialized, .timeLimit(.minutes(5)))
struct LiveReportTests {
    static func shipped(_ name: String) throws -> Scenario {
        let path = FixtureSupport.packageRoot.appendingPathComponent("Scenarios/\(name).yaml").path
        return try ScenarioLoader.parse([UInt8](try Data(contentsOf: URL(fileURLWithPath: path))), file: "Scenarios/\(name).yaml")
    }

    static func temporaryFolder() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("fallbacklab-report-\(UUID().uuidString)").path
    }

    static func files(in folder: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).sorted()
    }

    @Test(.enabled(if: geteuid() == 0, "capturing needs CAP_NET_RAW (root)"))
    func aLoopbackRunsCaptureIsInThePcapFolderUnderTheSimulatedName() async throws {
        let planned = try LabRunner.plan(
            [try Self.shipped("port-1935-rejected")],
            options: RunOptions(policies: ["flash-builtin"], repetitions: 1, recordPackets: true))
        let live = await LabRunner.runOnLiveNetwork(planned, network: .loopback, bound: .seconds(30), capture: true) { _ in }
        #expect(RunTally(live).errors.isEmpty, "\(RunTally(live).errors)")
        #expect(!live.notes.contains { $0.contains("capture") }, "\(live.notes)")
        let simulated = await LabRunner.run(planned)

        let liveFolder = Self.temporaryFolder()
        let simulatedFolder = Self.temporaryFolder()
        defer {
            try? FileManager.default.removeItem(atPath: liveFolder)
            try? FileManager.default.removeItem(atPath: simulatedFolder)
        }
        let output = try ReportOutput(formats: "csv,pcap")
        try output.write(live, to: liveFolder)
        try output.write(simulated, to: simulatedFolder)
        let names = Self.files(in: liveFolder + "/pcap")
        #expect(names.count == 1)
        #expect(names == Self.files(in: simulatedFolder + "/pcap"))
        let name = try #require(names.first)
        let capture = try #require(FileManager.default.contents(atPath: liveFolder + "/pcap/" + name))
        #expect(Array(capture.prefix(4)) == [0xD4, 0xC3, 0xB2, 0xA1])   // libpcap's classic header
        #expect(capture.count > 24 + 10 * 16)                            // a handshake's worth of packets
        let results = try String(contentsOfFile: liveFolder + "/results.csv", encoding: .utf8)
        #expect(results.contains(",loopback,connected,"), "\(results)")
        #expect(results.contains("pcap/\(name)"), "\(results)")
        // No staging folder left beside the report.
        let parent = (liveFolder as NSString).deletingLastPathComponent
        let base = (liveFolder as NSString).lastPathComponent
        #expect(!Self.files(in: parent).contains { $0.hasPrefix("." + base + ".") })
    }

    @Test func liveRunsWithoutCapturesWriteNoPcapFolder() async throws {
        let planned = try LabRunner.plan(
            [try Self.shipped("port-1935-rejected")],
            options: RunOptions(policies: ["flash-builtin"], repetitions: 1, recordPackets: false))
        let live = await LabRunner.runOnLiveNetwork(planned, network: .loopback, bound: .seconds(30), capture: false) { _ in }
        #expect(RunTally(live).errors.isEmpty, "\(RunTally(live).errors)")
        #expect(!live.notes.contains { $0.contains("capture") }, "\(live.notes)")
        let folder = Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try ReportOutput(formats: "csv,pcap").write(live, to: folder)
        // plan.json and records.jsonl are in every report (what `merge` reads); no run names a capture.
        #expect(Self.files(in: folder) == ["attempts.csv", "plan.json", "records.jsonl", "results.csv"])
        let records = try String(contentsOfFile: folder + "/records.jsonl", encoding: .utf8)
        #expect(!records.contains("\"pcap\""), "\(records)")
    }

    /// A calibration with a row that agrees, one that disagrees and one whose live run failed, with
    /// names that would break the page if they were not escaped.
    static let calibration = Calibration(
        rows: [
            CalibrationRow(
                scenario: "port-1935-rejected", policy: "flash-builtin", seed: 7,
                simulated: .init(connected: true, time: .microseconds(10_250), winner: "rtmp:443"),
                live: .success(.init(connected: true, time: .microseconds(14_125), winner: "rtmp:443", handshakes: 1)),
                processingBaseline: .microseconds(3_500)),
            CalibrationRow(
                scenario: "<script>alert(1)</script>", policy: "=cmd", seed: 8,
                simulated: .init(connected: true, time: .milliseconds(200), winner: "rtmp:443"),
                live: .success(.init(connected: true, time: .milliseconds(260), winner: "rtmp:443", handshakes: 1)),
                processingBaseline: .milliseconds(2)),
            CalibrationRow(
                scenario: "broken", policy: "p", seed: 9,
                simulated: .init(connected: false, time: .seconds(3)),
                live: .failure(RunRecord.RunError(description: "the live run did not end within its bound of 5 s"))),
        ],
        skipped: [Calibration.Skipped(scenario: "everything-blocked", policy: "flash-builtin", reason: "simulated run takes 63 s, over the live limit of 5 s")],
        processingBaseline: .microseconds(3_250))

    @Test func calibrateWritesTheSectionAndACSVMatchingTheTable() throws {
        let folder = Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let calibration = Self.calibration
        try calibration.writeReport(to: folder)
        #expect(Self.files(in: folder) == ["calibration.csv", "index.html"])

        let html = try String(contentsOfFile: folder + "/index.html", encoding: .utf8)
        #expect(html.contains("<section id=\"calibration\">"))
        #expect(!html.contains("<script>"))
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(html.contains("1 of 3 runs agree") || html.contains("2 of 3 runs disagree"))
        #expect(html.contains("everything-blocked / flash-builtin: simulated run takes 63 s"))
        #expect(!html.contains("id=\"matrix\""))

        // The CSV's rows are the table's rows, figure for figure.
        let csv = try String(contentsOfFile: folder + "/calibration.csv", encoding: .utf8)
        let lines = csv.split(separator: "\r\n").map(String.init)
        #expect(lines.first?.hasPrefix("scenario,policy,seed,simulated_outcome,simulated_ms") == true)
        #expect(lines.count == 1 + calibration.rows.count)
        let tableLines = calibration.table.split(separator: "\n").map(String.init)
        for (row, line) in zip(calibration.rows, lines.dropFirst()) {
            let tableLine = try #require(tableLines.first { $0.hasPrefix(row.scenario + " ") })
            #expect(tableLine.contains(row.agrees ? "agree" : "DISAGREE"))
            #expect(line.contains(DurationText.milliseconds(row.simulated.time)), "\(line)")
            if let difference = row.difference {
                #expect(line.contains("," + DurationText.milliseconds(difference) + ","), "\(line)")
                #expect(tableLine.contains(DurationText.describe(difference)))
                #expect(line.contains("," + DurationText.milliseconds(row.processingBaseline) + ","), "\(line)")
            } else {
                #expect(line.contains(",error,"), "\(line)")
            }
            #expect(line.contains(row.agrees ? ",agree," : ",disagree,"), "\(line)")
        }
        #expect(lines[2].hasPrefix("<script>alert(1)</script>,'=cmd,8,connected,200.000,rtmp:443,connected,260.000,rtmp:443,60.000,20.000,2.000,2.000,disagree,"), "\(lines[2])")
    }
}
