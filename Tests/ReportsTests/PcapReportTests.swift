import Foundation
import Testing
import TestSupport
import Connector
@testable import Reports

@Suite("pcap captures")
struct PcapReportTests {
    static let sessionID = "0123456789abcdef"

    /// A direct RTMP exchange on 1935: TCP handshake, C0+C1, S0+S1+S2, C2 + connect, `_result`.
    static var rtmpPackets: [PacketRecord] {
        var tcp = TCPConversation(
            client: ReportFixtures.client, clientPort: 50_200, server: ReportFixtures.server, serverPort: 1935,
            start: .zero)
        tcp.open(rtt: .milliseconds(80))
        let c1 = WireBytes.handshakeBlock(seed: 1, version: [9, 0, 0x7C, 2])
        let s1 = WireBytes.handshakeBlock(seed: 2, version: [13, 14, 10, 13])
        tcp.send(fromClient: true, [3] + c1, after: .milliseconds(1))
        tcp.send(fromClient: false, [3] + s1 + c1, after: .milliseconds(40))
        tcp.send(fromClient: true, s1 + WireBytes.connectCommand, after: .milliseconds(40))
        tcp.send(fromClient: false, WireBytes.connectResult, after: .milliseconds(50))
        return tcp.records
    }

    /// The same exchange tunnelled through RTMPT on port 80: open, two sends, an idle poll.
    static var rtmptPackets: [PacketRecord] {
        var tcp = TCPConversation(
            client: ReportFixtures.client, clientPort: 50_300, server: ReportFixtures.server, serverPort: 80,
            start: .milliseconds(250))
        tcp.open(rtt: .milliseconds(80))
        let c1 = WireBytes.handshakeBlock(seed: 3, version: [9, 0, 0x7C, 2])
        let s1 = WireBytes.handshakeBlock(seed: 4, version: [13, 14, 10, 13])
        tcp.send(fromClient: true, WireBytes.httpPost("/open/1", body: [0]), after: .milliseconds(1))
        tcp.send(fromClient: false, WireBytes.httpResponse(body: Array((sessionID + "\n").utf8)), after: .milliseconds(40))
        tcp.send(fromClient: true, WireBytes.httpPost("/send/\(sessionID)/0", body: [3] + c1), after: .milliseconds(40))
        tcp.send(fromClient: false, WireBytes.httpResponse(body: [1, 3] + s1 + c1), after: .milliseconds(40))
        tcp.send(
            fromClient: true, WireBytes.httpPost("/send/\(sessionID)/1", body: s1 + WireBytes.connectCommand),
            after: .milliseconds(40))
        tcp.send(fromClient: false, WireBytes.httpResponse(body: [1] + WireBytes.connectResult), after: .milliseconds(50))
        tcp.send(fromClient: true, WireBytes.httpPost("/idle/\(sessionID)/2", body: [0]), after: .milliseconds(40))
        tcp.send(fromClient: false, WireBytes.httpResponse(body: [1]), after: .milliseconds(40))
        return tcp.records
    }

    /// A SYN to 443 answered by an ICMP port unreachable from the router (`reject-icmp`).
    static var icmpPackets: [PacketRecord] {
        let syn = TCPSegmentRecord(
            at: .zero, source: ReportFixtures.client, sourcePort: 50_400, destination: ReportFixtures.server,
            destinationPort: 443, sequence: 77, flags: .syn, window: 64240)
        return [
            .tcp(syn),
            .icmp(ICMPRecord(
                at: .milliseconds(20), source: ReportFixtures.router, destination: ReportFixtures.client,
                code: .portUnreachable, original: syn)),
        ]
    }

    static func run(_ policy: String, _ packets: [PacketRecord]) -> RunReport {
        RunReport(
            policy: policy, seed: 1, result: .connected(winner: policy, after: .milliseconds(211)), attempts: [],
            cost: ServerCost(connectionsAccepted: 1, handshakesCompleted: 1, wastedConnections: 0), packets: packets)
    }

    static var input: ReportInput {
        ReportInput(scenarios: [
            ScenarioReport(name: "wire", runs: [
                run("rtmp:1935", rtmpPackets), run("rtmpt:80", rtmptPackets), run("reject-icmp", icmpPackets),
            ]),
        ])
    }

