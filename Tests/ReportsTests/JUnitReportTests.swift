import Foundation
import Testing
import TestSupport
@testable import Reports

@Suite("JUnit XML report")
struct JUnitReportTests {
    let xml = ReportFixtures.input.junitXML()

    @Test func matchesGolden() throws {
        try Fixtures.expectGolden(xml, "junit.xml")
    }

    @Test func oneSuitePerScenarioOneCasePerPolicyOneFailurePerFailedExpectation() {
        #expect(xml.components(separatedBy: "<testsuite ").count - 1 == 2)
        #expect(xml.components(separatedBy: "<testcase ").count - 1 == 5)
        #expect(xml.components(separatedBy: "<failure ").count - 1 == 2)
        #expect(xml.contains("<testcase name=\"flowplayer\" classname=\"corporate-firewall-drops-1935\" time=\"0.740\">"))
        #expect(xml.contains("<property name=\"winner\" value=\"rtmpt:80\"/>"))
        #expect(xml.contains("<property name=\"attempts\" value=\"4\"/>"))
        #expect(xml.contains("<property name=\"cost\" value=\"1 conn, 1 hs, 0 wasted\"/>"))
        #expect(xml.contains("<testsuites name=\"FallbackLab\" tests=\"5\" failures=\"2\""))
    }

    @Test func specialCharactersAreEscaped() {
        #expect(xml.contains("message=\"repetition 1: &lt;/failure&gt;&lt;script&gt;x&lt;/script&gt;\">]]&gt; &amp; &quot;done&quot;</failure>")
            || xml.contains("message=\"&lt;/failure&gt;&lt;script&gt;x&lt;/script&gt;\">]]&gt; &amp; &quot;done&quot;</failure>"))
        #expect(!xml.contains("<script>"))
        // The ESC byte in the description is not allowed in XML 1.0 and is replaced.
        #expect(xml.contains("pipe \u{FFFD}[31m"))
    }

    @Test(.enabled(if: Tool.runnable("xmllint"), "xmllint (libxml2-utils) is not installed"))
    func validatesAgainstTheJUnitSchema() throws {
        let xmllint = try #require(Tool.path("xmllint"), "xmllint (package libxml2-utils) is required in CI")
        let folder = try TemporaryFolder()
        let document = folder.path("junit.xml")
        try Data(xml.utf8).write(to: URL(fileURLWithPath: document))
        let schema = Fixtures.url("junit.xsd").path
        let result = try Tool.run(xmllint, ["--noout", "--schema", schema, document])
        #expect(result.status == 0, "xmllint: \(result.errors)")
        #expect(result.errors.contains("validates"))
    }

    /// The schema is not a rubber stamp: a test case without a name, or a time with six decimals,
    /// is refused.
    @Test(.enabled(if: Tool.runnable("xmllint"), "xmllint (libxml2-utils) is not installed"))
    func theSchemaRefusesMalformedReports() throws {
        let xmllint = try #require(Tool.path("xmllint"), "xmllint (package libxml2-utils) is required in CI")
        let folder = try TemporaryFolder()
        let schema = Fixtures.url("junit.xsd").path
        for (index, broken) in [
            "<testsuites><testsuite name=\"s\" tests=\"1\"><testcase classname=\"c\"/></testsuite></testsuites>",
            "<testsuites><testsuite name=\"s\" tests=\"1\"><testcase name=\"n\" time=\"0.740000\"/></testsuite></testsuites>",
            "<testsuites><testsuite name=\"s\" tests=\"-1\"/></testsuites>",
        ].enumerated() {
            let document = folder.path("broken\(index).xml")
            try Data(broken.utf8).write(to: URL(fileURLWithPath: document))
            let result = try Tool.run(xmllint, ["--noout", "--schema", schema, document])
            #expect(result.status != 0, "xmllint accepted \(broken)")
        }
    }
}
