import Foundation
import Connector
import RunCore
import Testing
@testable import Lab

@Suite struct ScenarioLoaderTests {
    @Test func everyKeyOfTheFormat() throws {
        let scenario = try FixtureSupport.load("Valid/full.yaml")
        #expect(scenario.name == "corporate-firewall-drops-1935")
        #expect(scenario.description == "Port 1935 silently dropped, 443 rejected, 80 behind a transparent HTTP proxy.")
        #expect(scenario.seed == 7)
        #expect(scenario.repetitions == 3)
        #expect(scenario.clients == 1)

        #expect(scenario.client.urls.map(\.description) == ["rtmp://media.example.com/live", "rtmpt://media.example.com/live"])
        #expect(scenario.client.os == .linuxLegacy)
        #expect(scenario.client.proxy == ProxyAddress(host: "proxy.example.com", port: 3128))
        #expect(scenario.client.command == "rtmpdump -r {url} -v -o /dev/null")
        #expect(scenario.client.timeout == .seconds(45))

        #expect(scenario.proxy == HTTPProxyConfiguration(connectPorts: [443], buffering: true, latency: .milliseconds(2)))

        #expect(scenario.server.host == "origin.example.com")
        #expect(scenario.server.ports == [1935: [.rtmp], 80: [.rtmp, .rtmpt]])
        #expect(scenario.server.response == .redirect(try ConnectURL(parsing: "rtmp://edge.example.com/live")))
        #expect(scenario.server.delay == .milliseconds(10))

        #expect(scenario.network == NetworkSettings(
            latency: .milliseconds(40), jitter: .milliseconds(5), bandwidth: 10_000_000, loss: 0.005))

        #expect(scenario.firewall == [
            FirewallRule(ports: [1935], action: .drop),
            FirewallRule(ports: [443], action: .reject),
            FirewallRule(ports: [80], action: .httpOnly(onNonHTTP: .hang, idleTimeout: .seconds(300))),
            FirewallRule(ports: [8080, 8443], action: .drop, from: .seconds(10), until: .seconds(40)),
            FirewallRule(ports: [], action: .blackhole),
        ])

        #expect(scenario.policies.map(\.name) == ["flash-builtin", "flowplayer", "our-player"])
        #expect(scenario.policies[0] == Preset.flashBuiltin.policy)
        let custom = scenario.policies[2]
        #expect(custom.mode == .staggered)
        #expect(custom.candidates == [.url, .transport(.rtmp, 443), .transport(.rtmpt, 80), .transport(.rtmps, 443)])
        #expect(custom.stagger == .milliseconds(1500))
        #expect(custom.attemptTimeout == .seconds(5))
        #expect(custom.overallTimeout == .seconds(30))
        #expect(custom.advanceOnFailure == false)
        #expect(custom.retries == 2)
        #expect(custom.followRedirects == false)

        #expect(scenario.expectations == [
            Expectation(policy: .named("flowplayer"), outcome: .connected, within: .seconds(1), via: Transport(.rtmpt, 80), line: 55),
            Expectation(policy: .every, outcome: .connected, line: 59),
            Expectation(policy: .named("our-player"), outcome: .failed, within: .seconds(120), line: 61),
        ])
    }

    @Test func defaultsOfEveryLeftOutKey() throws {
        let scenario = try FixtureSupport.load("Valid/minimal.yaml")
        #expect(scenario.name == "minimal")
        #expect(scenario.seed == Scenario.defaultSeed)
        #expect(scenario.repetitions == 1)
        #expect(scenario.clients == 1)
        #expect(scenario.client.os == .windows)
        #expect(scenario.client.proxy == nil)
        #expect(scenario.client.timeout == .seconds(30))
        #expect(scenario.proxy == nil)
        #expect(scenario.server == ServerSettings(host: "media.example.com"))
        #expect(scenario.server.ports == [1935: [.rtmp], 443: [.rtmp, .rtmps], 80: [.rtmp, .rtmpt]])
        #expect(scenario.server.response == .accept)
        #expect(scenario.network == NetworkSettings(latency: .milliseconds(20)))
        #expect(scenario.firewall.isEmpty)
        #expect(scenario.policies == Preset.all.map(\.policy))
        #expect(scenario.expectations.isEmpty)
    }

    @Test func customPolicyDefaultsFollowTheDesign() throws {
        let text = """
            description: defaults of a custom policy
            client:
              url: rtmp://media.example.com/live
            policies:
              - name: ours
                candidates: [url, url-tunneled:80]
            """
        let scenario = try ScenarioLoader.parse(Array(text.utf8), file: "inline.yaml")
        let policy = try #require(scenario.policies.first)
        #expect(policy.mode == .staggered)
        #expect(policy.stagger == .milliseconds(250))
        #expect(policy.attemptTimeout == nil)
        #expect(policy.overallTimeout == nil)
        #expect(policy.advanceOnFailure)
        #expect(policy.retries == 0)
        #expect(policy.followRedirects)
        #expect(policy.candidates == [.url, CandidateSpec(scheme: .urlTunneled, port: .fixed(80))])
    }

    /// A redirect target's candidates count for policies that follow redirects, and only for them.
    @Test func viaThroughARedirect() throws {
        func diagnostics(_ policy: String) -> [String] {
            let text = """
                description: redirect
                client:
                  url: rtmp://origin.example.com/live
                server:
                  response: redirect
                  redirect: rtmp://edge.example.com:8935/live
                expect:
                  - policy: \(policy)
                    via: rtmp:8935
                """
            do {
                _ = try ScenarioLoader.parse(Array(text.utf8), file: "r.yaml")
                return []
            } catch {
                return error.diagnostics.map(\.description)
            }
        }
        #expect(diagnostics("flowplayer") == [])
        #expect(diagnostics("flash-builtin") == [
            "r.yaml:9:10: no candidate of policy 'flash-builtin' is rtmp:8935 for rtmp://origin.example.com/live; its candidates are rtmp:1935, rtmp:443, rtmp:80, rtmpt:80",
        ])
    }

    /// `"*"` must hold for every policy, so one that can never produce the transport is named.
    @Test func viaForEveryPolicyNamesEachThatCannot() throws {
        let text = """
            description: star
            client:
              url: rtmp://media.example.com/live
            policies: [flash-builtin, flowplayer, jw4-streamer-list]
            expect:
              - policy: "*"
                via: rtmp:443
            """
        #expect(throws: ScenarioDiagnostics([
            Diagnostic(file: "s.yaml", line: 7, column: 10,
                       message: "no candidate of policy 'flowplayer' is rtmp:443 for rtmp://media.example.com/live",
                       hint: "its candidates are rtmp:1935, rtmpt:80"),
            Diagnostic(file: "s.yaml", line: 7, column: 10,
                       message: "no candidate of policy 'jw4-streamer-list' is rtmp:443 for rtmp://media.example.com/live",
                       hint: "its candidates are rtmp:1935"),
        ])) {
            try ScenarioLoader.parse(Array(text.utf8), file: "s.yaml")
        }
    }

    @Test func aMissingFileIsADiagnosticNotACrash() {
        #expect(throws: ScenarioDiagnostics.self) {
            try ScenarioLoader.load(path: "/nonexistent/folder/scenario.yaml")
        }
    }

    @Test func oversizedInputIsRefused() {
        let bytes = [UInt8](repeating: UInt8(ascii: "#"), count: ScenarioLoader.maximumFileSize + 1)
        #expect(throws: ScenarioDiagnostics([Diagnostic(
            file: "big.yaml", line: 1, column: 1, message: "the file is larger than 1024 KiB",
            hint: "a scenario file is a few lines of YAML; is this the right file?")])) {
            try ScenarioLoader.parse(bytes, file: "big.yaml")
        }
    }

    /// Arbitrary bytes never crash the loader: they load or give diagnostics with a valid position.
    @Test func randomBytesGiveDiagnostics() {
        var state: UInt64 = 0x1234_5678
        for length in [1, 7, 64, 500] {
            for _ in 0..<50 {
                var bytes: [UInt8] = []
                for _ in 0..<length {
                    state = RunSeeds.mix(state, 1)
                    bytes.append(UInt8(truncatingIfNeeded: state))
                }
                do {
                    _ = try ScenarioLoader.parse(bytes, file: "junk")
                } catch {
                    #expect(!error.diagnostics.isEmpty)
                    #expect(error.diagnostics.allSatisfy { $0.line >= 1 && $0.column >= 1 })
                }
            }
        }
    }
}

