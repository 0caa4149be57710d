import Foundation
import Reports
import RunCore

/// A report folder's `plan.json`: which plan its `records.jsonl` belongs to, which share of it it holds
/// (a shard's folder) or that it holds all of it, and the scenarios' headers, so that `merge` rebuilds
/// the report from folders alone, without the scenario files.
struct PlanManifest: Codable, Sendable, Equatable {
    /// `plan.json`'s own format.
    var manifest = 1
    var fingerprint: String
    /// Absent for a whole report.
    var shard: Shard?
    /// Jobs in the whole plan, and in this folder.
    var planJobs: Int
    var jobs: Int
    /// The formats the run wrote; every shard of a merge must have written the same.
    var formats: [String]
    var scenarios: [Header]
    /// What the run said but did not count as an error (such as an external client skipped).
    var notes: [String]

    /// The part of a scenario the report shows above its runs.
    struct Header: Codable, Sendable, Equatable {
        var name: String
        var description: String
        var file: String
        var repeatCount: Int
        var networkSummary: String?
        var serverSummary: String?
        var firewallRules: [String]
        var proxySummary: String?
    }

    static let fileName = "plan.json"
    static let recordsFileName = "records.jsonl"

    /// Sorted keys and no escaped slashes: the same manifest is the same bytes.
    func encoded() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        // Encoding plain values cannot fail.
        let data = (try? encoder.encode(self)) ?? Data()
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}

extension PlanManifest.Header {
    init(_ scenario: Scenario) {
        self.init(
            name: scenario.name, description: scenario.description, file: scenario.file,
            repeatCount: scenario.repetitions * scenario.clients, networkSummary: scenario.network.summary,
            serverSummary: scenario.server.summary, firewallRules: scenario.firewall.map(\.summary),
            proxySummary: scenario.client.proxy.map { address in (scenario.proxy ?? HTTPProxyConfiguration()).summary(address) })
    }

    func report(runs: [RunReport]) -> ScenarioReport {
        ScenarioReport(
            name: name, description: description, repeatCount: repeatCount, networkSummary: networkSummary,
            serverSummary: serverSummary, firewallRules: firewallRules, proxySummary: proxySummary, runs: runs)
    }
}
