import Foundation
import Connector
import Testing
import TestSupport
@testable import Reports

@Suite("Report directory: whole or not at all")
struct ReportWriterTests {
    static func files(in folder: String) throws -> [String] {
        let enumerator = FileManager.default.enumerator(atPath: folder)
        var names: [String] = []
        while let name = enumerator?.nextObject() as? String { names.append(name) }
        return names.sorted()
    }

    static func siblings(of folder: TemporaryFolder) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder.url.path).sorted()
    }

    @Test func writesEveryFileAndNothingOutsideTheFolder() throws {
        let folder = try TemporaryFolder()
        let out = folder.path("latest")
        try ReportWriter().write(ReportFixtures.input, to: out)
        #expect(try Self.files(in: out) == [
            "attempts.csv", "index.html", "junit.xml", "pcap",
            "pcap/HYPERLINK-http-evil.example-x-script-alert-1-script--escape--r1.pcap",
            "pcap/corporate-firewall-drops-1935--flash-builtin--r1.pcap",
            "results.csv", "summary.json", "summary.md",
        ])
        // Only the report itself is left in the parent: no temporary or set-aside folder.
        #expect(try Self.siblings(of: folder) == ["latest"])
        let csv = try String(contentsOfFile: out + "/results.csv", encoding: .utf8)
        #expect(csv == ReportFixtures.input.resultsCSV())
    }

    @Test func onlyTheRequestedFormatsAreWritten() throws {
        let folder = try TemporaryFolder()
        let out = folder.path("r")
        try ReportWriter(formats: [.junit, .md]).write(ReportFixtures.input, to: out)
        #expect(try Self.files(in: out) == ["junit.xml", "summary.md"])
    }

    /// The same bytes again.
    @Test func sameInputSameBytes() throws {
        let folder = try TemporaryFolder()
        try ReportWriter().write(ReportFixtures.input, to: folder.path("a"))
        try ReportWriter().write(ReportFixtures.input, to: folder.path("b"))
        let names = try Self.files(in: folder.path("a"))
        #expect(try Self.files(in: folder.path("b")) == names)
        #expect(names.contains("summary.json") && names.contains("index.html"))
        for name in names where name != "pcap" {
            let a = try Data(contentsOf: URL(fileURLWithPath: folder.path("a", name)))
            let b = try Data(contentsOf: URL(fileURLWithPath: folder.path("b", name)))
            #expect(a == b, "\(name) differs")
        }
    }

    @Test func replacesAnExistingReportWhole() throws {
        let folder = try TemporaryFolder()
        let out = folder.path("latest")
        try FileManager.default.createDirectory(atPath: out + "/stale", withIntermediateDirectories: true)
        try Data("old".utf8).write(to: URL(fileURLWithPath: out + "/results.csv"))
        try ReportWriter(formats: [.csv]).write(ReportFixtures.input, to: out)
        #expect(try Self.files(in: out) == ["attempts.csv", "results.csv"])
        #expect(try Self.siblings(of: folder) == ["latest"])
    }

    @Test func aFailingWriterLeavesThePreviousReportIntact() throws {
        let folder = try TemporaryFolder()
        let out = folder.path("latest")
        try ReportWriter(formats: [.csv]).write(ReportFixtures.input, to: out)
        let before = try Data(contentsOf: URL(fileURLWithPath: out + "/results.csv"))
        let directory = try ReportDirectory(out)
        let failing = ReportDirectory.Entry(path: ["junit.xml"]) { (_: String) throws(ReportError) in
            throw .writerFailed(file: "junit.xml", message: "disk full (simulated)")
        }
        #expect(throws: ReportError.writerFailed(file: "junit.xml", message: "disk full (simulated)")) {
            try directory.commit([.text(["results.csv"], "new"), .text(["summary.md"], "new"), failing])
        }
        #expect(try Self.files(in: out) == ["attempts.csv", "results.csv"])
        #expect(try Data(contentsOf: URL(fileURLWithPath: out + "/results.csv")) == before)
        #expect(try Self.siblings(of: folder) == ["latest"])
    }

    @Test func aBadPacketFailsTheReportBeforeAnythingIsWritten() throws {
        let folder = try TemporaryFolder()
        let out = folder.path("latest")
        try ReportWriter(formats: [.md]).write(ReportFixtures.input, to: out)
        var input = ReportFixtures.input
        input.scenarios[0].runs[0].packets.append(.tcp(TCPSegmentRecord(
            at: .zero, source: ReportFixtures.client, sourcePort: 1, destination: ReportFixtures.server,
            destinationPort: 2, sequence: 0, flags: .ack, payload: Array(repeating: 0, count: 65_496))))
        #expect(throws: ReportError.packetTooLarge(
            run: "corporate-firewall-drops-1935 / flash-builtin #1", payloadBytes: 65_496)) {
            try ReportWriter().write(input, to: out)
        }
        #expect(try Self.files(in: out) == ["summary.md"])
        #expect(try Self.siblings(of: folder) == ["latest"])
    }

    @Test func missingParentFoldersAreCreated() throws {
        let folder = try TemporaryFolder()
        let out = folder.path("build", "reports", "latest")
        try ReportWriter(formats: [.md]).write(ReportFixtures.input, to: out)
        #expect(try Self.files(in: folder.path("build", "reports")) == ["latest", "latest/summary.md"])
    }

    @Test func aFileAsParentIsATypedErrorAndLeavesNothing() throws {
        let folder = try TemporaryFolder()
        try Data("x".utf8).write(to: URL(fileURLWithPath: folder.path("file")))
        let out = folder.path("file", "latest")
        #expect(throws: ReportError.fileSystem(
            operation: "use as the report's parent folder", path: folder.path("file"), errno: ENOTDIR)) {
            try ReportWriter().write(ReportFixtures.input, to: out)
        }
        #expect(try Self.siblings(of: folder) == ["file"])
    }

    @Test func aFileInTheWayIsNotReplaced() throws {
        let folder = try TemporaryFolder()
        let out = folder.path("latest")
        try Data("keep me".utf8).write(to: URL(fileURLWithPath: out))
        #expect(throws: ReportError.fileSystem(operation: "replace a non-directory", path: out, errno: ENOTDIR)) {
            try ReportWriter(formats: [.md]).write(ReportFixtures.input, to: out)
        }
        #expect(try String(contentsOfFile: out, encoding: .utf8) == "keep me")
        #expect(try Self.siblings(of: folder) == ["latest"])
    }

    @Test(arguments: ["", ".", "..", "a/..", "/"])
    func unusableOutputPathsAreRefused(path: String) {
        #expect(throws: ReportError.invalidOutputPath(path)) {
            try ReportWriter().write(ReportFixtures.input, to: path)
        }
    }

    @Test func entriesCannotLeaveTheFolder() throws {
        let folder = try TemporaryFolder()
        let directory = try ReportDirectory(folder.path("r"))
        #expect(throws: ReportError.invalidOutputPath("..")) {
            try directory.commit([.text(["..", "escaped.txt"], "x")])
        }
        #expect(try Self.siblings(of: folder).isEmpty)
    }
}

