/// The message type ids of RTMP 1.0 (section 5.4 and 7.1), as named constants.
///
/// Kept as `UInt8` constants rather than an enum: unknown type ids are legal on the wire and must be
/// carried through, not rejected.
public enum RTMPMessageType {
    public static let setChunkSize: UInt8 = 1
    public static let abort: UInt8 = 2
    public static let acknowledgement: UInt8 = 3
    public static let userControl: UInt8 = 4
    public static let windowAcknowledgementSize: UInt8 = 5
    public static let setPeerBandwidth: UInt8 = 6
    public static let audio: UInt8 = 8
    public static let video: UInt8 = 9
    public static let amf3Data: UInt8 = 15
    public static let amf3SharedObject: UInt8 = 16
    public static let amf3Command: UInt8 = 17
    public static let amf0Data: UInt8 = 18
    public static let amf0SharedObject: UInt8 = 19
    public static let amf0Command: UInt8 = 20
    public static let aggregate: UInt8 = 22
}
