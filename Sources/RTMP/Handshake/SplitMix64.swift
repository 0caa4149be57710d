/// The seeded generator behind every "random" byte the handshake sends.
///
/// Cores never draw from the system's random source: the same seed must give the same bytes, so that
/// a simulated run, its packet trace and its report are reproducible. SplitMix64 (Steele, Lea, Flood
/// 2014) is tiny, passes BigCrush, and any 64-bit seed (including 0) is a valid state.
struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// `count` bytes, eight per draw, little-endian, so the stream is fixed by the seed alone.
    ///
    /// Written straight into the array's storage: every digest handshake draws two 1528-byte
    /// challenges, and appending byte by byte showed in the simulator's profile.
    mutating func bytes(_ count: Int) -> [UInt8] {
        guard count > 0 else { return [] }
        return [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            var index = 0
            while index < count {
                let word = next()
                var shift: UInt64 = 0
                while shift < 64, index < count {
                    buffer[index] = UInt8(truncatingIfNeeded: word &>> shift)
                    index += 1
                    shift += 8
                }
            }
            initialized = count
        }
    }
}
