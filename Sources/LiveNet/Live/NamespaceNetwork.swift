import NIOCore
import NIOPosix
import NIOConcurrencyHelpers
import RunCore
#if canImport(Glibc)
import Glibc
#endif

/// The scenario's network inside a private network namespace: the fake server on the scenario's
/// real ports (1935, 443, 80, …), and the firewall as nftables rules of our own table
/// (`NftablesRuleset`), so that `drop`, `reject` and `reject-icmp` are the kernel's own answers and a
/// client sees the ports exactly as the scenario says. With the per-packet link (`LiveRun` and
/// external clients) the client is in a namespace of its own across the link and the server listens
/// on the link's address, 10.77.0.2; without it (tests of the rules alone) both share 127.0.0.1.
///
/// | rule | what a connection to the port meets |
/// |---|---|
/// | none / `allow` | the server on the real port (across the link; or through the latency relay without one) |
/// | `drop` | nftables `drop`: the kernel retransmits the SYN until the client's connect timeout |
/// | `reject` | nftables `reject with tcp reset` |
/// | `reject-icmp` | nftables `reject with icmpx type port-unreachable` (a real ICMP error) |
/// | `http-only`, `blackhole` | nftables redirects the connection to the in-process relay |
/// | time windows | the rule set is replaced, atomically, at each `from` and `until` |
///
/// Latency, jitter, loss and bandwidth are the link's (without a link, latency is the relays', as on
/// loopback): this network does not use `netem` (see docs/live-networks.md). The relays and the
/// server's second set of listeners use ephemeral ports that the rules never judge.
///
/// Only ever built inside a namespace of its own: `start` refuses when the process is still in the
/// namespace it was launched from, so nothing it does reaches the host's network.
final class NamespaceNetwork: LiveNetwork {
    let server: LiveServer
    private let kernel: KernelEndpoints
    private let relays: [LoopbackRelay]
    private let ruleset: NftablesRuleset
    private let windows = NIOLockedValueBox<Task<Void, Never>?>(nil)
    private let windowFailure = NIOLockedValueBox<String?>(nil)
    /// Every scenario port: the server's, the candidates' and the rules'.
    let scenarioPorts: [UInt16]
    /// The server's internal listener → the scenario port it stands behind.
    private let internalServerPorts: [Int: UInt16]

    /// The per-packet link to the player's namespace, when the player is there (`LiveRun`); nil when
    /// it shares this namespace (an external client, on `lo`).
    private let linked: LinkedNamespaces?
    /// The player's event loop: its one thread is in the player's namespace.
    private let playerGroup: MultiThreadedEventLoopGroup?
    /// The player namespace's thread in /proc (`ThreadNamespace.procFolder`): where an external
    /// client is started (`nsenter --net=…/ns/net`) and its sockets are read (`…/net/tcp`).
    let playerFolder: String?
    private let linkResult = NIOLockedValueBox<PacketLinkRunner.Statistics?>(nil)

    private init(
        server: LiveServer, kernel: KernelEndpoints, relays: [LoopbackRelay], ruleset: NftablesRuleset,
        internalServerPorts: [Int: UInt16], linked: LinkedNamespaces?, playerGroup: MultiThreadedEventLoopGroup?,
        playerFolder: String?, capturePath: String?, captureSetupFailure: LiveCaptureError?
    ) {
        self.capturePath = capturePath
        self.captureSetupFailure = captureSetupFailure
        self.scenarioPorts = ruleset.allPorts.sorted()
        self.internalServerPorts = internalServerPorts
        self.server = server
        self.kernel = kernel
        self.relays = relays
        self.ruleset = ruleset
        self.linked = linked
        self.playerGroup = playerGroup
        self.playerFolder = playerFolder
    }

    /// How long one `ip` or `nft` call may take.
    static let toolTimeout: Duration = .seconds(10)

