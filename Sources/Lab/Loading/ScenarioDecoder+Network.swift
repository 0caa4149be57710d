import Yams
import RunCore

extension ScenarioDecoder {
    static let networkKeys = ["latency", "jitter", "bandwidth", "loss", "loss-model", "queue", "reorder", "jitter-distribution"]
    static let lossModelNames = ["bernoulli", "gilbert-elliott"]
    static let gilbertElliottKeys = ["p", "r", "loss-bad", "loss-good"]
    static let firewallKeys = ["port", "ports", "action", "on-non-http", "idle-timeout", "from", "until"]

    mutating func networkSettings(_ node: Node) -> NetworkSettings {
        var settings = NetworkSettings()
        guard !isNull(node), let fields = fields(of: node, in: "network", known: Self.networkKeys) else { return settings }
        if let latencyNode = fields["latency"], let value = duration(latencyNode, what: "network.latency") {
            settings.latency = value
        }
        if let jitterNode = fields["jitter"], let value = duration(jitterNode, what: "network.jitter") {
            settings.jitter = value
        }
        if let bandwidthNode = fields["bandwidth"],
            let text = text(bandwidthNode, what: "network.bandwidth", example: "bandwidth: 10mbit") {
            if let value = ValueSyntax.rate(text) {
                settings.bandwidth = value
            } else {
                report(bandwidthNode, "'\(text)' is not a bandwidth", ValueSyntax.rateForms)
            }
        }
        if let lossNode = fields["loss"], let text = text(lossNode, what: "network.loss", example: "loss: 0.5%") {
            if text.trimmingWhitespace().hasPrefix("-") {
                report(lossNode, "network.loss cannot be negative, found '\(text)'", ValueSyntax.ratioForms + " from 0% to 100%")
            } else if let value = ValueSyntax.ratio(text) {
                if value > 1 {
                    report(lossNode, "network.loss \(text) is more than 100%", "write a percentage from 0% to 100%")
                } else {
                    settings.loss = value
                }
            } else {
                report(lossNode, "'\(text)' is not a loss ratio", ValueSyntax.ratioForms)
            }
        }
        if let modelNode = fields["loss-model"], let model = lossModel(modelNode) {
            settings.lossModel = model
            if case .gilbertElliott = model, settings.loss > 0, let lossNode = fields["loss"] {
                warn(lossNode, "network.loss is not used: loss-model gilbert-elliott decides which packets are lost "
                     + "(\(NetworkSettings.percent(settings.meanLoss)) in the long run)",
                     "remove loss:, or use loss-model: bernoulli")
            }
        }
        if let queueNode = fields["queue"], let value = integer(queueNode, what: "network.queue", range: 1...1_000_000) {
            settings.queue = value
            if settings.bandwidth == nil {
                warn(queueNode, "network.queue is not used: without a bandwidth packets never wait for the transmitter",
                     "add bandwidth:, or remove queue:")
            }
        }
        if let node = fields["jitter-distribution"],
            let name = choice(node, what: "network.jitter-distribution", names: ["uniform", "normal"]) {
            settings.jitterDistribution = name == "normal" ? .normal : .uniform
        }
        if let reorderNode = fields["reorder"], let value = boolean(reorderNode, what: "network.reorder") {
            settings.reorder = value
        }
        return settings
    }

    /// `loss-model: bernoulli`, or `loss-model: {gilbert-elliott: {p: 1%, r: 25%}}` with optional
    /// `loss-bad` (default 100%) and `loss-good` (default 0%).
    mutating func lossModel(_ node: Node) -> NetworkSettings.LossModel? {
        let example = "loss-model: {gilbert-elliott: {p: 1%, r: 25%}}"
        if case .scalar = node {
            guard let name = choice(node, what: "network.loss-model", names: Self.lossModelNames) else { return nil }
            if name == "gilbert-elliott" {
                report(node, "loss-model gilbert-elliott needs its p and r", "write it as \(example)")
                return nil
            }
            return .bernoulli
        }
        guard let fields = fields(of: node, in: "network.loss-model", known: Self.lossModelNames) else { return nil }
        guard fields.entries.count == 1, let (name, entry) = fields.entries.first else {
            if !fields.entries.isEmpty || fields.misspelt.isEmpty {
                report(node, "network.loss-model names one model, found \(fields.entries.count)", "write it as \(example)")
            }
            return nil
        }
        guard name == "gilbert-elliott" else {
            if !isNull(entry.value) {
                report(entry.value, "loss-model bernoulli takes no parameters", "write loss-model: bernoulli and the rate as loss:")
                return nil
            }
            return .bernoulli
        }
        guard let parameters = self.fields(of: entry.value, in: "loss-model gilbert-elliott", known: Self.gilbertElliottKeys) else {
            return nil
        }
        func probability(_ key: String, default value: Double?) -> Double? {
            guard let node = parameters[key] else {
                if value == nil, parameters.lacks(key) {
                    report(parameters.node, "loss-model gilbert-elliott has no \(key)",
                           "add \(key): as a percentage, like \(example)")
                }
                return value
            }
            guard let text = text(node, what: "gilbert-elliott \(key)", example: "\(key): 5%") else { return nil }
            guard let ratio = ValueSyntax.ratio(text), ratio >= 0, ratio <= 1, !text.trimmingWhitespace().hasPrefix("-") else {
                report(node, "gilbert-elliott \(key) '\(text)' is not a probability", ValueSyntax.ratioForms + " from 0% to 100%")
                return nil
            }
            return ratio
        }
        let p = probability("p", default: nil)
        let r = probability("r", default: nil)
        let lossBad = probability("loss-bad", default: 1)
        let lossGood = probability("loss-good", default: 0)
        guard let p, let r, let lossBad, let lossGood else { return nil }
        if r == 0, p > 0, let rNode = parameters["r"] {
            warn(rNode, "gilbert-elliott r is 0%: once in the bad state the link never leaves it",
                 "give r a value above 0%; 1/r is the mean burst length in packets")
        }
        return .gilbertElliott(LinkConditions.GilbertElliott(p: p, r: r, lossBad: lossBad, lossGood: lossGood))
    }

