/// How the explicit HTTP proxy behaves: which `CONNECT` targets it allows and whether it buffers.
public struct ProxySettings: Sendable, Hashable {
    /// Ports `CONNECT` may reach; any other gets 403. Defaults to 443 only, as corporate proxies
    /// commonly configure it (reference/network-conditions.md, "Explicit proxy").
    public var connectPorts: [Int]
    /// Holds each response until it is complete, which breaks RTMPT's polling (the seed thread's
    /// "6 minute delay" through a tunnel).
    public var buffering: Bool
    /// The proxy's own processing time per request.
    public var latency: Duration

    public init(connectPorts: [Int] = [443], buffering: Bool = false, latency: Duration = .zero) {
        self.connectPorts = connectPorts
        self.buffering = buffering
        self.latency = latency
    }
}
