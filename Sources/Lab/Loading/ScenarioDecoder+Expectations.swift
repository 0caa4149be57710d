import Connector
import Yams

extension ScenarioDecoder {
    static let expectationKeys = [
        "policy", "outcome", "within", "via", "max-server-connections", "max-server-peak-connections", "first-frame-within",
        "reconnect-within",
    ]

    /// `external` is the row name of the scenario's external client (`external:rtmpdump`), which an
    /// entry may name like a policy; `plays` says whether the client plays (`client.play`), without
    /// which no run has a first frame.
    mutating func expectations(
        _ node: Node, policies: [Policy], urls: [ConnectURL], redirect: ConnectURL?, external: String? = nil,
        plays: Bool = false
    ) -> [Expectation] {
        if isNull(node) { return [] }
        guard let list = items(of: node, what: "expect", example: "a list of entries, each '- policy: flowplayer' and 'outcome: connected'") else {
            return []
        }
        return list.compactMap {
            expectation($0, policies: policies, urls: urls, redirect: redirect, external: external, plays: plays)
        }
    }

    mutating func expectation(
        _ node: Node, policies: [Policy], urls: [ConnectURL], redirect: ConnectURL?, external: String? = nil,
        plays: Bool = false
    ) -> Expectation? {
        guard let fields = fields(of: node, in: "an expectation", known: Self.expectationKeys) else { return nil }
        let before = diagnostics.count
        let names = policies.map(\.name) + (external.map { [$0] } ?? [])
        var target: Expectation.Target?
        if let policyNode = fields["policy"], let text = text(policyNode, what: "policy", example: "policy: flowplayer") {
            if text == "*" {
                target = .every
            } else if names.contains(text) {
                target = .named(text)
            } else if declaredPolicyNames.contains(text) {
                // The policy itself is wrong and already reported.
                target = nil
            } else if Preset.named(text) != nil {
                report(policyNode, "policy '\(text)' is not run by this scenario", "add \(text) to policies, or expect another policy")
            } else {
                report(policyNode, "unknown policy '\(text)'",
                       KeySuggestion.hint(for: text, in: names + ["*"], what: "this scenario's policies"))
            }
        } else if fields.lacks("policy") {
            report(fields.node, "an expectation has no policy", "add policy: with a policy name, or \"*\" for every policy")
        }
        var outcome = Expectation.Outcome.connected
        if let outcomeNode = fields["outcome"],
            let text = choice(outcomeNode, what: "outcome", names: Expectation.Outcome.allCases.map(\.rawValue)),
            let value = Expectation.Outcome(rawValue: text) {
            outcome = value
        }
        let within = fields["within"].flatMap { positiveDuration($0, what: "within", hint: "write within: 1s") }
        var via: Transport?
        if let entry = fields.entries["via"], let text = text(entry.value, what: "via", example: "via: rtmpt:80") {
            if outcome == .failed {
                report(entry.key, "via names a winner but the outcome is failed", "remove via, or expect outcome: connected")
            } else if let transport = Transport(parsing: text) {
                via = transport
                if let target {
                    checkReachable(transport, at: entry.value, target: target, policies: policies, urls: urls, redirect: redirect)
                }
            } else {
                report(entry.value, "'\(text)' is not a transport", "write scheme:port, like rtmpt:80")
            }
        }
        let maxConnections = fields["max-server-connections"].flatMap {
            integer($0, what: "max-server-connections", range: 0...Self.maximumServerConnections)
        }
        let maxPeak = fields["max-server-peak-connections"].flatMap {
            integer($0, what: "max-server-peak-connections", range: 0...Self.maximumServerConnections)
        }
        let firstFrameWithin = playClaim(
            "first-frame-within", in: fields, claims: "a picture", example: "2s", outcome: outcome, plays: plays,
            playHint: "add play: stream to client")
        let reconnectWithin = playClaim(
            "reconnect-within", in: fields, claims: "a reconnect", example: "3s", outcome: outcome, plays: plays,
            playHint: "add play: stream to client, and reconnect-request: to server")
        guard diagnostics.count == before, let target else { return nil }
        var expectation = Expectation(
            policy: target, outcome: outcome, within: within, via: via, maxServerConnections: maxConnections,
            maxServerPeakConnections: maxPeak, firstFrameWithin: firstFrameWithin, line: node.mark?.line ?? 0)
        expectation.reconnectWithin = reconnectWithin
        return expectation
    }

    /// A time claim about what a playing player sees after connect (`first-frame-within`,
    /// `reconnect-within`): refused with `outcome: failed`, a warning without `client.play` (it can
    /// only fail then).
    mutating func playClaim(
        _ key: String, in fields: Fields, claims: String, example: String, outcome: Expectation.Outcome, plays: Bool,
        playHint: String
    ) -> Duration? {
        guard let entry = fields.entries[key],
            let value = positiveDuration(entry.value, what: key, hint: "write \(key): \(example)")
        else { return nil }
        if outcome == .failed {
            report(entry.key, "\(key) claims \(claims) but the outcome is failed", "remove \(key), or expect outcome: connected")
        } else if !plays {
            warn(entry.key, "\(key) needs a player that plays, and client.play is not set: the claim fails", playHint)
        }
        return value
    }

    static let maximumServerConnections = 1_000_000

    /// A `via` that the named policy (or, for `"*"`, any of the scenario's policies) can never try is a
    /// mistake in the file, not a finding: say so before anything runs.
    mutating func checkReachable(_ transport: Transport, at node: Node, target: Expectation.Target,
                                 policies: [Policy], urls: [ConnectURL], redirect: ConnectURL?) {
        guard let first = urls.first else { return }
        for policy in policies where target.matches(policy.name) {
            let possible = Self.transports(of: policy, urls: urls, redirect: redirect)
            guard !possible.contains(transport) else { continue }
            report(node, "no candidate of policy '\(policy.name)' is \(transport) for \(first)",
                   "its candidates are " + possible.map(\.description).joined(separator: ", "))
        }
    }

    /// The transports a policy can try for the URLs, and for the redirect target when it follows one,
    /// in the policy's order.
    static func transports(of policy: Policy, urls: [ConnectURL], redirect: ConnectURL?) -> [Transport] {
        var candidates = policy.candidates(for: urls)
        if policy.followRedirects, let redirect { candidates += policy.candidates(for: [redirect]) }
        var seen: Set<Transport> = []
        return candidates.map(Transport.init).filter { seen.insert($0).inserted }
    }
}
