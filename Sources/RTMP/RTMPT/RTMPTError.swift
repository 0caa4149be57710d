/// Why an RTMPT tunnel failed. The connector maps `status` and `http` to `proxy-error`: on real
/// networks those come from proxies and middleboxes (a transparent proxy's 400, an explicit proxy's
/// 403 or 502), not from an RTMPT server.
public enum RTMPTError: Error, Sendable, Equatable {
    /// The peer's bytes are not acceptable HTTP/1.1.
    case http(HTTPError)
    /// A response other than `200`.
    case status(code: Int, reason: String)
    /// The `/open` reply did not carry a usable session id (1–64 visible ASCII characters, no `/`).
    case invalidSessionID(String)
    /// A `/send` or `/idle` reply without the polling byte.
    case missingPollingByte
    /// Response bytes arrived while no request was in flight.
    case unexpectedResponse
    /// The TCP connection closed before the tunnel was closed.
    case connectionClosed
}
