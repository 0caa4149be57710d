import ArgumentParser
import Connector
import LiveNet
import RTMP

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

    @Argument(help: "rtmp://HOST[:PORT]/APP or rtmpt://HOST[:PORT]/APP", transform: { try ConnectURL(parsing: $0) })
    var url: ConnectURL

    @Option(help: "Give up after this long (e.g. 500ms, 5s).")
    var timeout = DurationArgument(.seconds(5))

    @Option(help: "Handshake: digest (Flash Player 9, as ffmpeg) or plain (as librtmp).")
    var handshake: Handshake = .digest

    @Option(help: "The flashVer sent in connect.")
    var flashVer = LiveClientOptions.defaultFlashVer

    @Option(help: "Seed of the handshake bytes.")
    var seed: UInt64 = 1

    enum Handshake: String, ExpressibleByArgument, CaseIterable {
        case digest, plain
    }

    func validate() throws {
        switch url.scheme {
        case .rtmp, .rtmpt: break
        case .rtmpe, .rtmps, .rtmpte, .rtmpts:
            throw ValidationError("\(url.scheme):// is not supported by connect; use rtmp:// or rtmpt://")
        }
        if timeout.duration <= .zero { throw ValidationError("--timeout must be more than zero") }
    }

    func run() async throws {
        let options = LiveClientOptions(
            timeout: timeout.duration, handshakeMode: handshake == .digest ? .digest : .plain,
            flashVer: flashVer, seed: seed)
        let result = await LiveClient(options: options).connect(to: url)
        print(result.summary)
        if !result.succeeded { throw ExitCode.failure }
    }
}
