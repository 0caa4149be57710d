/// An RTMP message with its payload interpreted: protocol control, user control or a command.
///
/// Audio, video, data and shared-object messages pass through as ``other(typeID:payload:)``: the
/// sessions in this module end at the connect result and never need to look inside them.
public enum RTMPMessage: Sendable, Equatable {
    /// Type 1: the sender's chunk size from now on.
    case setChunkSize(UInt32)
    /// Type 2: drop the partial message on a chunk stream.
    case abort(chunkStreamID: UInt32)
    /// Type 3: bytes received so far (sent each time a window's worth has arrived).
    case acknowledgement(sequenceNumber: UInt32)
    /// Type 4: a stream or connection event.
    case userControl(RTMPUserControlEvent)
    /// Type 5: how many bytes the sender may receive before it expects an Acknowledgement.
    case windowAcknowledgementSize(UInt32)
    /// Type 6: the peer's output limit.
    case setPeerBandwidth(UInt32, limit: RTMPPeerBandwidthLimit)
    /// Type 20 (or 17, AMF3 framing around AMF0 values): a remote call or its answer.
    case command(RTMPCommand)
    /// Any other type, payload untouched.
    case other(typeID: UInt8, payload: [UInt8])
}
