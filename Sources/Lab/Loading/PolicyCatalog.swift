/// What the loader needs to know about policies it does not define: the preset names, and which
/// transports each preset could try for a URL (to refuse a `via` that can never happen).
///
/// Injected rather than hard-wired so the loader stays testable on its own; `PolicyCatalog.connector`
/// is the one built from the connector's presets that the tool uses.
struct PolicyCatalog: Sendable {
    /// Every preset, in the order a file without `policies:` runs them.
    var presetNames: [String]
    /// The transports a preset could try for these URLs (their first one, unless the preset walks a
    /// streamer list); `nil` for an unknown name.
    var presetTransports: @Sendable (_ preset: String, _ urls: [StreamURL]) -> Set<Transport>?

    /// The transports a policy could try for `urls`, and for `redirect` when the policy follows one.
    func transports(for policy: PolicyChoice, urls: [StreamURL], redirect: StreamURL?) -> Set<Transport> {
        switch policy {
        case .preset(let name):
            var result = presetTransports(name, urls) ?? []
            if let redirect { result.formUnion(presetTransports(name, [redirect]) ?? []) }
            return result
        case .custom(let custom):
            var targets = Array(urls.prefix(1))
            if custom.followRedirects, let redirect { targets.append(redirect) }
            var result: Set<Transport> = []
            for url in targets {
                for candidate in custom.candidates {
                    switch candidate {
                    case .url: result.insert(Transport(url.scheme, url.effectivePort))
                    case .transport(let transport): result.insert(transport)
                    }
                }
            }
            return result
        }
    }
}
