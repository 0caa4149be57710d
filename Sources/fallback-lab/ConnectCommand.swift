import ArgumentParser
import Lab

/// `fallback-lab connect`: one timed connection to an RTMP, RTMPT or RTMPS URL, like a player's first
/// attempt, and with `--play` on to a stream's first frame, which is what a viewer waits for.
struct ConnectCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "connect",
        abstract: "Connect to an rtmp://, rtmpt:// or rtmps:// URL and print the time to connect and its phases.",
        discussion: """
            Exits 0 on NetConnection.Connect.Success, 1 otherwise with the reason \
            (refused, timeout, rejected: …, redirect: URL, …). With --play STREAM it goes on, on the \
            same connection, to the stream's first video keyframe and prints the time to first frame; \
            it exits 0 only once that frame arrived, 1 when the play fails (play STREAM: the server's \
            reason, such as NetStream.Play.StreamNotFound's) or --timeout passes first. \
            rtmps:// verifies the server's certificate \
            against the system trust store unless --ca-file or --insecure says otherwise.
            """
    )

    @Argument(help: "rtmp://HOST[:PORT]/APP, rtmpt://HOST[:PORT]/APP or rtmps://HOST[:PORT]/APP")
    var url: String

    @Option(help: "Give up after this long (e.g. 500ms, 5s), the play included.")
    var timeout = DurationArgument(.seconds(5))

    @Option(help: "Handshake: digest (Flash Player 9, as ffmpeg) or plain (as librtmp).")
    var handshake: Handshake = .digest

    @Option(help: "The flashVer sent in connect.")
    var flashVer = LiveCommands.defaultFlashVer

    @Option(help: "Seed of the handshake bytes.")
    var seed: UInt64 = 1

    @Option(help: ArgumentHelp("After connecting, play this stream to its first frame.", valueName: "STREAM"))
    var play: String?
    @Option(help: "rtmps://: trust the certificates of this PEM file (the server's own, or its CA) instead of the system's.")
    var caFile: String?

    @Flag(help: "rtmps://: do not verify the server's certificate at all.")
    var insecure = false

    enum Handshake: String, ExpressibleByArgument, CaseIterable {
        case digest, plain
    }

    func validate() throws {
        do {
            try LiveCommands.checkConnectURL(url)
            try LiveCommands.checkTrust(url: url, caFile: caFile, insecure: insecure)
        } catch {
            throw ValidationError(error.description)
        }
        if timeout.duration <= .zero { throw ValidationError("--timeout must be more than zero") }
        if let play, play.isEmpty { throw ValidationError("--play needs a stream name") }
    }

    func run() async throws {
        let result = try await LiveCommands.connect(
            url, timeout: timeout.duration, plainHandshake: handshake == .plain, flashVer: flashVer, seed: seed,
            play: play, caFile: caFile, insecure: insecure)
        print(result.summary)
        if !result.succeeded { throw ExitCode.failure }
    }
}
