import Foundation
import Connector
import NetSim
import RunCore

/// The policies the tuner may choose from (a population's `search:`), drawn at random, moved to their
/// neighbours, and written as a scenario file's custom policy.
struct PolicySpace: Sendable {
    let search: Population.SearchSpace

    /// The shortest stagger and attempt timeout drawn: a range may start at zero, and a zero stagger
    /// is the parallel mode (drawn as a mode of its own), a zero timeout no timeout at all.
    static let shortestStagger: Duration = .milliseconds(10)
    static let shortestTimeout: Duration = .milliseconds(100)

    init(search: Population.SearchSpace) {
        var search = search
        search.stagger = max(search.stagger.lowerBound, Self.shortestStagger) ... max(search.stagger.upperBound, Self.shortestStagger)
        search.attemptTimeout = max(search.attemptTimeout.lowerBound, Self.shortestTimeout) ... max(search.attemptTimeout.upperBound, Self.shortestTimeout)
        self.search = search
    }

    /// Durations are rounded so that a tuned policy reads like one a person wrote (`stagger: 250ms`).
    static func rounded(_ duration: Duration) -> Duration {
        let milliseconds = PopulationRunner.milliseconds(duration)
        let step: Double = milliseconds < 1000 ? 10 : (milliseconds < 10_000 ? 100 : 1000)
        return .milliseconds(Int64(max(step, (milliseconds / step).rounded() * step)))
    }

    func clamp(_ value: Duration, _ range: ClosedRange<Duration>) -> Duration {
        min(max(Self.rounded(value), range.lowerBound), range.upperBound)
    }

    /// Log-uniform in `range`: a stagger of 50 ms and one of 3 s are both plausible, and equally
    /// spaced steps in milliseconds would spend most draws above a second.
    func draw(_ range: ClosedRange<Duration>, _ random: inout SimRandom) -> Duration {
        let low = max(PopulationRunner.milliseconds(range.lowerBound), 1)
        let high = max(PopulationRunner.milliseconds(range.upperBound), low)
        let value = exp(log(low) + random.nextUnit() * (log(high) - log(low)))
        return clamp(.milliseconds(Int64(value.rounded())), range)
    }

    /// A policy drawn uniformly from the space's shapes.
    func random(_ random: inout SimRandom) -> Policy {
        var candidates = search.candidates.filter { _ in random.nextUnit() < 0.5 }
        if candidates.isEmpty { candidates = [search.candidates[Int(random.next() % UInt64(search.candidates.count))]] }
        if random.nextUnit() < 0.5 { candidates.shuffle(using: &random) }
        let modes: [Policy.Mode] = candidates.count == 1 ? [.sequential] : [.sequential, .staggered, .parallel]
        let mode = modes[Int(random.next() % UInt64(modes.count))]
        let overall: Duration? = random.nextUnit() < 0.3 ? draw(.seconds(5) ... .seconds(120), &random) : nil
        return Policy(
            name: "tuned", mode: mode, candidates: candidates,
            stagger: mode == .staggered ? draw(search.stagger, &random) : .zero,
            attemptTimeout: draw(search.attemptTimeout, &random), overallTimeout: overall,
            advanceOnFailure: mode == .staggered ? random.nextUnit() < 0.5 : true,
            retries: random.nextUnit() < 0.2 ? 1 : 0, followRedirects: true)
    }

    /// A preset brought into the space: its candidates that the space allows, its timings clamped
    /// into the ranges; `nil` when none of its candidates is allowed. Its quirks are dropped: a tuned
    /// policy is a custom policy, which has none.
    func projected(_ preset: Policy) -> Policy? {
        let candidates = preset.candidates.filter(search.candidates.contains)
        guard !candidates.isEmpty else { return nil }
        var mode = preset.mode
        if candidates.count == 1 { mode = .sequential }
        return Policy(
            name: "tuned", mode: mode, candidates: candidates,
            stagger: mode == .staggered ? clamp(preset.stagger, search.stagger) : .zero,
            attemptTimeout: clamp(preset.attemptTimeout ?? search.attemptTimeout.upperBound, search.attemptTimeout),
            overallTimeout: preset.overallTimeout.map { Self.rounded($0) },
            advanceOnFailure: mode == .staggered ? preset.advanceOnFailure : true,
            retries: min(preset.retries, 1), followRedirects: true)
    }

