/// The last bytes a stream produced, bounded: enough of an external client's stdout or stderr to
/// explain a failure in a report, without letting a chatty client grow memory without limit.
package struct OutputTail: Sendable, Hashable, Codable {
    /// How many bytes are kept.
    package let limit: Int
    /// The newest `limit` bytes at most.
    package private(set) var bytes: [UInt8] = []
    /// How many earlier bytes were discarded.
    package private(set) var discarded = 0

    package init(limit: Int) {
        self.limit = max(0, limit)
    }

    mutating func append(_ chunk: UnsafeRawBufferPointer) {
        bytes.append(contentsOf: chunk)
        if bytes.count > limit {
            let excess = bytes.count - limit
            bytes.removeFirst(excess)
            discarded += excess
        }
    }

    /// The kept bytes as text, `…` in front when some were discarded.
    package var text: String {
        (discarded > 0 ? "…" : "") + String(decoding: bytes, as: UTF8.self)
    }
}
