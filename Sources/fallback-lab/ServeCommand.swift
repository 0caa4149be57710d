import ArgumentParser
import Dispatch
import LiveNet
import RTMP

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
            Every port answers RTMP and RTMPT, told apart by the client's first bytes. Prints one \
            'listening HOST:PORT rtmp,rtmpt' line per port, then one line per connect it answers.
            """
    )

    @Option(
        name: .customLong("listen"), help: "HOST:PORT to listen on; repeat for several ports (port 0: any free port).",
        transform: { try ListenAddress(parsing: $0) })
    var listen: [ListenAddress] = [ListenAddress(host: "127.0.0.1", port: 1935)]

    @Option(help: "How to answer connect: accept, reject, redirect, silent or close-after-handshake.")
    var response: Response = .accept

    @Option(help: "Where a redirect points (with --response redirect).")
    var redirect: String?

    @Option(help: "Think time before answering connect (e.g. 10ms).")
    var delay = DurationArgument(.zero)

    @Option(help: "Seed of the handshake bytes.")
    var seed: UInt64 = 1

    enum Response: String, ExpressibleByArgument, CaseIterable {
        case accept, reject, redirect, silent
        case closeAfterHandshake = "close-after-handshake"
    }

    func validate() throws {
        if response == .redirect, redirect == nil {
            throw ValidationError("--response redirect needs --redirect URL")
        }
        if response != .redirect, redirect != nil {
            throw ValidationError("--redirect only applies with --response redirect")
        }
    }

    func run() async throws {
        let behavior: RTMPServerSession.Behavior
        switch response {
        case .accept: behavior = .accept
        case .reject: behavior = .reject(description: "Connection rejected by fallback-lab serve.")
        case .redirect: behavior = .redirect(url: redirect ?? "")
        case .silent: behavior = .silent
        case .closeAfterHandshake: behavior = .closeAfterHandshake
        }
        let configuration = LiveServerConfiguration(
            listen: listen, session: .init(behavior: behavior, delay: delay.duration), seed: seed)
        let server: LiveServer
        do {
            server = try await LiveServer.start(configuration) { event in
                if case .connect(let app, let flashVer, let tcUrl, let via) = event.kind {
                    printLine("connect app=\(app) flashVer=\"\(flashVer)\" tcUrl=\(tcUrl) via \(via.rawValue) (connection \(event.connection))")
                }
            }
        } catch {
            printError("fallback-lab serve: \(error)")
            throw ExitCode.failure
        }
        for address in server.addresses {
            printLine("listening \(address) rtmp,rtmpt")
        }
        let signal = await Self.waitForTermination()
        await server.shutdown()
        printError("fallback-lab serve: stopped (\(signal == SIGINT ? "SIGINT" : "SIGTERM"))")
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
