/// Why a report directory could not be written. The previous report, if any, is left as it was.
package enum ReportError: Error, Sendable, Equatable {
    /// A file-system call failed: which operation, on which path, with which `errno`.
    case fileSystem(operation: String, path: String, errno: Int32)
    /// The output directory's path cannot be used (empty, or it names `/`, `.` or `..`).
    case invalidOutputPath(String)
    /// libpcap refused to open or write a capture.
    case pcap(path: String, message: String)
    /// A packet cannot be framed as Ethernet/IPv4 (for example a payload over the IPv4 maximum).
    case packetTooLarge(run: String, payloadBytes: Int)
    /// A writer of the report failed for a reason of its own.
    case writerFailed(file: String, message: String)
}
