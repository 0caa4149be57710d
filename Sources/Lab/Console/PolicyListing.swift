import Connector

/// The text of `fallback-lab policies`: every preset, what it does, its candidates and timings, and
/// where its numbers come from.
package enum PolicyListing {
    package static var text: String {
        let example = try? ConnectURL(parsing: "rtmp://media.example.com/live")
        return Preset.all.map { preset in
            let policy = preset.policy
            var lines = [preset.name, "  " + preset.summary]
            lines.append("  mode: \(policy.mode.rawValue)" + (policy.mode == .staggered ? ", stagger \(DurationText.describe(policy.stagger))" : ""))
            lines.append("  candidates: " + policy.candidates.map(\.description).joined(separator: ", "))
            if let example {
                lines.append("  for \(example): " + policy.candidates(for: [example]).map(\.label).joined(separator: ", "))
            }
            lines.append("  attempt timeout: " + (policy.attemptTimeout.map(DurationText.describe) ?? "the OS connect timeout"))
            lines.append("  overall timeout: " + (policy.overallTimeout.map(DurationText.describe) ?? "none"))
            var behaviour: [String] = []
            if policy.advanceOnFailure { behaviour.append("starts the next candidate at once when one fails") }
            if policy.retries > 0 { behaviour.append("retries each candidate \(policy.retries) more time(s) after a connection failure") }
            if policy.followRedirects {
                behaviour.append("follows 302 redirects" + (policy.redirectDelay > .zero ? " after \(DurationText.describe(policy.redirectDelay))" : ""))
            } else {
                behaviour.append("does not follow 302 redirects")
            }
            if !behaviour.isEmpty { lines.append("  " + behaviour.joined(separator: "; ")) }
            lines.append("  sources:")
            lines.append(contentsOf: preset.sources.map { "    - \($0)" })
            return lines.joined(separator: "\n")
        }.joined(separator: "\n\n") + "\n"
    }
}
