import ArgumentParser
import Lab

/// `fallback-lab connect`: one timed connection to an RTMP or RTMPT URL, like a player's first attempt.
struct ConnectCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "connect",
        abstract: "Connect to an rtmp:// or rtmpt:// URL and print the time to connect and its phases.",
        discussion: """
            Exits 0 on NetConnection.Connect.Success, 1 otherwise with the reason \
            (refused, timeout, rejected: …, redirect: URL, …).
            """
    )

    @Argument(help: "rtmp://HOST[:PORT]/APP or rtmpt://HOST[:PORT]/APP")
    var url: String

    @Option(help: "Give up after this long (e.g. 500ms, 5s).")
    var timeout = DurationArgument(.seconds(5))

    @Option(help: "Handshake: digest (Flash Player 9, as ffmpeg) or plain (as librtmp).")
    var handshake: Handshake = .digest

    @Option(help: "The flashVer sent in connect.")
    var flashVer = LiveCommands.defaultFlashVer

    @Option(help: "Seed of the handshake bytes.")
    var seed: UInt64 = 1

    enum Handshake: String, ExpressibleByArgument, CaseIterable {
        case digest, plain
    }

    func validate() throws {
        do {
            try LiveCommands.checkConnectURL(url)
        } catch {
            throw ValidationError(error.description)
        }
        if timeout.duration <= .zero { throw ValidationError("--timeout must be more than zero") }
    }

    func run() async throws {
        let result = try await LiveCommands.connect(
            url, timeout: timeout.duration, plainHandshake: handshake == .plain, flashVer: flashVer, seed: seed)
        print(result.summary)
        if !result.connected { throw ExitCode.failure }
    }
}
