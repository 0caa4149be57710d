import NIOConcurrencyHelpers

/// `count` independent pieces of work on `workers` tasks, results in index order: the number of
/// workers never changes a result.
enum ParallelJobs {
    static func map<Result: Sendable>(
        _ count: Int, workers: Int, _ body: @escaping @Sendable (Int) -> Result
    ) async -> [Result] {
        let next = NIOLockedValueBox(0)
        let parts = await withTaskGroup(of: [(Int, Result)].self) { group in
            for _ in 0..<max(1, min(workers, count)) {
                group.addTask {
                    var done: [(Int, Result)] = []
                    while true {
                        let index: Int? = next.withLockedValue { value in
                            guard value < count else { return nil }
                            defer { value += 1 }
                            return value
                        }
                        guard let index else { break }
                        done.append((index, body(index)))
                    }
                    return done
                }
            }
            var all: [(Int, Result)] = []
            for await part in group { all.append(contentsOf: part) }
            return all
        }
        return parts.sorted { $0.0 < $1.0 }.map(\.1)
    }
}
