import ArgumentParser
import Dispatch
import Lab

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `fallback-lab serve`: the fake RTMP/RTMPT server on real ports, for a player under test.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the fake RTMP/RTMPT server on real ports until interrupted.",
        discussion: """
            Every port answers RTMP, RTMPT and RTMPS, told apart by the client's first bytes (RTMPS: TLS \
            terminated with --certificate/--key, or a self-signed certificate made at start for localhost \
            and 127.0.0.1). Prints a 'tls certificate … sha256 FINGERPRINT' line, one \
            'listening HOST:PORT rtmp,rtmpt,rtmps' line per port, then one line per connect it answers. \
            Listens on 127.0.0.1:1935 unless told otherwise.

            With --scenario FILE it serves that scenario's server behaviour and firewall on the loopback \
            network instead (the same as run --network loopback): one 'port P at 127.0.0.1:L: RULE' line \
            per scenario port says which local address stands for scenario port P and what answers there; \
            time windows count from the start of serve. --listen, --response, --redirect, --delay, \
            --media, --certificate and --key do not apply then.
            """
    )

    @Option(
        name: .customLong("listen"), help: "HOST:PORT to listen on; repeat for several ports (port 0: any free port; default 127.0.0.1:1935).")
    var listen: [String] = []

    @Option(help: "How to answer connect: accept, reject, redirect, silent or close-after-handshake (default accept).")
    var response: Response?

    @Option(help: "Where a redirect points (with --response redirect).")
    var redirect: String?

    @Option(help: "Think time before answering connect (e.g. 10ms; default 0).")
    var delay: DurationArgument?

    @Option(help: "A scenario file whose server and firewall to serve on loopback.")
    var scenario: String?

    @Option(help: "Seed of the handshake bytes.")
    var seed: UInt64 = 1

    @Option(help: "What a play receives, for every stream name: 'synthetic' (a generated H.264 stream, 64x48, 10 keyframes a second; 'synthetic:320x240@25' sets size and rate, hence the bitrate) or FILE.flv (its tags, paced by their timestamps). Default: no media, every play is StreamNotFound.")
    var media: String?

    @Option(help: "The server's certificate chain for RTMPS (PEM, leaf first; with --key). Default: a self-signed certificate made at start.")
    var certificate: String?

    @Option(help: "The private key of --certificate (PEM, unencrypted).")
    var key: String?

    enum Response: String, ExpressibleByArgument, CaseIterable {
        case accept, reject, redirect, silent
        case closeAfterHandshake = "close-after-handshake"
    }

    func validate() throws {
        if scenario != nil {
            let given = [
                (!listen.isEmpty, "--listen"), (response != nil, "--response"), (redirect != nil, "--redirect"),
                (delay != nil, "--delay"), (media != nil, "--media"), (certificate != nil, "--certificate"),
                (key != nil, "--key"),
            ]
            if let clash = given.first(where: \.0) {
                throw ValidationError("\(clash.1) does not apply with --scenario: the scenario says how the server answers and where")
            }
            return
        }
        do {
            try LiveCommands.checkListen(listen)
            if let media { _ = try LiveCommands.media(media) }
            try LiveCommands.checkCertificate(certificate, key: key)
        } catch {
            throw ValidationError(error.description)
        }
        if response == .redirect, redirect == nil {
            throw ValidationError("--response redirect needs --redirect URL")
        }
        if response != .redirect, redirect != nil {
            throw ValidationError("--redirect only applies with --response redirect")
        }
    }

    /// Serves (the flags' server, or the scenario's loopback network) until SIGINT/SIGTERM.
    func run() async throws {
        let serving: LiveCommands.Serving
        if let scenario {
            serving = try await serve(scenarioFile: scenario)
        } else {
            do {
                serving = try await LiveCommands.serve(
                    listen: listen, response: (response ?? .accept).rawValue, redirect: redirect,
                    delay: (delay ?? DurationArgument(.zero)).duration, seed: seed,
                    media: media, certificate: certificate, key: key, connectLine: printLine)
            } catch {
                printError("fallback-lab serve: \(error)")
                if case .input = error { throw ExitCode.validationFailure }
                throw ExitCode.failure
            }
        }
        for line in serving.lines { printLine(line) }
        let signal = await Self.waitForTermination()
        for line in await serving.shutdown() { printLine(line) }
        printError("fallback-lab serve: stopped (\(signal == SIGINT ? "SIGINT" : "SIGTERM"))")
    }

    /// `serve --scenario`: the scenario's loopback network, started (`run` serves it until
    /// SIGINT/SIGTERM).
    private func serve(scenarioFile: String) async throws -> LiveCommands.Serving {
        let validation = try ScenarioInput.load([scenarioFile])
        guard validation.scenarios.count == 1, let scenario = validation.scenarios.first else {
            throw ValidationError("--scenario takes one scenario file; \(scenarioFile) holds \(validation.scenarios.count)")
        }
        for limitation in scenario.liveLimitations(on: .loopback) {
            printError("fallback-lab serve: not reproduced on loopback: \(limitation)")
        }
        do {
            return try await LiveCommands.serve(scenario, seed: seed, connectLine: printLine)
        } catch {
            printError("fallback-lab serve: \(error)")
            throw ExitCode.failure
        }
    }

    /// Suspends until SIGINT or SIGTERM arrives; returns which.
    static func waitForTermination() async -> Int32 {
        let (signals, continuation) = AsyncStream.makeStream(of: Int32.self)
        let queue = DispatchQueue(label: "fallback-lab.signals")
        let sources = [SIGINT, SIGTERM].map { number in
            signal(number, SIG_IGN)  // the dispatch source receives it instead of the default handler
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler { continuation.yield(number) }
            source.resume()
            return source
        }
        defer { for source in sources { source.cancel() } }
        for await number in signals { return number }
        return SIGTERM
    }
}

/// One line on standard output, flushed at once: whoever reads `serve` through a pipe waits for the
/// `listening` line before connecting.
func printLine(_ message: String) {
    print(message)
    fflush(nil)
}

/// Diagnostics go to standard error, so standard output stays the machine-readable lines.
func printError(_ message: String) {
    var line = message + "\n"
    line.withUTF8 { bytes in _ = write(2, bytes.baseAddress, bytes.count) }
}
