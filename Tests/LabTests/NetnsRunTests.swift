import Connector
import Foundation
@testable import LiveNet
import Testing

@testable import Lab
import TestSupport

/// `run --network netns`: shipped short scenarios in a private namespace per run, with the kernel's
/// nftables doing the drops and resets, against the simulation; and the host's network left alone.
///
/// The timing check here is only a sanity bound, max(1 s, 25 %): these run by default while every
/// other suite loads the 2-core machine (a worker's handshakes then took up to 200 ms longer than
/// simulated), and what it must catch is a gross error — an OS timeout (21 s) instead of a policy
/// timeout or a reset. The tight max(15 ms, 10 %) comparison is the gated netns calibration test's.
@Suite(
    "netns runs", .serialized, .timeLimit(.minutes(5)),
    .enabled(if: NetnsGate.available, "needs root and unshare, ip, nft (NetnsGate)"))
struct NetnsRunTests {
    static let scenarios = FixtureSupport.packageRoot.appendingPathComponent("Scenarios")

    /// A time window as a fixture: 1935 answers ICMP port unreachable; 443 and 80 reset new
    /// connections from 300 ms to 10 s.
    static let windowScenario = """
        name: netns-window
        description: 1935 answers ICMP port unreachable; from 300 ms on 443 and 80 reset new connections.
        client:
          url: rtmp://media.example.com/live
          os: windows
        firewall:
          - port: 1935
            action: reject-icmp
          - ports: [443, 80]
            action: reject
            from: 300ms
            until: 10s
        """

