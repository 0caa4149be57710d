import Connector
import Yams

extension ScenarioDecoder {
    static let customPolicyKeys = [
        "name", "mode", "candidates", "stagger", "attempt-timeout", "overall-timeout", "advance-on-failure",
        "retries", "follow-redirects", "reconnect-request",
    ]

    /// The design's defaults for keys a custom policy leaves out.
    static let defaultStagger: Duration = .milliseconds(250)

    mutating func policyChoices(_ node: Node) -> [Policy] {
        guard let list = items(of: node, what: "policies", example: "policies: [flash-builtin, flowplayer]") else { return [] }
        if list.isEmpty {
            report(node, "policies is empty", "name at least one policy, or leave policies out to run every preset")
        }
        var policies: [Policy] = []
        var seen: Set<String> = []
        for item in list {
            let policy: Policy?
            switch item {
            case .scalar(let scalar):
                let name = scalar.string
                if let preset = Preset.named(name) {
                    policy = preset.policy
                } else {
                    report(item, "unknown policy '\(name)'", KeySuggestion.hint(for: name, in: Self.presetNames, what: "presets"))
                    policy = nil
                }
            case .mapping:
                policy = customPolicy(item)
            case .sequence, .alias:
                report(item, "a policy must be a preset name or a custom policy mapping, found \(describe(item))",
                       "write a preset name like flowplayer, or name:, mode: and candidates:")
                policy = nil
            }
            guard let policy else { continue }
            if seen.contains(policy.name) {
                warn(item, "policy '\(policy.name)' is listed twice; it runs once", "list each policy once")
                continue
            }
            seen.insert(policy.name)
            policies.append(policy)
        }
        return policies
    }

    /// A policy written inline; its candidates use the connector's notation (`url`, `rtmpt:80`,
    /// `url-tunneled`, …).
    mutating func customPolicy(_ node: Node) -> Policy? {
        guard let fields = fields(of: node, in: "a custom policy", known: Self.customPolicyKeys) else { return nil }
        let before = diagnostics.count
        var name = ""
        if let nameNode = fields["name"], let text = text(nameNode, what: "policy name", example: "name: our-player") {
            name = text.trimmingWhitespace()
            declaredPolicyNames.insert(name)
            if name.isEmpty || name == "*" || name.contains(where: \.isWhitespace) {
                report(nameNode, "'\(text)' cannot name a policy", "use a word like our-player")
            } else if Preset.named(name) != nil {
                report(nameNode, "'\(name)' is the name of a preset", "give the custom policy its own name, like \(name)-custom")
            }
        } else if fields.lacks("name") {
            report(fields.node, "a custom policy has no name", "add name: our-player")
        }
        var mode = Policy.Mode.staggered
        if let modeNode = fields["mode"],
            let text = choice(modeNode, what: "mode", names: Policy.Mode.allCases.map(\.rawValue)),
            let value = Policy.Mode(rawValue: text) {
            mode = value
        }
        var candidates: [CandidateSpec] = []
        if let candidatesNode = fields["candidates"] {
            if let list = items(of: candidatesNode, what: "candidates", example: "candidates: [url, rtmpt:80]") {
                if list.isEmpty {
                    report(candidatesNode, "candidates is empty", "list at least one, like [url, rtmpt:80]")
                }
                candidates = candidateList(list)
            }
        } else if fields.lacks("candidates") {
            report(fields.node, "a custom policy has no candidates", "add candidates: [url, rtmpt:80]")
        }
        var stagger = mode == .staggered ? Self.defaultStagger : .zero
        if let entry = fields.entries["stagger"], let value = duration(entry.value, what: "stagger") {
            if mode != .staggered {
                warn(entry.key, "stagger applies only to mode: staggered, not \(mode.rawValue), so it has no effect",
                     "remove stagger, or use mode: staggered")
            } else if value <= .zero {
                report(entry.value, "stagger must be longer than zero", "write stagger: 250ms, or use mode: parallel")
            } else {
                stagger = value
            }
        }
        let attemptTimeout = fields["attempt-timeout"].flatMap {
            positiveDuration($0, what: "attempt-timeout", hint: "write attempt-timeout: 5s, or leave it out for the OS timeout")
        }
        let overallTimeout = fields["overall-timeout"].flatMap {
            positiveDuration($0, what: "overall-timeout", hint: "write overall-timeout: 30s, or leave it out for none")
        }
        let advance = fields["advance-on-failure"].flatMap { boolean($0, what: "advance-on-failure") } ?? true
        let retries = fields["retries"].flatMap { integer($0, what: "retries", range: 0...Policy.maximumRetries) } ?? 0
        let follow = fields["follow-redirects"].flatMap { boolean($0, what: "follow-redirects") } ?? true
        let reconnect = fields["reconnect-request"].flatMap { boolean($0, what: "reconnect-request") } ?? false
        guard diagnostics.count == before, !candidates.isEmpty else { return nil }
        var policy = Policy(
            name: name, mode: mode, candidates: candidates, stagger: stagger, attemptTimeout: attemptTimeout,
            overallTimeout: overallTimeout, advanceOnFailure: advance, retries: retries, followRedirects: follow)
        policy.followsReconnectRequest = reconnect
        do {
            try policy.validate()
        } catch {
            // Every value was checked above; this is the connector's own word on what is left.
            report(fields.node, "policy '\(name)' cannot run: \(error)", "fix the values above")
            return nil
        }
        return policy
    }

    /// The candidates of a list (`[url, rtmpt:80]`), for a custom policy and a population's search
    /// alike: each parsed (an unreadable one reported with the forms a candidate takes), a duplicate
    /// warned about and kept once.
    mutating func candidateList(_ list: [Node]) -> [CandidateSpec] {
        var candidates: [CandidateSpec] = []
        for item in list {
            guard let text = text(item, what: "a candidate", example: "rtmpt:80") else { continue }
            guard let candidate = try? CandidateSpec(parsing: text) else {
                report(item, "'\(text)' is not a candidate",
                       "write url, url-tunneled or scheme:port, like rtmp:443 or rtmpt:80 (schemes: "
                           + RTMPScheme.allCases.map(\.rawValue).joined(separator: ", ") + ")")
                continue
            }
            if candidates.contains(candidate) {
                warn(item, "candidate \(text) is listed twice; it is tried once", "list each candidate once")
            } else {
                candidates.append(candidate)
            }
        }
        return candidates
    }
}
