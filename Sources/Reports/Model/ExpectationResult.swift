/// One `expect:` entry of a scenario checked against one run.
package struct ExpectationResult: Sendable {
    /// The expectation in words, for example `flowplayer: connected within 1s via rtmpt:80`.
    package var description: String
    /// Whether the run met it.
    package var passed: Bool
    /// What actually happened, for example `connected after 1.734 s via rtmp:1935`.
    package var detail: String

    package init(description: String, passed: Bool, detail: String) {
        self.description = description
        self.passed = passed
        self.detail = detail
    }
}
