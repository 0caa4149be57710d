extension Policy: CustomStringConvertible {
    /// One line for `fallback-lab policies` and report headers, e.g.
    /// `staggered 1.5 s over url, rtmp:443, rtmpt:80, rtmps:443; overall 60 s; quirks: end-round-only-on-last-failure`.
    public var description: String {
        var parts: [String] = []
        let over = "over " + candidates.map(\.description).joined(separator: ", ")
        switch mode {
        case .sequential: parts.append("sequential \(over)")
        case .staggered: parts.append("staggered \(Self.format(stagger)) \(over)")
        case .parallel: parts.append("parallel \(over)")
        }
        parts.append("attempt timeout " + (attemptTimeout.map(Self.format) ?? "OS"))
        if let overallTimeout { parts.append("overall \(Self.format(overallTimeout))") }
        if advanceOnFailure { parts.append("advance on failure") }
        if minimumSpacing > .zero { parts.append("minimum spacing \(Self.format(minimumSpacing))") }
        if retries > 0 { parts.append("retries \(retries)") }
        if followRedirects {
            parts.append("redirects after \(Self.format(redirectDelay)) (limit \(redirectLimit))")
        }
        if followsReconnectRequest { parts.append("follows reconnect requests") }
        let quirkNames = quirks.names
        if !quirkNames.isEmpty { parts.append("quirks: " + quirkNames.joined(separator: ", ")) }
        return parts.joined(separator: "; ")
    }

    /// `250 ms`, `1.5 s`, `60 s`: milliseconds below a second, seconds above.
    static func format(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        let totalMicroseconds = seconds * 1_000_000 + attoseconds / 1_000_000_000_000
        if totalMicroseconds % 1000 != 0 {
            return "\(totalMicroseconds) µs"
        }
        let milliseconds = totalMicroseconds / 1000
        if milliseconds == 0 || milliseconds % 100 != 0 || milliseconds < 1000 {
            return "\(milliseconds) ms"
        }
        let tenths = milliseconds / 100
        return tenths % 10 == 0 ? "\(tenths / 10) s" : "\(tenths / 10).\(tenths % 10) s"
    }
}

extension Policy.Quirks {
    /// The quirks that are on, in kebab case, in declaration order.
    public var names: [String] {
        [
            (noFallbackWhenURLHasPort, "no-fallback-when-url-has-port"),
            (urlsFromStreamerList, "urls-from-streamer-list"),
            (abandonPrevious, "abandon-previous"),
            (endRoundOnlyOnLastFailure, "end-round-only-on-last-failure"),
            (anyFailureEndsAll, "any-failure-ends-all"),
            (rejectionEndsAll, "rejection-ends-all"),
            (losersRunUntilTheyEnd, "losers-run-until-they-end"),
            (redirectRestartsRound, "redirect-restarts-round"),
        ].filter(\.0).map(\.1)
    }
}