    var host: String { linked == nil ? "127.0.0.1" : LinkedNamespaces.serverAddress }
    var carriesLatency: Bool { linked != nil }
    var playerLoop: (any EventLoop)? { playerGroup?.next() }
    /// What the link did, once `closeLink` stopped it.
    var linkStatistics: PacketLinkRunner.Statistics? { linkResult.withLockedValue { $0 } }
    /// The link's own capture (`LinkCaptureFile`) when one was asked for: complete once `closeLink`
    /// returned, or why there is none.
    var linkCapture: Result<LiveCaptureSummary, LiveCaptureError>? {
        if let captureSetupFailure { return .failure(captureSetupFailure) }
        guard let capturePath, let statistics = linkStatistics else { return nil }
        if let failure = statistics.captureFailure { return .failure(.file(path: capturePath, reason: failure)) }
        return .success(LiveCaptureSummary(path: capturePath, packets: statistics.captured, droppedByKernel: 0))
    }
    private let capturePath: String?
    private let captureSetupFailure: LiveCaptureError?

    /// Brings the namespace's loopback up, starts the server and relays, and installs the rules that
    /// hold at the start. On failure, what was built is torn down again. `observer` sees every
    /// server event (an external client's run records its connections with it).
    ///
    /// With `link`, the player gets a namespace of its own joined to this one by that per-packet link
    /// (`LinkedNamespaces`): the server listens on the link's address too, latency, jitter, loss and
    /// bandwidth are the link's, and no latency relay is made. Without it the player shares this
    /// namespace and latency is the relays'. `capturePath` (with `link`): the link records every
    /// packet there (`LinkCaptureFile`); a file that cannot be made leaves the run without a capture,
    /// saying why (`linkCapture`), as a capture without privileges does.
    static func start(
        _ scenario: LiveScenario, extraPorts: Set<UInt16>, seed: UInt64, hostNamespace: UInt64, on loop: any EventLoop,
        link: PacketLink? = nil, capturePath: String? = nil, observer: @escaping @Sendable (ServerEvent) -> Void = { _ in }
    ) async throws(LiveRunError) -> NamespaceNetwork {
        guard let current = NamespaceLauncher.currentNamespace() else {
            throw .network("cannot read this process's network namespace (/proc/self/ns/net)")
        }
        guard current != hostNamespace else {
            throw .network("refusing to install firewall rules: this process is still in the network namespace it was launched from")
        }
        try await runTool("ip", ["link", "set", "lo", "up"])
        var linked: LinkedNamespaces?
        var playerGroup: MultiThreadedEventLoopGroup?
        var playerFolder: String?
        var captureFile: LinkCaptureFile?
        var captureSetupFailure: LiveCaptureError?
        if let link {
            if let capturePath {
                do {
                    captureFile = try LinkCaptureFile(path: capturePath)
                } catch {
                    captureSetupFailure = .file(path: capturePath, reason: error.description)
                }
            }
            (linked, playerGroup, playerFolder) = try await startLink(link, capture: captureFile)
        }
        func undoLink() async {
            _ = linked?.stop()
            try? await playerGroup?.shutdownGracefully()
        }

        let tls = try scenario.serverIdentity()
        let kernel: KernelEndpoints
        do {
            kernel = try KernelEndpoints.open()
        } catch {
            await undoLink()
            throw error
        }
        let ordered = scenario.serverPorts.sorted()
        let publicHost = linked == nil ? "127.0.0.1" : LinkedNamespaces.serverAddress
        let server: LiveServer
        do {
            // The real ports for clients, then one internal port each for the relays' way in.
            server = try await LiveServer.start(
                LiveServerConfiguration(
                    listen: ordered.map { ListenAddress(host: publicHost, port: Int($0)) }
                        + ordered.map { _ in ListenAddress(host: "127.0.0.1", port: 0) },
                    session: scenario.serverSession, seed: seed, tls: tls),
                group: loop, observer: observer)
        } catch {
            kernel.close()
            await undoLink()
            throw .network("server: \(error)")
        }
        var relays: [LoopbackRelay] = []
        do throws(LiveRunError) {
            let internalServerPorts = Dictionary(uniqueKeysWithValues: zip(ordered, server.ports.dropFirst(ordered.count)))
            // Redirected connections from the link arrive on its device's address.
            let relayHost = linked == nil ? "127.0.0.1" : "0.0.0.0"
            // Over the link every byte crosses the latency there already.
            let relayDelay = linked == nil ? scenario.latency : .zero
            var nextMark: UInt32 = 0x10
            func relay(_ mode: RelayMode) async throws(LiveRunError) -> NftablesRuleset.Relay {
                let started = try await LoopbackRelay.start(mode: mode, host: relayHost, on: loop)
                relays.append(started)
                defer { nextMark += 1 }
                return NftablesRuleset.Relay(mark: nextMark, port: started.port)
            }
            var forwarders: [UInt16: NftablesRuleset.Relay] = [:]
            if scenario.latency > .zero, linked == nil {
                for port in ordered {
                    guard let upstream = internalServerPorts[port] else { continue }
                    forwarders[port] = try await relay(.forward(upstreamPort: upstream, delay: scenario.latency))
                }
            }
            var allPorts = extraPorts.union(scenario.serverPorts)
            for rule in scenario.firewall { allPorts.formUnion(rule.ports) }
            var proxies: [LoopbackNetwork.ProxyKey: NftablesRuleset.Relay] = [:]
            var blackhole: NftablesRuleset.Relay?
            for (index, rule) in scenario.firewall.enumerated() {
                switch rule.action {
                case .httpOnly(let hang, let idleTimeout):
                    for port in (rule.ports.isEmpty ? allPorts : Set(rule.ports)).sorted() {
                        let mode = RelayMode.httpOnly(
                            upstreamPort: internalServerPorts[port] ?? kernel.closedPort, delay: relayDelay,
                            hang: hang == .hang, idleTimeout: idleTimeout)
                        proxies[LoopbackNetwork.ProxyKey(port: port, rule: index)] = try await relay(mode)
                    }
                case .blackhole:
                    if blackhole == nil { blackhole = try await relay(.blackhole) }
                case .allow, .drop, .reject, .rejectICMP:
                    break
                }
            }
            let internalPorts = Set(server.ports.dropFirst(ordered.count) + relays.map(\.port) + [kernel.closedPort, kernel.silentPort])
            var ruleset = NftablesRuleset(
                firewall: scenario.firewall, allPorts: allPorts, internalPorts: internalPorts, proxies: proxies,
                blackhole: blackhole, forwarders: forwarders)
            ruleset.viaLink = linked != nil
            try await runTool("nft", ["-f", "-"], input: ruleset.transaction(at: .zero))
            return NamespaceNetwork(
                server: server, kernel: kernel, relays: relays, ruleset: ruleset,
                internalServerPorts: Dictionary(uniqueKeysWithValues: internalServerPorts.map { ($0.value, $0.key) }),
                linked: linked, playerGroup: playerGroup, playerFolder: playerFolder,
                capturePath: captureFile == nil ? nil : capturePath, captureSetupFailure: captureSetupFailure)
        } catch {
            for relay in relays { await relay.shutdown() }
            await server.shutdown()
            kernel.close()
            await undoLink()
            throw error
        }
    }

