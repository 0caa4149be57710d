import Foundation
import Testing
import RunCore

/// The shipped external-client scenarios through `fallback-lab run`, as a user runs them: live, the
/// external rows run and their expectations hold; simulated, they are skipped with a note and the
/// exit code stays 0.
@Suite("Command line: external clients", .serialized, .timeLimit(.minutes(5)))
struct ExternalClientCommandLineTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let scenarios = ["external-rtmpdump-1935-dropped", "external-ffmpeg-1935-dropped"].map {
        root.appendingPathComponent("Scenarios/\($0).yaml").path
    }

    static func withReportDirectory<T>(_ body: (String) async throws -> T) async throws -> T {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("fallbacklab-external-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        return try await body(directory.path)
    }

    @Test(.enabled(
        if: InteropEnvironment.canRun("rtmpdump", "ffmpeg") && (InteropEnvironment.isCI || CommandLineTests.executable != nil),
        "rtmpdump, ffmpeg or the fallback-lab executable is missing"))
    func liveRunsTheClientsAndTheirExpectationsHold() async throws {
        _ = try InteropEnvironment.require("rtmpdump")
        _ = try InteropEnvironment.require("ffmpeg")
        let (status, output) = try await Self.withReportDirectory { out in
            try await CommandLineTests.run(["run", "--network", "loopback", "--out", out] + Self.scenarios)
        }
        #expect(status == 0, "\(output)")
        #expect(output.contains("external-rtmpdump-1935-dropped / external:rtmpdump #1: timed out after 5.000 s"), "\(output)")
        #expect(output.contains("external-ffmpeg-1935-dropped / external:ffmpeg #1: exit status 1 after"), "\(output)")
        #expect(output.components(separatedBy: "tcp:1935 SYN unanswered").count == 3, "\(output)")
        #expect(!output.contains("accepted at"), "no client reached the server:\n\(output)")
    }

    @Test(.enabled(if: InteropEnvironment.isCI || CommandLineTests.executable != nil, "the fallback-lab executable is not built"))
    func theSimulatedNetworkSkipsThemWithANote() async throws {
        let (status, output) = try await Self.withReportDirectory { out in
            try await CommandLineTests.run(["run", "--out", out] + Self.scenarios)
        }
        #expect(status == 0, "\(output)")
        #expect(output.contains("note: external-rtmpdump-1935-dropped: external:rtmpdump (client.command) runs on live networks only"), "\(output)")
        #expect(output.contains("note: external-ffmpeg-1935-dropped: external:ffmpeg (client.command) runs on live networks only"), "\(output)")
        #expect(!output.contains("external clients:"), "\(output)")
    }
}
