import RunCore

/// One-line descriptions of a scenario's parts for the report's scenario header.
extension NetworkSettings {
    var summary: String {
        var parts = ["\(DurationText.describe(latency)) one way"]
        if jitter > .zero {
            parts.append("jitter \(DurationText.describe(jitter))" + (jitterDistribution == .normal ? " (normal)" : ""))
        }
        if let bandwidth {
            parts.append(Self.rate(bandwidth) + (queue == Self.defaultQueue ? "" : " (queue \(queue) packets)"))
        }
        if reorder && jitter > .zero { parts.append("reordering") }
        switch lossModel {
        case .bernoulli:
            if loss > 0 { parts.append("loss \(Self.percent(loss))") }
        case .gilbertElliott(let model):
            parts.append("loss \(Self.percent(meanLoss)) in bursts of \(Self.burst(model.r)) packets (Gilbert–Elliott)")
        }
        return parts.joined(separator: ", ")
    }

    /// The mean burst length 1/r, to a tenth of a packet.
    static func burst(_ r: Double) -> String {
        guard r > 0 else { return "unending" }
        let tenths = (10 / r).rounded()
        return tenths.truncatingRemainder(dividingBy: 10) == 0 ? "\(Int(tenths / 10))" : "\(tenths / 10)"
    }

    static func rate(_ bits: UInt64) -> String {
        if bits % 1_000_000_000 == 0 { return "\(bits / 1_000_000_000) Gbit/s" }
        if bits % 1_000_000 == 0 { return "\(bits / 1_000_000) Mbit/s" }
        if bits % 1_000 == 0 { return "\(bits / 1_000) kbit/s" }
        return "\(bits) bit/s"
    }

    /// The ratio as the file wrote it, to a thousandth of a percent.
    static func percent(_ ratio: Double) -> String {
        let thousandths = UInt64((ratio * 100_000).rounded())
        return DurationText.decimal(thousandths, places: 3) + "%"
    }
}

extension ServerSettings {
    var summary: String {
        let ports = self.ports.keys.sorted().map { port in
            "\(port): " + (self.ports[port] ?? []).map(\.rawValue).joined(separator: "+")
        }
        var text = "\(host) on " + ports.joined(separator: ", ") + "; \(response.summary)"
        if delay > .zero { text += " after \(DurationText.describe(delay))" }
        return text
    }
}

extension ServerResponse {
    var summary: String {
        switch self {
        case .accept: "accepts"
        case .reject: "rejects"
        case .redirect(let url): "redirects to \(url)"
        case .silent: "never answers connect"
        case .closeAfterHandshake: "closes after the handshake"
        }
    }
}

extension FirewallRule {
    var summary: String {
        let target = ports.isEmpty ? "every port" : ports.map(String.init).joined(separator: ",")
        var text = "\(target): \(action.summary)"
        switch (from, until) {
        case (nil, nil): break
        case (let from?, nil): text += " from \(DurationText.describe(from))"
        case (nil, let until?): text += " until \(DurationText.describe(until))"
        case (let from?, let until?): text += " from \(DurationText.describe(from)) until \(DurationText.describe(until))"
        }
        return text
    }
}

extension FirewallRule.Action {
    var summary: String {
        switch self {
        case .allow: "allow"
        case .drop: "drop"
        case .reject: "reject (TCP reset)"
        case .rejectICMP: "reject (ICMP port unreachable)"
        case .httpOnly(let behaviour, let idle):
            "HTTP only (non-HTTP: \(behaviour.rawValue)" + (behaviour == .hang ? ", idle timeout \(DurationText.describe(idle)))" : ")")
        case .blackhole: "blackhole"
        }
    }
}

extension HTTPProxyConfiguration {
    func summary(_ address: ProxyAddress) -> String {
        var text = "\(address), CONNECT to " + (connectPorts.isEmpty ? "no port" : connectPorts.map(String.init).joined(separator: ","))
        if buffering { text += ", buffers responses" }
        if latency > .zero { text += ", \(DurationText.describe(latency)) per request" }
        return text
    }
}
