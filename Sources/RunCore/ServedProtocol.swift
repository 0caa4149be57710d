/// What a server port speaks. Several on one port are told apart by the first bytes a client sends
/// (0x03 RTMP, 0x16 TLS, an HTTP method for RTMPT), as the design's `ports: {80: [rtmp, rtmpt]}` asks.
///
/// One list for the scenario's simulated server and the live one (before issue 12 two enums, the
/// live one without rtmps, which the live server serves since issue 17 when it has a certificate).
package enum ServedProtocol: String, Sendable, Hashable, Codable, CaseIterable {
    case rtmp
    case rtmpt
    case rtmps
}
