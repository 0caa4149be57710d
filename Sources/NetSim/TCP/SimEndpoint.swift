/// An address and port: one end of a simulated TCP connection.
package struct SimEndpoint: Hashable, Sendable, CustomStringConvertible {
    package var address: IPv4Address
    package var port: UInt16

    package init(_ address: IPv4Address, _ port: UInt16) {
        self.address = address
        self.port = port
    }

    package var description: String { "\(address):\(port)" }
}
