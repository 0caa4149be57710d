import Foundation
import Testing
import Lab

#if canImport(FoundationXML)
import FoundationXML
#endif

/// A scenario file written by someone else, end to end: loaded, run, written as every report format.
/// Its strings must come out inert (escaped in HTML and XML, no formula in CSV) and its names must not
/// steer where files go.
@Suite("Hostile scenario strings, end to end")
struct HostileScenarioTests {
    static let name = "=HYPERLINK(\"http://evil.example\") ../../../escape <script>alert(1)</script>"
    static let scenarioText = """
        name: '\(name.replacingOccurrences(of: "'", with: "''"))'
        description: "+SUM(1,2) & <img src=x onerror=alert(1)> ]]> \\u001B[31m \\"quoted\\""
        repeat: 2
        client:
          url: rtmp://media.example.com/live
        firewall:
          - port: 1935
            action: reject
        policies:
          - name: "@evil/../../policy"
            candidates: [url, rtmp:80]
          - flowplayer
        expect:
          - policy: "@evil/../../policy"
            outcome: failed
        """

    /// Runs the scenario and writes every format into `<temporary>/parent/out`.
    static func report() async throws -> (parent: URL, out: URL) {
        let scenario = try ScenarioLoader.parse(Array(scenarioText.utf8), file: "hostile.yaml")
        #expect(scenario.name == name)
        var options = RunOptions()
        options.recordPackets = true
        let results = await LabRunner.run(try LabRunner.plan([scenario], options: options))
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("hostile-\(UUID().uuidString)")
        let parent = root.appendingPathComponent("parent")
        try FileManager.default.createDirectory(at: parent, withIntermediateDirectories: true)
        let out = parent.appendingPathComponent("out")
        try ReportOutput(formats: ReportOutput.formatNames.joined(separator: ",")).write(results, to: out.path)
        return (parent, out)
    }

    static func text(_ url: URL) throws -> String {
        String(decoding: try Data(contentsOf: url), as: UTF8.self)
    }

    @Test func everyFileStaysInsideOutAndEveryStringIsInert() async throws {
        let (parent, out) = try await Self.report()
        defer { try? FileManager.default.removeItem(at: parent.deletingLastPathComponent()) }

        // Nothing beside --out, nothing above it: the names' ../ went nowhere.
        #expect(try FileManager.default.contentsOfDirectory(atPath: parent.path) == ["out"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: parent.deletingLastPathComponent().path) == ["parent"])
        let files = try #require(FileManager.default.subpaths(atPath: out.path))
        for file in files {
            #expect(!file.split(separator: "/").contains(".."), "\(file)")
            let resolved = out.appendingPathComponent(file).resolvingSymlinksInPath().path
            #expect(resolved.hasPrefix(out.resolvingSymlinksInPath().path + "/"), "\(file) resolves outside --out")
        }
        #expect(files.contains { $0.hasPrefix("pcap/") && $0.hasSuffix(".pcap") })

        // HTML: the markup of the name and description arrives as text.
        let html = try Self.text(out.appendingPathComponent("index.html"))
        #expect(!html.contains("<script>alert(1)</script>"))
        #expect(!html.contains("<img src=x"))
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(!html.contains("\u{1B}"))

        // CSV: no cell of either table starts a formula (a text cell starting with = + - @ gets a ').
        for table in ["results.csv", "attempts.csv"] {
            let csv = try Self.text(out.appendingPathComponent(table))
            for line in csv.split(separator: "\r\n").dropFirst() {
                for cell in Self.cells(of: String(line)) {
                    if let first = cell.first, "=+@".contains(first) {
                        Issue.record("\(table): formula cell \(cell)")
                    }
                }
            }
            if table == "results.csv" { #expect(csv.contains("'=HYPERLINK")) }
        }

        // JUnit and Markdown: well-formed XML whatever the strings; Markdown keeps the table intact.
        let junit = try Data(contentsOf: out.appendingPathComponent("junit.xml"))
        let parser = XMLParser(data: junit)
        #expect(parser.parse(), "junit.xml: \(String(describing: parser.parserError))")
        let json = try Data(contentsOf: out.appendingPathComponent("summary.json"))
        let object = try JSONSerialization.jsonObject(with: json)
        #expect(String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self).contains("HYPERLINK"))
        #expect(!(try Self.text(out.appendingPathComponent("summary.md"))).contains("<script>"))
    }

    /// RFC 4180 cells of one line (quoted cells may hold commas and doubled quotes).
    static func cells(of line: String) -> [String] {
        var cells: [String] = []
        var current = ""
        var quoted = false
        var index = line.startIndex
        while index < line.endIndex {
            let character = line[index]
            if quoted {
                if character == "\"" {
                    let next = line.index(after: index)
                    if next < line.endIndex, line[next] == "\"" {
                        current.append("\"")
                        index = next
                    } else {
                        quoted = false
                    }
                } else {
                    current.append(character)
                }
            } else if character == "\"" {
                quoted = true
            } else if character == "," {
                cells.append(current)
                current = ""
            } else {
                current.append(character)
            }
            index = line.index(after: index)
        }
        cells.append(current)
        return cells
    }
}
