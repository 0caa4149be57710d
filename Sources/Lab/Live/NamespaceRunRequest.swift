import Connector
import LiveNet
import RunCore

/// One run handed to the worker process in a private network namespace: which scenario file, which
/// policy, which seed, and the run's bound. The worker loads the file again rather than receive the
/// scenario itself, so nothing but these few values crosses the process boundary (and they read
/// plainly in `ps`).
package struct NamespaceRunRequest: Sendable, Hashable {
    /// The hidden subcommand of `fallback-lab` that runs one request inside the namespace.
    package static let subcommand = "netns-worker"

    package var file: String
    package var scenario: String
    package var policy: String
    package var seed: UInt64
    package var bound: Duration
    /// The inode of the launching process's network namespace (`NamespaceLauncher.currentNamespace`).
    package var hostNamespace: UInt64
    /// Run the scenario's external client (`client.command`) instead of a policy; `policy` is then
    /// the row's name (`external:rtmpdump`) and `bound` unused (the client's own timeout bounds it).
    package var external = false
    /// Where the worker writes the run's packet capture (the whole `lo` of its namespace); nil for none.
    package var capturePath: String?

    package init(file: String, scenario: String, policy: String, seed: UInt64, bound: Duration, hostNamespace: UInt64) {
        self.file = file
        self.scenario = scenario
        self.policy = policy
        self.seed = seed
        self.bound = bound
        self.hostNamespace = hostNamespace
    }

    /// The worker's command line after the executable: the subcommand and its options.
    package var arguments: [String] {
        [
            Self.subcommand, "--file", file, "--scenario", scenario, "--policy", policy, "--seed", String(seed),
            "--bound-ms", String(bound.milliseconds), "--host-netns", String(hostNamespace),
        ] + (external ? ["--external"] : []) + (capturePath.map { ["--capture", $0] } ?? [])
    }

    /// What the worker prints on stdout: the run's result (or the external client's) as JSON, which
    /// the launcher reads back. The worker itself only passes the bytes on.
    package func runAndEncode() async throws -> [UInt8] {
        let data = external ? try NamespaceLauncher.encode(try await runExternal()) : try NamespaceLauncher.encode(try await run())
        return [UInt8](data)
    }

    /// Inside the namespace: loads the scenario, finds the policy as the run plan does (the
    /// scenario's own of that name first, else the preset), and runs it live on the namespace's
    /// real ports and nftables rules.
    package func run() async throws(NamespaceRunError) -> LiveRunResult {
        let loaded = try load()
        guard let chosen = loaded.policies.first(where: { $0.name == policy }) ?? Preset.named(policy)?.policy else {
            throw NamespaceRunError(description: "unknown policy '\(policy)'")
        }
        let limitations = loaded.liveLimitations(on: .netns)
        guard limitations.isEmpty else {
            throw NamespaceRunError(description: "cannot run on the netns network: " + limitations.joined(separator: "; "))
        }
        do {
            return try await LiveRun(
                scenario: loaded.live, policy: chosen, seed: seed, bound: bound,
                network: .privateNamespace(hostNamespace: hostNamespace), capturePath: capturePath
            ).run()
        } catch {
            throw NamespaceRunError(description: error.description)
        }
    }
}

extension NamespaceRunRequest {
    /// Inside the namespace: the scenario's external client, with the URL as written.
    package func runExternal() async throws(NamespaceRunError) -> ExternalClientResult {
        let loaded = try load()
        let limitations = loaded.liveLimitations(on: .netns)
        guard limitations.isEmpty else {
            throw NamespaceRunError(description: "cannot run on the netns network: " + limitations.joined(separator: "; "))
        }
        guard let text = loaded.client.command else {
            throw NamespaceRunError(description: "scenario '\(scenario)' has no client.command")
        }
        do {
            let command = try ClientCommand(parsing: text)
            return try await ExternalClientRun(
                scenario: loaded.live, command: command, timeout: loaded.client.timeout, seed: seed,
                network: .privateNamespace(hostNamespace: hostNamespace)
            ).run()
        } catch {
            throw NamespaceRunError(description: "\(error)")
        }
    }

    private func load() throws(NamespaceRunError) -> Scenario {
        let loaded: Scenario
        do {
            loaded = try ScenarioLoader.load(path: file)
        } catch {
            throw NamespaceRunError(description: "\(file): \(error.diagnostics.map(\.description).joined(separator: "; "))")
        }
        guard loaded.name == scenario else {
            throw NamespaceRunError(description: "\(file) holds scenario '\(loaded.name)', not '\(scenario)'")
        }
        return loaded
    }
}

/// Why the worker could not produce a result; it prints this on stderr and the launcher reports it.
package struct NamespaceRunError: Error, Sendable, Hashable, CustomStringConvertible {
    package var description: String
}

extension Duration {
    /// Whole milliseconds, rounded down.
    fileprivate var milliseconds: Int64 {
        components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000
    }
}
