/// A built-in policy reproducing how one real player falls back, with the sources of its numbers.
///
/// Presets are plain ``Policy`` values; the connector never looks at a preset's name. The facts and
/// their sources are collected in the project's reference notes on fallback policies; each preset's
/// doc comment says where each number comes from, and which assumptions are unconfirmed.
public struct Preset: Sendable, Hashable, Identifiable {
    /// The name scenario files and `--policy` use (`ncmanager-flex`).
    public var name: String
    /// One paragraph: what the player does, for `fallback-lab policies`.
    public var summary: String
    /// Where the numbers come from.
    public var sources: [String]
    public var policy: Policy

    public var id: String { name }

    public init(name: String, summary: String, sources: [String], policy: Policy) {
        self.name = name
        self.summary = summary
        self.sources = sources
        self.policy = policy
    }

    /// Every built-in preset: the design's eight in the order it lists them, then those added since,
    /// last, so that the policies of an earlier release's report keep their order.
    public static let all: [Preset] = [
        .flashBuiltin, .jw4StreamerList, .jw5Tunneling, .ncmanagerFlex, .ncmanagerFLVPlayback, .flowplayer, .akamai,
        .happyEyeballs, .flashFMS3,
    ]

    /// The preset called `name`, if there is one.
    public static func named(_ name: String) -> Preset? {
        all.first { $0.name == name }
    }
}
