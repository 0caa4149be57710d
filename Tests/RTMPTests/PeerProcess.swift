import Foundation

/// A running peer process whose output is collected in a file, terminated when the test is done.
final class PeerProcess {
    let process = Process()
    let outputURL: URL
    let directory: URL

    init(executable: String, arguments: [String], directory: URL) throws {
        self.directory = directory
        outputURL = directory.appendingPathComponent("output.log")
        _ = FileManager.default.createFile(atPath: outputURL.path, contents: nil)
        let output = try FileHandle(forWritingTo: outputURL)
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardOutput = output
        process.standardError = output
        process.standardInput = FileHandle.nullDevice
        try process.run()
    }

    /// A fresh temporary directory for one peer's configuration, pid file and logs.
    static func temporaryDirectory(_ label: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("fallbacklab-\(label)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    var output: String {
        (try? String(contentsOf: outputURL, encoding: .utf8)) ?? ""
    }

    /// Stops the process (if still running), waits for it, removes its directory; returns its output.
    ///
    /// SIGTERM first; a peer that ignores it (nginx started from a test runner may have it blocked)
    /// gets SIGKILL after two seconds, so stopping never hangs.
    @discardableResult
    func stop() -> String {
        if process.isRunning {
            process.terminate()
            for _ in 0..<40 where process.isRunning { usleep(50_000) }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        }
        process.waitUntilExit()
        let text = output
        try? FileManager.default.removeItem(at: directory)
        return text
    }
}
