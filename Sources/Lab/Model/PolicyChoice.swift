/// A policy a scenario runs: a built-in preset by name, or one written inline.
public enum PolicyChoice: Sendable, Hashable {
    case preset(String)
    case custom(CustomPolicy)

    /// The name reports and expectations use.
    public var name: String {
        switch self {
        case .preset(let name): name
        case .custom(let policy): policy.name
        }
    }
}
