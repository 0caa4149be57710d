import LiveNet

extension ReservedPort {
    /// A port that is free now and lies below the kernel's ephemeral range (32768 and up on Linux),
    /// so no socket bound to port 0 elsewhere can be handed it before the caller binds it: tests that
    /// must release a port and bind it again, or start a peer on it, use this.
    /// Random, so that parallel tests rarely try the same candidates.
    package static func freeBelowEphemeralRange() -> Int? {
        for _ in 0..<64 {
            if let reservation = try? ReservedPort(port: Int.random(in: 20_000..<32_000)) { return reservation.port }
        }
        return nil
    }
}
