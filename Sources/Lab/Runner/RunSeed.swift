/// The seed of one run, derived from the scenario's seed, the policy's name and the repetition.
///
/// Derived, not drawn in sequence, so a run's randomness does not depend on what ran before it or on
/// how many jobs share the work: `--jobs 1` and `--jobs 8` give the same bytes.
enum RunSeed {
    static func derive(scenarioSeed: UInt64, policy: String, repetition: Int, client: Int = 0) -> UInt64 {
        var state = scenarioSeed
        state = mix(state ^ fnv1a(policy))
        state = mix(state ^ UInt64(truncatingIfNeeded: repetition))
        state = mix(state ^ UInt64(truncatingIfNeeded: client) &* 0x9E37_79B9_7F4A_7C15)
        return state
    }

    /// SplitMix64's finaliser: every input bit affects every output bit.
    static func mix(_ value: UInt64) -> UInt64 {
        var z = value &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// FNV-1a over the UTF-8 bytes: stable across processes, unlike `Hasher`.
    static func fnv1a(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        return hash
    }
}
