/// The client's operating system, which fixes how it retransmits an unanswered SYN.
///
/// See reference/network-conditions.md: Windows gives up at 21 s, Linux before 6.5 at about 127 s,
/// Linux 6.5+ at about 131 s, macOS at about 75 s.
package enum ClientOS: String, Sendable, Hashable, CaseIterable {
    case windows
    /// Linux 6.5 and later (`tcp_syn_linear_timeouts = 4`).
    case linux
    /// Linux before 6.5 (exponential RTO from 1 s, `tcp_syn_retries = 6`).
    case linuxLegacy = "linux-legacy"
    case macos

    /// Windows, because the seed thread's measurements ("about 20-25 seconds" per attempt) were taken
    /// on a Windows client and the shipped scenarios reproduce them.
    package static let defaultOS: ClientOS = .windows
}
