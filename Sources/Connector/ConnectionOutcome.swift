/// How a run ended, as the `outcome` column prints it.
public enum ConnectionOutcome: String, Sendable, Hashable, Codable, CaseIterable, CustomStringConvertible {
    case connected
    case failed

    public var description: String { rawValue }
}
