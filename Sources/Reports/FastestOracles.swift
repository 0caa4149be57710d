/// Each repetition's fastest oracle in a scenario, in plain arrays indexed by repetition: the
/// scenario's oracle is the median over repetitions of the fastest oracle among its policies' runs,
/// and a repetition's fastest is known only once the scenario's last policy has run, so one entry
/// per repetition stays until the scenario ends (issue 13 wants memory flat in `--repeat`; this is
/// the one figure that cannot be, and it costs 22 bytes a repetition).
struct FastestOracles {
    /// By repetition − 1: the fastest time so far, and its candidate as an index into `candidates`
    /// (`UInt16.max`: no oracle yet for that repetition).
    private var times: [Duration] = []
    private var candidateIndex: [UInt16] = []
    /// Repetitions (1-based) in order of first appearance, which decides ties between candidates.
    private var order: [Int32] = []
    private var candidates: [String] = []
    private var candidatePosition: [String: UInt16] = [:]

    private static let none = UInt16.max

    /// Adds a run's oracle for `repetition` (1-based): kept when it is the repetition's first or
    /// faster than the one kept (a tie keeps the earlier, as before).
    mutating func add(_ oracle: OracleResult, repetition: Int) {
        precondition(repetition >= 1 && repetition <= Int(Int32.max), "repetition \(repetition) out of range")
        let slot = repetition - 1
        if slot >= times.count {
            times.append(contentsOf: repeatElement(.zero, count: slot - times.count + 1))
            candidateIndex.append(contentsOf: repeatElement(Self.none, count: slot - candidateIndex.count + 1))
        }
        if candidateIndex[slot] == Self.none {
            order.append(Int32(repetition))
        } else if oracle.timeToConnect >= times[slot] {
            return
        }
        times[slot] = oracle.timeToConnect
        candidateIndex[slot] = position(of: oracle.candidate)
    }

    /// The kept oracles, repetitions in order of first appearance.
    var inOrderOfFirstAppearance: [OracleResult] {
        order.map { repetition in
            let slot = Int(repetition) - 1
            return OracleResult(candidate: candidates[Int(candidateIndex[slot])], timeToConnect: times[slot])
        }
    }

    private mutating func position(of candidate: String) -> UInt16 {
        if let known = candidatePosition[candidate] { return known }
        precondition(candidates.count < Int(Self.none), "more than \(Self.none) distinct oracle candidates")
        let next = UInt16(candidates.count)
        candidates.append(candidate)
        candidatePosition[candidate] = next
        return next
    }
}