@Suite struct ShippedScenarioTests {
    static let folder = FixtureSupport.packageRoot.appendingPathComponent("Scenarios").path

    @Test func everyShippedScenarioIsValid() throws {
        let files = try ScenarioFiles.expand([Self.folder])
        #expect(files.count >= 12)
        let validation = Validation.check(files: files)
        #expect(validation.diagnostics.map(\.description) == [])
        // A description is optional in the format; the shipped files all have one, held here and not
        // by the loader (issue 11).
        #expect(validation.warnings.map(\.description) == [])
        for scenario in validation.scenarios {
            #expect(scenario.description.count > 40, "\(scenario.name) says what situation it stands for")
            #expect(!scenario.expectations.isEmpty, "\(scenario.name) claims something")
        }
    }

    @Test func theIssueCasesAreShipped() throws {
        let names = Set(Validation.check(files: try ScenarioFiles.expand([Self.folder])).scenarios.map(\.name))
        for name in [
            "open-network", "port-1935-dropped", "port-1935-rejected", "ports-1935-443-dropped",
            "rtmpt-only-through-proxy", "transparent-proxy-80-error", "transparent-proxy-80-hang", "explicit-port-80",
            "redirect-to-edge", "redirect-to-another-port", "everything-blocked", "satellite-link", "lossy-mobile", "outage-window",
            "proxy-connect-443-only",
        ] {
            #expect(names.contains(name))
        }
    }

