import Foundation
import LiveNet

/// A private temporary folder where libpcap writes each live run's capture while the run runs.
///
/// The report directory is written whole or not at all, so libpcap cannot write into it directly:
/// each capture is read back into the run's record as soon as its run ended (a loopback run's
/// capture is a few kilobytes) and the report writer puts it into its staging folder.
struct LiveCaptureFolder {
    let root: String

    /// Why a capture is missing, as the command prints it once.
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// Creates the folder (mode 0700), or `nil` when the temporary directory refuses.
    static func make() -> LiveCaptureFolder? {
        var template = Array((NSTemporaryDirectory() + "/fallback-lab-captures.XXXXXX").utf8CString)
        let created = template.withUnsafeMutableBufferPointer { buffer in mkdtemp(buffer.baseAddress!) }
        guard created != nil else { return nil }
        return LiveCaptureFolder(root: template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) })
    }

    /// Where the run with plan index `index` writes its capture.
    func path(for index: Int) -> String {
        root + "/run-\(index).pcap"
    }

    /// Removes the folder and anything left in it.
    func remove() {
        try? FileManager.default.removeItem(atPath: root)
    }

    /// The capture's bytes (and the file removed), or why there are none.
    static func read(_ captured: Result<LiveCaptureSummary, LiveCaptureError>) -> Result<[UInt8], Failure> {
        switch captured {
        case .failure(let error):
            return .failure(Failure(description: error.description))
        case .success(let summary):
            defer { try? FileManager.default.removeItem(atPath: summary.path) }
            guard let data = FileManager.default.contents(atPath: summary.path) else {
                return .failure(Failure(description: "cannot read the capture \(summary.path)"))
            }
            return .success(Array(data))
        }
    }
}
