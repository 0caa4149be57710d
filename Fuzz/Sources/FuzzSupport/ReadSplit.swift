/// How a fuzz target cuts its input into reads, to check that a decoder gives the same result
/// whatever the split, as TCP promises nothing about read boundaries.
///
/// The split comes from a 4-bit seed taken from the input itself, so the same input always splits
/// the same way (libFuzzer must be able to replay a crash) while the fuzzer still varies it. A small
/// LCG is enough: the sizes only have to vary, not to be random in any stronger sense.
public enum ReadSplit {
    /// Piece sizes summing to `total`. With `largeReads` off they are 1 to 16 bytes (every header
    /// boundary gets crossed); with it on, one read in two may be up to 2 KiB, so that splits also
    /// fall inside and across 1536-byte handshake packets and whole requests.
    public static func sizes(total: Int, seed: UInt8, largeReads: Bool) -> [Int] {
        var state = UInt32(seed) &* 2_654_435_761 &+ 1
        var sizes: [Int] = []
        var left = total
        while left > 0 {
            state = state &* 1_664_525 &+ 1_013_904_223
            let small = Int(state >> 24 & 0x0F) + 1
            let large = Int(state >> 21 & 0x7FF) + 1
            let size = min(left, largeReads && state >> 31 == 1 ? large : small)
            sizes.append(size)
            left -= size
        }
        return sizes
    }
}
