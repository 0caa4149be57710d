import Foundation
import LiveNet
import Testing
import TestSupport

/// `fallback-lab serve` and `fallback-lab connect` as a user runs them: output lines, exit codes,
/// signals. The executable is built next to the test bundle by `swift test`.
@Suite("Command line: serve and connect", .timeLimit(.minutes(5)))
struct CommandLineTests {
    /// The `fallback-lab` binary beside the running test bundle, if it was built.
    static var executable: String? {
        guard let bundle = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") else { return nil }
        var directory = URL(fileURLWithPath: bundle).deletingLastPathComponent()
        // On Linux the tests run from <build>/debug/FallbackLabPackageTests.xctest; walk up a little
        // in case the bundle is a directory.
        for _ in 0..<3 {
            let candidate = directory.appendingPathComponent("fallback-lab").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            directory.deleteLastPathComponent()
        }
        return nil
    }

    static func requireExecutable() throws -> String {
        guard let path = executable else { throw InteropEnvironment.MissingPeer(name: "the fallback-lab executable (swift build)") }
        return path
    }

    /// Runs `fallback-lab` with `arguments` to completion (bounded); returns status and output.
    static func run(_ arguments: [String]) async throws -> (status: Int32, output: String) {
        let process = try TestProcess(try requireExecutable(), arguments)
        let status = await process.waitForExit(timeout: .seconds(60))
        let final = await process.stop()
        return (status ?? final, process.output)
    }