    /// Writes the captures through the public writer and returns the folder holding them.
    static func writeCaptures() throws -> (TemporaryFolder, String) {
        let folder = try TemporaryFolder()
        let out = folder.path("report")
        try ReportWriter(formats: [.pcap]).write(input, to: out)
        return (folder, out + "/pcap")
    }

    /// The name this tshark gives AMF strings: `amf.string`, or `rtmpt.amf.string` in older builds.
    static func amfStringField(_ tshark: String) throws -> String {
        let fields = try Tool.run(tshark, ["-G", "fields"]).output
        return fields.contains("\tamf.string\t") ? "amf.string" : "rtmpt.amf.string"
    }

    @Test func checksumsVerify() throws {
        let segment = TCPSegmentRecord(
            at: .zero, source: ReportFixtures.client, sourcePort: 50_000, destination: ReportFixtures.server,
            destinationPort: 1935, sequence: 1, acknowledgement: 2, flags: [.psh, .ack], payload: [1, 2, 3])
        let frame = try #require(EthernetFrame.tcp(segment, identification: 9))
        #expect(frame.count == 14 + 20 + 20 + 3)
        // A header whose checksum is right sums to zero (RFC 1071).
        #expect(EthernetFrame.internetChecksum(Array(frame[14..<34])) == 0)
        let pseudo = ReportFixtures.client.octets + ReportFixtures.server.octets + [0, 6, 0, 23]
        #expect(EthernetFrame.internetChecksum(pseudo + Array(frame[34...])) == 0)
        #expect(Array(frame[0..<6]) == [2, 0, 203, 0, 113, 10])
    }

