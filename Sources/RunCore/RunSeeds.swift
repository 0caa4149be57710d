/// Every seed of a run, derived from one: the run's seed from (scenario seed, policy, repetition,
/// client), and each component's (the server, its tunnels and TLS, each attempt's handshake) from the
/// run's seed with a named salt. Derived, not drawn in sequence, so a run's randomness does not depend
/// on what ran before it, on how many jobs share the work, or on which network runs it: `--jobs 1`
/// and `--jobs 8`, simulated and live, give the same bytes for the same seed.
package enum RunSeeds {
    /// The salts that tell the components of one run apart. Their values are the ones the runtimes
    /// used before they shared this code, so every report stays byte-identical.
    package enum Salt {
        /// The RTMP server's seed (its sessions and tunnels are derived from it in turn).
        package static let server: UInt64 = 0x5E87_E800
        /// Added to the server's count of sessions for the simulated TLS model of an RTMPS session.
        package static let tlsServer: UInt64 = 0x7150
        /// The per-packet link of a netns run (its loss and jitter draws).
        package static let link: UInt64 = 0x11_4B
    }

    /// The seed of one run from the scenario's seed, the policy's name, the repetition and the client
    /// of a herd (0 for a single client).
    package static func run(scenarioSeed: UInt64, policy: String, repetition: Int, client: Int = 0) -> UInt64 {
        var state = scenarioSeed
        state = mix(state ^ fnv1a(policy), 1)
        state = mix(state ^ UInt64(truncatingIfNeeded: repetition), 1)
        state = mix(state ^ UInt64(truncatingIfNeeded: client) &* 0x9E37_79B9_7F4A_7C15, 1)
        return state
    }

    /// The seed of a live run's per-packet link.
    package static func link(_ runSeed: UInt64) -> UInt64 { mix(runSeed, Salt.link) }

    /// The seed of the run's server.
    package static func server(_ runSeed: UInt64) -> UInt64 { mix(runSeed, Salt.server) }

    /// The seed of the server's `n`-th session (1-based): its handshake bytes. Both networks number
    /// their sessions and derive this the same way, so two sessions never share bytes and a run repeats.
    package static func session(_ serverSeed: UInt64, _ n: UInt64) -> UInt64 { mix(serverSeed, n) }

    /// SplitMix64's finaliser over `seed + salt · φ`: independent seeds for each component from one
    /// seed; every input bit affects every output bit.
    package static func mix(_ seed: UInt64, _ salt: UInt64) -> UInt64 {
        var z = seed &+ salt &* 0x9E37_79B9_7F4A_7C15
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
