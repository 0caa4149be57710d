extension RunReport {
    /// `repetition 2`, or `repetition 2, client 7` for a client of a herd other than the first.
    var runLabel: String {
        client > 1 ? "repetition \(repetition), client \(client)" : "repetition \(repetition)"
    }

    /// The time to `NetConnection.Connect.Success`, when the run connected.
    var timeToConnect: Duration? {
        switch result {
        case .connected(_, let after): after
        case .failed: nil
        }
    }

    /// The time to the first video keyframe on the winner, when the player played and one came.
    var timeToFirstFrame: Duration? {
        attempts.first { $0.ending == .won }?.time(of: .firstFrame)
    }

    /// The reconnect's winner: the second attempt that won (Enhanced RTMP's reconnect request, or a
    /// new connect after the stream was lost).
    var reconnectWinner: AttemptReport? {
        attempts.lazy.filter { $0.ending == .won }.dropFirst().first
    }

    /// From the server's reconnect request on the first winner to the new winner's first frame.
    var reconnectSwitchTime: Duration? {
        guard let requested = attempts.first(where: { $0.ending == .won })?.time(of: .reconnectRequested),
            let frame = reconnectWinner?.time(of: .firstFrame)
        else { return nil }
        return frame - requested
    }

    /// From the first winner's last picture to the new winner's first: the gap a viewer sees.
    var reconnectMediaGap: Duration? {
        guard let last = attempts.first(where: { $0.ending == .won })?.time(of: .lastFrame),
            let frame = reconnectWinner?.time(of: .firstFrame)
        else { return nil }
        return frame - last
    }

    /// The time until the connector gave up, when the run failed.
    var timeToFail: Duration? {
        switch result {
        case .connected: nil
        case .failed(_, let after): after
        }
    }

    /// The candidate that won, when the run connected.
    var winner: String? {
        switch result {
        case .connected(let winner, _): winner
        case .failed: nil
        }
    }

    /// Why the run failed, when it did.
    var failureReason: String? {
        switch result {
        case .connected: nil
        case .failed(let reason, _): reason
        }
    }

    /// `connected` or `failed`, the design's outcome tokens.
    var outcomeToken: String {
        timeToConnect == nil ? "failed" : "connected"
    }

    /// Time to connect minus the oracle's; `nil` unless both exist.
    var regret: Duration? {
        guard let time = timeToConnect, let oracle else { return nil }
        return time - oracle.timeToConnect
    }

    /// The time that ended the run either way: time to connect or time to fail.
    var endTime: Duration {
        switch result {
        case .connected(_, let after), .failed(_, let after): after
        }
    }

    /// `pass` when every applicable expectation held, `fail` when one did not, `none` without any.
    var expectationVerdict: String {
        if expectations.isEmpty { return "none" }
        return expectations.allSatisfy(\.passed) ? "pass" : "fail"
    }

    /// The expectations this run failed.
    var failedExpectations: [ExpectationResult] {
        expectations.filter { !$0.passed }
    }
}
