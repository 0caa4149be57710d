internal import CSHA256

/// Which block function `SHA256` compresses with.
///
/// The digest handshake is the simulator's hottest path (205–259 block compressions per run). On an
/// x86 CPU with the SHA extensions a block costs a fraction of what the portable Swift code costs;
/// the portable code stays for every other CPU and architecture, and the tests check that both give
/// the same digests.
package enum SHA256Backend: Sendable, Equatable, CaseIterable {
    /// FIPS 180-4 written out in Swift: every CPU.
    case portable
    /// The x86 SHA extensions (SHA-NI) through the `CSHA256` C target; only where the CPU has them.
    case shaExtensions

    /// Whether this CPU can run `.shaExtensions` (cpuid, asked once per process; false off x86).
    package static var shaExtensionsAvailable: Bool {
        csha256_has_sha_extensions()
    }

    /// When true, new hashers use `.portable` even on a CPU with the extensions, so the benchmark can
    /// time both in one process. Process-wide; the digests are the same either way, only the speed
    /// differs. Off unless set.
    package static var portableForced: Bool {
        get { csha256_portable_forced() }
        set { csha256_set_portable_forced(newValue) }
    }

    /// What `SHA256()` uses: the extensions when the CPU has them and they are not forced off.
    package static var preferred: SHA256Backend {
        shaExtensionsAvailable && !portableForced ? .shaExtensions : .portable
    }
}