    /// The player's namespace and the link to it, and an event loop whose thread has entered that
    /// namespace (a socket belongs to the namespace of the thread that makes it, and the player makes
    /// its sockets on its loop).
    private static func startLink(
        _ link: PacketLink, capture: LinkCaptureFile?
    ) async throws(LiveRunError) -> (LinkedNamespaces, MultiThreadedEventLoopGroup, String) {
        let linked: LinkedNamespaces
        do {
            // It blocks (ip, thread start-up): on the thread pool, not the cooperative one.
            linked = try await NIOThreadPool.singleton.runIfActive {
                try LinkedNamespaces.start(link, serverInOwnNamespace: false, capture: capture)
            }
        } catch {
            throw .network("the per-packet link: \(error)")
        }
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let folder: String
        do {
            folder = try linked.player.run { () throws(ThreadNamespace.Failure) -> String in try ThreadNamespace.procFolder() }
            let descriptor = try linked.player.run { () throws(ThreadNamespace.Failure) -> Int32 in try ThreadNamespace.descriptor() }
            defer { _ = close(descriptor) }
            try await group.next().submit { try ThreadNamespace.enter(descriptor) }.get()
        } catch {
            _ = linked.stop()
            try? await group.shutdownGracefully()
            throw .network("the player's event loop cannot enter its namespace: \(error)")
        }
        return (linked, group, folder)
    }

