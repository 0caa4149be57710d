/// How the explicit HTTP proxy (`client.proxy`) behaves: the scenario file's `proxy:` section.
public struct HTTPProxyConfiguration: Sendable, Equatable {
    /// Ports `CONNECT` may reach; anything else is answered `403 Forbidden`. Corporate proxies
    /// commonly allow only 443.
    public var connectPorts: [UInt16]
    /// `true`: each response is held until it is complete before the client sees any of it, which
    /// delays every RTMPT poll by the whole response's transfer.
    public var buffering: Bool
    /// One-way latency between the client and the proxy (the proxy is on the client's network).
    public var latency: Duration

    public init(connectPorts: [UInt16] = [443], buffering: Bool = false, latency: Duration = .zero) {
        self.connectPorts = connectPorts
        self.buffering = buffering
        self.latency = latency
    }
}
