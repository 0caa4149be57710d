/// The one-line summary `fallback-lab connect` prints.
extension LiveConnectResult {
    /// `connected rtmp://127.0.0.1:19350/live in 2.41 ms (tcp 0.12, handshake 0.95, connect 2.41)`, or
    /// `failed rtmp://…: refused in 0.20 ms (…)`. Only the phases reached are listed.
    package var summary: String {
        var phases: [String] = []
        if let tcpConnected { phases.append("tcp \(Self.milliseconds(tcpConnected))") }
        if let tunnelOpened { phases.append("tunnel \(Self.milliseconds(tunnelOpened))") }
        if let handshakeDone { phases.append("handshake \(Self.milliseconds(handshakeDone))") }
        if let connectResult { phases.append("connect \(Self.milliseconds(connectResult))") }
        let phaseText = phases.isEmpty ? "" : " (\(phases.joined(separator: ", ")))"
        let time = "in \(Self.milliseconds(elapsed)) ms"
        if succeeded { return "connected \(url) \(time)\(phaseText)" }
        return "failed \(url): \(reason) \(time)\(phaseText)"
    }

    /// The reason words of a failure: `refused`, `timeout`, `rejected: …`, `redirect: URL`, ….
    package var reason: String {
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
