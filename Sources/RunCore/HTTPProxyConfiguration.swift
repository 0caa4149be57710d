/// How the explicit HTTP proxy (`client.proxy`) behaves: the scenario file's `proxy:` section, as the
/// loader reads it and the simulator's proxy enforces it (one model; before issue 12 Lab's
/// `ProxySettings` mirrored it and was converted field by field).
package struct HTTPProxyConfiguration: Sendable, Hashable {
    /// Ports `CONNECT` may reach; anything else is answered `403 Forbidden`. Defaults to 443 only, as
    /// corporate proxies commonly configure it (reference/network-conditions.md, "Explicit proxy").
    package var connectPorts: [UInt16]
    /// `true`: each response is held until it is complete before the client sees any of it, which
    /// delays every RTMPT poll by the whole response's transfer (the seed thread's "6 minute delay"
    /// through a tunnel).
    package var buffering: Bool
    /// One-way latency between the client and the proxy (the proxy is on the client's network).
    package var latency: Duration

    package init(connectPorts: [UInt16] = [443], buffering: Bool = false, latency: Duration = .zero) {
        self.connectPorts = connectPorts
        self.buffering = buffering
        self.latency = latency
    }
}