    /// The names a scenario file uses for `action`.
    static let firewallActionNames = ["allow", "drop", "reject", "reject-icmp", "http-only", "blackhole"]

    mutating func firewallRules(_ node: Node) -> [FirewallRule] {
        if isNull(node) { return [] }
        guard let list = items(of: node, what: "firewall", example: "a list of rules, each '- port: 1935' and 'action: drop'") else {
            return []
        }
        return list.compactMap { firewallRule($0) }
    }

    mutating func firewallRule(_ node: Node) -> FirewallRule? {
        guard let fields = fields(of: node, in: "a firewall rule", known: Self.firewallKeys) else { return nil }
        var ports: [Int]?
        var valid = true
        switch (fields.entries["port"], fields.entries["ports"]) {
        case (.some, .some(let many)):
            report(many.key, "a firewall rule has both port and ports", "keep one of port: and ports:")
            valid = false
        case (.some(let single), .none):
            if let value = port(single.value) { ports = [value] } else { valid = false }
        case (.none, .some(let many)):
            if let list = items(of: many.value, what: "ports", example: "ports: [8080, 8443]") {
                let values = list.compactMap { port($0) }
                if values.count != list.count { valid = false }
                if list.isEmpty {
                    report(many.value, "ports is empty", "list at least one port, or leave port and ports out to match every port")
                    valid = false
                }
                ports = values
            } else {
                valid = false
            }
        case (.none, .none):
            ports = nil  // every port
        }

        var action: FirewallRule.Action?
        var actionName: String?
        if let actionNode = fields["action"] {
            actionName = choice(actionNode, what: "firewall action", names: Self.firewallActionNames)
        } else if fields.lacks("action") {
            report(fields.node, "a firewall rule has no action", "add action: with one of " + Self.firewallActionNames.joined(separator: ", "))
        }
        var nonHTTP = FirewallRule.NonHTTPBehaviour.error
        if let entry = fields.entries["on-non-http"] {
            if let name = choice(entry.value, what: "on-non-http", names: FirewallRule.NonHTTPBehaviour.allCases.map(\.rawValue)),
                let value = FirewallRule.NonHTTPBehaviour(rawValue: name) {
                nonHTTP = value
            }
            if let actionName, actionName != "http-only" {
                warn(entry.key, "on-non-http applies only to action: http-only, not \(actionName), so it has no effect",
                     "remove on-non-http, or use action: http-only")
            }
        }
        var idleTimeout = FirewallRule.defaultProxyIdleTimeout
        if let entry = fields.entries["idle-timeout"] {
            if let value = positiveDuration(entry.value, what: "idle-timeout", hint: "write idle-timeout: 300s") {
                idleTimeout = value
            }
            if let actionName, actionName != "http-only" {
                warn(entry.key, "idle-timeout applies only to action: http-only, not \(actionName), so it has no effect",
                     "remove idle-timeout, or use action: http-only")
            }
        }
        switch actionName {
        case "allow": action = .allow
        case "drop": action = .drop
        case "reject": action = .reject
        case "reject-icmp": action = .rejectICMP(.port)
        case "http-only": action = .httpOnly(onNonHTTP: nonHTTP, idleTimeout: idleTimeout)
        case "blackhole": action = .blackhole
        default: action = nil
        }

        let from = fields["from"].flatMap { duration($0, what: "from") }
        let until = fields["until"].flatMap { duration($0, what: "until") }
        if let from, let until, until <= from, let untilNode = fields["until"] {
            report(untilNode, "the rule ends (until) before or when it starts (from)", "make until later than from")
            valid = false
        }
        guard valid, let action else { return nil }
        // No `port`/`ports` matches every port; an empty `ports:` list was refused above.
        return FirewallRule(ports: (ports ?? []).map { UInt16($0) }, action: action, from: from, until: until)
    }
}
