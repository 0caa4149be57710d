/// How the explicit HTTP proxy (`client.proxy`) behaves: the scenario file's `proxy:` section.
package struct HTTPProxyConfiguration: Sendable, Equatable {
    /// Ports `CONNECT` may reach; anything else is answered `403 Forbidden`. Corporate proxies
    /// commonly allow only 443.
    package var connectPorts: [UInt16]
    /// `true`: each response is held until it is complete before the client sees any of it, which
    /// delays every RTMPT poll by the whole response's transfer.
    package var buffering: Bool
    /// One-way latency between the client and the proxy (the proxy is on the client's network).
    package var latency: Duration

    package init(connectPorts: [UInt16] = [443], buffering: Bool = false, latency: Duration = .zero) {
        self.connectPorts = connectPorts
        self.buffering = buffering
        self.latency = latency
    }
}
