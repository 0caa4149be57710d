/// How a client operating system's TCP stack times its connection attempts and retransmissions.
///
/// The SYN schedule decides how long a silently dropped attempt costs: it is the whole difference
/// between a fallback that takes seconds and one that takes minutes. Sources: network-conditions.md
/// (tcp(7), the Linux 6.5 `tcp_syn_linear_timeouts` change, Windows `TcpMaxConnectRetransmissions`).
package struct OSProfile: Sendable, Equatable {
    /// A stable name, as scenario files spell it.
    package var name: String
    /// Delays between consecutive SYNs: the first entry is the wait before the first retransmission.
    package var synRetransmissionIntervals: [Duration]
    /// The wait after the last SYN before `connect()` fails with ETIMEDOUT.
    package var finalSYNWait: Duration
    /// RFC 6298's lower bound on the data retransmission timeout.
    package var minimumRTO: Duration
    /// The data retransmission timeout before any round trip was measured.
    package var initialRTO: Duration
    /// Retransmissions of one data segment before the connection is given up.
    package var maximumDataRetransmissions: Int
    /// A passive side's SYN-ACK retransmissions (`tcp_synack_retries`), with the doubling initial RTO.
    package var synAckRetransmissions: Int
    /// Waits before re-sending the SYN after a reset answered it, one per retry; empty: a reset is
    /// ECONNREFUSED at once. *Unconfirmed* (network-conditions.md): Windows is said to retry after a
    /// reset, making "connection refused" take 1–2 s; no built-in profile assumes it, a scenario can
    /// (e.g. `[.milliseconds(500), .milliseconds(500)]`).
    package var synRetriesAfterReset: [Duration]

    package init(
        name: String, synRetransmissionIntervals: [Duration], finalSYNWait: Duration,
        minimumRTO: Duration, initialRTO: Duration, maximumDataRetransmissions: Int, synAckRetransmissions: Int,
        synRetriesAfterReset: [Duration] = []
    ) {
        self.synRetriesAfterReset = synRetriesAfterReset
        self.name = name
        self.synRetransmissionIntervals = synRetransmissionIntervals
        self.finalSYNWait = finalSYNWait
        self.minimumRTO = minimumRTO
        self.initialRTO = initialRTO
        self.maximumDataRetransmissions = maximumDataRetransmissions
        self.synAckRetransmissions = synAckRetransmissions
    }

    /// When `connect()` fails with ETIMEDOUT if nothing ever answers.
    package var connectTimeout: Duration {
        synRetransmissionIntervals.reduce(.zero, +) + finalSYNWait
    }

    /// Windows (classic `TcpMaxConnectRetransmissions = 2`, initial RTO 3 s): SYNs at 0, 3 and 9 s,
    /// failure at 21 s — the "about 20-25 seconds" per attempt the seed thread measured.
    /// Data: minimum RTO 300 ms, `TcpMaxDataRetransmissions = 5`.
    package static let windows = OSProfile(
        name: "windows", synRetransmissionIntervals: [.seconds(3), .seconds(6)], finalSYNWait: .seconds(12),
        minimumRTO: .milliseconds(300), initialRTO: .seconds(3), maximumDataRetransmissions: 5,
        synAckRetransmissions: 2
    )

    /// Linux before 6.5 (`tcp_syn_retries = 6`, initial RTO 1 s doubling): SYNs at 0, 1, 3, 7, 15, 31
    /// and 63 s, ETIMEDOUT at 127 s. Data: minimum RTO 200 ms, `tcp_retries2 = 15`.
    package static let linuxLegacy = OSProfile(
        name: "linux-legacy",
        synRetransmissionIntervals: [1, 2, 4, 8, 16, 32].map { .seconds($0) }, finalSYNWait: .seconds(64),
        minimumRTO: .milliseconds(200), initialRTO: .seconds(1), maximumDataRetransmissions: 15,
        synAckRetransmissions: 5
    )

    /// Linux 6.5 and later (`tcp_syn_linear_timeouts = 4`): RTOs 1, 1, 1, 1, 1, 2, 4, 8, 16, 32 s —
    /// SYNs at 0, 1, 2, 3, 4, 5, 7, 11, 19, 35 and 67 s — then a final 64 s wait: ETIMEDOUT at 131 s.
    package static let linux = OSProfile(
        name: "linux",
        synRetransmissionIntervals: [1, 1, 1, 1, 1, 2, 4, 8, 16, 32].map { .seconds($0) },
        finalSYNWait: .seconds(64),
        minimumRTO: .milliseconds(200), initialRTO: .seconds(1), maximumDataRetransmissions: 15,
        synAckRetransmissions: 5
    )

    /// macOS: the documented fact is only that `connect()` gives up after about 75 s (the BSD
    /// connection-establishment timer, `tcp_keepinit`). The schedule chosen here is XNU's SYN backoff
    /// table (1, 1, 1, 1, 1, 2, 4, 8, 16, 32 s — SYNs at 0, 1, 2, 3, 4, 5, 7, 11, 19, 35, 67 s) cut
    /// off by that 75 s timer: the last SYN at 67 s, failure at 75 s. Data: minimum RTO 200 ms,
    /// 12 retransmissions (`TCP_MAXRXTSHIFT`).
    package static let macos = OSProfile(
        name: "macos",
        synRetransmissionIntervals: [1, 1, 1, 1, 1, 2, 4, 8, 16, 32].map { .seconds($0) },
        finalSYNWait: .seconds(8),
        minimumRTO: .milliseconds(200), initialRTO: .seconds(1), maximumDataRetransmissions: 12,
        synAckRetransmissions: 5
    )

    /// The built-in profiles, by the names scenario files use.
    package static let all: [OSProfile] = [.windows, .linux, .linuxLegacy, .macos]

    /// The profile named `name` (`windows`, `linux`, `linux-legacy`, `macos`), if any.
    package static func named(_ name: String) -> OSProfile? {
        all.first { $0.name == name }
    }
}
