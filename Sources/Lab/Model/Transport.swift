import Connector

/// A scheme on a port, written `rtmpt:80`: what an expectation's `via` names and what a run's winner is.
///
/// The host is left out on purpose: after a redirect the winner is on another host, and the claim a
/// scenario makes is about the way through the firewall, not about the machine.
package struct Transport: Sendable, Hashable, CustomStringConvertible {
    package var scheme: RTMPScheme
    package var port: Int

    package init(_ scheme: RTMPScheme, _ port: Int) {
        self.scheme = scheme
        self.port = port
    }

    /// The transport a candidate uses.
    package init(_ candidate: Candidate) {
        self.init(candidate.scheme, candidate.port)
    }

    package var description: String { "\(scheme.rawValue):\(port)" }

    /// Parses `scheme:port`; `nil` when the text is not of that form or the port is out of range.
    package init?(parsing text: String) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, let scheme = RTMPScheme(rawValue: parts[0].lowercased()),
            parts[1].count <= 5, parts[1].allSatisfy({ $0.isASCII && $0.isNumber }),
            let port = Int(parts[1]), (1...65535).contains(port)
        else { return nil }
        self.init(scheme, port)
    }
}
