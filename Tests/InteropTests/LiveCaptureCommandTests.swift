import Foundation
import Testing
import TestSupport

/// `run --network loopback` without the permission to capture: the runs still run, the command says
/// once why there is no capture, and the report has no `pcap/`.
@Suite("Command line: live runs without CAP_NET_RAW", .timeLimit(.minutes(5)))
struct LiveCaptureCommandTests {
    /// Dropping root needs root and util-linux's setpriv.
    static var setpriv: String? {
        geteuid() == 0 ? InteropEnvironment.executable("setpriv") : nil
    }

    @Test(.enabled(if: setpriv != nil && CommandLineTests.executable != nil, "needs root, setpriv and the built executable"))
    func anUnprivilegedLiveRunSaysOnceWhyThereIsNoCapture() async throws {
        let setpriv = try #require(Self.setpriv)
        let executable = try CommandLineTests.requireExecutable()
        let scenario = try #require(CalibrateReportCommandTests.packageRoot?.appendingPathComponent("Scenarios/port-1935-rejected.yaml").path)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fallbacklab-nocap-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o777])
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let process = try TestProcess(setpriv, [
            "--reuid=65534", "--regid=65534", "--clear-groups", "--inh-caps=-all", "--bounding-set=-all",
            executable, "run", scenario, "--policy", "flash-builtin", "--policy", "happy-eyeballs",
            "--network", "loopback", "--out", folder + "/report",
        ])
        let status = await process.waitForExit(timeout: .seconds(90))
        let final = await process.stop()
        #expect((status ?? final) == 0, "\(process.output)")
        let notes = process.output.split(separator: "\n").filter { $0.hasPrefix("note: no packet capture for the live runs: ") }
        #expect(notes.count == 1, "\(process.output)")
        #expect(notes.first?.contains("CAP_NET_RAW") == true, "\(process.output)")
        let files = (try? FileManager.default.contentsOfDirectory(atPath: folder + "/report")) ?? []
        #expect(files.contains("results.csv"), "\(files)")
        #expect(!files.contains("pcap"), "\(files)")
    }
}
