extension KernelListenTable {
    /// The local ports of this machine's sockets still waiting for an answer to their SYN (state
    /// `02`, `SYN_SENT`) to `remotePort` on IPv4. A dropped connection attempt shows here for as long
    /// as its stack retransmits, which is how an external client's attempts at a silently dropped
    /// port are seen without a packet capture. Empty where `/proc/net/tcp` does not exist.
    package static func connecting(toPort remotePort: Int) -> Set<Int> {
        guard let text = read("/proc/net/tcp") else { return [] }
        var ports: Set<Int> = []
        for line in text.split(separator: "\n").dropFirst() {
            let fields = line.split(separator: " ")
            guard fields.count > 3, fields[3] == "02",
                let remote = fields[2].split(separator: ":").last, Int(remote, radix: 16) == remotePort,
                let local = fields[1].split(separator: ":").last, let port = Int(local, radix: 16)
            else { continue }
            ports.insert(port)
        }
        return ports
    }
}
