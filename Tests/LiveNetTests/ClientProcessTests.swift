import Glibc
import Testing

import LiveNet
import RunCore

/// The external client launcher: no shell, argv delivered literally, bounded by its timeout,
/// always reaped, output tails kept, a missing program named.
///
/// Each test bounds its own times, measured from the event (the cancel, the spawn). The suite's limit
/// only catches a hang: in CI a test of this suite waited more than a minute for a thread of the
/// cooperative pool, which the suite's other tests share with simulations running in parallel (every
/// live suite has five minutes for that reason).
@Suite("ClientProcess", .timeLimit(.minutes(5)))
struct ClientProcessTests {
    /// A directory of its own under the system's temporary directory, removed by the caller.
    static func temporaryDirectory() throws -> String {
        var template = Array("/tmp/fallbacklab-client-XXXXXX".utf8CString)
        let made = template.withUnsafeMutableBufferPointer { buffer in
            buffer.baseAddress.flatMap { mkdtemp($0) } != nil
        }
        try #require(made)
        return String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    static func remove(_ directory: String) {
        if let listing = opendir(directory) {
            while let entry = readdir(listing) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
                if name != "." && name != ".." { unlink(directory + "/" + name) }
            }
            closedir(listing)
        }
        rmdir(directory)
    }

    static func write(_ text: String, to path: String, mode: mode_t = 0o644) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode)
        try #require(fd >= 0)
        defer { close(fd) }
        let bytes = Array(text.utf8)
        #expect(bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) } == bytes.count)
    }

    static func read(_ path: String) -> String? {
        guard let file = fopen(path, "r") else { return nil }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4_096)
        while true {
            let count = fread(&chunk, 1, chunk.count, file)
            if count <= 0 { break }
            bytes += chunk[0..<count]
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    @Test func argumentsArriveLiterallyAndNoShellRunsThem() async throws {
        let directory = try Self.temporaryDirectory()
        defer { Self.remove(directory) }
        let marker = directory + "/executed"
        let argvFile = directory + "/argv"
        // The recorder is a script only to write its argv, NUL-separated, to a file; the command line
        // itself never passes through a shell.
        try Self.write("#!/bin/sh\nprintf '%s\\0' \"$@\" > '\(argvFile)'\n", to: directory + "/record-argv", mode: 0o755)
        let url = "rtmp://h/live;touch \(marker)$(id) `touch \(marker)` && touch \(marker) 'q' \"d\" | >\(marker)"
        let command = try ClientCommand(parsing: "'\(directory)/record-argv' -r {url} \"two words\" $HOME")
        let result = try await ClientProcess.run(command.arguments(url: url), timeout: .seconds(10))
        #expect(result.reason == .exited)
        #expect(result.termination == .exited(code: 0))
        let written = try #require(Self.read(argvFile))
        let received = written.split(separator: "\0", omittingEmptySubsequences: false).dropLast().map(String.init)
        #expect(received == ["-r", url, "two words", "$HOME"])
        #expect(access(marker, F_OK) != 0, "something ran the URL through a shell")
    }

    @Test func timeoutStopsASleepWithinItsBound() async throws {
        let result = try await ClientProcess.run(["sleep", "100"], timeout: .milliseconds(300), grace: .seconds(1))
        #expect(result.reason == .timedOut)
        #expect(result.termination == .signalled(SIGTERM))
        #expect(!result.neededKill)
        #expect(result.duration == .milliseconds(300))
        // sleep dies of SIGTERM at once: reaped well before the grace would end.
        #expect(result.reaped - result.started < .seconds(1))
    }

    @Test func aClientIgnoringSIGTERMIsKilledAfterTheGrace() async throws {
        let result = try await ClientProcess.run(
            ["sh", "-c", "trap '' TERM; echo ready; sleep 100 & wait; sleep 100"], timeout: .milliseconds(300),
            grace: .milliseconds(500))
        let took = result.reaped - result.started
        #expect(result.reason == .timedOut)
        #expect(result.neededKill)
        #expect(result.termination == .signalled(SIGKILL))
        #expect(took >= .milliseconds(800))
        #expect(took < .seconds(5))
        #expect(result.standardOutput.text == "ready\n")
    }

    @Test func exitStatusAndOutputTailsAreKept() async throws {
        let result = try await ClientProcess.run(
            ["sh", "-c", "i=0; while [ $i -lt 300 ]; do echo line$i; i=$((i+1)); done; echo oops >&2; exit 3"],
            timeout: .seconds(10), outputLimit: 32)
        #expect(result.reason == .exited)
        #expect(result.termination == .exited(code: 3))
        #expect(result.standardOutput.bytes.count == 32)
        #expect(result.standardOutput.text.hasSuffix("line299\n"))
        #expect(result.standardOutput.text.hasPrefix("…"))
        #expect(result.standardError.text == "oops\n")
    }

    @Test func watchStopsTheClient() async throws {
        let started = ContinuousClock.now
        let result = try await ClientProcess.run(["sleep", "100"], timeout: .seconds(20)) {
            ContinuousClock.now - started > .milliseconds(100)
        }
        #expect(result.reason == .stopped)
        #expect(result.duration < .seconds(2))
    }

    @Test func cancellingTheTaskStopsAndReapsTheClient() async throws {
        let task = Task { try await ClientProcess.run(["sleep", "100"], timeout: .seconds(30), grace: .seconds(1)) }
        try await Task.sleep(for: .milliseconds(100))
        // Measured from the cancel itself: a loaded cooperative pool may wake this task late.
        let cancelledAt = ContinuousClock.now
        task.cancel()
        let result = try await task.value
        #expect(result.reason == .cancelled)
        #expect(result.termination == .signalled(SIGTERM))
        #expect(result.ended - cancelledAt < .seconds(1))
        #expect(result.reaped - cancelledAt < .seconds(2))
    }

    @Test func missingProgramIsNamed() async throws {
        await #expect(throws: ClientLaunchError.programNotFound("rtmpdump-not-installed")) {
            _ = try await ClientProcess.run(["rtmpdump-not-installed", "-r", "x"], timeout: .seconds(1))
        }
        #expect(ClientLaunchError.programNotFound("rtmpdump").description
            == "client.command: program 'rtmpdump' not found in PATH")
        await #expect(throws: ClientLaunchError.notExecutable("/nonexistent/player")) {
            _ = try await ClientProcess.run(["/nonexistent/player"], timeout: .seconds(1))
        }
    }

    @Test func theChildInheritsNoDescriptorButStdio() async throws {
        let fd = open("/dev/null", O_RDONLY)
        #expect(fd > 2)
        defer { close(fd) }
        let result = try await ClientProcess.run(["ls", "/proc/self/fd"], timeout: .seconds(10))
        let descriptors = result.standardOutput.text.split(separator: "\n").compactMap { Int($0) }
        // 0, 1, 2, and the one ls opens to list the directory.
        #expect(descriptors.filter { $0 > 2 }.count <= 1, "\(descriptors)")
        #expect(!descriptors.contains(Int(fd)) || fd == 3)
    }
}
