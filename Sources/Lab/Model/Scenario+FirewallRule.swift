extension Scenario {
    /// One rule of the virtual firewall between the client and the server.
    ///
    /// Nested in `Scenario` because the simulator has its own `FirewallRule`: this one is what the file
    /// says, that one is what the simulated network enforces.
    public struct FirewallRule: Sendable, Hashable {
        /// The server ports the rule matches; `nil` matches every port.
        public var ports: [Int]?
        public var action: FirewallAction
        /// When the rule holds, from the run's start; `nil` bounds are open.
        public var from: Duration?
        public var until: Duration?

        public init(ports: [Int]?, action: FirewallAction, from: Duration? = nil, until: Duration? = nil) {
            self.ports = ports
            self.action = action
            self.from = from
            self.until = until
        }
    }
}
