/// An IPv4 address in the simulated network.
///
/// The simulation gives its hosts documentation-range addresses (RFC 5737) so a capture written from a
/// run can never be mistaken for real traffic.
package struct IPv4Address: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The address in host byte order.
    package var value: UInt32

    package init(_ value: UInt32) { self.value = value }

    package init(_ a: UInt8, _ b: UInt8, _ c: UInt8, _ d: UInt8) {
        value = UInt32(a) << 24 | UInt32(b) << 16 | UInt32(c) << 8 | UInt32(d)
    }

    /// The four bytes in network order, as a capture writes them.
    package var bytes: [UInt8] {
        [UInt8(value >> 24), UInt8(truncatingIfNeeded: value >> 16), UInt8(truncatingIfNeeded: value >> 8), UInt8(truncatingIfNeeded: value)]
    }

    package static func < (lhs: IPv4Address, rhs: IPv4Address) -> Bool { lhs.value < rhs.value }

    package var description: String { bytes.map(String.init).joined(separator: ".") }
}
