/// The RTMPT request paths: `/open/<n>`, `/send|idle|close/<id>/<seq>`, anything else unknown.
///
/// `<n>` and `<seq>` must be decimal (at most 10 digits); the sequence value itself is not enforced,
/// as Red5 does not enforce it either.
enum TunnelPath: Sendable, Equatable {
    case open
    case send(String)
    case idle(String)
    case close(String)
    case unknown

    init(_ path: String) {
        let parts = path.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count >= 3, parts[0].isEmpty, parts.allSatisfy({ !$0.isEmpty || $0.startIndex == path.startIndex })
        else {
            self = .unknown
            return
        }
        let command = parts[1]
        if command == "open", parts.count == 3, Self.isSequence(parts[2]) {
            self = .open
            return
        }
        guard parts.count == 4, !parts[2].isEmpty, Self.isSequence(parts[3]) else {
            self = .unknown
            return
        }
        let id = String(parts[2])
        switch command {
        case "send": self = .send(id)
        case "idle": self = .idle(id)
        case "close": self = .close(id)
        default: self = .unknown
        }
    }

    private static func isSequence(_ text: Substring) -> Bool {
        (1...10).contains(text.utf8.count) && text.utf8.allSatisfy { (48...57).contains($0) }
    }
}
