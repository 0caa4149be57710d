/// Why AMF0 bytes could not be decoded or a value could not be encoded.
///
/// Offsets count from the start of the input given to the decoder, so a hostile-input report can point
/// at the byte that went wrong.
public enum AMF0Error: Error, Sendable, Equatable {
    /// The input ended inside a value that started at `offset`.
    case truncated(offset: Int)
    /// A marker this decoder does not know (or one AMF0 reserves, such as 0x04 movieclip).
    case unknownMarker(UInt8, offset: Int)
    /// Objects or arrays nested deeper than the decoder's limit.
    case depthLimitExceeded(limit: Int)
    /// The input is longer than the decoder's size limit.
    case inputTooLarge(size: Int, limit: Int)
    /// A string whose bytes are not valid UTF-8.
    case invalidUTF8(offset: Int)
    /// An object-end marker (0x09) where a value was expected.
    case unexpectedObjectEnd(offset: Int)
    /// AMF3 data (after marker 0x11) inside a container or in ``AMF0Decoder/decodeAll(_:)``: its
    /// length cannot be known without an AMF3 decoder.
    case amf3Unsupported(offset: Int)
    /// An object key longer than the 65 535 bytes its u16 length can describe.
    case keyTooLong(length: Int)
    /// An array or ECMA array with more elements than its u32 count can describe.
    case tooManyElements(count: Int)
}