    /// Policies one step away: each timing ×0.7 and ×1.4, a neighbouring pair of candidates swapped,
    /// a candidate dropped or one added, another mode, retries toggled, overall timeout removed.
    func neighbours(of policy: Policy) -> [Policy] {
        var out: [Policy] = []
        func add(_ change: (inout Policy) -> Void) {
            var next = policy
            change(&next)
            if next.mode != .staggered { next.stagger = .zero; next.advanceOnFailure = true }
            if next.mode == .staggered, next.stagger == .zero { next.stagger = clamp(.milliseconds(250), search.stagger) }
            if next.candidates.count == 1 { next.mode = .sequential; next.stagger = .zero; next.advanceOnFailure = true }
            if (try? next.validate()) != nil, next != policy, !out.contains(next) { out.append(next) }
        }
        for factor in [0.7, 1.4] {
            if policy.mode == .staggered {
                add { $0.stagger = clamp(.milliseconds(Int64(PopulationRunner.milliseconds(policy.stagger) * factor)), search.stagger) }
            }
            if let timeout = policy.attemptTimeout {
                add { $0.attemptTimeout = clamp(.milliseconds(Int64(PopulationRunner.milliseconds(timeout) * factor)), search.attemptTimeout) }
            }
        }
        for index in policy.candidates.indices.dropLast() {
            add { $0.candidates.swapAt(index, index + 1) }
        }
        if policy.candidates.count > 1 {
            for index in policy.candidates.indices { add { $0.candidates.remove(at: index) } }
        }
        for candidate in search.candidates where !policy.candidates.contains(candidate) {
            add { $0.candidates.append(candidate) }
        }
        for mode in Policy.Mode.allCases where mode != policy.mode { add { $0.mode = mode } }
        if policy.mode == .staggered { add { $0.advanceOnFailure.toggle() } }
        add { $0.retries = policy.retries == 0 ? 1 : 0 }
        if policy.overallTimeout != nil { add { $0.overallTimeout = nil } }
        return out
    }

    /// A duration as the scenario format writes it: `250ms`, `1500ms`, `12s`.
    static func text(_ duration: Duration) -> String {
        let milliseconds = Int64(PopulationRunner.milliseconds(duration).rounded())
        return milliseconds % 1000 == 0 ? "\(milliseconds / 1000)s" : "\(milliseconds)ms"
    }

    /// The policy as a custom policy of a scenario file (`policies:`), keys in the format's order.
    static func yaml(_ policy: Policy, indent: String = "") -> String {
        var lines = ["name: \(policy.name)", "mode: \(policy.mode.rawValue)",
                     "candidates: [" + policy.candidates.map(\.description).joined(separator: ", ") + "]"]
        if policy.mode == .staggered {
            lines.append("stagger: \(text(policy.stagger))")
            lines.append("advance-on-failure: \(policy.advanceOnFailure)")
        }
        if let timeout = policy.attemptTimeout { lines.append("attempt-timeout: \(text(timeout))") }
        if let timeout = policy.overallTimeout { lines.append("overall-timeout: \(text(timeout))") }
        lines.append("retries: \(policy.retries)")
        lines.append("follow-redirects: \(policy.followRedirects)")
        return lines.map { indent + $0 + "\n" }.joined()
    }

    /// One line: `staggered [url, rtmpt:80] stagger 250ms, attempt 5s`.
    static func summary(_ policy: Policy) -> String {
        var parts = ["\(policy.mode.rawValue) [" + policy.candidates.map(\.description).joined(separator: ", ") + "]"]
        if policy.mode == .staggered { parts.append("stagger \(text(policy.stagger))" + (policy.advanceOnFailure ? "" : " (no advance on failure)")) }
        if let timeout = policy.attemptTimeout { parts.append("attempt \(text(timeout))") }
        if let timeout = policy.overallTimeout { parts.append("overall \(text(timeout))") }
        if policy.retries > 0 { parts.append("retries \(policy.retries)") }
        return parts.joined(separator: ", ")
    }
}