    /// What the README's first command does: every shipped scenario on the simulated network, every
    /// expectation holding. A failure here names the claim and the measurement.
    @Test func everyShippedExpectationHolds() async throws {
        let scenarios = Validation.check(files: try ScenarioFiles.expand([Self.folder])).scenarios
        let planned = try LabRunner.plan(scenarios, options: RunOptions(jobs: 2, recordPackets: false))
        let results = await LabRunner.run(planned)
        #expect(RunTally(results).errors == [])
        #expect(RunTally(results).failures.map(\.description) == [])
        #expect(RunTally(results).exitCode == 0)
    }

    /// The text of a scenario file without its `description:` key (its folded continuation lines too),
    /// as a user who never wrote one would have it.
    static func withoutDescription(_ text: String) -> String {
        var lines: [Substring] = []
        var skipping = false
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("description:") {
                skipping = true
                continue
            }
            if skipping, line.first == " " || line.first == "\t" { continue }
            skipping = false
            lines.append(line)
        }
        return lines.joined(separator: "\n")
    }

    /// Every shipped scenario, copied without its description, loads without an error (one warning),
    /// and runs to the same results.csv and attempts.csv, byte for byte, as the file with it.
    @Test func everyShippedScenarioRunsTheSameWithoutItsDescription() async throws {
        let files = try ScenarioFiles.expand([Self.folder])
        let copies = FileManager.default.temporaryDirectory.appendingPathComponent("fallbacklab-nodesc-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: copies, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: copies) }
        var stripped: [String] = []
        for file in files {
            let text = try String(contentsOfFile: file, encoding: .utf8)
            let copy = copies.appendingPathComponent(URL(fileURLWithPath: file).lastPathComponent)
            let without = Self.withoutDescription(text)
            #expect(without != text, "\(file) has a description to remove")
            try Data(without.utf8).write(to: copy)
            stripped.append(copy.path)
        }
        let original = Validation.check(files: files)
        let copied = Validation.check(files: stripped)
        #expect(copied.diagnostics.map(\.description) == [])
        #expect(copied.warnings.count == files.count)
        #expect(copied.warnings.allSatisfy { $0.message.hasPrefix("the scenario has no description") })
        #expect(copied.scenarios.map(\.name) == original.scenarios.map(\.name))
        #expect(copied.scenarios.allSatisfy { $0.description == $0.name })

        func report(_ scenarios: [Scenario]) async throws -> (results: String, attempts: String) {
            let planned = try LabRunner.plan(scenarios, options: RunOptions(jobs: 2, recordPackets: false))
            let results = await LabRunner.run(planned)
            let out = FileManager.default.temporaryDirectory.appendingPathComponent("fallbacklab-report-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: out) }
            try ReportOutput(formats: "csv").write(results, to: out.path)
            return (try String(contentsOf: out.appendingPathComponent("results.csv"), encoding: .utf8),
                    try String(contentsOf: out.appendingPathComponent("attempts.csv"), encoding: .utf8))
        }
        let with = try await report(original.scenarios)
        let without = try await report(copied.scenarios)
        #expect(with.results.unicodeScalars.filter { $0 == "\n" }.count > files.count)
        #expect(without.results == with.results)
        #expect(without.attempts == with.attempts)
    }

    @Test func aMissingPathIsAUsageError() {
        #expect(throws: ScenarioFiles.MissingPath(path: "no/such/place")) {
            try ScenarioFiles.expand(["no/such/place"])
        }
    }
}
