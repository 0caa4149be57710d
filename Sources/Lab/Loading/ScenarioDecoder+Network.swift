import Yams
import RunCore

extension ScenarioDecoder {
    static let networkKeys = ["latency", "jitter", "bandwidth", "loss"]
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
        return settings
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
