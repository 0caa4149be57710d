import Connector

/// What one external client's run measured: when (if ever) it was connected, how its process
/// ended, and every connection attempt the network saw.
///
/// **Time to connect** is from the process's spawn (just before `posix_spawn`) to the moment our
/// server sent `_result` with `NetConnection.Connect.Success` in answer to its `connect`. It
/// includes the program's own start-up (loading, DNS, argument parsing), which is part of what a
/// user waits for. A client never answered that way has no time to connect: the run failed at its
/// exit (with its exit status) or at the timeout, whichever came first.
/// `Codable` so that a run inside a private network namespace (another process) hands it back.
package struct ExternalClientResult: Sendable, Codable {
    /// The row's name (`external:rtmpdump`).
    package var name: String
    /// The URL as the scenario gave it, and as the client was given it (mapped to 127.0.0.1).
    package var scenarioURL: String
    package var clientURL: String
    /// The scenario port the URL names: the only one the client can reach on loopback.
    package var port: UInt16
    package var process: ClientProcessResult
    /// Spawn → `NetConnection.Connect.Success` sent; nil when it never was.
    package var timeToConnect: Duration?
    /// Connections our server accepted, in accept order.
    package var connections: [ExternalClientConnection]
    /// Attempts whose SYN was never answered (a dropped port).
    package var unanswered: [ExternalClientUnansweredAttempt]

    /// Connected, or why not: `timed out after 5 s`, `exited with status 1 after 2.1 s`.
    package var summary: String {
        if let timeToConnect { return "connected after \(Self.text(timeToConnect))" }
        let duration = Self.text(process.duration)
        switch process.reason {
        case .timedOut: return "timed out after \(duration)" + (process.neededKill ? " (SIGKILL after SIGTERM's grace)" : "")
        case .cancelled: return "cancelled after \(duration)"
        case .exited, .stopped: return "\(process.termination) after \(duration), never connected"
        }
    }

    /// Every attempt the network saw, as `port: what happened`, for logs and error messages.
    package var attemptSummary: [String] {
        connections.map { connection in
            var text = "\(connection.via?.rawValue ?? "tcp"):\(connection.port) accepted at \(Self.text(connection.accepted))"
            if let handshake = connection.handshakeDone { text += ", handshake done at \(Self.text(handshake))" }
            if let answered = connection.answered {
                text += ", connect \(connection.answer ?? "answered") at \(Self.text(answered))"
            }
            if let problem = connection.problem { text += ", \(problem)" }
            return text
        } + unanswered.map { attempt in
            "tcp:\(attempt.port) SYN unanswered (local port \(attempt.localPort)) from \(Self.text(attempt.firstSeen))"
                + (attempt.abandoned ? ", abandoned by \(Self.text(attempt.lastSeen))" : ", still waiting when the client ended")
        }
    }

    /// `274.4 ms`, `5.43 s`: to a tenth of a millisecond, as the console's other times.
    static func text(_ duration: Duration) -> String {
        let micros = duration.components.seconds * 1_000_000 + duration.components.attoseconds / 1_000_000_000_000
        if micros < 1_000_000 {
            let tenths = (micros + 50) / 100
            return "\(tenths / 10).\(tenths % 10) ms"
        }
        let millis = (micros + 500) / 1_000
        let fraction = String(millis % 1_000)
        return "\(millis / 1_000).\(String(repeating: "0", count: 3 - fraction.count) + fraction) s"
    }
}
