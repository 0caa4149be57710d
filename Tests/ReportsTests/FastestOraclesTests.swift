import Testing
@testable import Reports

/// Issue 13: the scenario's oracle per repetition, kept in arrays indexed by repetition.
@Suite("The fastest oracle of each repetition")
struct FastestOraclesTests {
    /// Runs come policy by policy, so a repetition's oracles arrive far apart: the fastest wins, a
    /// tie keeps the first, and the order is the repetitions' first appearance, not their numbers.
    @Test func keepsTheFastestPerRepetitionInOrderOfFirstAppearance() {
        var oracles = FastestOracles()
        oracles.add(OracleResult(candidate: "rtmp:1935", timeToConnect: .milliseconds(300)), repetition: 3)
        oracles.add(OracleResult(candidate: "rtmp:1935", timeToConnect: .milliseconds(200)), repetition: 1)
        // Another policy: faster at repetition 3, a tie at 1, a first at 2.
        oracles.add(OracleResult(candidate: "rtmpt:80", timeToConnect: .milliseconds(250)), repetition: 3)
        oracles.add(OracleResult(candidate: "rtmps:443", timeToConnect: .milliseconds(200)), repetition: 1)
        oracles.add(OracleResult(candidate: "rtmps:443", timeToConnect: .milliseconds(900)), repetition: 2)
        #expect(oracles.inOrderOfFirstAppearance == [
            OracleResult(candidate: "rtmpt:80", timeToConnect: .milliseconds(250)),
            OracleResult(candidate: "rtmp:1935", timeToConnect: .milliseconds(200)),
            OracleResult(candidate: "rtmps:443", timeToConnect: .milliseconds(900)),
        ])
    }

    @Test func noOracleNoEntry() {
        #expect(FastestOracles().inOrderOfFirstAppearance.isEmpty)
    }
}
