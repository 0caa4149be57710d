extension PacketRecord {
    /// An IPv4 address as a capture writes it (nested so that it does not clash with the runtimes'
    /// own address types in a module that imports both).
    package struct Address: Sendable, Hashable, CustomStringConvertible {
        /// The address as a 32-bit number, `a.b.c.d` = `a << 24 | b << 16 | c << 8 | d`.
        package var value: UInt32

        package init(_ a: UInt8, _ b: UInt8, _ c: UInt8, _ d: UInt8) {
            value = UInt32(a) << 24 | UInt32(b) << 16 | UInt32(c) << 8 | UInt32(d)
        }

        package init(value: UInt32) {
            self.value = value
        }

        /// Parses dotted-quad text; `nil` when it is not exactly four decimal octets.
        package init?(_ text: String) {
            let parts = text.split(separator: ".", omittingEmptySubsequences: false)
            guard parts.count == 4 else { return nil }
            var result: UInt32 = 0
            for part in parts {
                guard !part.isEmpty, part.count <= 3, part.allSatisfy({ $0.isASCII && $0.isNumber }),
                      let octet = UInt8(part) else { return nil }
                result = result << 8 | UInt32(octet)
            }
            value = result
        }

        /// The four octets, most significant first (network order).
        var octets: [UInt8] {
            [UInt8(value >> 24), UInt8(truncatingIfNeeded: value >> 16), UInt8(truncatingIfNeeded: value >> 8),
             UInt8(truncatingIfNeeded: value)]
        }

        package var description: String {
            octets.map(String.init).joined(separator: ".")
        }
    }
}
