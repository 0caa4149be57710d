import Connector
import Foundation
import Testing
import TestSupport

import LiveNet
import RunCore

/// Live captures with libpcap: a loopback run's file is a real capture that tshark dissects (root
/// only), and without the permission or the interface the error says why.
@Suite("LiveCapture", .serialized, .timeLimit(.minutes(5)))
struct LiveCaptureTests {
    /// Capturing needs CAP_NET_RAW; dissecting needs tshark.
    static var tshark: String? {
        guard geteuid() == 0 else { return nil }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        return path.split(separator: ":").map { $0 + "/tshark" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    static func temporaryPath(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("fallbacklab-\(UUID().uuidString)-\(name)").path
    }

    @Test func filterNamesEveryPortInOrder() {
        #expect(LiveCapture.filter(ports: [443, 1935, 80]) == "tcp and (port 80 or port 443 or port 1935)")
        #expect(LiveCapture.filter(ports: []) == "tcp")
    }

    @Test func anInterfaceThatDoesNotExistIsATypedError() throws {
        let path = Self.temporaryPath("missing.pcap")
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect {
            try LiveCapture.start(interface: "fbl-no-such0", ports: [1935], to: path)
        } throws: { error in
            guard case .unavailable(let interface, _) = error as? LiveCaptureError else { return false }
            return interface == "fbl-no-such0"
        }
    }

    @Test(.enabled(if: geteuid() == 0, "capturing needs CAP_NET_RAW (root)"))
    func aFileThatCannotBeCreatedIsATypedError() throws {
        #expect {
            try LiveCapture.start(interface: "lo", ports: [1935], to: "/nonexistent-folder-of-fallbacklab/run.pcap")
        } throws: { error in
            guard case .file(let path, _) = error as? LiveCaptureError else { return false }
            return path == "/nonexistent-folder-of-fallbacklab/run.pcap"
        }
    }

    /// A live run asked for a capture writes a pcap whose SYNs go to the run's own ports, in which
    /// Wireshark's RTMP dissector finds the client's `connect` and the server's `_result`.
    @Test(.enabled(if: tshark != nil, "needs root (CAP_NET_RAW) and tshark"))
    func aLoopbackRunsCaptureShowsConnectAndResult() async throws {
        let tshark = try #require(Self.tshark)
        let path = Self.temporaryPath("run.pcap")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let scenario = LiveScenario(urls: [try ConnectURL(parsing: "rtmp://media.example.com/live")], firewall: [FirewallRule(ports: [1935], action: .reject)])
        let result = try await LiveRun(
            scenario: scenario, policy: Preset.flashBuiltin.policy, seed: 3, bound: .seconds(30),
            settleLimit: .milliseconds(200), capturePath: path
        ).run()
        #expect(result.winnerLabel == "rtmp:443")
        let summary = try #require(try result.capture?.get())
        #expect(summary.path == path)
        #expect(summary.packets > 10)

        // libpcap's own header: classic pcap, microseconds, Ethernet framing (what `lo` gives on Linux).
        let header = try #require(FileManager.default.contents(atPath: path))
        #expect(header.count > 24)
        #expect(Array(header.prefix(4)) == [0xD4, 0xC3, 0xB2, 0xA1])
        #expect(header[20] == 1)

        // The refused attempt (a SYN answered by a reset) and the winner's connection.
        let syns = try Self.tshark(tshark, ["-r", path, "-Y", "tcp.flags.syn==1 && tcp.flags.ack==0", "-T", "fields", "-e", "tcp.dstport"])
        let ports = Set(syns.split(separator: "\n").compactMap { Int($0) })
        #expect(ports.count >= 2, "\(syns)")
        let resets = try Self.tshark(tshark, ["-r", path, "-Y", "tcp.flags.reset==1", "-T", "fields", "-e", "tcp.srcport"])
        #expect(!resets.isEmpty)

        var arguments = ["-r", path]
        for port in ports.sorted() { arguments += ["-d", "tcp.port==\(port),rtmpt"] }
        arguments += ["-Y", "rtmpt", "-T", "fields", "-e", "amf.string"]
        let strings = try Self.tshark(tshark, arguments)
        #expect(strings.contains("connect,app,live"), "\(strings)")
        #expect(strings.contains("_result"), "\(strings)")
        #expect(strings.contains("NetConnection.Connect.Success"), "\(strings)")
    }

    @Test(.enabled(if: geteuid() == 0, "capturing needs CAP_NET_RAW (root)"))
    func stoppingTwiceGivesTheSameSummary() throws {
        let path = Self.temporaryPath("twice.pcap")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let capture = try LiveCapture.start(interface: "lo", ports: [9], to: path)
        let first = try capture.stop()
        let second = try capture.stop()
        #expect(first == second)
        #expect(first.packets == 0)
        #expect(FileManager.default.fileExists(atPath: path))
    }

    /// A capture nobody stops ends its thread at its limit; `stop` then still closes the file, and
    /// packets after the limit are not in it.
    @Test(.enabled(if: geteuid() == 0, "capturing needs CAP_NET_RAW (root)"))
    func aCaptureEndsOnItsOwnAtItsLimit() async throws {
        let path = Self.temporaryPath("limit.pcap")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let reserved = try ReservedPort()
        let capture = try LiveCapture.start(interface: "lo", ports: [UInt16(reserved.port)], to: path, limit: .milliseconds(50))
        try await Task.sleep(for: .milliseconds(400))
        // A refused connect to the captured port: a SYN and a reset the capture no longer reads.
        let refused = await LiveClient(options: .init(timeout: .seconds(5)))
            .connect(to: try ConnectURL(parsing: "rtmp://127.0.0.1:\(reserved.port)/live"))
        withExtendedLifetime(reserved) {}
        #expect(refused.outcome == .ended(.failed(.refused)))
        let summary = try capture.stop()
        #expect(summary.packets == 0)
    }

    /// Runs tshark to its end (bounded) and returns its standard output.
    static func tshark(_ executable: String, _ arguments: [String]) throws -> String {
        try TestProcess.runBlocking(executable, arguments, limit: .seconds(60)).output
    }
}
