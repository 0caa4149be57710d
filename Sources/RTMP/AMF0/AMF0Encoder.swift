/// Encodes AMF0 values into bytes.
///
/// Encoding fails only for what AMF0 cannot express (a key longer than 65 535 bytes, an array longer
/// than 2³²−1): a `string` longer than 65 535 bytes is written as a long string (marker 0x0C), which is
/// what Flash does, so any Swift string can be sent.
public enum AMF0Encoder {
    /// The bytes of `values`, one after the other, as a command message body carries them.
    public static func encode(_ values: [AMF0Value]) throws(AMF0Error) -> [UInt8] {
        var writer = WireWriter(capacity: 64)
        for value in values {
            try encode(value, into: &writer)
        }
        return writer.bytes
    }

    /// The bytes of one value.
    public static func encode(_ value: AMF0Value) throws(AMF0Error) -> [UInt8] {
        try encode([value])
    }

    static func encode(_ value: AMF0Value, into writer: inout WireWriter) throws(AMF0Error) {
        switch value {
        case .number(let n):
            writer.u8(AMF0Marker.number)
            writer.f64BE(n)
        case .boolean(let b):
            writer.u8(AMF0Marker.boolean)
            writer.u8(b ? 1 : 0)
        case .string(let s):
            let utf8 = Array(s.utf8)
            if utf8.count > Int(UInt16.max) {
                try writeLongString(utf8, into: &writer)
            } else {
                writer.u8(AMF0Marker.string)
                writer.u16BE(UInt16(utf8.count))
                writer.append(contentsOf: utf8)
            }
        case .longString(let s):
            try writeLongString(Array(s.utf8), into: &writer)
        case .object(let object):
            writer.u8(AMF0Marker.object)
            try writeProperties(object, into: &writer)
        case .null:
            writer.u8(AMF0Marker.null)
        case .undefined:
            writer.u8(AMF0Marker.undefined)
        case .reference(let index):
            writer.u8(AMF0Marker.reference)
            writer.u16BE(index)
        case .ecmaArray(let object):
            writer.u8(AMF0Marker.ecmaArray)
            writer.u32BE(try count(object.properties.count))
            try writeProperties(object, into: &writer)
        case .strictArray(let elements):
            writer.u8(AMF0Marker.strictArray)
            writer.u32BE(try count(elements.count))
            for element in elements {
                try encode(element, into: &writer)
            }
        case .date(let milliseconds, let timeZone):
            writer.u8(AMF0Marker.date)
            writer.f64BE(milliseconds)
            writer.u16BE(UInt16(bitPattern: timeZone))
        case .switchToAMF3:
            writer.u8(AMF0Marker.switchToAMF3)
        }
    }

    private static func writeLongString(_ utf8: [UInt8], into writer: inout WireWriter) throws(AMF0Error) {
        writer.u8(AMF0Marker.longString)
        writer.u32BE(try count(utf8.count))
        writer.append(contentsOf: utf8)
    }

    private static func writeProperties(_ object: AMF0Object, into writer: inout WireWriter) throws(AMF0Error) {
        for property in object.properties {
            let key = Array(property.key.utf8)
            guard key.count <= Int(UInt16.max) else { throw .keyTooLong(length: key.count) }
            writer.u16BE(UInt16(key.count))
            writer.append(contentsOf: key)
            try encode(property.value, into: &writer)
        }
        writer.u16BE(0)
        writer.u8(AMF0Marker.objectEnd)
    }

    private static func count(_ n: Int) throws(AMF0Error) -> UInt32 {
        guard let c = UInt32(exactly: n) else { throw .tooManyElements(count: n) }
        return c
    }
}
