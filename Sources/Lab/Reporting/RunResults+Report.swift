import Connector
import NetSim
import Reports

extension RunResults {
    /// The results in the report writers' own model. Runs that errored have no measurement and are left
    /// out of the report; the command lists them and exits 1.
    public func reportInput(title: String = "FallbackLab") -> ReportInput {
        let byScenario = Dictionary(grouping: records, by: \.scenarioIndex)
        let reports = scenarios.enumerated().map { index, scenario in
            ScenarioReport(
                name: scenario.name, description: scenario.description, repeatCount: scenario.repetitions,
                networkSummary: scenario.network.summary, serverSummary: scenario.server.summary,
                firewallRules: scenario.firewall.map(\.summary),
                proxySummary: scenario.client.proxy.map { address in (scenario.proxy ?? ProxySettings()).summary(address) },
                runs: (byScenario[index] ?? []).compactMap(\.runReport))
        }
        return ReportInput(title: title, scenarios: reports)
    }
}

extension RunRecord {
    var runReport: RunReport? {
        guard case .success(let measured) = measurement else { return nil }
        let timeline = measured.timeline
        let after = timeline.finishedAt ?? .zero
        let result: RunResult
        if timeline.outcome == .connected, let winner = measured.winner {
            result = .connected(winner: winner.description, after: after)
        } else {
            result = .failed(reason: timeline.failure.map(\.description) ?? "no attempt connected", after: after)
        }
        return RunReport(
            policy: policy, repetition: repetition, seed: seed, network: "sim", result: result,
            attempts: timeline.attempts.map { $0.report(synTimes: measured.synTimes[$0.id] ?? [], finishedAt: after) },
            cost: ReportServerCost(
                connectionsAccepted: timeline.serverCost.connectionsAccepted,
                handshakesCompleted: timeline.serverCost.handshakesCompleted,
                wastedConnections: timeline.serverCost.wastedConnections),
            oracle: measured.oracle.map { OracleResult(candidate: $0.candidate.description, timeToConnect: $0.timeToConnect) },
            expectations: verdicts.map {
                ExpectationResult(description: "\(policy) \($0.expected)", passed: $0.passed, detail: "measured \($0.measured)")
            },
            networkEvents: measured.packets.compactMap(\.networkEvent),
            packets: measured.packets.compactMap(\.record))
    }
}

extension AttemptRecord {
    func report(synTimes: [Duration], finishedAt: Duration) -> AttemptReport {
        var phaseList: [ReportAttemptPhase] = []
        for phase in Connector.AttemptPhase.allCases {
            guard let time = phases[phase] else { continue }
            let kind: ReportAttemptPhase.Kind = switch phase {
            case .tcpConnected: .tcpConnected
            case .tunnelOpened: .tunnelOpened
            case .handshakeDone: .handshakeDone
            case .connectResult: .connectResult
            }
            phaseList.append(ReportAttemptPhase(kind, at: time))
        }
        return AttemptReport(
            id: id.rawValue, candidate: candidate.label, startedAt: start,
            synRetransmissions: synTimes.count > 1 ? Array(synTimes.dropFirst()) : [],
            phases: phaseList, ending: reportEnding, endedAt: end ?? finishedAt)
    }

    /// How the attempt ended, in the report's words; an attempt still open when the run was over is
    /// reported as cancelled by the end of the run.
    var reportEnding: ReportAttemptEnding {
        guard let ending else { return .cancelled("run ended") }
        switch ending {
        case .won: return .won
        case .refused: return .refused
        case .unreachable: return .unreachable
        case .timeout: return .timeout(timeoutOwner == .os ? .os : .policy)
        case .rejected: return .rejected(detail ?? "")
        case .redirected: return .redirected(detail ?? "")
        case .closed: return .closed
        case .proxyError: return .proxyError(detail ?? "")
        case .cancelled: return .cancelled(cancelReason?.rawValue ?? "")
        }
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
    var report: ReportIPv4Address { ReportIPv4Address(value: value) }
}
