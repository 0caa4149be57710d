import Connector
import RunCore

/// One scenario file, decoded and checked: a network, a server, a client and the policies to race.
///
/// Plain values only. Every default of the design's file format is applied while loading, so code that
/// runs a scenario never has to know which keys the author left out.
package struct Scenario: Sendable, Hashable {
    /// The scenario's name in reports; defaults to the file name without its extension.
    package var name: String
    /// The real situation this scenario stands for, in the author's words.
    package var description: String
    /// The file it came from, as given to the loader, for messages and reports.
    package var file: String
    /// Same seed, same results, byte for byte.
    package var seed: UInt64
    /// Monte Carlo repetitions; only jitter and loss make them differ.
    package var repetitions: Int
    /// Simultaneous clients (a thundering herd after an outage).
    package var clients: Int
    package var client: ClientSettings
    /// The explicit proxy's own behaviour; present only when the client is configured with a proxy.
    package var proxy: HTTPProxyConfiguration?
    package var server: ServerSettings
    package var network: NetworkSettings
    /// In order; the first rule that matches a connection decides, no match allows it.
    package var firewall: [FirewallRule]
    /// The policies to run, in the file's order (every preset when the file names none); custom
    /// policies are already `Policy` values, presets are looked up by name.
    package var policies: [Policy]
    package var expectations: [Expectation]
    /// What the loader accepted but points out (`warning:` lines of `validate` and `run`): a key with
    /// no effect where it stands, a duplicate, a missing description. Never a reason to refuse the file.
    package var warnings: [Diagnostic]
    /// SHA-256 of the file's bytes, hex, for the plan fingerprint of shards (`--shard`); empty for a
    /// scenario that was not read from a file.
    package var sourceDigest = ""

    package init(
        name: String, description: String, file: String, seed: UInt64 = Scenario.defaultSeed,
        repetitions: Int = 1, clients: Int = 1, client: ClientSettings, proxy: HTTPProxyConfiguration? = nil,
        server: ServerSettings, network: NetworkSettings = NetworkSettings(),
        firewall: [FirewallRule] = [], policies: [Policy], expectations: [Expectation] = [],
        warnings: [Diagnostic] = []
    ) {
        self.name = name
        self.description = description
        self.file = file
        self.seed = seed
        self.repetitions = repetitions
        self.clients = clients
        self.client = client
        self.proxy = proxy
        self.server = server
        self.network = network
        self.firewall = firewall
        self.policies = policies
        self.expectations = expectations
        self.warnings = warnings
    }

    /// The seed of a file that does not give one. Fixed, so that leaving it out stays reproducible.
    package static let defaultSeed: UInt64 = 1
}
