/// Finds the known word nearest to a misspelt one, so an unknown key can say "did you mean …".
enum KeySuggestion {
    /// The nearest candidate within a distance that still looks like a typo, or `nil`.
    static func nearest(to word: String, in candidates: [String]) -> String? {
        let lowered = word.lowercased()
        var best: (word: String, distance: Int)?
        for candidate in candidates {
            let distance = editDistance(lowered, candidate.lowercased())
            if best == nil || distance < best!.distance { best = (candidate, distance) }
        }
        guard let best else { return nil }
        // A third of the longer word, at least 2: "latncy" → "latency", but not "foo" → "seed".
        let limit = max(2, max(word.count, best.word.count) / 3)
        return best.distance <= limit ? best.word : nil
    }

    /// Optimal string alignment distance: Levenshtein plus adjacent transpositions ("lantecy").
    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a.unicodeScalars)
        let b = Array(b.unicodeScalars)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previousPrevious = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                var value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    value = min(value, previousPrevious[j - 2] + 1)
                }
                current[j] = value
            }
            (previousPrevious, previous, current) = (previous, current, previousPrevious)
        }
        return previous[b.count]
    }

    /// "did you mean 'x'?" when one is near, otherwise the whole list.
    static func hint(for word: String, in candidates: [String], what: String) -> String {
        if let near = nearest(to: word, in: candidates) { return "did you mean '\(near)'?" }
        return "\(what): " + candidates.joined(separator: ", ")
    }
}
