import Connector
import RTMP
import RunCore
import Yams

extension ScenarioDecoder {
    static let topLevelKeys = [
        "name", "description", "seed", "repeat", "clients", "client", "proxy", "server", "network",
        "firewall", "policies", "expect",
    ]

    /// The whole file. Returns a scenario only when no diagnostic was reported.
    mutating func scenario(from root: Node, defaultName: String) -> Scenario? {
        guard let fields = fields(of: root, in: "the scenario", known: Self.topLevelKeys) else { return nil }

        var name = defaultName
        if let node = fields["name"], let text = text(node, what: "name", example: "name: my-scenario") {
            if text.trimmingWhitespace().isEmpty {
                warn(node, "name is empty; the scenario is named after its file, \(defaultName)",
                     "give the scenario a name, or leave the key out")
            } else {
                name = text
            }
        }

        // Optional, as the design's format has always said: without it the reports show the name.
        var description = name
        if let node = fields["description"] {
            if let text = text(node, what: "description", example: "description: what real situation this is") {
                let trimmed = text.trimmingWhitespace()
                if trimmed.isEmpty {
                    warn(node, "description is empty; the reports show the scenario's name instead",
                         "say what real situation this scenario stands for")
                } else {
                    description = trimmed
                }
            }
        } else if fields.lacks("description") {
            warn(fields.node, "the scenario has no description; the reports show its name instead",
                 "add description: with the real situation this scenario stands for")
        }

        var seed = Scenario.defaultSeed
        if let node = fields["seed"], let text = text(node, what: "seed", example: "seed: 1") {
            if let value = UInt64(text), text.allSatisfy({ $0.isASCII && $0.isNumber }) {
                seed = value
            } else if ValueSyntax.isDigits(text) {
                report(node, "seed \(text) is out of range", "write a number from 0 to \(UInt64.max), like seed: 1")
            } else {
                report(node, "seed must be a whole number from 0 to \(UInt64.max), found '\(text)'", "write seed: 1")
            }
        }
        let repetitions = fields["repeat"].flatMap { integer($0, what: "repeat", range: 1...Self.maximumRepeat) } ?? 1
        let clients = fields["clients"].flatMap { integer($0, what: "clients", range: 1...Self.maximumClients) } ?? 1

        var client: ClientSettings?
        if let node = fields["client"] {
            client = clientSettings(node)
        } else if fields.lacks("client") {
            report(fields.node, "the scenario has no client",
                   "add client: with at least url: rtmp://media.example.com/live")
        }
        let proxy = fields["proxy"].flatMap { proxySettings($0) }
        if let node = fields["proxy"], let client, client.proxy == nil {
            warn(node, "proxy: describes an explicit proxy but the client uses none, so it has no effect",
                 "add client: proxy: http://proxy.example.com:3128, or remove proxy:")
        }
        var server = serverSettings(fields["server"], urls: client?.urls ?? [])
        if client?.play != nil, server?.media == nil {
            // A player that plays needs a stream: the generated video unless the file names media.
            server?.media = .synthetic(SyntheticVideo())
        }
        if server?.reconnectRequest != nil, client?.play == nil, let serverNode = fields["server"] {
            warn(serverNode, "server.reconnect-request is sent after some play, and client.play is not set: no run plays, so no request is sent",
                 "add play: stream to client")
        }
        let network = fields["network"].map { networkSettings($0) } ?? NetworkSettings()
        let firewall = fields["firewall"].map { firewallRules($0) } ?? []
        let redirect: ConnectURL? = switch server?.response {
        case .redirect(let url): url
        default: nil
        }
        let policies = fields["policies"].map { policyChoices($0) } ?? Preset.all.map(\.policy)
        let expectations = fields["expect"].map {
            self.expectations(
                $0, policies: policies, urls: client?.urls ?? [], redirect: redirect,
                external: client?.externalClientName, plays: client?.play != nil)
        } ?? []

        guard diagnostics.isEmpty, let client, !client.urls.isEmpty, let server else { return nil }
        return Scenario(
            name: name, description: description, file: file, seed: seed, repetitions: repetitions,
            clients: clients, client: client, proxy: client.proxy == nil ? nil : (proxy ?? HTTPProxyConfiguration()),
            server: server, network: network, firewall: firewall, policies: policies,
            expectations: expectations, warnings: warnings.sorted())
    }

    /// Bounds that keep one file from asking for an unbounded run.
    static let maximumRepeat = 100_000
    /// The simulator's own limit on a herd.
    static let maximumClients = RunLimits.maximumClients
}
