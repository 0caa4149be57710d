/// One AMF0 value, as RTMP command messages carry them.
///
/// The cases follow the AMF0 markers that real peers (ffmpeg, librtmp, nginx-rtmp, Flash) put on the
/// wire. Objects and ECMA arrays keep their properties in wire order, because servers and dissectors
/// show them in that order and golden byte vectors depend on it.
public enum AMF0Value: Sendable, Equatable {
    /// Marker 0x00: an IEEE-754 double, big-endian.
    case number(Double)
    /// Marker 0x01: one byte, non-zero is `true`.
    case boolean(Bool)
    /// Marker 0x02 (or 0x0C when longer than 65 535 UTF-8 bytes, see ``longString(_:)``).
    case string(String)
    /// Marker 0x03: an anonymous object.
    case object(AMF0Object)
    /// Marker 0x05.
    case null
    /// Marker 0x06.
    case undefined
    /// Marker 0x07: an index into the objects decoded earlier in the same message. Kept as the raw
    /// index: nothing RTMP's connect path needs resolves references.
    case reference(UInt16)
    /// Marker 0x08: an associative array. The u32 count on the wire is advisory (peers do not always
    /// keep it in step; the properties end with `00 00 09`), so decoding ignores it and encoding
    /// writes the real count.
    case ecmaArray(AMF0Object)
    /// Marker 0x0A: a dense array.
    case strictArray([AMF0Value])
    /// Marker 0x0B: milliseconds since the Unix epoch and a time zone that AMF0 says to ignore.
    case date(millisecondsSince1970: Double, timeZone: Int16)
    /// Marker 0x0C: a string with a 32-bit length.
    case longString(String)
    /// Marker 0x11: what follows is AMF3. This module does not decode AMF3; see ``AMF0Decoder``.
    case switchToAMF3
}

extension AMF0Value {
    /// The string carried by a `string` or `longString`.
    public var stringValue: String? {
        switch self {
        case .string(let s), .longString(let s): s
        case .number, .boolean, .object, .null, .undefined, .reference, .ecmaArray, .strictArray, .date,
            .switchToAMF3:
            nil
        }
    }

    /// The number carried by a `number`.
    public var numberValue: Double? {
        switch self {
        case .number(let n): n
        case .boolean, .string, .longString, .object, .null, .undefined, .reference, .ecmaArray,
            .strictArray, .date, .switchToAMF3:
            nil
        }
    }

    /// The properties of an `object` or `ecmaArray`: commands put their fields in either.
    public var objectValue: AMF0Object? {
        switch self {
        case .object(let o), .ecmaArray(let o): o
        case .number, .boolean, .string, .longString, .null, .undefined, .reference, .strictArray, .date,
            .switchToAMF3:
            nil
        }
    }
}
