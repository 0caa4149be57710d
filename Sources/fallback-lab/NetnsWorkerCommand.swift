import ArgumentParser
import Foundation
import Lab

/// The hidden `netns-worker` subcommand: one run inside the private network namespace that
/// `run --network netns` created for it. Prints the run's result as JSON on stdout; on failure the
/// reason on stderr and exit 1. Refuses to do anything in the namespace it was launched from.
struct NetnsWorkerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: NamespaceRunRequest.subcommand,
        abstract: "Run one scenario inside a private network namespace (used by run --network netns).",
        shouldDisplay: false
    )

    @Option var file: String
    @Option var scenario: String
    @Option var policy: String
    @Option var seed: UInt64
    @Option(name: .customLong("bound-ms")) var boundMilliseconds: Int64
    @Option(name: .customLong("host-netns")) var hostNamespace: UInt64
    @Flag var external = false
    @Option var capture: String?

    func run() async throws {
        var request = NamespaceRunRequest(
            file: file, scenario: scenario, policy: policy, seed: seed, bound: .milliseconds(boundMilliseconds),
            hostNamespace: hostNamespace)
        request.external = external
        request.capturePath = capture
        do {
            FileHandle.standardOutput.write(Data(try await request.runAndEncode()))
        } catch {
            FileHandle.standardError.write(Data("\(error)\n".utf8))
            throw ExitCode(1)
        }
    }
}
