import Connector
import Foundation
import LiveNet
import Testing
import TestSupport

/// `fallback-lab serve --scenario` through the executable: the port lines, a rejected port refusing,
/// a dropped port never answering, an open (time-windowed) port answering our client's connect, and
/// SIGINT ending it with exit 0. And a plain `serve` listening on loopback only.
@Suite("Command line: serve --scenario", .timeLimit(.minutes(5)))
struct ServeScenarioCommandTests {
    static let scenario = """
        name: serve-under-a-firewall
        description: A player pointed at a lab server behind a firewall that resets 1935 and drops 443.
        client:
          url: rtmp://media.example.com/live
        server:
          delay: 5ms
        firewall:
          - port: 1935
            action: reject
          - port: 443
            action: drop
          # Not yet: from an hour after serve started, so 80 is open now, through the routing relay.
          - port: 80
            action: reject
            from: 1h

        """

    /// `port P at 127.0.0.1:L: RULE` lines: scenario port → (local port, rule).
    static func portLines(_ output: String) -> [UInt16: (port: Int, rule: String)] {
        var found: [UInt16: (port: Int, rule: String)] = [:]
        for line in output.split(separator: "\n") where line.hasPrefix("port ") {
            let words = line.split(separator: " ", maxSplits: 3)
            guard words.count == 4, words[2] == "at", let scenarioPort = UInt16(words[1]) else { continue }
            let address = words[3].prefix { $0 != " " }.dropLast()   // 127.0.0.1:L:
            guard address.hasPrefix("127.0.0.1:"), let local = Int(address.dropFirst("127.0.0.1:".count)) else { continue }
            found[scenarioPort] = (local, String(words[3].drop { $0 != " " }.dropFirst()))
        }
        return found
    }

    @Test(.enabled(if: InteropEnvironment.isCI || CommandLineTests.executable != nil, "the fallback-lab executable is not built"))
    func servesTheScenariosFirewallAndStopsOnSIGINT() async throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("fallbacklab-serve-\(UUID().uuidString).yaml")
        try Data(Self.scenario.utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let server = try TestProcess(try CommandLineTests.requireExecutable(), ["serve", "--scenario", file.path])
        var ports: [UInt16: (port: Int, rule: String)] = [:]
        let deadline = ContinuousClock.now + .seconds(45)
        while ContinuousClock.now < deadline, server.isRunning {
            ports = Self.portLines(server.output)
            if ports.count == 3 { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        guard ports.count == 3, let rejected = ports[1935], let dropped = ports[443], let open = ports[80] else {
            await server.stop()
            Issue.record("serve --scenario did not print three port lines:\n\(server.output)")
            return
        }
        #expect(server.output.contains("scenario serve-under-a-firewall: 3 ports on loopback"), "\(server.output)")
        #expect(rejected.rule.hasPrefix("reject: "), "\(rejected.rule)")
        #expect(dropped.rule.hasPrefix("drop: "), "\(dropped.rule)")
        #expect(open.rule.hasPrefix("timed rules"), "\(open.rule)")

        let client = LiveClient(options: .init(timeout: .seconds(20)))
        let refused = await client.connect(to: try ConnectURL(parsing: "rtmp://127.0.0.1:\(rejected.port)/live"))
        #expect(refused.outcome == .ended(.failed(.refused)), "\(refused.summary)")
        let connected = await client.connect(to: try ConnectURL(parsing: "rtmp://127.0.0.1:\(open.port)/live"))
        #expect(connected.succeeded, "\(connected.summary)")
        // The scenario's 5 ms think time before the answer.
        if let handshake = connected.handshakeDone, let result = connected.connectResult {
            #expect(result - handshake >= .milliseconds(5))
        }
        let silent = await LiveClient(options: .init(timeout: .milliseconds(500)))
            .connect(to: try ConnectURL(parsing: "rtmp://127.0.0.1:\(dropped.port)/live"))
        #expect(silent.reason == "timeout", "\(silent.summary)")
        #expect(silent.tcpConnected == nil, "the kernel never answered the SYN: \(silent.summary)")

        #expect(await server.waitForOutput(containing: "connect app=live", timeout: .seconds(10)), "\(server.output)")
        let status = await server.stop(signal: SIGINT, grace: .seconds(10))
        #expect(status == 0, "\(server.output)")
    }

    @Test(.enabled(if: InteropEnvironment.isCI || CommandLineTests.executable != nil, "the fallback-lab executable is not built"))
    func scenarioAndPlainServerOptionsDoNotMix() async throws {
        let mixed = try await CommandLineTests.run(["serve", "--scenario", "Scenarios/open-network.yaml", "--listen", "127.0.0.1:0"])
        #expect(mixed.status == 64, "\(mixed.output)")
        #expect(mixed.output.contains("--listen does not apply with --scenario"), "\(mixed.output)")
    }

    /// A plain `serve` (no --listen) is on 127.0.0.1:1935 and nowhere else: the kernel's listen table
    /// has it on the loopback address only, and a non-loopback address of this host refuses.
    @Test(.enabled(if: InteropEnvironment.isCI || CommandLineTests.executable != nil, "the fallback-lab executable is not built"))
    func aDefaultServeListensOnLoopbackOnly() async throws {
        let server = try TestProcess(try CommandLineTests.requireExecutable(), ["serve"])
        let started = await server.waitForOutput(containing: "listening 127.0.0.1:1935", timeout: .seconds(45))
        guard started else {
            await server.stop()
            // Another peer of the suite may hold 1935; that is not what this test is about.
            try #require(server.output.contains("already in use"), "\(server.output)")
            return
        }
        // Local address column, state 0A (LISTEN): 127.0.0.1:1935 is 0100007F:078F. Read to the end of
        // the table: under the full suite it is several pages long (KernelListenTable.read).
        let listeners = KernelListenTable.listeners(port: 1935)
        #expect(listeners.contains("0100007F:078F"), "\(listeners)")
        #expect(!listeners.contains("00000000:078F"), "\(listeners)")
        #expect(!listeners.contains { $0.hasPrefix("00000000000000000000000000000000:") }, "\(listeners)")
        if let address = Self.nonLoopbackIPv4() {
            let result = await LiveClient(options: .init(timeout: .seconds(5)))
                .connect(to: try ConnectURL(parsing: "rtmp://\(address):1935/live"))
            #expect(result.outcome == .ended(.failed(.refused)), "\(address): \(result.summary)")
        }
        let status = await server.stop(signal: SIGINT, grace: .seconds(10))
        #expect(status == 0, "\(server.output)")
    }

    /// An IPv4 address of this host that is not loopback, if it has one.
    static func nonLoopbackIPv4() -> String? {
        var list: UnsafeMutablePointer<ifaddrs>?
        guard getifaddrs(&list) == 0, let first = list else { return nil }
        defer { freeifaddrs(list) }
        var cursor: UnsafeMutablePointer<ifaddrs>? = first
        while let entry = cursor {
            defer { cursor = entry.pointee.ifa_next }
            guard let socketAddress = entry.pointee.ifa_addr, socketAddress.pointee.sa_family == sa_family_t(AF_INET) else { continue }
            let address = socketAddress.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { $0.pointee.sin_addr }
            let value = UInt32(bigEndian: address.s_addr)
            guard value >> 24 != 127 else { continue }
            return "\(value >> 24).\((value >> 16) & 0xFF).\((value >> 8) & 0xFF).\(value & 0xFF)"
        }
        return nil
    }
}
