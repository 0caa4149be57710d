/// Reads integers from a byte slice without ever trapping.
///
/// Every read returns `nil` when the input is too short, so decoders of hostile input turn a short
/// read into their own typed error instead of an out-of-bounds trap.
struct WireReader: Sendable {
    private let bytes: ArraySlice<UInt8>
    /// Index into `bytes` of the next unread byte.
    private(set) var index: Int

    init(_ bytes: ArraySlice<UInt8>) {
        self.bytes = bytes
        self.index = bytes.startIndex
    }

    /// Bytes consumed so far, counted from the start of the slice.
    var offset: Int { index - bytes.startIndex }

    var remainingCount: Int { bytes.endIndex - index }

    var isAtEnd: Bool { index >= bytes.endIndex }

    /// The unread part of the input.
    var remaining: ArraySlice<UInt8> { bytes[index...] }

    mutating func u8() -> UInt8? {
        guard index < bytes.endIndex else { return nil }
        defer { index += 1 }
        return bytes[index]
    }

    mutating func u16BE() -> UInt16? {
        guard remainingCount >= 2 else { return nil }
        defer { index += 2 }
        return UInt16(bytes[index]) << 8 | UInt16(bytes[index + 1])
    }

    mutating func u16LE() -> UInt16? {
        guard remainingCount >= 2 else { return nil }
        defer { index += 2 }
        return UInt16(bytes[index + 1]) << 8 | UInt16(bytes[index])
    }

    mutating func u24BE() -> UInt32? {
        guard remainingCount >= 3 else { return nil }
        defer { index += 3 }
        return UInt32(bytes[index]) << 16 | UInt32(bytes[index + 1]) << 8 | UInt32(bytes[index + 2])
    }

    mutating func u32BE() -> UInt32? {
        guard remainingCount >= 4 else { return nil }
        defer { index += 4 }
        return UInt32(bytes[index]) << 24 | UInt32(bytes[index + 1]) << 16
            | UInt32(bytes[index + 2]) << 8 | UInt32(bytes[index + 3])
    }

    mutating func u32LE() -> UInt32? {
        guard remainingCount >= 4 else { return nil }
        defer { index += 4 }
        return UInt32(bytes[index + 3]) << 24 | UInt32(bytes[index + 2]) << 16
            | UInt32(bytes[index + 1]) << 8 | UInt32(bytes[index])
    }

    mutating func f64BE() -> Double? {
        guard remainingCount >= 8 else { return nil }
        var bits: UInt64 = 0
        for i in 0..<8 {
            bits = bits << 8 | UInt64(bytes[index + i])
        }
        index += 8
        return Double(bitPattern: bits)
    }

    /// The next `count` bytes, or `nil` if fewer remain; `count` is checked before any slicing.
    mutating func bytes(_ count: Int) -> ArraySlice<UInt8>? {
        guard count >= 0, remainingCount >= count else { return nil }
        defer { index += count }
        return bytes[index..<(index + count)]
    }
}

extension WireReader {
    /// Steps back over bytes already read (never before the start), for one-byte look-behind.
    mutating func rewind(_ count: Int) {
        index = max(index - count, bytes.startIndex)
    }
}
