import Connector
import Reports

/// Fixed report inputs shared by the golden, escaping and rendering tests.
enum ReportFixtures {
    static let client = PacketRecord.Address(10, 0, 0, 2)
    static let server = PacketRecord.Address(203, 0, 113, 10)
    static let router = PacketRecord.Address(10, 0, 0, 1)

    static func ms(_ value: Int64) -> Duration { .milliseconds(value) }

    /// A corporate firewall (1935 dropped, 443 rejected, 80 behind a transparent proxy) under three
    /// policies, and a hostile scenario whose names try to break every format.
    static var input: ReportInput {
        ReportInput(title: "FallbackLab", generatedAt: "seed 1", scenarios: [corporate, hostile])
    }

    static var corporate: ScenarioReport {
        var dropped = TCPConversation(client: client, clientPort: 50_001, server: server, serverPort: 1935, start: .zero)
        dropped.unansweredSYN(after: .zero)
        dropped.unansweredSYN(after: .seconds(3))
        dropped.unansweredSYN(after: .seconds(6))
        var rejected = TCPConversation(client: client, clientPort: 50_002, server: server, serverPort: 443, start: .seconds(21))
        rejected.refused(rtt: ms(80))
        let flash = RunReport(
            policy: "flash-builtin", seed: 1,
            result: .connected(winner: "rtmpt:80", after: .milliseconds(21_730)),
            attempts: [
                AttemptReport(
                    id: 1, candidate: "rtmp:1935", startedAt: .zero,
                    synRetransmissions: [.seconds(3), .seconds(9)], ending: .timeout, timeoutOwner: .os, endedAt: .seconds(21)),
                AttemptReport(id: 2, candidate: "rtmp:443", startedAt: .seconds(21), ending: .refused, endedAt: ms(21_080)),
                AttemptReport(
                    id: 3, candidate: "rtmp:80", startedAt: ms(21_080), phases: [.tcpConnected: ms(21_160)],
                    ending: .proxyError, detail: "400 Bad Request", endedAt: ms(21_240)),
                AttemptReport(
                    id: 4, candidate: "rtmpt:80", startedAt: ms(21_240),
                    phases: [
                        .tcpConnected: ms(21_320), .tunnelOpened: ms(21_400),
                        .handshakeDone: ms(21_560), .connectResult: ms(21_730),
                    ],
                    ending: .won, endedAt: ms(21_730)),
            ],
            cost: ServerCost(connectionsAccepted: 1, handshakesCompleted: 1, wastedConnections: 0),
            oracle: OracleResult(candidate: "rtmpt:80", timeToConnect: ms(490)),
            expectations: [
                ExpectationResult(
                    description: "flash-builtin: connected within 30s", passed: true,
                    detail: "connected after 21730.000 ms via rtmpt:80"),
            ],
            networkEvents: [
                NetworkEvent(at: .zero, actor: .firewall, attempt: 1, action: "drop", detail: "SYN to 1935 dropped (rule 1)"),
                NetworkEvent(at: .seconds(3), actor: .firewall, attempt: 1, action: "drop", detail: "SYN to 1935 dropped (rule 1)"),
                NetworkEvent(at: .seconds(9), actor: .firewall, attempt: 1, action: "drop", detail: "SYN to 1935 dropped (rule 1)"),
                NetworkEvent(at: ms(21_040), actor: .firewall, attempt: 2, action: "reject", detail: "RST for 443 (rule 2)"),
                NetworkEvent(at: ms(21_200), actor: .proxy, attempt: 3, action: "400", detail: "non-HTTP bytes on port 80"),
            ],
            packets: dropped.records + rejected.records)
        let flowplayer = RunReport(
            policy: "flowplayer", seed: 1,
            result: .connected(winner: "rtmpt:80", after: ms(740)),
            attempts: [
                AttemptReport(id: 1, candidate: "rtmp:1935", startedAt: .zero, ending: .cancelled, detail: "loser", endedAt: ms(740)),
                AttemptReport(
                    id: 2, candidate: "rtmpt:80", startedAt: ms(250),
                    phases: [
                        .tcpConnected: ms(330), .tunnelOpened: ms(410),
                        .handshakeDone: ms(570), .connectResult: ms(740),
                    ],
                    ending: .won, endedAt: ms(740)),
            ],
            cost: ServerCost(connectionsAccepted: 1, handshakesCompleted: 1, wastedConnections: 0, peakConnections: 1, peakHandshakes: 1),
            oracle: OracleResult(candidate: "rtmpt:80", timeToConnect: ms(490)),
            expectations: [
                ExpectationResult(
                    description: "flowplayer: connected within 1s via rtmpt:80", passed: true,
                    detail: "connected after 740.000 ms via rtmpt:80"),
            ],
            networkEvents: [
                NetworkEvent(at: .zero, actor: .firewall, attempt: 1, action: "drop", detail: "SYN to 1935 dropped (rule 1)"),
            ])
        let ncmanager = RunReport(
            policy: "ncmanager-flex", seed: 1,
            result: .connected(winner: "rtmpt:80", after: ms(3_490)),
            attempts: [
                AttemptReport(
                    id: 1, candidate: "rtmp:1935", startedAt: .zero, synRetransmissions: [.seconds(3)],
                    ending: .cancelled, detail: "loser", endedAt: ms(3_490)),
                AttemptReport(id: 2, candidate: "rtmp:443", startedAt: ms(1_500), ending: .refused, endedAt: ms(1_580)),
                AttemptReport(
                    id: 3, candidate: "rtmpt:80", startedAt: ms(3_000),
                    phases: [
                        .tcpConnected: ms(3_080), .tunnelOpened: ms(3_160),
                        .handshakeDone: ms(3_320), .connectResult: ms(3_490),
                    ],
                    ending: .won, endedAt: ms(3_490)),
            ],
            cost: ServerCost(connectionsAccepted: 1, handshakesCompleted: 1, wastedConnections: 0, peakConnections: 1, peakHandshakes: 1),
            oracle: OracleResult(candidate: "rtmpt:80", timeToConnect: ms(490)),
            expectations: [
                ExpectationResult(
                    description: "*: connected within 1s", passed: false,
                    detail: "connected after 3490.000 ms via rtmpt:80"),
            ])
        return ScenarioReport(
            name: "corporate-firewall-drops-1935",
            description: "Port 1935 silently dropped, 443 rejected, 80 behind a transparent HTTP proxy.",
            networkSummary: "latency 40ms each way",
            serverSummary: "1935: rtmp; 443: rtmp, rtmps; 80: rtmp, rtmpt; response accept",
            firewallRules: ["port 1935: drop", "port 443: reject", "port 80: http-only (non-HTTP: error)"],
            proxySummary: "transparent HTTP proxy on port 80",
            runs: [flash, flowplayer, ncmanager])
    }

