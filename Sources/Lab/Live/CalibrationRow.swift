/// One scenario × policy run simulated and live, side by side.
package struct CalibrationRow: Sendable {
    /// What one side measured: the outcome, when the connector decided, and the winner.
    package struct Side: Sendable, Hashable {
        package var connected: Bool
        /// Time to connect, or to fail.
        package var time: Duration
        /// `scheme:port`, when connected.
        package var winner: String?
        /// RTMP handshakes the run completed (live side: each costs the machine's CPU time).
        package var handshakes: Int = 0
        /// Time to the first frame, when the client plays (`client.play`) and one came.
        package var firstFrame: Duration? = nil
    }

    package var scenario: String
    package var policy: String
    package var seed: UInt64
    package var simulated: Side
    /// The live side, or why it produced no result.
    package var live: Result<Side, RunRecord.RunError>
    /// The machine's own time for one handshake and connect on loopback with no latency (the
    /// simulation models no CPU time); allowed once per live handshake on top of the tolerance.
    package var processingBaseline: Duration = .zero

    /// What the CPU time of the live handshakes may add.
    package var allowance: Duration {
        guard case .success(let live) = live else { return .zero }
        return processingBaseline * live.handshakes
    }

    /// The design's agreement bound: max(15 ms, 10 % of the simulated time).
    package var tolerance: Duration {
        max(.milliseconds(15), simulated.time / 10)
    }

    /// The same bound for the first frame: max(15 ms, 10 % of the simulated time to it).
    package var firstFrameTolerance: Duration? {
        simulated.firstFrame.map { max(.milliseconds(15), $0 / 10) }
    }

    /// Live minus simulated time to the first frame, when both have one.
    package var firstFrameDifference: Duration? {
        guard case .success(let live) = live, let liveFrame = live.firstFrame, let simulatedFrame = simulated.firstFrame else {
            return nil
        }
        return liveFrame - simulatedFrame
    }

    /// Live minus simulated time, when both ended.
    package var difference: Duration? {
        guard case .success(let live) = live else { return nil }
        return live.time - simulated.time
    }

    /// Why the two sides disagree; `nil` when they agree (same outcome, same winner, time within
    /// the tolerance).
    package var disagreement: String? {
        switch live {
        case .failure(let error):
            return "live run: \(error.description)"
        case .success(let live):
            if live.connected != simulated.connected {
                return "outcome \(live.connected ? "connected" : "failed") live, \(simulated.connected ? "connected" : "failed") simulated"
            }
            if live.winner != simulated.winner {
                return "winner \(live.winner ?? "none") live, \(simulated.winner ?? "none") simulated"
            }
            let difference = live.time - simulated.time
            let magnitude = difference < .zero ? .zero - difference : difference
            if magnitude > tolerance + allowance {
                return "time differs by \(DurationText.describe(difference)), beyond \(DurationText.describe(tolerance + allowance))"
            }
            switch (simulated.firstFrame, live.firstFrame) {
            case (nil, nil):
                return nil
            case (.some, nil):
                return "no first frame live, one simulated"
            case (nil, .some):
                return "a first frame live, none simulated"
            case (.some(let simulatedFrame), .some(let liveFrame)):
                let frameDifference = liveFrame - simulatedFrame
                let frameMagnitude = frameDifference < .zero ? .zero - frameDifference : frameDifference
                let bound = max(.milliseconds(15), simulatedFrame / 10) + allowance
                guard frameMagnitude > bound else { return nil }
                return "first frame differs by \(DurationText.describe(frameDifference)), beyond \(DurationText.describe(bound))"
            }
        }
    }

    package var agrees: Bool { disagreement == nil }
}
