/// Why a message's payload could not be interpreted.
public enum RTMPMessageError: Error, Sendable, Equatable {
    /// A protocol or user control message shorter than its type requires.
    case truncated(typeID: UInt8, length: Int)
    /// A command payload that is not valid AMF0.
    case amf0(AMF0Error)
    /// A command payload whose first values are not a name string and a transaction number.
    case malformedCommand
    /// A Set Peer Bandwidth limit type other than 0, 1 or 2.
    case unknownPeerBandwidthLimit(UInt8)
}
