import Foundation

/// A real peer program (nginx, ffmpeg, rtmpdump) that an interop test runs.
///
/// A missing binary must never let a test pass silently: locally the test is skipped with a message
/// naming what is missing; with `CI` set the test runs anyway and fails with that message.
struct PeerTool: Sendable {
    let name: String

    static let nginx = PeerTool(name: "nginx")
    static let ffmpeg = PeerTool(name: "ffmpeg")

    /// True when running under CI, where skipping an interop test is not allowed.
    static var isCI: Bool {
        guard let value = ProcessInfo.processInfo.environment["CI"] else { return false }
        return !value.isEmpty && value != "0" && value.lowercased() != "false"
    }

    /// The executable, searched in `PATH` and the sbin directories daemons install into.
    var path: String? {
        let searchPath = ProcessInfo.processInfo.environment["PATH"] ?? ""
        let directories = searchPath.split(separator: ":").map(String.init) + ["/usr/sbin", "/usr/local/sbin", "/sbin"]
        return directories.map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Whether the test should run: the tool is there, or CI wants the failure.
    var shouldRun: Bool { path != nil || Self.isCI }

    var missingMessage: String { "\(name) is not installed (not found in PATH or sbin directories)" }

    /// The rtmp module nginx loads; `NGINX_RTMP_MODULE` overrides the Debian/Ubuntu location.
    static var nginxRTMPModule: String? {
        let candidates = [ProcessInfo.processInfo.environment["NGINX_RTMP_MODULE"]].compactMap { $0 } + [
            "/usr/lib/nginx/modules/ngx_rtmp_module.so", "/usr/lib64/nginx/modules/ngx_rtmp_module.so",
            "/usr/local/nginx/modules/ngx_rtmp_module.so",
        ]
        return candidates.first { FileManager.default.fileExists(atPath: $0) }
    }
}

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
