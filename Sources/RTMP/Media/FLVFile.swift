/// The tags of an FLV file (Adobe, "Video File Format Specification" version 10.1, annex E), which
/// the fake server plays to a `play` paced by their timestamps (`serve --media FILE.flv`).
///
/// A file is read whole and checked before anything is served: a server that found a damaged tag in
/// the middle of a play could only cut the player off, while a refusal at start says which byte is
/// wrong. The previous-tag-size fields are skipped, not checked, as players skip them.
public struct FLVFile: Sendable, Hashable {
    public var tags: [FLVTag]

    public init(tags: [FLVTag]) {
        self.tags = tags
    }

    public init(parsing bytes: [UInt8]) throws(FLVFileError) {
        guard bytes.count >= 9, bytes[0] == 0x46, bytes[1] == 0x4C, bytes[2] == 0x56, bytes[3] == 1 else {
            throw .notFLV
        }
        let headerSize = Self.u32(bytes, 5)
        guard headerSize >= 9, Int(headerSize) <= bytes.count else { throw .badHeaderSize(headerSize) }
        var offset = Int(headerSize) + 4  // PreviousTagSize0
        var tags: [FLVTag] = []
        // Each tag consumes at least its 11-byte header and 4-byte trailer: bounded by the file's size.
        while offset < bytes.count {
            guard offset + 11 <= bytes.count else { throw .truncatedTag(offset: offset) }
            let flags = bytes[offset]
            let type = flags & 0x1F
            guard flags & 0x20 == 0, type == 8 || type == 9 || type == 18 else {
                throw .unsupportedTag(type: flags, offset: offset)
            }
            let size = Int(bytes[offset + 1]) << 16 | Int(bytes[offset + 2]) << 8 | Int(bytes[offset + 3])
            // 24 bits of timestamp, then the extension byte holding bits 24 to 31.
            let timestamp = UInt32(bytes[offset + 7]) << 24 | UInt32(bytes[offset + 4]) << 16
                | UInt32(bytes[offset + 5]) << 8 | UInt32(bytes[offset + 6])
            let body = offset + 11
            guard body + size <= bytes.count else { throw .truncatedTag(offset: offset) }
            tags.append(FLVTag(typeID: type, timestamp: timestamp, payload: Array(bytes[body..<(body + size)])))
            offset = body + size + 4
        }
        guard tags.contains(where: { $0.typeID == RTMPMessageType.audio || $0.typeID == RTMPMessageType.video }) else {
            throw .noMedia
        }
        self.tags = tags
    }

    private static func u32(_ bytes: [UInt8], _ at: Int) -> UInt32 {
        UInt32(bytes[at]) << 24 | UInt32(bytes[at + 1]) << 16 | UInt32(bytes[at + 2]) << 8 | UInt32(bytes[at + 3])
    }
}
