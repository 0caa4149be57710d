/// How the explicit HTTP proxy behaves: which `CONNECT` targets it allows and whether it buffers.
package struct ProxySettings: Sendable, Hashable {
    /// Ports `CONNECT` may reach; any other gets 403. Defaults to 443 only, as corporate proxies
    /// commonly configure it (reference/network-conditions.md, "Explicit proxy").
    package var connectPorts: [Int]
    /// Holds each response until it is complete, which breaks RTMPT's polling (the seed thread's
    /// "6 minute delay" through a tunnel).
    package var buffering: Bool
    /// The proxy's own processing time per request.
    package var latency: Duration

    package init(connectPorts: [Int] = [443], buffering: Bool = false, latency: Duration = .zero) {
        self.connectPorts = connectPorts
        self.buffering = buffering
        self.latency = latency
    }
}
