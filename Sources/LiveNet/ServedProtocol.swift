/// The protocols a live server port answers, told apart by the connection's first bytes.
package enum ServedProtocol: String, Sendable, Equatable, Codable, CaseIterable {
    case rtmp
    case rtmpt
}
