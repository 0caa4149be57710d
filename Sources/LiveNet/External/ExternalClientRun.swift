import Connector
import NIOCore
import NIOPosix
import RunCore

/// An external client (rtmpdump, ffmpeg, a player's test binary) run against the scenario's network
/// on loopback: the same fake server, firewall rules and relays as `LiveRun`, with the client a
/// process of its own instead of our connector.
///
/// ```swift
/// let command = try ClientCommand(parsing: "rtmpdump -r {url} -m 5 -o /dev/null")
/// let scenario = LiveScenario(urls: [try ConnectURL(parsing: "rtmp://media.example.com/live")],
///                             firewall: [FirewallRule(ports: [1935], action: .drop)])
/// let result = try await ExternalClientRun(scenario: scenario, command: command, timeout: .seconds(5)).run()
/// result.summary   // "timed out after 5 s": librtmp only ever tries 1935
/// ```
///
/// **The URL is mapped per port.** On loopback the scenario's ports are ephemeral, so `{url}`
/// becomes the URL with its host and port replaced by `127.0.0.1` and whatever the firewall puts
/// behind the URL's port (the server, a relay, the closed port, the full-backlog listener). The
/// client therefore cannot fall back to another port: `rtmp://…:443` from it would not reach the
/// scenario's port 443. A network namespace, where the scenario's real ports are served, lifts
/// that; here the run shows what the client does with the one port it was given. Rules are judged
/// once, at the spawn (time windows do not switch the mapping later).
///
/// **What is measured** (`ExternalClientResult`): time to connect from spawn to our server sending
/// `NetConnection.Connect.Success`; then the client is stopped (the measurement is done). Without
/// it the run ends at the client's own exit or at `timeout`. Every connection the server accepted
/// is recorded with its handshake and connect times, and so are attempts at a dropped port, seen
/// in the kernel's socket table while they wait for a SYN-ACK. Refused connections (a reset) are
/// over too fast to be seen without a capture.
package struct ExternalClientRun: Sendable {
    package var scenario: LiveScenario
    package var command: ClientCommand
    /// Bounds the process: SIGTERM to its group then, SIGKILL after `grace`.
    package var timeout: Duration
    package var grace: Duration
    /// Expands into the server's handshake bytes.
    package var seed: UInt64
    /// Loopback (the URL mapped per port), or the private namespace this process runs in: there the
    /// client runs in the player's namespace behind the per-packet link (`nsenter`), the URL is given
    /// as written, its host resolves to the server's end of the link through a hosts file, the server
    /// has the real ports and nftables the rules, so the client's own fallback to other ports meets
    /// the scenario's firewall and its packets the scenario's latency, jitter, loss and bandwidth.
    package var network: LiveNetworkKind

    package init(
        scenario: LiveScenario, command: ClientCommand, timeout: Duration, grace: Duration = .seconds(2),
        seed: UInt64 = 1, network: LiveNetworkKind = .loopback
    ) {
        self.network = network
        self.scenario = scenario
        self.command = command
        self.timeout = timeout
        self.grace = grace
        self.seed = seed
    }

    /// The URL the client is given for `url` when the scenario port it names is served on loopback
    /// `port`: the same scheme and path, host `127.0.0.1`.
    package static func mappedURL(_ url: ConnectURL, port: Int) -> String {
        "\(url.scheme)://127.0.0.1:\(port)/\(url.path)"
    }

    /// Builds the network, runs the client until it is connected, exits or times out, and tears the
    /// network down again on every path.
    package func run(group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) async throws(ExternalClientError) -> ExternalClientResult {
        // A client under test is given one URL: the first of the list.
        guard let url = scenario.urls.first else { throw .setup("the scenario gives the client no URL") }
        let scenarioPort = UInt16(clamping: url.port)
        let recorder = ExternalClientRecorder()
        if case .privateNamespace(let hostNamespace) = self.network {
            return try await runInNamespace(
                url: url, written: url.description, recorder: recorder, hostNamespace: hostNamespace,
                loop: group.next())
        }
        let network: LoopbackNetwork
        do {
            network = try await LoopbackNetwork.start(
                scenario, extraPorts: [scenarioPort], seed: RunSeeds.server(seed), on: group.next(),
                observer: { recorder.record($0) })
        } catch {
            throw .network(error)
        }
        let target = network.target(for: scenarioPort, at: .zero)
        let clientURL = Self.mappedURL(url, port: target)
        let silentPort = network.silentPort
        return try await launchAndCollect(
            clientURL: clientURL, scenarioURL: url.description, scenarioPort: scenarioPort, recorder: recorder,
            sample: { recorder.sampleUnanswered(silentPort: silentPort) },
            scenarioPortOf: { network.scenarioPort(ofServerPort: $0) },
            failure: { nil }, shutdown: { await network.shutdown() })
    }

    /// What both networks do once they are up: run the client until our server says it connected, it
    /// exits or it times out (sampling the kernel's unanswered SYNs meanwhile), wait for the last
    /// events, snapshot what the server saw, and shut the network down on every path.
    private func launchAndCollect(
        clientURL: String, scenarioURL: String, scenarioPort: UInt16, recorder: ExternalClientRecorder,
        enter: [String] = [], sample: @escaping @Sendable () -> Void, scenarioPortOf: (Int) -> UInt16?,
        failure: () -> String?, shutdown: () async -> Void
    ) async throws(ExternalClientError) -> ExternalClientResult {
        let process: ClientProcessResult
        do {
            var arguments = command.arguments(url: clientURL)
            if !enter.isEmpty, let program = arguments.first {
                // Resolved here, so that a missing client is our launch error, not nsenter's.
                arguments[0] = try ClientProcess.resolve(program)
                arguments = [try ClientProcess.resolve(enter[0])] + enter.dropFirst() + arguments
            }
            process = try await ClientProcess.run(
                arguments, timeout: timeout, grace: grace,
                watch: {
                    sample()
                    return recorder.success != nil
                })
        } catch {
            await shutdown()
            throw .launch(error)
        }
        // Events of the last moments (the close of its connections) arrive on the server's loop.
        try? await Task.sleep(for: .milliseconds(20))
        let seen = recorder.snapshot(since: process.started, droppedPort: scenarioPort, port: scenarioPortOf)
        let failed = failure()
        await shutdown()
        if let failed { throw .network(.network(failed)) }
        let success = recorder.success.map { $0 - process.started }
        return ExternalClientResult(
            name: command.rowName, scenarioURL: scenarioURL, clientURL: clientURL, port: scenarioPort,
            process: process, timeToConnect: success, connections: seen.connections, unanswered: seen.unanswered)
    }
}

