import RTMP

extension ServedProtocol {
    /// What a server does with a new connection's first bytes.
    package enum Sniffed: Sendable, Equatable {
        /// Not enough bytes to tell yet.
        case needMoreBytes
        /// Serve it as this protocol.
        case serve(ServedProtocol)
        /// Nothing on this port speaks it: close the connection, as a server without a handler
        /// does; the reason is for the server's log.
        case refuse(String)
    }

    /// Tells the protocol of a connection apart by its first bytes (the client always speaks first:
    /// C0, a TLS ClientHello or an HTTP request line) and says whether the port serves it. One
    /// decision for the simulated server (per port, as the scenario lists) and the live one.
    package static func sniff(_ bytes: ArraySlice<UInt8>, offered: some Collection<ServedProtocol>) -> Sniffed {
        let sniffed: ServedProtocol
        switch PortSniffer.sniff(bytes) {
        case .needMoreBytes:
            return .needMoreBytes
        case .rtmp:
            sniffed = .rtmp
        case .tls:
            sniffed = .rtmps
        case .http:
            sniffed = .rtmpt
        case .rtmpe(let version):
            return .refuse("RTMPE (C0 0x\(String(version, radix: 16))) is not served")
        case .unknown:
            return .refuse("first byte 0x\(String(bytes[bytes.startIndex], radix: 16)) is neither RTMP, TLS nor HTTP")
        }
        guard offered.contains(sniffed) else {
            return .refuse("\(sniffed.servedName) is not served on this port")
        }
        return .serve(sniffed)
    }

    /// How the server's log names the protocol.
    private var servedName: String {
        switch self {
        case .rtmp: "RTMP"
        case .rtmpt: "HTTP (RTMPT)"
        case .rtmps: "TLS (RTMPS)"
        }
    }
}
