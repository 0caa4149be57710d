/// Why a live capture could not be made, or broke off.
package enum LiveCaptureError: Error, Sendable, Hashable, Codable, CustomStringConvertible {
    /// The interface cannot be captured: no permission (capturing needs `CAP_NET_RAW`), or no
    /// such interface. A run goes on without a capture and says this.
    case unavailable(interface: String, reason: String)
    /// libpcap refused the BPF filter.
    case filter(String, reason: String)
    /// The capture file could not be created or written.
    case file(path: String, reason: String)
    /// Reading packets failed while capturing (the interface went away, for instance).
    case capture(reason: String)

    package var description: String {
        switch self {
        case .unavailable(let interface, let reason): "cannot capture on \(interface): \(reason)"
        case .filter(let filter, let reason): "libpcap refused the filter '\(filter)': \(reason)"
        case .file(let path, let reason): "cannot write the capture \(path): \(reason)"
        case .capture(let reason): "the capture broke off: \(reason)"
        }
    }
}
