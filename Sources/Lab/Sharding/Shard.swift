/// `--shard I/N`: the I-th of N shares of a plan (1 ≤ I ≤ N), for a CI matrix that runs one plan on
/// N machines and merges their folders (`fallback-lab merge`).
package struct Shard: Sendable, Hashable, Codable, CustomStringConvertible {
    /// 1-based.
    package var index: Int
    package var count: Int

    /// More shares than any matrix has; a larger N is almost surely a typo.
    package static let maximumCount = 10_000

    /// `--shard` text that is not `I/N` with 1 ≤ I ≤ N.
    package struct ParseError: Error, Sendable, Hashable, CustomStringConvertible {
        package var text: String
        package var description: String {
            "--shard takes I/N with 1 ≤ I ≤ N ≤ \(Shard.maximumCount) (such as 2/4), not '\(text)'"
        }
    }

    package init(index: Int, count: Int) {
        self.index = index
        self.count = count
    }

    package init(parsing text: String) throws(ParseError) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let index = Int(parts[0]), let count = Int(parts[1]),
            (1...Self.maximumCount).contains(count), (1...count).contains(index)
        else { throw ParseError(text: text) }
        self.init(index: index, count: count)
    }

    package var description: String { "\(index)/\(count)" }
}
