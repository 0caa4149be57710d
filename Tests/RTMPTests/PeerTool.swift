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