    @Test func oversizedPayloadIsATypedError() {
        let segment = TCPSegmentRecord(
            at: .zero, source: ReportFixtures.client, sourcePort: 1, destination: ReportFixtures.server,
            destinationPort: 2, sequence: 0, flags: .ack, payload: Array(repeating: 0, count: 70_000))
        #expect(throws: ReportError.packetTooLarge(run: "r", payloadBytes: 70_000)) {
            try PcapFile.frames([.tcp(segment)], run: "r")
        }
    }

    @Test func capturesAreDeterministic() throws {
        let (first, firstFolder) = try Self.writeCaptures()
        let (second, secondFolder) = try Self.writeCaptures()
        for name in try FileManager.default.contentsOfDirectory(atPath: firstFolder) {
            let a = try Data(contentsOf: URL(fileURLWithPath: firstFolder + "/" + name))
            let b = try Data(contentsOf: URL(fileURLWithPath: secondFolder + "/" + name))
            #expect(a == b, "\(name) differs between two writes")
            // Classic pcap magic (microsecond timestamps), link type 1 (Ethernet).
            #expect(Array(a.prefix(4)) == [0xD4, 0xC3, 0xB2, 0xA1])
            #expect(a[20] == 1)
        }
        withExtendedLifetime((first, second)) {}  // keeps both captures on disk until here
    }

    @Test(.enabled(if: Tool.runnable("tshark"), "tshark is not installed: cannot check that captures dissect"))
    func tsharkFindsTheRTMPConnectAndItsResult() throws {
        let tshark = try #require(Tool.path("tshark"), "tshark (package tshark) is required in CI")
        let (folder, pcaps) = try Self.writeCaptures()
        let file = pcaps + "/wire--rtmp-1935--r1.pcap"
        let field = try Self.amfStringField(tshark)
        let result = try Tool.run(tshark, ["-r", file, "-Y", "rtmpt", "-T", "fields", "-e", field])
        #expect(result.status == 0, "tshark: \(result.errors)")
        let strings = result.output.split(whereSeparator: { $0 == "\n" || $0 == "," }).map(String.init)
        #expect(strings.contains("connect"))
        #expect(strings.contains("_result"))
        #expect(strings.contains("NetConnection.Connect.Success"))
        let info = try Tool.run(tshark, ["-r", file, "-Y", "rtmpt", "-T", "fields", "-e", "_ws.col.Info"]).output
        #expect(info.contains("connect('live')"))
        #expect(info.contains("_result('NetConnection.Connect.Success')"))
        // tshark pairs the `_result` with its `connect` by transaction id (in two passes): the
        // connect in frame 10 names its response's frame, 11.
        let pairing = try Tool.run(tshark, [
            "-2", "-r", file, "-Y", "rtmpt.function.call", "-T", "fields", "-e", "frame.number", "-e", "rtmpt.function.call",
        ])
        #expect(pairing.output.trimmingCharacters(in: .whitespacesAndNewlines) == "10\t11")
        withExtendedLifetime(folder) {}  // keeps the captures on disk until here
    }

    @Test(.enabled(if: Tool.runnable("tshark"), "tshark is not installed: cannot check that captures dissect"))
    func tsharkFindsTheRTMPTTunnelRequests() throws {
        let tshark = try #require(Tool.path("tshark"), "tshark (package tshark) is required in CI")
        let (folder, pcaps) = try Self.writeCaptures()
        let file = pcaps + "/wire--rtmpt-80--r1.pcap"
        let requests = try Tool.run(tshark, ["-r", file, "-Y", "http.request", "-T", "fields", "-e", "http.request.uri"])
        #expect(requests.status == 0, "tshark: \(requests.errors)")
        #expect(requests.output.split(separator: "\n").map(String.init) == [
            "/open/1", "/send/\(Self.sessionID)/0", "/send/\(Self.sessionID)/1", "/idle/\(Self.sessionID)/2",
        ])
        let field = try Self.amfStringField(tshark)
        let amf = try Tool.run(tshark, ["-r", file, "-Y", "rtmpt", "-T", "fields", "-e", field])
        let strings = amf.output.split(whereSeparator: { $0 == "\n" || $0 == "," }).map(String.init)
        #expect(strings.contains("connect"))
        #expect(strings.contains("_result"))
        withExtendedLifetime(folder) {}  // keeps the captures on disk until here
    }

    @Test(.enabled(if: Tool.runnable("tshark"), "tshark is not installed: cannot check that captures dissect"))
    func tsharkAgreesWithEveryChecksumAndReadsTheICMP() throws {
        let tshark = try #require(Tool.path("tshark"), "tshark (package tshark) is required in CI")
        let (folder, pcaps) = try Self.writeCaptures()
        for name in try FileManager.default.contentsOfDirectory(atPath: pcaps) {
            let result = try Tool.run(tshark, [
                "-r", pcaps + "/" + name, "-o", "ip.check_checksum:TRUE", "-o", "tcp.check_checksum:TRUE",
                "-T", "fields", "-e", "ip.checksum.status", "-e", "tcp.checksum.status",
            ])
            #expect(result.status == 0, "tshark: \(result.errors)")
            for line in result.output.split(separator: "\n") {
                // 1 = Good; an ICMP frame lists its quoted IP header's status too.
                #expect(line.split(whereSeparator: { $0 == "\t" || $0 == "," }).allSatisfy { $0 == "1" || $0 == "2" },
                        "\(name): checksum status \(line)")
            }
        }
        let icmp = try Tool.run(tshark, [
            "-r", pcaps + "/wire--reject-icmp--r1.pcap", "-Y", "icmp", "-T", "fields", "-e", "icmp.type", "-e", "icmp.code",
            "-e", "frame.time_relative",
        ])
        #expect(icmp.output.trimmingCharacters(in: .whitespacesAndNewlines) == "3\t3\t0.020000000")
        withExtendedLifetime(folder) {}  // keeps the captures on disk until here
    }
}

@Suite("pcap frame order")
struct PcapOrderTests {
    @Test func framesAreWrittenInTimeOrderTiesInTraceOrder() throws {
        func syn(_ port: UInt16, at milliseconds: Int64) -> PacketRecord {
            .tcp(TCPSegmentRecord(
                at: .milliseconds(milliseconds), source: ReportFixtures.client, sourcePort: port,
                destination: ReportFixtures.server, destinationPort: 1935, sequence: 0, flags: .syn))
        }
        let frames = try PcapFile.frames([syn(1, at: 30), syn(2, at: 10), syn(3, at: 30), syn(4, at: 20)], run: "r")
        #expect(frames.map(\.at) == [.milliseconds(10), .milliseconds(20), .milliseconds(30), .milliseconds(30)])
        // The source port is at byte 34 of the frame (14 Ethernet + 20 IPv4).
        #expect(frames.map { $0.bytes[35] } == [2, 4, 1, 3])
    }
}
