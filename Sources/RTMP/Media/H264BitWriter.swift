/// The bit-level writer H.264's parameter sets and slice headers need: fixed-width fields, the
/// Exp-Golomb codes `ue(v)` and `se(v)`, and the trailing bits that end an RBSP (ITU-T H.264 7.2,
/// 9.1). Only ``SyntheticVideo`` uses it.
struct H264BitWriter {
    private(set) var bytes: [UInt8] = []
    private var current: UInt8 = 0
    private var used = 0

    /// Whether the next bit starts a byte.
    var isByteAligned: Bool { used == 0 }

    mutating func bit(_ value: Bool) {
        current = current << 1 | (value ? 1 : 0)
        used += 1
        if used == 8 {
            bytes.append(current)
            current = 0
            used = 0
        }
    }

    /// `u(n)`: the low `count` bits of `value`, most significant first.
    mutating func bits(_ value: UInt32, count: Int) {
        precondition((0...32).contains(count), "H264BitWriter.bits: count \(count)")
        for shift in stride(from: count - 1, through: 0, by: -1) {
            bit(value >> UInt32(shift) & 1 == 1)
        }
    }

    /// `ue(v)`: as many zeros as `value + 1` has bits after its leading one, then `value + 1`.
    mutating func unsignedExpGolomb(_ value: UInt32) {
        let coded = UInt64(value) + 1
        let width = 64 - coded.leadingZeroBitCount
        for _ in 0..<(width - 1) { bit(false) }
        for shift in stride(from: width - 1, through: 0, by: -1) {
            bit(coded >> UInt64(shift) & 1 == 1)
        }
    }

    /// `se(v)`: positive values to odd codes, the others to even ones (9.1.1).
    mutating func signedExpGolomb(_ value: Int32) {
        unsignedExpGolomb(value > 0 ? UInt32(2 * Int64(value) - 1) : UInt32(-2 * Int64(value)))
    }

    /// Zero bits up to the next byte boundary (`pcm_alignment_zero_bit`).
    mutating func alignWithZeros() {
        while !isByteAligned { bit(false) }
    }

    /// Whole bytes, once aligned (I_PCM samples).
    mutating func append(_ byte: UInt8) {
        precondition(isByteAligned, "H264BitWriter.append: \(used) bits into a byte")
        bytes.append(byte)
    }

    /// `rbsp_trailing_bits()`: a one, then zeros to the byte boundary; the RBSP is then complete.
    mutating func finishRBSP() -> [UInt8] {
        bit(true)
        alignWithZeros()
        return bytes
    }
}