    /// Names and descriptions that try formula injection, HTML/XML injection, Markdown breakage,
    /// path traversal and control characters.
    static var hostile: ScenarioReport {
        let name = "=HYPERLINK(\"http://evil.example\",\"x\") <script>alert(1)</script>"
        var traversal = TCPConversation(client: client, clientPort: 50_100, server: server, serverPort: 1935, start: .zero)
        traversal.open(rtt: ms(20))
        func run(_ repetition: Int, _ result: RunResult, regretBase: Duration?) -> RunReport {
            RunReport(
                policy: "@akamai|x", repetition: repetition, seed: 41 + UInt64(repetition), result: result,
                attempts: [
                    AttemptReport(
                        id: 1, candidate: "rtmp:1935", startedAt: .zero,
                        phases: [.tcpConnected: ms(20)],
                        ending: result.isConnected ? .won : .rejected,
                        detail: result.isConnected ? nil : "-bad app, \"quoted\"",
                        endedAt: ms(60)),
                ],
                cost: ServerCost(connectionsAccepted: 1, handshakesCompleted: result.isConnected ? 1 : 0, wastedConnections: 0),
                oracle: regretBase.map { OracleResult(candidate: "rtmp:1935", timeToConnect: $0) })
        }
        return ScenarioReport(
            name: name,
            description: "-2+3 \"quoted\", with comma & <b>bold</b> | pipe \u{1B}[31m\nsecond line",
            repeatCount: 3,
            firewallRules: ["port 1935: <allow>"],
            runs: [
                run(1, .connected(winner: "rtmp:1935", after: .microseconds(47_500)), regretBase: .microseconds(60_000)),
                run(2, .connected(winner: "rtmp:1935", after: .microseconds(61_250)), regretBase: .microseconds(60_000)),
                run(3, .failed(reason: "+rejected: -bad app", after: .seconds(10)), regretBase: nil),
                RunReport(
                    policy: "../../escape", seed: 7,
                    result: .failed(reason: "all candidates failed", after: ms(60)),
                    attempts: [], cost: ServerCost(connectionsAccepted: 0, handshakesCompleted: 0, wastedConnections: 0),
                    expectations: [
                        ExpectationResult(
                            description: "</failure><script>x</script>", passed: false, detail: "]]> & \"done\""),
                    ],
                    packets: traversal.records),
            ])
    }
}

extension RunResult {
    var isConnected: Bool {
        switch self {
        case .connected: true
        case .failed: false
        }
    }
}
