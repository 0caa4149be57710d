import Foundation
import Reports

/// `fallback-lab merge`: report folders of shards of one plan back into the report the whole run
/// writes. Every folder is checked before anything is written: that it is a report folder at all,
/// that all are of one plan (`PlanFingerprint`) and one set of formats, that each shard 1/N…N/N is
/// there exactly once, and that their runs are the whole plan, each once.
package struct ShardMerge: Sendable {
    let recorded: RecordedRuns

    /// Why folders cannot be merged: the folder (and file and line) and what is wrong with it.
    package struct MergeError: Error, Sendable, Hashable, CustomStringConvertible {
        package var description: String
    }

    /// Reads and checks `folders`; nothing is written.
    package init(folders: [String]) throws(MergeError) {
        guard !folders.isEmpty else { throw MergeError(description: "no folder to merge") }
        var shards: [(folder: String, manifest: PlanManifest)] = []
        for folder in folders { shards.append((folder, try Self.manifest(in: folder))) }
        let first = shards[0]
        for shard in shards.dropFirst() {
            guard shard.manifest.fingerprint == first.manifest.fingerprint else {
                throw MergeError(description: """
                    \(shard.folder) (shard \(Self.name(shard.manifest))) is of another plan than \(first.folder) \
                    (shard \(Self.name(first.manifest))): plan \(shard.manifest.fingerprint.prefix(12)) is not \
                    \(first.manifest.fingerprint.prefix(12)) (other scenario files, or another --seed, --repeat or --policy)
                    """)
            }
            guard shard.manifest.formats == first.manifest.formats else {
                throw MergeError(description: """
                    \(shard.folder) was written with --format \(shard.manifest.formats.joined(separator: ",")), \
                    \(first.folder) with --format \(first.manifest.formats.joined(separator: ",")); run every shard with the same --format
                    """)
            }
        }
        let count = first.manifest.shard?.count ?? 1
        var byIndex: [Int: String] = [:]
        for shard in shards {
            let index = shard.manifest.shard?.index ?? 1
            guard (shard.manifest.shard?.count ?? 1) == count else {
                throw MergeError(description: """
                    \(shard.folder) is shard \(Self.name(shard.manifest)) and \(first.folder) is shard \
                    \(Self.name(first.manifest)): every shard of a merge is one of the same N
                    """)
            }
            if let other = byIndex[index] {
                throw MergeError(description: "shard \(index)/\(count) is given twice: \(other) and \(shard.folder)")
            }
            byIndex[index] = shard.folder
        }
        let missing = (1...count).filter { byIndex[$0] == nil }
        guard missing.isEmpty else {
            let names = missing.map { "\($0)/\(count)" }.joined(separator: ", ")
            throw MergeError(description: "shard\(missing.count == 1 ? "" : "s") \(names) of plan \(first.manifest.fingerprint.prefix(12)) \(missing.count == 1 ? "is" : "are") missing; given: \(byIndex.keys.sorted().map { "\($0)/\(count)" }.joined(separator: ", "))")
        }

        var entries: [(line: RecordLine, capture: RecordedRuns.Capture?)] = []
        var jobFolder: [Int: String] = [:]
        for shard in shards {
            let read = try Self.records(in: shard.folder, manifest: shard.manifest)
            for job in Set(read.map(\.line.job)) {
                if let other = jobFolder[job] {
                    throw MergeError(description: "run \(job + 1) of the plan is in both \(other) and \(shard.folder)")
                }
                jobFolder[job] = shard.folder
            }
            entries += read
        }
        guard jobFolder.count == first.manifest.planJobs else {
            throw MergeError(description: "the shards hold \(jobFolder.count) of the plan's \(first.manifest.planJobs) runs")
        }
        entries.sort { ($0.line.job, $0.line.client) < ($1.line.job, $1.line.client) }
        var manifest = first.manifest
        manifest.shard = nil
        manifest.jobs = manifest.planJobs
        recorded = RecordedRuns(manifest: manifest, lines: entries.map(\.line), captures: entries.map(\.capture))
    }

    static func name(_ manifest: PlanManifest) -> String {
        manifest.shard?.description ?? "1/1"
    }

    static func manifest(in folder: String) throws(MergeError) -> PlanManifest {
        let path = folder + "/" + PlanManifest.fileName
        guard let data = FileManager.default.contents(atPath: path) else {
            let isFolder = FileManager.default.fileExists(atPath: folder)
            throw MergeError(description: isFolder
                ? "\(folder) is not a report folder of `fallback-lab run` (it has no \(PlanManifest.fileName))"
                : "\(folder): no such folder")
        }
        do {
            let manifest = try JSONDecoder().decode(PlanManifest.self, from: data)
            guard manifest.manifest == 1 else {
                throw MergeError(description: "\(path): manifest format \(manifest.manifest) is not one this fallback-lab reads (1)")
            }
            if let shard = manifest.shard, !(1...shard.count).contains(shard.index) {
                throw MergeError(description: "\(path): shard \(shard) is not a shard I/N with 1 ≤ I ≤ N")
            }
            return manifest
        } catch let error as MergeError {
            throw error
        } catch {
            throw MergeError(description: "\(path) is not a plan manifest: \(Self.describe(error))")
        }
    }

    /// The folder's runs with their captures, each line checked against the folder's manifest.
    static func records(in folder: String, manifest: PlanManifest) throws(MergeError) -> [(line: RecordLine, capture: RecordedRuns.Capture?)] {
        let path = folder + "/" + PlanManifest.recordsFileName
        guard let data = FileManager.default.contents(atPath: path) else {
            throw MergeError(description: "\(path) is missing: the folder is not a whole report folder")
        }
        let decoder = JSONDecoder()
        var read: [(line: RecordLine, capture: RecordedRuns.Capture?)] = []
        var lineNumber = 0
        for text in data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            lineNumber += 1
            if text.isEmpty { continue }
            let line: RecordLine
            do {
                line = try decoder.decode(RecordLine.self, from: Data(text))
            } catch {
                throw MergeError(description: "\(path):\(lineNumber): not a run record: \(describe(error))")
            }
            guard (0..<manifest.planJobs).contains(line.job), manifest.scenarios.indices.contains(line.scenario) else {
                throw MergeError(description: "\(path):\(lineNumber): run \(line.job + 1) of scenario \(line.scenario + 1) is not in a plan of \(manifest.planJobs) runs and \(manifest.scenarios.count) scenarios")
            }
            var capture: RecordedRuns.Capture?
            if let name = line.pcap {
                let file = folder + "/pcap/" + name
                guard !name.contains("/"), let bytes = FileManager.default.contents(atPath: file) else {
                    throw MergeError(description: "\(path):\(lineNumber): its capture \(file) cannot be read")
                }
                capture = .file([UInt8](bytes))
            }
            read.append((line, capture))
        }
        let jobs = Set(read.map(\.line.job)).count
        guard jobs == manifest.jobs else {
            throw MergeError(description: "\(path) holds \(jobs) runs where \(folder)/\(PlanManifest.fileName) says \(manifest.jobs): the folder is incomplete")
        }
        return read
    }

    static func describe(_ error: any Error) -> String {
        switch error {
        case DecodingError.dataCorrupted(let context): return context.debugDescription
        case DecodingError.keyNotFound(let key, _): return "no \"\(key.stringValue)\""
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context):
            let path = context.codingPath.map(\.stringValue).joined(separator: ".")
            return "\(path): \(context.debugDescription)"
        default: return "\(error)"
        }
    }

    /// The formats the shards were written with; the merged report writes the same.
    package var formats: String { recorded.manifest.formats.joined(separator: ",") }

    /// The table a run prints, over every shard's runs.
    package var summary: SummaryTable {
        SummaryTable(recorded.lines, scenarioNames: recorded.manifest.scenarios.map(\.name))
    }

    /// Every expectation that did not hold, as `run` lists them.
    package var failedExpectations: [RunResults.Failure] {
        recorded.lines.flatMap { line in
            (line.expectations ?? []).filter { !$0.passed }.map {
                RunResults.Failure(
                    scenario: recorded.manifest.scenarios[line.scenario].name, policy: line.policy, repetition: line.repetition,
                    run: line.label, expected: $0.expected, measured: $0.measured, location: $0.location)
            }
        }
    }

    /// Runs that produced no result, with why, as `run` lists them.
    package var errors: [String] {
        recorded.lines.compactMap { line in
            line.error.map { "\(recorded.manifest.scenarios[line.scenario].name) / \(line.policy) \(line.label): \($0)" }
        }
    }

    package var notes: [String] { recorded.manifest.notes }

    /// `run`'s exit code for the whole plan: 0 when every expectation held, 1 otherwise.
    package var exitCode: Int32 { failedExpectations.isEmpty && errors.isEmpty ? 0 : 1 }

    /// How many runs the merged report holds.
    package var runCount: Int { recorded.manifest.planJobs }

    /// Writes the merged report, whole or not at all, as the whole run would have.
    package func write(to directory: String) throws(ReportOutput.WriteError) {
        let output: ReportOutput
        do {
            output = try ReportOutput(formats: formats)
        } catch {
            throw ReportOutput.WriteError(description: "\(error)")
        }
        try output.write(recorded.reportInput(), recorded, to: directory)
    }
}
