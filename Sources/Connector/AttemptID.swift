/// Names one attempt of one connector run: 1, 2, 3… in the order the connector starts them.
///
/// A retry or a redirect of the same candidate is a new attempt with a new ID, so every ID maps to
/// exactly one TCP connection (or tunnel) in the runtime and one row in a report.
public struct AttemptID: Sendable, Hashable, Codable, Comparable, CustomStringConvertible {
    public let rawValue: Int

    public init(_ rawValue: Int) {
        self.rawValue = rawValue
    }

    public static func < (lhs: AttemptID, rhs: AttemptID) -> Bool { lhs.rawValue < rhs.rawValue }

    public var description: String { "#\(rawValue)" }
}
