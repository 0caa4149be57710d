/// What a finished ``LiveCapture`` wrote.
public struct LiveCaptureSummary: Sendable, Hashable, Codable {
    /// The pcap file, complete and closed.
    public var path: String
    /// Packets written to the file.
    public var packets: Int
    /// Packets the kernel had to drop because the capture buffer was full (0 unless the machine
    /// was badly overloaded): a capture with drops misses part of the run.
    public var droppedByKernel: Int

    public init(path: String, packets: Int, droppedByKernel: Int) {
        self.path = path
        self.packets = packets
        self.droppedByKernel = droppedByKernel
    }
}
