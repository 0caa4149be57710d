/// Every packet of a simulated run in the order it was sent: SYN, SYN-ACK, ACK, RST, ICMP, data, FIN.
///
/// This is the input a pcap writer needs: virtual timestamps, addresses, ports, sequence numbers,
/// flags and payloads. Recording can be switched off for benchmarks and Monte Carlo repetitions
/// that only want the figures.
package struct PacketTrace: Sendable {
    package private(set) var packets: [TracedPacket] = []
    /// Whether packets are recorded.
    package var isRecording: Bool

    package init(isRecording: Bool = true) {
        self.isRecording = isRecording
    }

    mutating func record(_ packet: TracedPacket) {
        guard isRecording else { return }
        packets.append(packet)
    }

    mutating func setFate(_ fate: TracedPacket.Fate, at index: Int?) {
        guard let index else { return }
        packets[index].fate = fate
    }

    var nextIndex: Int? { isRecording ? packets.count : nil }
}
