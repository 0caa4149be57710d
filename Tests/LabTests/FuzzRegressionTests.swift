import Testing
@testable import Lab

/// Inputs the scenario fuzz target (Fuzz/Sources/fuzz-scenario) found, kept so they stay fixed.
@Suite struct FuzzRegressionTests {
    /// Diagnostics of `text`, which must not load.
    func diagnostics(_ text: String) -> [Diagnostic] {
        do {
            _ = try ScenarioLoader.parse(Array(text.utf8), file: "f.yaml")
            Issue.record("\(text.debugDescription) loaded")
            return []
        } catch {
            return error.diagnostics
        }
    }

    /// libyaml reported a syntax error at the end of a file without a final line break on line 3 of
    /// a 2-line file (it appends the line break itself); it now points at the end of line 2.
    @Test func syntaxErrorAtTheEndOfAFileWithoutFinalNewlineIsInsideTheFile() {
        let found = diagnostics("description: x\nca rip")
        #expect(found.map(\.line) == [2])
        #expect(found.map(\.column) == [7])
    }

    /// The same for an unclosed flow sequence on a 1-line file.
    @Test func unclosedFlowSequenceOnTheLastLineIsInsideTheFile() {
        let found = diagnostics("a: [1, 2")
        #expect(found.map(\.line) == [1])
        #expect(found.map(\.column) == [9])
    }

    /// With the final line break the file really has that next line; the position is kept.
    @Test func positionsInsideTheFileAreKept() {
        let found = diagnostics("description: x\nca rip\n")
        #expect(found.map(\.line) == [3])
        #expect(found.map(\.column) == [1])
    }

    @Test func clampingOnlyMovesPositionsPastTheEnd() {
        #expect(ScenarioLoader.clamped(1, 3, in: "ab\ncd") == (1, 3))
        #expect(ScenarioLoader.clamped(2, 3, in: "ab\ncd") == (2, 3))
        #expect(ScenarioLoader.clamped(2, 4, in: "ab\ncd") == (2, 3))
        #expect(ScenarioLoader.clamped(3, 1, in: "ab\ncd") == (2, 3))
        #expect(ScenarioLoader.clamped(3, 1, in: "ab\ncd\n") == (3, 1))
    }
}
