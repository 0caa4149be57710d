/// One expectation checked against one run: what the file claimed and what was measured.
package struct ExpectationVerdict: Sendable, Hashable {
    package var expectation: Expectation
    package var passed: Bool
    /// The claim in words: `connected via rtmpt:80 within 1 s`.
    package var expected: String
    /// The run in the same words: `connected via rtmp:443 after 21.12 s`.
    package var measured: String

    package init(expectation: Expectation, passed: Bool, expected: String, measured: String) {
        self.expectation = expectation
        self.passed = passed
        self.expected = expected
        self.measured = measured
    }
}

extension Expectation {
    /// What a run produced, in the terms an expectation speaks.
    struct Measurement: Sendable, Hashable {
        var outcome: Outcome
        /// Time to connect, or to fail.
        var after: Duration
        /// The winning transport when connected.
        var winner: Transport?
        /// TCP connections the server accepted during the run.
        var serverConnections: Int = 0
        /// The most connections open at the server at one instant; `nil` where not observed.
        var serverPeakConnections: Int?
        /// Time to the first frame, when the player played and one came.
        var firstFrame: Duration? = nil
        /// Why no first frame came, when the player played.
        var playFailure: String? = nil
        /// From the reconnect request to the new connection's first frame, when both happened.
        var reconnectSwitch: Duration? = nil
        /// Why the player could not connect again.
        var reconnectFailure: String? = nil
    }

    /// The claim in words, for messages and reports.
    var claim: String {
        var text = outcome.rawValue
        if let via { text += " via \(via)" }
        if let within { text += " within \(DurationText.describe(within))" }
        if let maxServerConnections { text += " with at most \(maxServerConnections) server connection\(maxServerConnections == 1 ? "" : "s")" }
        if let maxServerPeakConnections {
            text += " with at most \(maxServerPeakConnections) connection\(maxServerPeakConnections == 1 ? "" : "s") open at the server at once"
        }
        if let firstFrameWithin { text += ", first frame within \(DurationText.describe(firstFrameWithin))" }
        if let reconnectWithin { text += ", reconnected within \(DurationText.describe(reconnectWithin)) of the request" }
        return text
    }

    /// Checks the claim against a run: the outcome, then the time, then the winner.
    func check(_ measurement: Measurement) -> ExpectationVerdict {
        var measured = measurement.outcome.rawValue
        if let winner = measurement.winner, measurement.outcome == .connected { measured += " via \(winner)" }
        measured += " after \(DurationText.describe(measurement.after))"
        if maxServerConnections != nil {
            measured += " with \(measurement.serverConnections) server connection\(measurement.serverConnections == 1 ? "" : "s")"
        }
        if maxServerPeakConnections != nil {
            if let peak = measurement.serverPeakConnections {
                measured += " with \(peak) open at once"
            } else {
                measured += " without a measured peak (only the simulated network observes it)"
            }
        }
        if firstFrameWithin != nil {
            if let firstFrame = measurement.firstFrame {
                measured += ", first frame after \(DurationText.describe(firstFrame))"
            } else {
                measured += ", no first frame" + (measurement.playFailure.map { " (\($0))" } ?? "")
            }
        }
        if reconnectWithin != nil {
            if let reconnectSwitch = measurement.reconnectSwitch {
                measured += ", reconnected \(DurationText.describe(reconnectSwitch)) after the request"
            } else {
                measured += ", no reconnect" + (measurement.reconnectFailure.map { " (\($0))" } ?? "")
            }
        }
        var passed = measurement.outcome == outcome
        if let within, measurement.after > within { passed = false }
        if let via, measurement.winner != via { passed = false }
        if let maxServerConnections, measurement.serverConnections > maxServerConnections { passed = false }
        if let maxServerPeakConnections, (measurement.serverPeakConnections ?? .max) > maxServerPeakConnections { passed = false }
        if let firstFrameWithin, (measurement.firstFrame ?? .seconds(Int64.max)) > firstFrameWithin { passed = false }
        if let reconnectWithin, (measurement.reconnectSwitch ?? .seconds(Int64.max)) > reconnectWithin { passed = false }
        return ExpectationVerdict(expectation: self, passed: passed, expected: claim, measured: measured)
    }
}
