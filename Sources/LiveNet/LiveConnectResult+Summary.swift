/// The one-line summary `fallback-lab connect` prints.
extension LiveConnectResult {
    /// `connected rtmp://127.0.0.1:19350/live in 2.41 ms (tcp 0.12, handshake 0.95, connect 2.41)`, or
    /// `failed rtmp://…: refused in 0.20 ms (…)`. Only the phases reached are listed.
    ///
    /// With a stream played after the connect, the line goes on to its first frame, timed from the
    /// same start: `connected … in 2.41 ms (…, connect 2.41); first frame of x in 30.12 ms (stream
    /// 2.80, play start 3.50)`. A play that brings no picture makes the line a failure like any other
    /// (the first word is the verdict the exit status gives), its reason the play's and its phases
    /// the connect's and the play's: `failed rtmp://…: play x: No such stream. in 3.50 ms (…, connect
    /// 2.41, stream 2.80)`.
    package var summary: String {
        var phases: [String] = []
        if let tcpConnected { phases.append("tcp \(Self.milliseconds(tcpConnected))") }
        if let tlsEstablished { phases.append("tls \(Self.milliseconds(tlsEstablished))") }
        if let tunnelOpened { phases.append("tunnel \(Self.milliseconds(tunnelOpened))") }
        if let handshakeDone { phases.append("handshake \(Self.milliseconds(handshakeDone))") }
        if let connectResult { phases.append("connect \(Self.milliseconds(connectResult))") }
        var playPhases: [String] = []
        if let streamCreated { playPhases.append("stream \(Self.milliseconds(streamCreated))") }
        if let playStarted { playPhases.append("play start \(Self.milliseconds(playStarted))") }
        func listed(_ phases: [String]) -> String { phases.isEmpty ? "" : " (\(phases.joined(separator: ", ")))" }
        if succeeded, let stream, play == .firstFrame, let firstFrame {
            let connected = connectResult ?? elapsed
            return "connected \(url) in \(Self.milliseconds(connected)) ms\(listed(phases)); "
                + "first frame of \(stream) in \(Self.milliseconds(firstFrame)) ms\(listed(playPhases))"
        }
        let time = "in \(Self.milliseconds(elapsed)) ms"
        if achieved { return "connected \(url) \(time)\(listed(phases))" }
        return "failed \(url): \(reason) \(time)\(listed(phases + playPhases))"
    }

    /// The reason words of a failure: `refused`, `timeout`, `rejected: …`, `redirect: URL`, …; after a
    /// successful connect, the play's: `play x: No such stream.`, `play x: timeout`.
    package var reason: String {
        guard succeeded, let stream else { return Self.reason(for: outcome) }
        switch play {
        case .firstFrame: return "first frame"
        case .failed(let description): return "play \(stream): \(description)"
        case .timeout: return "play \(stream): timeout"
        case nil: return "play \(stream): undecided"
        }
    }

    /// The reason words of how a connect ended.
    static func reason(for outcome: Outcome) -> String {
        switch outcome {
        case .ended(.succeeded): "connected"
        case .ended(.failed(.refused)): "refused"
        case .ended(.failed(.unreachable)): "unreachable"
        case .ended(.failed(.osTimeout)), .timeout: "timeout"
        case .ended(.failed(.rejected(let description))): "rejected: \(description)"
        case .ended(.redirected(let url)): "redirect: \(url)"
        case .ended(.failed(.closed)): "closed by server"
        case .ended(.failed(.protocolError(let detail))): "protocol error: \(detail)"
        case .ended(.failed(.proxyError(let detail))): "proxy error: \(detail)"
        case .failed(let detail): "failed: \(detail)"
        }
    }

    /// Milliseconds with two decimals, rounded half up, without Foundation's formatters.
    static func milliseconds(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        let hundredths = seconds * 100_000 + (attoseconds + 5_000_000_000_000) / 10_000_000_000_000
        let whole = hundredths / 100
        let fraction = abs(hundredths % 100)
        return "\(whole).\(fraction < 10 ? "0" : "")\(fraction)"
    }
}
