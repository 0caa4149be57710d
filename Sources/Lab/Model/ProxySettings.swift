/// How the explicit HTTP proxy behaves: which `CONNECT` targets it allows and whether it buffers.
public struct ProxySettings: Sendable, Hashable {
    /// Ports `CONNECT` may reach; any other gets 403. `nil` allows every port.
    public var connectPorts: [Int]?
    /// Holds each response until it is complete, which breaks RTMPT's polling (the seed thread's
    /// "6 minute delay" through a tunnel).
    public var buffering: Bool
    /// The proxy's own processing time per request.
    public var latency: Duration

    public init(connectPorts: [Int]? = nil, buffering: Bool = false, latency: Duration = .zero) {
        self.connectPorts = connectPorts
        self.buffering = buffering
        self.latency = latency
    }
}
