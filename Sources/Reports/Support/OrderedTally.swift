/// Counts of text values in order of first appearance: which winner, oracle candidate or network
/// action was seen how often. It holds one entry per distinct value, never one per run.
struct OrderedTally {
    private(set) var order: [String] = []
    private var counts: [String: Int] = [:]

    mutating func add(_ value: String) {
        if counts[value] == nil { order.append(value) }
        counts[value, default: 0] += 1
    }

    func count(of value: String) -> Int { counts[value] ?? 0 }

    /// The value seen most often, ties broken by first appearance.
    var mostCommon: String? {
        var best: String?
        for value in order where best == nil || count(of: value) > count(of: best ?? "") {
            best = value
        }
        return best
    }
}
