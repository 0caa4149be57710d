import Connector

extension ExternalClientResult {
    /// The run as a `ConnectionTimeline`, so reports show an external client like a policy: each
    /// connection the network saw is an attempt (unanswered SYNs too), the one answered with
    /// `NetConnection.Connect.Success` is the winner, and a client never connected failed when its
    /// process ended — `exhausted` when it exited by itself, `overallTimeout` when it was stopped.
    package var timeline: ConnectionTimeline {
        var timeline = ConnectionTimeline()
        let url = try? ConnectURL(parsing: scenarioURL)
        let scheme = url?.scheme ?? .rtmp
        let host = url?.host ?? "127.0.0.1"
        let path = url?.path ?? ""
        let end = process.duration
        enum Seen {
            case connection(ExternalClientConnection)
            case unanswered(ExternalClientUnansweredAttempt)
            var start: Duration {
                switch self {
                case .connection(let connection): connection.accepted
                case .unanswered(let attempt): attempt.firstSeen
                }
            }
        }
        let seen = (connections.map(Seen.connection) + unanswered.map(Seen.unanswered))
            .enumerated().sorted { ($0.element.start, $0.offset) < ($1.element.start, $1.offset) }.map(\.element)
        for (index, item) in seen.enumerated() {
            let id = AttemptID(index + 1)
            switch item {
            case .connection(let connection):
                let served: RTMPScheme = switch connection.via {
                case .rtmpt: scheme.tunneled
                case .rtmp, nil: scheme.isTunneled ? .rtmp : scheme
                case .rtmps: .rtmps
                }
                var record = AttemptRecord(
                    id: id, candidate: Candidate(scheme: served, host: host, port: Int(connection.port), path: path),
                    start: connection.accepted)
                record.phases[.tcpConnected] = connection.accepted
                if let time = connection.handshakeDone { record.phases[.handshakeDone] = time }
                if let time = connection.answered { record.phases[.connectResult] = time }
                if let answered = connection.answered, connection.answer == "accepted", timeline.winner == nil,
                    timeToConnect != nil {
                    record.ending = .won
                    record.end = answered
                    timeline.winner = id
                } else if let answered = connection.answered, connection.answer == "rejected" {
                    record.ending = .rejected
                    record.end = answered
                } else if let answered = connection.answered, connection.answer == "redirected" {
                    record.ending = .redirected
                    record.end = answered
                } else if let closed = connection.closed, closed <= end {
                    record.ending = .closed
                    record.detail = connection.problem
                    record.end = closed
                } else {
                    record.ending = .cancelled
                    record.end = end
                }
                timeline.attempts.append(record)
            case .unanswered(let attempt):
                var record = AttemptRecord(
                    id: id, candidate: Candidate(scheme: scheme, host: host, port: Int(attempt.port), path: path),
                    start: attempt.firstSeen)
                if attempt.abandoned {
                    record.ending = .timeout
                    record.end = attempt.lastSeen
                    record.detail = "the client abandoned the unanswered connect"
                } else {
                    record.ending = .cancelled
                    record.end = end
                    record.detail = "SYN still unanswered when the client ended"
                }
                timeline.attempts.append(record)
            }
        }
        if let timeToConnect {
            timeline.outcome = .connected
            timeline.finishedAt = timeToConnect
        } else {
            timeline.outcome = .failed
            timeline.finishedAt = end
            switch process.reason {
            case .exited, .stopped:
                timeline.failure = .exhausted(
                    attempts: timeline.attempts.count, lastFailure: timeline.attempts.last.flatMap(Self.failure))
            case .timedOut, .cancelled:
                timeline.failure = .overallTimeout(end)
            }
            // The process's own end, where reports show an attempt's detail.
            if let last = timeline.attempts.indices.last {
                let ending = "client \(summary)"
                timeline.attempts[last].detail = timeline.attempts[last].detail.map { $0 + "; " + ending } ?? ending
            }
        }
        let handshakes = connections.filter { $0.handshakeDone != nil }.count
        timeline.serverCost = ServerCost(
            connectionsAccepted: connections.count, handshakesCompleted: handshakes,
            wastedConnections: max(0, connections.count - (timeToConnect == nil ? 0 : 1)))
        return timeline
    }

    /// The connector's word for how an attempt the client made ended, for `failure_reason`: an
    /// unanswered SYN the client gave up on is reported as a connect timeout (the client's own, which
    /// the vocabulary files under the OS's).
    private static func failure(_ attempt: AttemptRecord) -> AttemptFailure? {
        switch attempt.ending {
        case .rejected: .rejected(attempt.detail ?? "connect rejected")
        case .closed: .closed
        case .timeout: .osTimeout
        case .refused: .refused
        case .unreachable: .unreachable
        case .proxyError: .proxyError(attempt.detail ?? "")
        case .won, .redirected, .cancelled, nil: nil
        }
    }
}