    /// Connections go to the scenario's own port: the kernel's rules decide what they meet.
    func target(for port: UInt16, at time: Duration) -> Int { Int(port) }

    /// The scenario port a server listener stands for: a real port is itself, an internal one (a
    /// relay's way in) the port it is behind.
    func scenarioPort(ofServerPort port: Int) -> UInt16? {
        internalServerPorts[port] ?? UInt16(exactly: port)
    }

    /// Schedules the rule changes of the time windows, each at its offset from `origin`, one after
    /// the other (a change never overtakes the one before it).
    func started(at origin: ContinuousClock.Instant) {
        let times = ruleset.changeTimes
        guard !times.isEmpty else { return }
        let ruleset = self.ruleset
        let task = Task { [self] in
            for time in times {
                do {
                    try await Task.sleep(until: origin + time, clock: .continuous)
                } catch {
                    return
                }
                do throws(LiveRunError) {
                    try await Self.runTool("nft", ["-f", "-"], input: ruleset.transaction(at: time))
                } catch {
                    self.windowFailure.withLockedValue { $0 = "the rule change at \(time): \(error)" }
                    return
                }
            }
        }
        windows.withLockedValue { $0 = task }
    }

    func failure() -> String? { windowFailure.withLockedValue { $0 } }

    /// Stops the window changes, removes our table, closes the relays, the server and kernel ports.
    /// The namespace itself goes away with the worker process. The link stays up until `closeLink`,
    /// so that a capture of its device sees the teardown's resets before the device goes.
    func shutdown() async {
        let task = windows.withLockedValue { task in
            defer { task = nil }
            return task
        }
        task?.cancel()
        await task?.value
        try? await Self.runTool("nft", ["-f", "-"], input: NftablesRuleset.teardown)
        for relay in relays { await relay.shutdown() }
        await server.shutdown()
        kernel.close()
    }

    /// Stops the per-packet link (its devices go with it) and the player's event loop; after
    /// `shutdown`, and after a capture of the link's device has stopped. `linkStatistics` then holds
    /// what the link did.
    func closeLink() async {
        if let linked {
            let statistics = linked.stop()
            linkResult.withLockedValue { $0 = statistics }
        }
        try? await playerGroup?.shutdownGracefully()
    }

    /// Runs `ip` or `nft` on the thread pool (it blocks) and turns a failure into the run's error.
    private static func runTool(_ name: String, _ arguments: [String], input: String = "") async throws(LiveRunError) {
        let process = ChildProcess(executable: name, arguments: arguments, input: Array(input.utf8), timeout: toolTimeout)
        let result: ChildProcess.Result
        do {
            result = try await NIOThreadPool.singleton.runIfActive { try process.run() }
        } catch let error as ChildProcess.SpawnError {
            throw .network("\(error)")
        } catch {
            throw .network("\(name): \(error)")
        }
        guard result.succeeded else {
            let why = result.timedOut ? "timed out after \(toolTimeout)" : "exit \(result.status)"
            throw .network("\(name) \(arguments.joined(separator: " ")) failed (\(why)): \(result.errorText)")
        }
    }
}