    static func temporaryFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("netns-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    /// Runs `file` × `policies` simulated and in namespaces; requires the same outcome and winner, and
    /// times within the sanity bound.
    static func compare(_ file: String, policies: [String]) async throws {
        let scenario = try ScenarioLoader.load(path: file)
        let planned = try LabRunner.plan([scenario], options: RunOptions(policies: policies, jobs: 1, recordPackets: false))
        let simulated = await LabRunner.run(planned)
        guard let host = NamespaceLauncher.currentNamespace() else {
            Issue.record("cannot read /proc/self/ns/net")
            return
        }
        let live = await LabRunner.runOnLiveNetwork(
            planned, network: .netns(NamespaceLauncher(executable: InterruptTests.executable.path), hostNamespace: host),
            bound: .seconds(30), capture: false) { _ in }
        #expect(simulated.records.count == policies.count)
        for (sim, netns) in zip(simulated.records, live.records) {
            #expect(netns.network == .netns)
            let expected = try #require(try? sim.measurement.get(), "\(sim.policy): simulation errored")
            guard case .success(let measured) = netns.measurement else {
                Issue.record("\(netns.policy): \(netns.measurement)")
                continue
            }
            #expect(measured.timeline.outcome == expected.timeline.outcome, "\(netns.policy)")
            #expect(measured.winner == expected.winner, "\(netns.policy)")
            let simTime = try #require(expected.timeline.finishedAt)
            let liveTime = try #require(measured.timeline.finishedAt)
            let slack = max(.seconds(1), simTime * 0.25)
            let difference = liveTime > simTime ? liveTime - simTime : simTime - liveTime
            #expect(difference <= slack, "\(netns.policy): netns \(liveTime), simulated \(simTime)")
            // A player that plays: the first frame comes on both networks, or on neither.
            #expect((measured.timeline.timeToFirstFrame == nil) == (expected.timeline.timeToFirstFrame == nil), "\(netns.policy)")
            if let simFrame = expected.timeline.timeToFirstFrame, let liveFrame = measured.timeline.timeToFirstFrame {
                let frameDifference = liveFrame > simFrame ? liveFrame - simFrame : simFrame - liveFrame
                #expect(frameDifference <= max(.seconds(1), simFrame * 0.25), "\(netns.policy): first frame netns \(liveFrame), simulated \(simFrame)")
            }
            #expect((measured.timeline.reconnectSwitchTime == nil) == (expected.timeline.reconnectSwitchTime == nil), "\(netns.policy)")
            if let simSwitch = expected.timeline.reconnectSwitchTime, let liveSwitch = measured.timeline.reconnectSwitchTime {
                let switchDifference = liveSwitch > simSwitch ? liveSwitch - simSwitch : simSwitch - liveSwitch
                #expect(switchDifference <= max(.seconds(1), simSwitch * 0.25), "\(netns.policy): reconnect netns \(liveSwitch), simulated \(simSwitch)")
            }
        }
    }

    @Test("a player that plays: the first frame over RTMP and RTMPT in the namespace")
    func firstFrame() async throws {
        try await Self.compare(
            Self.scenarios.appendingPathComponent("first-frame-rtmp-vs-rtmpt.yaml").path,
            policies: ["rtmp-only", "rtmpt-only"])
    }

    @Test("port 1935 reset by nftables: the same winners as the simulation")
    func rejected() async throws {
        try await Self.compare(
            Self.scenarios.appendingPathComponent("port-1935-rejected.yaml").path,
            policies: ["flash-builtin", "happy-eyeballs", "akamai"])
    }

    @Test("port 1935 dropped by nftables, policies whose own timeouts are short")
    func dropped() async throws {
        try await Self.compare(
            Self.scenarios.appendingPathComponent("port-1935-dropped.yaml").path,
            policies: ["happy-eyeballs", "ncmanager-flex", "flowplayer"])
    }

    @Test("http-only on 80 through the redirected transparent proxy; 1935 and 443 dropped")
    func transparentProxy() async throws {
        try await Self.compare(
            Self.scenarios.appendingPathComponent("transparent-proxy-80-error.yaml").path,
            policies: ["flowplayer", "akamai"])
    }

    @Test("a reconnect request: the capable player follows it, the other loses its stream and reconnects")
    func reconnectRequest() async throws {
        try await Self.compare(
            Self.scenarios.appendingPathComponent("reconnect-request.yaml").path, policies: ["capable", "incapable"])
    }

    @Test("a time window is a rule change at its moment; reject-icmp is a real ICMP error")
    func timeWindow() async throws {
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("netns-window.yaml")
        try Self.windowScenario.write(to: file, atomically: true, encoding: .utf8)
        // flash reaches 443 before the window opens; flowplayer's tunnel starts at 250 ms, inside
        // it; FLVPlayback's at 1.5 s meets the reset and the run fails.
        try await Self.compare(file.path, policies: ["flash-builtin", "flowplayer", "ncmanager-flvplayback"])
    }

    @Test("blackhole: 1935 redirected to the relay that accepts and never answers")
    func blackhole() async throws {
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("netns-blackhole.yaml")
        try """
            name: netns-blackhole
            description: 1935 accepts and never answers; 443 and 80 are open.
            client:
              url: rtmp://media.example.com/live
              os: windows
            firewall:
              - port: 1935
                action: blackhole
            """.write(to: file, atomically: true, encoding: .utf8)
        try await Self.compare(file.path, policies: ["happy-eyeballs", "akamai"])
    }

    /// The packets of a pcapng file (as the per-packet link writes it: bare IPv4, little-endian):
    /// each one's bytes and its comment, if any.
    static func packets(inPcapng bytes: [UInt8]) -> [(packet: ArraySlice<UInt8>, comment: String?)] {
        func u32(_ at: Int) -> Int {
            Int(bytes[at]) | Int(bytes[at + 1]) << 8 | Int(bytes[at + 2]) << 16 | Int(bytes[at + 3]) << 24
        }
        var found: [(ArraySlice<UInt8>, String?)] = []
        var offset = 0
        while offset + 12 <= bytes.count {
            let type = u32(offset)
            let total = u32(offset + 4)
            guard total >= 12, offset + total <= bytes.count else { break }
            if type == 6 {
                let length = u32(offset + 20)
                let data = offset + 28
                let packet = bytes[data..<(data + length)]
                var comment: String?
                var option = data + (length + 3) / 4 * 4
                while option + 4 <= offset + total - 4 {
                    let code = Int(bytes[option]) | Int(bytes[option + 1]) << 8
                    let size = Int(bytes[option + 2]) | Int(bytes[option + 3]) << 8
                    if code == 0 { break }
                    if code == 1 { comment = String(decoding: bytes[(option + 4)..<(option + 4 + size)], as: UTF8.self) }
                    option += 4 + (size + 3) / 4 * 4
                }
                found.append((packet, comment))
            }
            offset += total
        }
        return found
    }

    /// The destination ports of the SYNs (without ACK) in a capture of bare IPv4 packets.
    static func synPorts(inCapture bytes: [UInt8]) -> [UInt16] {
        packets(inPcapng: bytes).compactMap { packet, _ in
            let ip = packet.startIndex
            guard packet.count >= 40, packet[ip] >> 4 == 4, packet[ip + 9] == 6 else { return nil }
            let tcp = ip + Int(packet[ip] & 0x0F) * 4
            guard tcp + 14 <= packet.endIndex, packet[tcp + 13] & 0x12 == 0x02 else { return nil }
            return UInt16(packet[tcp + 2]) << 8 | UInt16(packet[tcp + 3])
        }
    }

    @Test("a netns run's capture holds the SYN nftables dropped at 1935, and the winner's connections")
    func capture() async throws {
        let scenario = try ScenarioLoader.load(path: Self.scenarios.appendingPathComponent("port-1935-dropped.yaml").path)
        let planned = try LabRunner.plan([scenario], options: RunOptions(policies: ["happy-eyeballs"], jobs: 1))
        let host = try #require(NamespaceLauncher.currentNamespace())
        let results = await LabRunner.runOnLiveNetwork(
            planned, network: .netns(NamespaceLauncher(executable: InterruptTests.executable.path), hostNamespace: host),
            bound: .seconds(30), capture: true) { _ in }
        let record = try #require(results.records.first)
        guard case .success(let measured) = record.measurement else {
            Issue.record("\(record.measurement)")
            return
        }
        guard let bytes = measured.capture else {
            // A machine without CAP_NET_RAW: the run says why, once.
            Issue.record("no capture: \(measured.captureFailure ?? "no reason given")")
            return
        }
        let syns = Self.synPorts(inCapture: bytes)
        // The capture is of the server's end of the per-packet link: the SYN arrives there before
        // nftables drops it, and the winner's SYN to its own port crossed the link too.
        #expect(syns.contains(1935), "\(syns)")
        let winner = try #require(measured.winner.map { UInt16(clamping: $0.port) })
        #expect(syns.contains(winner), "\(syns)")
    }

    @Test(
        "a 2 % loss link at 20 ms: the link's capture marks the packets it lost and tshark finds the kernel's retransmissions",
        .enabled(if: NetnsGate.tool("tshark") != nil, "tshark is not installed"))
    func lostPacketsAndRetransmissionsInTheCapture() async throws {
        let results = try await Self.runInNamespaces(yaml: """
            name: loss-2-percent
            description: 2 % loss at 20 ms.
            client:
              url: rtmp://media.example.com/live
              os: linux
            network:
              latency: 20ms
              loss: 2%
            repeat: 20
            policies: [flash-builtin]
            """, capture: true)
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let tshark = try #require(NetnsGate.tool("tshark"))
        var lost = 0
        var retransmitted = 0
        for record in results.records {
            let measured = try #require(try? record.measurement.get(), "\(record.measurement)")
            #expect(measured.timeline.outcome == .connected)
            let bytes = try #require(measured.capture, "no capture: \(measured.captureFailure ?? "")")
            let packets = Self.packets(inPcapng: bytes)
            #expect(packets.count >= 10)
            let marked = packets.filter { $0.comment?.hasPrefix("lost by the link") == true }.count
            guard marked > 0 else { continue }
            lost += marked
            let path = folder.appendingPathComponent("run-\(record.repetition).pcapng").path
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            // tshark reads our pcapng; its TCP analysis sees each segment once (at the end it left from).
            let flagged = try TestProcess.runBlocking(tshark, ["-r", path, "-Y", "tcp.analysis.retransmission", "-T", "fields", "-e", "frame.number"])
            #expect(flagged.status == 0, "\(flagged.output)")
            retransmitted += flagged.output.split(separator: "\n").count
        }
        // The link's draws come from the runs' seeds, so the same packets are lost each time the
        // kernels send the same sequence; a lost pure ACK is not retransmitted, a data segment is.
        #expect(lost > 0)
        #expect(retransmitted > 0, "\(lost) packets lost, no retransmission found")
    }

    /// What the host's network looks like, read only.
    static func hostSnapshot() async throws -> [String] {
        var snapshot: [String] = []
        for command in [["nft", "list", "ruleset"], ["ip", "netns", "list"], ["ip", "-o", "link"]] {
            let run = try await TestProcess.run(try #require(NetnsGate.tool(command[0])), Array(command.dropFirst()))
            snapshot.append(command.joined(separator: " ") + "\n" + run.output)
        }
        return snapshot
    }

    @Test("a netns run leaves the host's ruleset, namespaces and links as they were")
    func hostUntouched() async throws {
        let before = try await Self.hostSnapshot()
        try await Self.compare(
            Self.scenarios.appendingPathComponent("transparent-proxy-80-error.yaml").path, policies: ["flowplayer"])
        let after = try await Self.hostSnapshot()
        #expect(before == after)
    }

    /// Runs a scenario file in namespaces, one run at a time: its policies, then its external client.
    static func runInNamespaces(path: String, capture: Bool = false) async throws -> RunResults {
        let planned = try LabRunner.plan([try ScenarioLoader.load(path: path)], options: RunOptions(jobs: 1, recordPackets: false))
        let host = try #require(NamespaceLauncher.currentNamespace())
        return await LabRunner.runOnLiveNetwork(
            planned, network: .netns(NamespaceLauncher(executable: InterruptTests.executable.path), hostNamespace: host),
            bound: .seconds(30), capture: capture) { _ in }
    }

    /// The same for a scenario written here, from a temporary file.
    static func runInNamespaces(yaml: String, capture: Bool = false) async throws -> RunResults {
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("scenario.yaml")
        try yaml.write(to: file, atomically: true, encoding: .utf8)
        return try await runInNamespaces(path: file.path, capture: capture)
    }

    /// Runs a shipped scenario with an external client in namespaces: its policies, then the client.
    static func external(_ name: String) async throws -> RunResults {
        try await runInNamespaces(path: Self.scenarios.appendingPathComponent("\(name).yaml").path)
    }

    @Test(
        "ffmpeg given the URL as written: its host resolves inside the namespace, 1935's SYN goes unanswered",
        .enabled(if: NetnsGate.tool("ffmpeg") != nil, "ffmpeg is not installed"))
    func externalClientUnderADroppedPort() async throws {
        let hosts = try String(contentsOfFile: "/etc/hosts", encoding: .utf8)
        let results = try await Self.external("external-ffmpeg-1935-dropped")
        let client = try #require(results.records.first { $0.policy == "external:ffmpeg" })
        #expect(client.network == .netns)
        let external = try #require(client.external, "\(client.measurement)")
        #expect(external.clientURL == "rtmp://media.example.com/live/stream")
        #expect(external.process.arguments.contains("rtmp://media.example.com/live/stream"))
        #expect(external.timeToConnect == nil)
        #expect(external.connections.isEmpty)
        #expect(!external.unanswered.isEmpty)
        #expect(external.unanswered.allSatisfy { $0.port == 1935 })
        // The policy beside it still tunnels out on 80.
        let flowplayer = try #require(results.records.first { $0.policy == "flowplayer" })
        #expect((try? flowplayer.measurement.get())?.winner?.description == "rtmpt:80")
        // The namespace's hosts file never reached the host's.
        #expect(try String(contentsOfFile: "/etc/hosts", encoding: .utf8) == hosts)
    }

    @Test(
        "ffmpeg on an open network connects to the real port 1935",
        .enabled(if: NetnsGate.tool("ffmpeg") != nil, "ffmpeg is not installed"))
    func externalClientConnects() async throws {
        let results = try await Self.external("external-ffmpeg-open-network")
        let client = try #require(results.records.first { $0.policy == "external:ffmpeg" })
        let external = try #require(client.external, "\(client.measurement)")
        let connected = try #require(external.timeToConnect)
        #expect(connected > .zero && connected < .seconds(10))
        #expect(external.connections.first?.port == 1935)
    }

    @Test(
        "ffmpeg behind the per-packet link: 150 ms each way, 256 kbit/s, 2 % loss; its handshake crosses them",
        .enabled(if: NetnsGate.tool("ffmpeg") != nil, "ffmpeg is not installed"))
    func externalClientOverAnImpairedLink() async throws {
        let results = try await Self.runInNamespaces(yaml: """
            name: ffmpeg-impaired
            description: ffmpeg over a slow, narrow, lossy link.
            client:
              url: rtmp://media.example.com/live/stream
              os: linux
              command: "ffmpeg -hide_banner -nostdin -rw_timeout 3000000 -i {url} -t 1 -f null -"
              timeout: 20s
            network:
              latency: 150ms
              bandwidth: 256kbit
              loss: 2%
            policies: [flash-builtin]
            """)
        let client = try #require(results.records.first { $0.policy == "external:ffmpeg" })
        let external = try #require(client.external, "\(client.measurement)")
        #expect(external.process.arguments.first?.hasSuffix("nsenter") == true)
        let connection = try #require(external.connections.first, "\(external)")
        #expect(connection.port == 1935)
        // From the accept: S0+S1+S2 out (3,073 bytes: 96 ms at 256 kbit/s) and C2 back, so at least a
        // 300 ms round trip and that serialisation before the RTMP handshake is done; connect after.
        let connected = try #require(external.timeToConnect, "\(external)")
        let handshake = try #require(connection.handshakeDone)
        #expect(handshake - connection.accepted >= .milliseconds(300 + 96), "\(external)")
        #expect(connected >= handshake, "\(external)")
        #expect(connected < .seconds(15), "\(external)")
        // A SYN that was answered across the latency is not reported as unanswered.
        #expect(external.unanswered.isEmpty, "\(external.unanswered)")
    }

    @Test("without namespaces the run stops before anything runs: the cause, exit 70, no report")
    func unavailableNamespacesStopTheRun() async throws {
        // Inside a user namespace where we are an unmapped user, no further namespace can be made
        // (writing the new namespace's uid map is not permitted): what a machine without
        // unprivileged user namespaces looks like to a non-root user.
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let out = folder.appendingPathComponent("report")
        let run = try await TestProcess.run(try #require(NetnsGate.tool("unshare")), [
            "--user", InterruptTests.executable.path, "run", "--network", "netns",
            Self.scenarios.appendingPathComponent("port-1935-rejected.yaml").path, "--out", out.path,
        ])
        if run.status != 70 && run.errors.hasPrefix("unshare:") {
            print("skipped: this machine cannot make the outer user namespace either: \(run.errors)")
            return
        }
        #expect(run.status == 70, "\(run.errors)")
        #expect(run.errors.contains("network namespaces are not available"), "\(run.errors)")
        #expect(run.errors.contains("allow unprivileged user namespaces"), "\(run.errors)")
        #expect(!FileManager.default.fileExists(atPath: out.path))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
    }

    @Test("the worker refuses to install rules in the namespace it was launched from")
    func workerRefusesHostNamespace() async throws {
        let host = try #require(NamespaceLauncher.currentNamespace())
        let before = try await Self.hostSnapshot()
        let request = NamespaceRunRequest(
            file: Self.scenarios.appendingPathComponent("port-1935-rejected.yaml").path, scenario: "port-1935-rejected",
            policy: "flash-builtin", seed: 1, bound: .seconds(5), hostNamespace: host)
        let run = try await TestProcess.run(InterruptTests.executable.path, request.arguments)
        #expect(run.status == 1)
        #expect(run.errors.contains("refusing to install firewall rules"), "\(run.errors)")
        #expect(try await Self.hostSnapshot() == before)
    }
}