extension ExternalClientRun {
    /// The run inside a private namespace: the URL as written, every scenario port real.
    private func runInNamespace(
        url: ConnectURL, written: String, recorder: ExternalClientRecorder, hostNamespace: UInt64, loop: any EventLoop
    ) async throws(ExternalClientError) -> ExternalClientResult {
        let scenarioPort = UInt16(clamping: url.port)
        // Every port a client of this scheme might fall back to gets the rules and relays too.
        let fallbackPorts: Set<UInt16> = [scenarioPort, 1935, 443, 80]
        // The client in the player's namespace, behind the per-packet link, as `LiveRun`'s player.
        let link = PacketLink(up: scenario.link, down: scenario.link, seed: RunSeeds.link(seed))
        let network: NamespaceNetwork
        do {
            network = try await NamespaceNetwork.start(
                scenario, extraPorts: fallbackPorts, seed: RunSeeds.server(seed), hostNamespace: hostNamespace,
                on: loop, link: link, observer: { recorder.record($0) })
        } catch {
            throw .network(error)
        }
        func shutdown() async {
            await network.shutdown()
            await network.closeLink()
        }
        guard let folder = network.playerFolder else {
            await shutdown()
            throw .network(.network("the player's namespace has no thread to start the client in"))
        }
        do {
            try NamespaceHosts.install(names: [url.host], address: network.host)
        } catch {
            await shutdown()
            throw .network(error)
        }
        let ports = network.scenarioPorts
        network.started(at: .now)
        return try await launchAndCollect(
            clientURL: written, scenarioURL: written, scenarioPort: scenarioPort, recorder: recorder,
            enter: ["nsenter", "--net=\(folder)/ns/net", "--"],
            sample: { recorder.sampleUnanswered(remotePorts: ports, table: "\(folder)/net/tcp") },
            scenarioPortOf: { network.scenarioPort(ofServerPort: $0) },
            failure: { network.failure() }, shutdown: shutdown)
    }
}
