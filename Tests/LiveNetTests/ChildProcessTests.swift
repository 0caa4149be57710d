import Testing

@testable import LiveNet

#if canImport(Glibc)
import Glibc
#endif

/// The helper runner behind `unshare`, `ip` and `nft`: argv without a shell, stdin fed, output
/// collected, bounded, and nothing inherited.
@Suite("ChildProcess")
struct ChildProcessTests {
    @Test func stdinIsFedAndBothOutputsAreCollected() throws {
        let result = try ChildProcess(
            executable: "sh", arguments: ["-c", "cat; echo oops >&2; exit 3"], input: Array("rules\n".utf8),
            timeout: .seconds(10)
        ).run()
        #expect(result.status == 3)
        #expect(!result.timedOut)
        #expect(String(decoding: result.standardOutput, as: UTF8.self) == "rules\n")
        #expect(result.errorText == "oops")
    }

    @Test func theArgumentsReachTheProgramAsWritten() throws {
        let result = try ChildProcess(
            executable: "sh", arguments: ["-c", "printf '%s|' \"$@\"", "sh", "a b", "$HOME", ";"], timeout: .seconds(10)
        ).run()
        #expect(String(decoding: result.standardOutput, as: UTF8.self) == "a b|$HOME|;|")
    }

    @Test func aChildPastItsTimeoutIsStoppedAndReaped() throws {
        let clock = ContinuousClock()
        let started = clock.now
        let result = try ChildProcess(executable: "sleep", arguments: ["100"], timeout: .milliseconds(200)).run()
        #expect(result.timedOut)
        #expect(!result.succeeded)
        #expect(result.status == 128 + SIGTERM)
        #expect(clock.now - started < .seconds(5))
    }

    @Test func noDescriptorButStdioIsInherited() throws {
        // A descriptor of ours that is not close-on-exec, like NIO's sockets.
        let descriptor = open("/dev/null", O_RDONLY)
        #expect(descriptor > 2)
        defer { close(descriptor) }
        let result = try ChildProcess(
            executable: "sh", arguments: ["-c", "[ -e /proc/self/fd/\(descriptor) ] && echo inherited || echo closed"],
            timeout: .seconds(10)
        ).run()
        #expect(String(decoding: result.standardOutput, as: UTF8.self) == "closed\n")
    }

    @Test func aMissingProgramIsATypedErrorNamingIt() {
        #expect(throws: ChildProcess.SpawnError.self) {
            try ChildProcess(executable: "no-such-tool-here", arguments: [], timeout: .seconds(1)).run()
        }
        let error = ChildProcess.SpawnError(executable: "nft", code: ENOENT)
        #expect(error.description == "nft is not installed (not found on PATH)")
    }
}
