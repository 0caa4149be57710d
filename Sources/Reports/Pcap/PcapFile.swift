import CPcap

/// Writes one run's packets as a classic pcap file through libpcap, the library Wireshark and
/// tshark read with, so the file's format is never a guess of ours.
///
/// Timestamps are the run's virtual times (seconds since the connector's start, shown by
/// Wireshark as 1970-01-01 plus that time): the same input gives the same capture bytes.
enum PcapFile {
    /// The snapshot length: whole frames are kept.
    static let snapshotLength: Int32 = 65_535

    /// The frames of `packets` in order, or the first payload too large to frame.
    static func frames(_ packets: [PacketRecord], run: String) throws(ReportError) -> [(at: Duration, bytes: [UInt8])] {
        var frames: [(at: Duration, bytes: [UInt8])] = []
        frames.reserveCapacity(packets.count)
        var identification: UInt16 = 1
        // Captures are read in time order; a trace merged from several hosts may not be. Ties keep
        // the trace's order so that the same trace always gives the same file.
        let ordered = packets.enumerated().sorted { lhs, rhs in
            lhs.element.at == rhs.element.at ? lhs.offset < rhs.offset : lhs.element.at < rhs.element.at
        }.map(\.element)
        for packet in ordered {
            switch packet {
            case .tcp(let segment):
                guard let frame = EthernetFrame.tcp(segment, identification: identification) else {
                    throw .packetTooLarge(run: run, payloadBytes: segment.payload.count)
                }
                frames.append((segment.at, frame))
            case .icmp(let message):
                guard message.original.payload.count <= EthernetFrame.maximumTCPPayload else {
                    throw .packetTooLarge(run: run, payloadBytes: message.original.payload.count)
                }
                frames.append((message.at, EthernetFrame.icmp(message, identification: identification)))
            }
            identification &+= 1
        }
        return frames
    }

    /// Writes the frames to `path` with `pcap_open_dead` + `pcap_dump_open` + `pcap_dump`.
    static func write(_ frames: [(at: Duration, bytes: [UInt8])], to path: String) throws(ReportError) {
        guard let handle = pcap_open_dead(DLT_EN10MB, snapshotLength) else {
            throw .pcap(path: path, message: "pcap_open_dead failed")
        }
        defer { pcap_close(handle) }
        guard let dumper = pcap_dump_open(handle, path) else {
            throw .pcap(path: path, message: String(cString: pcap_geterr(handle)))
        }
        for frame in frames {
            let micros = max(0, frame.at.reportMicroseconds)
            var header = pcap_pkthdr()
            header.ts.tv_sec = Int(micros / 1_000_000)
            header.ts.tv_usec = Int(micros % 1_000_000)
            header.len = UInt32(frame.bytes.count)
            header.caplen = UInt32(min(frame.bytes.count, Int(snapshotLength)))
            // pcap_dump takes the dumper as its opaque `user` argument, as a `u_char *`.
            let user = UnsafeMutablePointer<UInt8>(dumper)
            frame.bytes.withUnsafeBufferPointer { bytes in
                pcap_dump(user, &header, bytes.baseAddress)
            }
        }
        let flushed = pcap_dump_flush(dumper)
        pcap_dump_close(dumper)
        if flushed != 0 {
            throw .pcap(path: path, message: "pcap_dump_flush failed")
        }
    }
}
