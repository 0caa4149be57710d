import RTMP

/// What identifies a plan across machines: every input the report's bytes depend on. Shards with the
/// same fingerprint ran the same scenario files (path and bytes, in order) with the same `--seed`,
/// `--repeat` and `--policy`, so their runs are parts of one report; `merge` refuses any other mix.
///
/// The paths count, not only the contents: reports name each expectation's `file:line`.
enum PlanFingerprint {
    /// Bumped when a plan's meaning changes (how seeds are derived, how shares are assigned), so that
    /// shards of different versions of the tool are not merged.
    static let version = 1

    static func of(_ scenarios: [Scenario], options: RunOptions) -> String {
        var text = "fallback-lab plan \(version)\n"
        text += "seed \(options.seed.map(String.init) ?? "-")\n"
        text += "repeat \(options.repetitions.map(String.init) ?? "-")\n"
        text += "policies \(options.policies.count)\n"
        for policy in options.policies { text += "\(policy.utf8.count) \(policy)\n" }
        text += "scenarios \(scenarios.count)\n"
        for scenario in scenarios {
            // An unread scenario (built in code) has no digest; its name and seed stand in.
            let digest = scenario.sourceDigest.isEmpty ? "unread \(scenario.name) \(scenario.seed)" : scenario.sourceDigest
            text += "\(scenario.file.utf8.count) \(scenario.file) \(digest)\n"
        }
        return hex(SHA256.hash(Array(text.utf8)))
    }

    static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0xF)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
