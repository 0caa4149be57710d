import Connector
import Foundation
import Reports

/// One run as a report folder's `records.jsonl` holds it: everything the report files show of the run,
/// in a form that reads back exactly (durations as Swift encodes them, to the attosecond), so that
/// `merge` can rebuild from shards the report the whole run writes, byte for byte.
///
/// The report itself is rendered from these lines on every path (a whole run, a shard, a merge), not
/// from the runner's records, so that what a merge reads back is by construction what a run renders.
/// Packets are not in the line: they are the run's file in `pcap/`, which the line names.
struct RecordLine: Codable, Sendable, Equatable {
    /// The run's place in the plan (shards keep it), and its client in a herd: the report's order.
    var job: Int
    var client: Int
    var clients: Int
    /// Index of the scenario in the plan.
    var scenario: Int
    var policy: String
    var repetition: Int
    /// Decimal, so that readers without 64-bit integers (JavaScript) keep it exact.
    var seed: String
    var network: String
    /// Why the run produced nothing; the other measured fields are then absent.
    var error: String?
    var result: Outcome?
    var attempts: [Attempt]?
    var cost: ServerCost?
    var oracle: OracleResult?
    var expectations: [Check]?
    var events: [Event]?
    /// The run's capture, a file name inside the folder's `pcap/`.
    var pcap: String?

    struct Outcome: Codable, Sendable, Equatable {
        /// `connected` or `failed`.
        var outcome: String
        var winner: String?
        var reason: String?
        var after: Duration
        /// Why the winner's play gave no first frame (`client.play`).
        var playFailure: String?
        /// Why the player could not connect again (a reconnect request, or the stream lost).
        var reconnectFailure: String?
    }

    struct Attempt: Codable, Sendable, Equatable {
        var id: Int
        var candidate: String
        var startedAt: Duration
        var synRetransmissions: [Duration]
        var phases: [Phase]
        var ending: AttemptEnding?
        var timeoutOwner: TimeoutOwner?
        var detail: String?
        var endedAt: Duration?
    }

    struct Phase: Codable, Sendable, Equatable {
        var phase: AttemptPhase
        var at: Duration
    }

    /// One expectation's verdict, in the parts the console and the report each phrase.
    struct Check: Codable, Sendable, Equatable {
        var expected: String
        var measured: String
        var passed: Bool
        /// `file:line` of the expectation.
        var location: String
    }

    struct Event: Codable, Sendable, Equatable {
        /// `firewall` or `proxy`.
        var actor: String
        var at: Duration
        var attempt: Int?
        var action: String
        var detail: String
    }

    /// Whether the run measured something (and so is in the report).
    var hasResult: Bool { error == nil && result != nil && attempts != nil && cost != nil }

    /// `#2`, or `#2 client 7` in a herd, as the console names a run.
    var label: String { clients > 1 ? "#\(repetition) client \(client)" : "#\(repetition)" }

    /// `pass`, `fail` or `none`, as the console's summary counts it.
    var expectationStatus: String {
        guard let expectations, !expectations.isEmpty else { return "none" }
        return expectations.allSatisfy(\.passed) ? "pass" : "fail"
    }
}

extension RecordLine {
    /// The line of a runner's record; `file` is the scenario's path, for the expectations' locations.
    init(_ record: RunRecord, file: String) {
        self.init(
            job: record.index, client: record.client, clients: record.clients, scenario: record.scenarioIndex,
            policy: record.policy, repetition: record.repetition, seed: String(record.seed), network: record.network.rawValue)
        switch record.measurement {
        case .failure(let failure):
            error = failure.description
        case .success(let measured):
            guard let result = RunResult(measured.timeline) else {
                // A timeline without an end never reaches here: the runners make that an error.
                error = "the run ended without connecting or failing"
                return
            }
            switch result {
            case .connected(let winner, let after):
                self.result = Outcome(
                    outcome: "connected", winner: winner, after: after, playFailure: measured.timeline.playFailure,
                    reconnectFailure: measured.timeline.reconnectFailure)
            case .failed(let reason, let after): self.result = Outcome(outcome: "failed", reason: reason, after: after)
            }
            attempts = measured.timeline.attempts.map { attempt in
                let report = AttemptReport(attempt, synTimes: measured.synTimes[attempt.id] ?? [])
                return Attempt(
                    id: report.id, candidate: report.candidate, startedAt: report.startedAt,
                    synRetransmissions: report.synRetransmissions,
                    phases: AttemptPhase.allCases.compactMap { phase in report.phases[phase].map { Phase(phase: phase, at: $0) } },
                    ending: report.ending, timeoutOwner: report.timeoutOwner, detail: report.detail, endedAt: report.endedAt)
            }
            cost = measured.timeline.serverCost
            oracle = measured.oracle.map { OracleResult(candidate: $0.candidate.description, timeToConnect: $0.timeToConnect) }
            expectations = record.verdicts.map {
                Check(expected: $0.expected, measured: $0.measured, passed: $0.passed, location: "\(file):\($0.expectation.line)")
            }
            events = measured.packets.compactMap(\.networkEvent).map {
                Event(actor: $0.actor.token, at: $0.at, attempt: $0.attempt, action: $0.action, detail: $0.detail)
            }
        }
    }

    /// The run as the report writers take it; `nil` for a run that errored (reports leave it out, the
    /// command lists it). Packets and captures are attached by the caller.
    var runReport: RunReport? {
        guard hasResult, let result, let attempts, let cost else { return nil }
        let outcome: RunResult = result.outcome == "connected"
            ? .connected(winner: result.winner ?? "", after: result.after)
            : .failed(reason: result.reason ?? "failed", after: result.after)
        return RunReport(
            policy: policy, repetition: repetition, client: client, seed: UInt64(seed) ?? 0, network: network, result: outcome,
            attempts: attempts.map { attempt in
                AttemptReport(
                    id: attempt.id, candidate: attempt.candidate, startedAt: attempt.startedAt,
                    synRetransmissions: attempt.synRetransmissions,
                    phases: Dictionary(attempt.phases.map { ($0.phase, $0.at) }, uniquingKeysWith: { first, _ in first }),
                    ending: attempt.ending, timeoutOwner: attempt.timeoutOwner, detail: attempt.detail, endedAt: attempt.endedAt)
            },
            cost: cost,
            oracle: oracle,
            expectations: (expectations ?? []).map {
                ExpectationResult(description: "\(policy) \($0.expected)", passed: $0.passed, detail: "measured \($0.measured) (\($0.location))")
            },
            networkEvents: (events ?? []).map {
                NetworkEvent(at: $0.at, actor: NetworkEvent.Actor(token: $0.actor) ?? .firewall, attempt: $0.attempt, action: $0.action, detail: $0.detail)
            },
            playFailure: result.playFailure, reconnectFailure: result.reconnectFailure)
    }
}
