import Testing
@testable import Lab

@Test func dump() throws {
    for name in ["unknown-keys", "bad-values", "wrong-types", "policies", "missing", "urls", "duplicate-key", "syntax", "empty", "comment-only", "binary", "deep", "not-a-mapping"] {
        print("== \(name)")
        for line in try FixtureSupport.diagnostics("Invalid/\(name).yaml") { print(line) }
    }
}
