import Connector
import NetSim
import Reports
import RunCore

extension RunResults {
    /// The results in the report writers' own model. Runs that errored have no measurement and are left
    /// out of the report; the command lists them and exits 1.
    package func reportInput(title: String = "FallbackLab") -> ReportInput {
        let byScenario = Dictionary(grouping: records, by: \.scenarioIndex)
        let reports = scenarios.enumerated().map { index, scenario in
            ScenarioReport(
                name: scenario.name, description: scenario.description, repeatCount: scenario.repetitions * scenario.clients,
                networkSummary: scenario.network.summary, serverSummary: scenario.server.summary,
                firewallRules: scenario.firewall.map(\.summary),
                proxySummary: scenario.client.proxy.map { address in (scenario.proxy ?? HTTPProxyConfiguration()).summary(address) },
                runs: (byScenario[index] ?? []).compactMap { $0.runReport(file: scenario.file) })
        }
        return ReportInput(title: title, scenarios: reports)
    }
}

extension RunRecord {
    func runReport(file: String) -> RunReport? {
        guard case .success(let measured) = measurement, let result = RunResult(measured.timeline) else { return nil }
        return RunReport(
            policy: policy, repetition: repetition, client: client, seed: seed, network: network.rawValue, result: result,
            attempts: measured.timeline.attempts.map { AttemptReport($0, synTimes: measured.synTimes[$0.id] ?? []) },
            cost: measured.timeline.serverCost,
            oracle: measured.oracle.map { OracleResult(candidate: $0.candidate.description, timeToConnect: $0.timeToConnect) },
            expectations: verdicts.map {
                ExpectationResult(
                    description: "\(policy) \($0.expected)", passed: $0.passed,
                    detail: "measured \($0.measured) (\(file):\($0.expectation.line))")
            },
            networkEvents: measured.packets.compactMap(\.networkEvent),
            packets: measured.packets.compactMap(\.record),
            capture: measured.capture)
    }
}

extension TracedPacket {
    /// The packet as a capture shows it, stamped with the time it was put on the wire.
    var record: PacketRecord? {
        switch content {
        case .tcp(let segment):
            return .tcp(segment.record(at: time.sinceStart))
        case .icmp(let message):
            guard let code = ICMPRecord.Code(rawValue: message.code.rawValue) else { return nil }
            return .icmp(ICMPRecord(
                at: time.sinceStart, source: message.source.report, destination: message.destination.report,
                code: code, original: message.quoted.record(at: time.sinceStart)))
        }
    }

    /// What the firewall did to this packet, if anything: the report's timeline of middlebox decisions.
    var networkEvent: NetworkEvent? {
        guard case .tcp(let segment) = content else { return nil }
        switch fate {
        case .dropped(let rule):
            return NetworkEvent(at: time.sinceStart, actor: .firewall, action: "drop",
                                detail: "rule \(rule + 1), port \(segment.destination.port)")
        case .rejected(let rule):
            return NetworkEvent(at: time.sinceStart, actor: .firewall, action: "reject",
                                detail: "rule \(rule + 1), port \(segment.destination.port)")
        case .delivered, .lost, .noRoute:
            return nil
        }
    }
}

extension TCPSegment {
    func record(at time: Duration) -> TCPSegmentRecord {
        var flags: TCPSegmentRecord.Flags = []
        if self.flags.contains(.fin) { flags.insert(.fin) }
        if self.flags.contains(.syn) { flags.insert(.syn) }
        if self.flags.contains(.rst) { flags.insert(.rst) }
        if self.flags.contains(.psh) { flags.insert(.psh) }
        if self.flags.contains(.ack) { flags.insert(.ack) }
        return TCPSegmentRecord(
            at: time, source: source.address.report, sourcePort: source.port,
            destination: destination.address.report, destinationPort: destination.port,
            sequence: sequence, acknowledgement: acknowledgement, flags: flags, window: window, payload: payload)
    }
}

extension SimIPv4Address {
    var report: PacketRecord.Address { PacketRecord.Address(value: value) }
}
