/// A User Control message (type 4) event: u16 event type followed by its data.
public enum RTMPUserControlEvent: Sendable, Equatable {
    /// 0: a stream is ready (nginx and ffmpeg send it for stream 0 after connect, and before play).
    case streamBegin(streamID: UInt32)
    /// 1: playback of a stream ended.
    case streamEOF(streamID: UInt32)
    /// 2: no more data on a stream for now.
    case streamDry(streamID: UInt32)
    /// 3: the client's buffer length (ffmpeg sends it before play).
    case setBufferLength(streamID: UInt32, milliseconds: UInt32)
    /// 4: a stream is recorded, not live.
    case streamIsRecorded(streamID: UInt32)
    /// 6: the server asks the client to echo a timestamp.
    case pingRequest(timestamp: UInt32)
    /// 7: the answer to a ping request.
    case pingResponse(timestamp: UInt32)
    /// Any other event (e.g. 31/32 buffer empty/ready from FMS and Wowza), data untouched.
    case other(eventType: UInt16, data: [UInt8])
}
