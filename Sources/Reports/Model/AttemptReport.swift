import Connector

/// One connection attempt of a run: when it started, what it reached, how and when it ended.
///
/// The vocabulary (phases, endings, whose timeout) is the connector's own, so that a report says
/// exactly what the runtime recorded.
package struct AttemptReport: Sendable {
    /// The connector's attempt number, starting at 1.
    package var id: Int
    /// The candidate as `scheme:port`, for example `rtmp:1935`.
    package var candidate: String
    /// When the attempt started, from the connector's start.
    package var startedAt: Duration
    /// When the client retransmitted its SYN, from the connector's start; this is what makes a
    /// silently dropping firewall so expensive.
    package var synRetransmissions: [Duration]
    /// When each phase was reached; a phase not reached has no entry.
    package var phases: [AttemptPhase: Duration]
    /// How the attempt ended; `nil` when it was still in flight as the run finished (a loser a
    /// policy leaves running).
    package var ending: AttemptEnding?
    /// Whose timer ended it, when `ending` is `.timeout`.
    package var timeoutOwner: TimeoutOwner?
    /// Free text: the rejection's description, the proxy's status, the redirect target, or why the
    /// connector cancelled it (`loser`, `overall-timeout`, …).
    package var detail: String?
    /// When it ended (for the winner: when the `_result` arrived); `nil` while in flight.
    package var endedAt: Duration?

    package init(
        id: Int,
        candidate: String,
        startedAt: Duration,
        synRetransmissions: [Duration] = [],
        phases: [AttemptPhase: Duration] = [:],
        ending: AttemptEnding?,
        timeoutOwner: TimeoutOwner? = nil,
        detail: String? = nil,
        endedAt: Duration?
    ) {
        self.id = id
        self.candidate = candidate
        self.startedAt = startedAt
        self.synRetransmissions = synRetransmissions
        self.phases = phases
        self.ending = ending
        self.timeoutOwner = timeoutOwner
        self.detail = detail
        self.endedAt = endedAt
    }

    /// The report of a connector's attempt record, with the SYN retransmissions the runtime saw.
    package init(_ record: AttemptRecord, synRetransmissions: [Duration] = []) {
        self.init(
            id: record.id.rawValue, candidate: record.candidate.label, startedAt: record.start,
            synRetransmissions: synRetransmissions, phases: record.phases, ending: record.ending,
            timeoutOwner: record.timeoutOwner,
            // A policy timeout is recorded as a cancellation too; its owner already says it all.
            detail: record.detail ?? (record.ending == .cancelled ? record.cancelReason?.rawValue : nil),
            endedAt: record.end)
    }

    /// The report of a connector's attempt record with every SYN the runtime sent for it: the first
    /// one (at the attempt's start) and each retransmission, as NetSim records them.
    package init(_ record: AttemptRecord, synTimes: [Duration]) {
        self.init(record, synRetransmissions: Array(synTimes.dropFirst()))
    }

    /// The time the attempt reached `phase`, if it did.
    /// The last phase of a play on this attempt (the winner of a player that plays), if it played.
    var playEnd: Duration? {
        time(of: .lastFrame) ?? time(of: .firstFrame) ?? time(of: .playStarted) ?? time(of: .streamCreated)
    }

    func time(of phase: AttemptPhase) -> Duration? {
        phases[phase]
    }

    /// The phases reached, in the order they happen.
    var orderedPhases: [(phase: AttemptPhase, at: Duration)] {
        AttemptPhase.allCases.compactMap { phase in phases[phase].map { (phase, $0) } }
    }

    /// `won`, `timeout`, … or `in-flight` for an attempt that had not ended.
    var endingToken: String {
        ending?.rawValue ?? "in-flight"
    }

    /// The ending's detail: whose timeout, the rejection text, the redirect target, and so on.
    var endingDetail: String {
        if ending == .timeout, let timeoutOwner {
            return detail.map { "\(timeoutOwner.rawValue): \($0)" } ?? timeoutOwner.rawValue
        }
        return detail ?? ""
    }

    /// The ending and its detail in one phrase, for the HTML and Markdown reports.
    var endingPhrase: String {
        endingDetail.isEmpty ? endingToken : "\(endingToken) (\(endingDetail))"
    }
}
