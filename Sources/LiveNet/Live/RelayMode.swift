/// What a loopback relay does with the connections it accepts.
enum RelayMode: Sendable, Hashable {
    /// Pass bytes both ways to the server's port, each after `delay`.
    case forward(upstreamPort: Int, delay: Duration)
    /// A transparent HTTP proxy: HTTP goes on to the server like `forward`; anything else is
    /// answered `400 Bad Request` and closed, or, with `hang`, held until `idleTimeout` of silence.
    case httpOnly(upstreamPort: Int, delay: Duration, hang: Bool, idleTimeout: Duration)
    /// Accepts and reads everything, answers nothing.
    case blackhole
    /// Decides per accepted connection where it goes (`serve` on a port whose rule has a time window).
    case route(RelayRoute)
}
