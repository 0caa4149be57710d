import Connector
import RTMP

extension AttemptFailure {
    /// What an RTMPT tunnel's error means to the player, on every network: a non-200 status or broken
    /// HTTP comes from a proxy or middlebox (a transparent proxy's 400, an explicit proxy's 403 or 502);
    /// a tunnel that misbehaves otherwise is the server's protocol error. One mapping, so the same
    /// failure reads the same simulated and live (before issue 12: "RTMPT: …" and "rtmpt: …").
    package init(tunnel error: RTMPTError) {
        switch error {
        case .status(let code, let reason):
            self = .proxyError("HTTP \(code) \(reason)")
        case .http(let http):
            self = .proxyError("\(http)")
        case .connectionClosed:
            self = .closed
        case .invalidSessionID, .missingPollingByte, .unexpectedResponse:
            self = .protocolError("RTMPT: \(error)")
        }
    }
}