    /// Starts `fallback-lab serve` and waits for its `listening` lines; returns the process and ports.
    static func serve(_ arguments: [String], ports: Int) async throws -> (TestProcess, [Int]) {
        let server = try TestProcess(try requireExecutable(), ["serve"] + arguments)
        // A debug binary starting while the whole suite runs in parallel can take a while.
        let deadline = ContinuousClock.now + .seconds(45)
        for _ in 0..<10_000 {
            let listening = server.output.split(separator: "\n").filter { $0.hasPrefix("listening 127.0.0.1:") }
            if listening.count == ports {
                let found = listening.compactMap { line in
                    Int(line.dropFirst("listening 127.0.0.1:".count).prefix { $0.isNumber })
                }
                #expect(listening.allSatisfy { $0.hasSuffix(" rtmp,rtmpt,rtmps") }, "\(server.output)")
                return (server, found)
            }
            if !server.isRunning || ContinuousClock.now >= deadline { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        await server.stop()
        Issue.record("serve did not print \(ports) listening line(s):\n\(server.output)")
        throw CancellationError()
    }

    @Test(.enabled(if: InteropEnvironment.isCI || executable != nil, "the fallback-lab executable is not built"))
    func serveAnswersConnectOverRTMPAndRTMPTOnEveryPortAndStopsOnSIGTERM() async throws {
        let (server, ports) = try await Self.serve(["--listen", "127.0.0.1:0", "--listen", "127.0.0.1:0"], ports: 2)
        var results: [(Int32, String)] = []
        for (port, scheme) in [(ports[0], "rtmp"), (ports[1], "rtmpt")] {
            results.append(try await Self.run(["connect", "\(scheme)://127.0.0.1:\(port)/live", "--timeout", "20s"]))
        }
        let lines = await server.waitForOutput(containing: "via rtmpt", timeout: .seconds(20))
        let status = await server.stop(signal: SIGTERM, grace: .seconds(5))

        for (index, (code, output)) in results.enumerated() {
            let scheme = index == 0 ? "rtmp" : "rtmpt"
            #expect(code == 0, "\(output)")
            #expect(output.hasPrefix("connected \(scheme)://127.0.0.1:\(ports[index])/live in "), "\(output)")
            #expect(output.contains("(tcp "), "\(output)")
            #expect(output.contains(", handshake ") && output.contains(", connect "), "\(output)")
            #expect(output.contains(", tunnel ") == (scheme == "rtmpt"), "\(output)")
        }
        #expect(lines, "\(server.output)")
        #expect(server.output.contains("connect app=live flashVer=\"LNX 9,0,124,2\" tcUrl=rtmp://127.0.0.1:\(ports[0])/live via rtmp"), "\(server.output)")
        #expect(server.output.contains("connect app=live flashVer=\"LNX 9,0,124,2\" tcUrl=rtmpt://127.0.0.1:\(ports[1])/live via rtmpt"), "\(server.output)")
        // A clean stop: exit 0, not killed.
        #expect(status == 0, "\(server.output)")
    }

    @Test(.enabled(if: InteropEnvironment.isCI || executable != nil, "the fallback-lab executable is not built"))
    func connectExitsOneWithTheReason() async throws {
        let (rejecting, rejectPorts) = try await Self.serve(["--listen", "127.0.0.1:0", "--response", "reject"], ports: 1)
        let rejected = try await Self.run(["connect", "rtmp://127.0.0.1:\(rejectPorts[0])/live"])
        await rejecting.stop()
        #expect(rejected.status == 1)
        #expect(rejected.output.hasPrefix("failed rtmp://127.0.0.1:\(rejectPorts[0])/live: rejected: "), "\(rejected.output)")

        let (redirecting, redirectPorts) = try await Self.serve(
            ["--listen", "127.0.0.1:0", "--response", "redirect", "--redirect", "rtmp://edge.example.com/live"], ports: 1)
        let redirected = try await Self.run(["connect", "rtmpt://127.0.0.1:\(redirectPorts[0])/live"])
        await redirecting.stop()
        #expect(redirected.status == 1)
        #expect(redirected.output.contains(": redirect: rtmp://edge.example.com/live in "), "\(redirected.output)")

        let (silent, silentPorts) = try await Self.serve(["--listen", "127.0.0.1:0", "--response", "silent"], ports: 1)
        let timedOut = try await Self.run(["connect", "rtmp://127.0.0.1:\(silentPorts[0])/live", "--timeout", "2s"])
        await silent.stop()
        #expect(timedOut.status == 1)
        #expect(timedOut.output.hasPrefix("failed rtmp://127.0.0.1:\(silentPorts[0])/live: timeout in "), "\(timedOut.output)")

        let reserved = try ReservedPort()
        let refused = try await Self.run(["connect", "rtmp://127.0.0.1:\(reserved.port)/live"])
        withExtendedLifetime(reserved) {}
        #expect(refused.status == 1)
        #expect(refused.output.hasPrefix("failed rtmp://127.0.0.1:\(reserved.port)/live: refused in "), "\(refused.output)")
    }

    /// `connect --play`: exit 0 with the time to first frame from a server with media, exit 1 with the
    /// play's reason from one without (every play is NetStream.Play.StreamNotFound), though both
    /// connects succeed; over RTMP and RTMPT alike.
    @Test(.enabled(if: InteropEnvironment.isCI || executable != nil, "the fallback-lab executable is not built"))
    func connectPlayExitsZeroAtTheFirstFrameAndOneWhenThePlayFails() async throws {
        let (media, mediaPorts) = try await Self.serve(["--listen", "127.0.0.1:0", "--media", "synthetic"], ports: 1)
        let (bare, barePorts) = try await Self.serve(["--listen", "127.0.0.1:0"], ports: 1)
        var played: [(status: Int32, output: String)] = []
        var refused: [(status: Int32, output: String)] = []
        for scheme in ["rtmp", "rtmpt"] {
            played.append(try await Self.run(["connect", "\(scheme)://127.0.0.1:\(mediaPorts[0])/live", "--play", "x", "--timeout", "20s"]))
            refused.append(try await Self.run(["connect", "\(scheme)://127.0.0.1:\(barePorts[0])/live", "--play", "x", "--timeout", "20s"]))
        }
        await media.stop()
        await bare.stop()
        for (index, scheme) in ["rtmp", "rtmpt"].enumerated() {
            #expect(played[index].status == 0, "\(played[index].output)")
            #expect(played[index].output.hasPrefix("connected \(scheme)://127.0.0.1:\(mediaPorts[0])/live in "), "\(played[index].output)")
            #expect(played[index].output.contains("; first frame of x in "), "\(played[index].output)")
            #expect(refused[index].status == 1, "\(refused[index].output)")
            #expect(refused[index].output.hasPrefix("failed \(scheme)://127.0.0.1:\(barePorts[0])/live: play x: No such stream in "), "\(refused[index].output)")
        }
        let empty = try await Self.run(["connect", "rtmp://127.0.0.1:1/live", "--play", ""])
        #expect(empty.status == 64, "\(empty.output)")
        #expect(empty.output.contains("--play needs a stream name"), "\(empty.output)")
    }

    /// issue 11: `serve --response redirect` to another port of the same host answers the origin's
    /// port with the 302 (the check compared hosts only and accepted it) and accepts on the target's
    /// port, over RTMP and RTMPT alike.
    @Test(.enabled(if: InteropEnvironment.isCI || executable != nil, "the fallback-lab executable is not built"))
    func aRedirectToAnotherPortOfTheSameHostIsA302() async throws {
        let origin = try LoopbackPorts.free()
        var target = try LoopbackPorts.free()
        for _ in 0..<20 where target == origin { target = try LoopbackPorts.free() }
        try #require(target != origin)
        let targetURL = "rtmp://127.0.0.1:\(target)/live"
        let (server, ports) = try await Self.serve([
            "--listen", "127.0.0.1:\(origin)", "--listen", "127.0.0.1:\(target)",
            "--response", "redirect", "--redirect", targetURL,
        ], ports: 2)
        #expect(ports == [origin, target])
        let atOrigin = try await Self.run(["connect", "rtmp://127.0.0.1:\(origin)/live"])
        let atOriginTunneled = try await Self.run(["connect", "rtmpt://127.0.0.1:\(origin)/live"])
        let atTarget = try await Self.run(["connect", targetURL])
        let atTargetTunneled = try await Self.run(["connect", "rtmpt://127.0.0.1:\(target)/live"])
        await server.stop()
        for result in [atOrigin, atOriginTunneled] {
            #expect(result.status == 1, "\(result.output)")
            #expect(result.output.contains(": redirect: \(targetURL) in "), "\(result.output)")
        }
        for result in [atTarget, atTargetTunneled] {
            #expect(result.status == 0, "\(result.output)")
            #expect(result.output.hasPrefix("connected "), "\(result.output)")
        }
    }

    @Test(.enabled(if: InteropEnvironment.isCI || executable != nil, "the fallback-lab executable is not built"))
    func usageErrorsExit64AndAPortInUseIsNamed() async throws {
        let badURL = try await Self.run(["connect", "http://127.0.0.1/live"])
        #expect(badURL.status == 64, "\(badURL.output)")
        #expect(badURL.output.contains("unsupported scheme 'http'"), "\(badURL.output)")
        let badListen = try await Self.run(["serve", "--listen", "127.0.0.1"])
        #expect(badListen.status == 64, "\(badListen.output)")
        #expect(badListen.output.contains("has no port"), "\(badListen.output)")
        let redirectWithoutURL = try await Self.run(["serve", "--response", "redirect"])
        #expect(redirectWithoutURL.status == 64, "\(redirectWithoutURL.output)")

        let (server, ports) = try await Self.serve(["--listen", "127.0.0.1:0"], ports: 1)
        let clash = try await Self.run(["serve", "--listen", "127.0.0.1:\(ports[0])"])
        await server.stop()
        #expect(clash.status == 1, "\(clash.output)")
        #expect(clash.output.contains("port \(ports[0]) is already in use"), "\(clash.output)")
    }

    /// `serve --media` with a file that is missing or not FLV is a usage error that says what is
    /// wrong with it (exit 64), before anything listens.
    @Test(.enabled(if: InteropEnvironment.isCI || executable != nil, "the fallback-lab executable is not built"))
    func serveRefusesAMediaFileItCannotPlay() async throws {
        let folder = try TemporaryFolder()
        let missing = folder.path("missing.flv")
        let absent = try await Self.run(["serve", "--listen", "127.0.0.1:0", "--media", missing])
        #expect(absent.status == 64, "\(absent.output)")
        #expect(absent.output.contains("--media \(missing): no such file"), "\(absent.output)")
        #expect(!absent.output.contains("listening"), "\(absent.output)")
        let notFLV = folder.path("picture.flv")
        try Data("GIF89a and more".utf8).write(to: URL(fileURLWithPath: notFLV))
        let refused = try await Self.run(["serve", "--listen", "127.0.0.1:0", "--media", notFLV])
        #expect(refused.status == 64, "\(refused.output)")
        #expect(refused.output.contains("--media \(notFLV): not an FLV file"), "\(refused.output)")
    }
}
