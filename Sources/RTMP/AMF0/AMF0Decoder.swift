/// Decodes AMF0 values from bytes that may be truncated or hostile.
///
/// Every failure is an ``AMF0Error``; nothing traps. Two limits bound the work done on hostile input:
/// the input size (checked up front) and the nesting depth of objects and arrays (checked on the way
/// down, so a chain of `03 00 01 61 03 …` cannot exhaust the stack). Element counts from the wire are
/// never used to reserve memory: every element needs at least one byte of input, so memory stays
/// proportional to the input size.
///
/// ```swift
/// let values = try AMF0Decoder().decodeAll(body[...])   // e.g. ["connect", 1.0, {app: "live", …}]
/// ```
public struct AMF0Decoder: Sendable {
    /// Deepest nesting of objects, ECMA arrays and strict arrays accepted.
    public var maxDepth: Int
    /// Largest input accepted, in bytes.
    public var maxInputSize: Int

    /// Defaults fit any real command message: nginx-rtmp refuses messages over 1 MB by default and
    /// Flash nests connect objects two or three levels deep.
    public init(maxDepth: Int = 32, maxInputSize: Int = 1 << 20) {
        self.maxDepth = maxDepth
        self.maxInputSize = maxInputSize
    }

    /// All values in `bytes`, in order.
    ///
    /// Throws ``AMF0Error/amf3Unsupported(offset:)`` on a 0x11 marker: what follows it is AMF3, whose
    /// length is unknown here. Use ``decodeValues(_:)`` to keep the values decoded before it.
    public func decodeAll(_ bytes: ArraySlice<UInt8>) throws(AMF0Error) -> [AMF0Value] {
        let (values, rest) = try decodeValues(bytes)
        if !rest.isEmpty {
            throw .amf3Unsupported(offset: rest.startIndex - bytes.startIndex - 1)
        }
        return values
    }

    /// The values in `bytes` up to the end or up to a top-level 0x11 marker; in the second case the
    /// last value is ``AMF0Value/switchToAMF3`` and `rest` holds the AMF3 bytes after it (possibly
    /// empty), for a caller that has an AMF3 decoder.
    public func decodeValues(_ bytes: ArraySlice<UInt8>) throws(AMF0Error) -> (
        values: [AMF0Value], rest: ArraySlice<UInt8>
    ) {
        guard bytes.count <= maxInputSize else {
            throw .inputTooLarge(size: bytes.count, limit: maxInputSize)
        }
        var reader = WireReader(bytes)
        var values: [AMF0Value] = []
        while !reader.isAtEnd {
            let value = try decodeValue(&reader, depth: 0)
            values.append(value)
            if case .switchToAMF3 = value {
                return (values, reader.remaining)
            }
        }
        return (values, reader.remaining)
    }

    private func decodeValue(_ reader: inout WireReader, depth: Int) throws(AMF0Error) -> AMF0Value {
        let start = reader.offset
        guard let marker = reader.u8() else { throw .truncated(offset: start) }
        switch marker {
        case AMF0Marker.number:
            guard let n = reader.f64BE() else { throw .truncated(offset: start) }
            return .number(n)
        case AMF0Marker.boolean:
            guard let b = reader.u8() else { throw .truncated(offset: start) }
            return .boolean(b != 0)
        case AMF0Marker.string:
            guard let length = reader.u16BE() else { throw .truncated(offset: start) }
            return .string(try readUTF8(&reader, count: Int(length), start: start))
        case AMF0Marker.longString:
            guard let length = reader.u32BE() else { throw .truncated(offset: start) }
            return .longString(try readUTF8(&reader, count: Int(length), start: start))
        case AMF0Marker.object:
            try checkDepth(depth)
            return .object(try readProperties(&reader, depth: depth + 1, start: start))
        case AMF0Marker.null:
            return .null
        case AMF0Marker.undefined:
            return .undefined
        case AMF0Marker.reference:
            guard let index = reader.u16BE() else { throw .truncated(offset: start) }
            return .reference(index)
        case AMF0Marker.ecmaArray:
            try checkDepth(depth)
            guard reader.u32BE() != nil else { throw .truncated(offset: start) }
            return .ecmaArray(try readProperties(&reader, depth: depth + 1, start: start))
        case AMF0Marker.strictArray:
            try checkDepth(depth)
            guard let count = reader.u32BE() else { throw .truncated(offset: start) }
            var elements: [AMF0Value] = []
            var remaining = count
            while remaining > 0 {
                // Each element needs at least its marker byte: stop early on a lying count.
                guard !reader.isAtEnd else { throw .truncated(offset: start) }
                let element = try decodeValue(&reader, depth: depth + 1)
                if case .switchToAMF3 = element { throw .amf3Unsupported(offset: reader.offset - 1) }
                elements.append(element)
                remaining -= 1
            }
            return .strictArray(elements)
        case AMF0Marker.date:
            guard let ms = reader.f64BE(), let tz = reader.u16BE() else { throw .truncated(offset: start) }
            return .date(millisecondsSince1970: ms, timeZone: Int16(bitPattern: tz))
        case AMF0Marker.switchToAMF3:
            return .switchToAMF3
        case AMF0Marker.objectEnd:
            throw .unexpectedObjectEnd(offset: start)
        default:
            throw .unknownMarker(marker, offset: start)
        }
    }

    /// Reads `(u16 key, value)*` up to the empty key followed by 0x09.
    private func readProperties(_ reader: inout WireReader, depth: Int, start: Int) throws(AMF0Error) -> AMF0Object {
        var object = AMF0Object()
        while true {
            let keyStart = reader.offset
            guard let keyLength = reader.u16BE() else { throw .truncated(offset: start) }
            if keyLength == 0 {
                guard let end = reader.u8() else { throw .truncated(offset: start) }
                if end == AMF0Marker.objectEnd { return object }
                // An empty key with a value is legal AMF0 (rare, but Flash can produce it).
                reader.rewind(1)
                let value = try decodeValue(&reader, depth: depth)
                if case .switchToAMF3 = value { throw .amf3Unsupported(offset: reader.offset - 1) }
                object.append("", value)
                continue
            }
            let key = try readUTF8(&reader, count: Int(keyLength), start: keyStart)
            let value = try decodeValue(&reader, depth: depth)
            if case .switchToAMF3 = value { throw .amf3Unsupported(offset: reader.offset - 1) }
            object.append(key, value)
        }
    }

    private func checkDepth(_ depth: Int) throws(AMF0Error) {
        guard depth < maxDepth else { throw .depthLimitExceeded(limit: maxDepth) }
    }

    private func readUTF8(_ reader: inout WireReader, count: Int, start: Int) throws(AMF0Error) -> String {
        guard let bytes = reader.bytes(count) else { throw .truncated(offset: start) }
        guard let string = String(validating: bytes, as: UTF8.self) else {
            throw .invalidUTF8(offset: start)
        }
        return string
    }
}