@Suite("Report directory: edge cases")
struct ReportEdgeCaseTests {
    @Test func anEmptyInputStillGivesAValidReport() throws {
        let folder = try TemporaryFolder()
        let out = folder.path("empty")
        try ReportWriter().write(ReportInput(scenarios: []), to: out)
        let csv = try String(contentsOfFile: out + "/results.csv", encoding: .utf8)
        #expect(csv.components(separatedBy: "\r\n").count == 2)
        let junit = try String(contentsOfFile: out + "/junit.xml", encoding: .utf8)
        #expect(junit.contains("<testsuites name=\"FallbackLab\" tests=\"0\" failures=\"0\" errors=\"0\" time=\"0.000\">"))
        #expect(FileManager.default.fileExists(atPath: out + "/index.html"))
        #expect(!FileManager.default.fileExists(atPath: out + "/pcap"))
    }
}

@Suite("Extreme input")
struct ExtremeInputTests {
    /// Durations at the limits of `Duration` and negative ones are reported, clamped where a format
    /// cannot hold them, without trapping.
    @Test func extremeDurationsNeverTrap() throws {
        func run(_ policy: String, _ after: Duration, oracle: Duration?) -> RunReport {
            RunReport(
                policy: policy, seed: .max, result: .connected(winner: "rtmp:1935", after: after),
                attempts: [
                    AttemptReport(
                        id: 1, candidate: "rtmp:1935", startedAt: .seconds(Int64.min),
                        synRetransmissions: [.seconds(Int64.max)], phases: [.tcpConnected: .seconds(-5)],
                        ending: .won, endedAt: after),
                ],
                cost: ServerCost(connectionsAccepted: .max, handshakesCompleted: .min, wastedConnections: 0),
                oracle: oracle.map { OracleResult(candidate: "rtmp:1935", timeToConnect: $0) })
        }
        let input = ReportInput(scenarios: [
            ScenarioReport(name: "extreme", repeatCount: 3, runs: [
                run("a", .seconds(Int64.max), oracle: .seconds(Int64.min)),
                run("a", .seconds(Int64.min), oracle: .seconds(Int64.max)),
                run("a", .zero, oracle: .zero),
                run("b", .seconds(-1), oracle: nil),
            ]),
        ])
        let folder = try TemporaryFolder()
        try ReportWriter().write(input, to: folder.path("r"))
        let csv = try String(contentsOfFile: folder.path("r", "results.csv"), encoding: .utf8)
        #expect(csv.contains(",connected,9223372036854775.807,"))
        #expect(csv.contains(",connected,-1000.000,"))
    }
}
