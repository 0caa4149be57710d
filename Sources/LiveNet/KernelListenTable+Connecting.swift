extension KernelListenTable {
    /// The local ports of this machine's sockets still waiting for an answer to their SYN (state
    /// `02`, `SYN_SENT`) to `remotePort` on IPv4. A dropped connection attempt shows here for as long
    /// as its stack retransmits, which is how an external client's attempts at a silently dropped
    /// port are seen without a packet capture. Empty where `table` does not exist; `table` is another
    /// namespace's when given as a thread's `/proc/PID/task/TID/net/tcp`.
    package static func connecting(toPort remotePort: Int, table: String = "/proc/net/tcp") -> Set<Int> {
        guard let text = read(table) else { return [] }
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
