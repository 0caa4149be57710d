import Foundation

/// A temporary folder for one test (a peer's configuration, a report), removed when the value goes away.
package final class TemporaryFolder: Sendable {
    package let url: URL

    package init(_ label: String = "fallbacklab-tests") throws {
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("\(label)-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(at: url)
    }

    package func path(_ components: String...) -> String {
        components.reduce(url) { $0.appendingPathComponent($1) }.path
    }
}
