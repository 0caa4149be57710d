/// What a finished ``LiveCapture`` wrote.
package struct LiveCaptureSummary: Sendable, Hashable, Codable {
    /// The pcap file, complete and closed.
    package var path: String
    /// Packets written to the file.
    package var packets: Int
    /// Packets the kernel had to drop because the capture buffer was full (0 unless the machine
    /// was badly overloaded): a capture with drops misses part of the run.
    package var droppedByKernel: Int

    package init(path: String, packets: Int, droppedByKernel: Int) {
        self.path = path
        self.packets = packets
        self.droppedByKernel = droppedByKernel
    }
}
