import Foundation
import Reports

/// A report's runs as its folder keeps them: the plan's manifest, one `RecordLine` per run in plan
/// order, and each run's packets. A run, a shard and a merge all render their report from this, so
/// a merge of shards writes what the whole run writes.
struct RecordedRuns: Sendable {
    var manifest: PlanManifest
    var lines: [RecordLine]
    /// Beside `lines`, index for index: the run's packets (a simulated run's, framed when the report
    /// is written), a capture file's bytes (a live run's, or a shard's pcap read back), or nothing.
    var captures: [Capture?]

    enum Capture: Sendable {
        case packets([PacketRecord])
        case file([UInt8])
    }

    /// The report writers' model: each scenario's header and its runs that produced a result.
    func reportInput(title: String = "FallbackLab") -> ReportInput {
        var runs = [[RunReport]](repeating: [], count: manifest.scenarios.count)
        for (line, capture) in zip(lines, captures) where manifest.scenarios.indices.contains(line.scenario) {
            guard var report = line.runReport else { continue }
            switch capture {
            case .packets(let packets): report.packets = packets
            case .file(let bytes): report.capture = bytes
            case nil: break
            }
            runs[line.scenario].append(report)
        }
        return ReportInput(title: title, scenarios: manifest.scenarios.enumerated().map { $1.report(runs: runs[$0]) })
    }

    /// `records.jsonl`: one line per run, each naming its capture as `layout` places it in `pcap/`.
    func recordsFile(layout: ReportLayout) -> [UInt8] {
        var runIndex = [Int](repeating: 0, count: manifest.scenarios.count)
        var out: [UInt8] = []
        for var line in lines {
            line.pcap = nil
            if manifest.scenarios.indices.contains(line.scenario), line.hasResult {
                line.pcap = layout.pcapName(scenario: line.scenario, run: runIndex[line.scenario])
                runIndex[line.scenario] += 1
            }
            line.appendJSON(to: &out)
            out.append(UInt8(ascii: "\n"))
        }
        return out
    }
}

extension RecordedRuns {
    /// A command's results as its report keeps them.
    init(_ results: RunResults, formats: [String]) {
        let lines = results.records.map { record in
            RecordLine(record, file: results.scenarios.indices.contains(record.scenarioIndex) ? results.scenarios[record.scenarioIndex].file : record.scenarioName)
        }
        let captures: [Capture?] = results.records.map { record in
            guard case .success(let measured) = record.measurement else { return nil }
            if let capture = measured.capture { return .file(capture) }
            let packets = measured.packets.compactMap(\.record)
            return packets.isEmpty ? nil : .packets(packets)
        }
        let manifest = PlanManifest(
            fingerprint: results.fingerprint, shard: results.shard, planJobs: results.planJobs,
            jobs: Set(results.records.map(\.index)).count, formats: formats,
            scenarios: results.scenarios.map(PlanManifest.Header.init), notes: results.notes)
        self.init(manifest: manifest, lines: lines, captures: captures)
    }
}
