import Foundation
import Reports

/// `fallback-lab merge`: report folders of shards of one plan back into the report the whole run
/// writes. Every folder is checked before anything is written: that it is a report folder at all,
/// that all are of one plan (`PlanFingerprint`) and one set of formats, that each shard 1/N…N/N is
/// there exactly once, and that their runs are the whole plan, each once.
package struct ShardMerge: Sendable {
    let shards: [(folder: String, manifest: PlanManifest)]
    /// The merged report's manifest: the plan's, whole.
    let manifest: PlanManifest
    /// What `run` prints at the end, over every shard's runs.
    package let tally: RunTally

    /// Why folders cannot be merged: the folder (and file and line) and what is wrong with it.
    package struct MergeError: Error, Sendable, Hashable, CustomStringConvertible {
        package var description: String
    }

    /// Reads and checks `folders`, one line at a time; nothing is written and no run is kept.
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

        var merged = first.manifest
        merged.shard = nil
        merged.jobs = merged.planJobs
        manifest = merged
        self.shards = shards
        // Checked through once before anything is written; the lines are not kept.
        var tally = RunTally()
        let names = merged.scenarios.map(\.name)
        try Self.forEachLine(of: shards, planJobs: merged.planJobs) { (line, reader) throws(MergeError) in
            _ = try reader.capturePath(of: line)
            tally.add(line, scenarioName: names[line.scenario])
        }
        self.tally = tally
    }

    /// Every shard's lines, read side by side, in plan order (each folder's are): a run in two
    /// folders, or runs missing from all of them, are refused with the folders.
    static func forEachLine(
        of shards: [(folder: String, manifest: PlanManifest)], planJobs: Int,
        _ body: (RecordLine, RecordsFileReader) throws(MergeError) -> Void
    ) throws(MergeError) {
        var readers: [RecordsFileReader] = []
        for shard in shards { readers.append(try RecordsFileReader(folder: shard.folder, manifest: shard.manifest)) }
        var heads: [RecordLine?] = []
        for reader in readers { heads.append(try reader.next()) }
        var jobs = 0
        var last: (job: Int, reader: Int)?
        while true {
            var next: (reader: Int, line: RecordLine)?
            for (index, head) in heads.enumerated() {
                guard let head else { continue }
                if let best = next, (best.line.job, best.line.client) <= (head.job, head.client) { continue }
                next = (index, head)
            }
            guard let (index, line) = next else { break }
            if let last, last.job == line.job, last.reader != index {
                throw MergeError(description: "run \(line.job + 1) of the plan is in both \(readers[last.reader].folder) and \(readers[index].folder)")
            }
            if last?.job != line.job { jobs += 1 }
            last = (line.job, index)
            try body(line, readers[index])
            heads[index] = try readers[index].next()
        }
        guard jobs == planJobs else {
            throw MergeError(description: "the shards hold \(jobs) of the plan's \(planJobs) runs")
        }
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
    package var formats: String { manifest.formats.joined(separator: ",") }

    /// The table a run prints, over every shard's runs.
    package var summary: SummaryTable { tally.summaryTable }

    package var notes: [String] { manifest.notes }

    /// `run`'s exit code for the whole plan: 0 when every expectation held, 1 otherwise.
    package var exitCode: Int32 { tally.exitCode }

    /// How many runs the merged report holds.
    package var runCount: Int { manifest.planJobs }

    /// Writes the merged report, whole or not at all, as the whole run would have.
    package func write(to directory: String) throws(ReportOutput.WriteError) {
        let sink = try makeSink(to: directory)
        try feed(sink)
        try finish(sink, to: directory)
    }

    /// The merged report's folder, being written: `feed` it, then `finish` it (a command puts an
    /// interrupt guard around the two, as `run` does).
    package func makeSink(to directory: String) throws(ReportOutput.WriteError) -> ReportSink {
        let output: ReportOutput
        do {
            output = try ReportOutput(formats: formats)
        } catch {
            throw ReportOutput.WriteError(description: "\(error)")
        }
        return try ReportSink(output, headers: manifest.scenarios, directory: directory)
    }

    /// Every shard's runs into `sink`, in plan order, each with its capture read from its shard.
    package func feed(_ sink: ReportSink) throws(ReportOutput.WriteError) {
        do throws(MergeError) {
            try Self.forEachLine(of: shards, planJobs: manifest.planJobs) { (line, reader) throws(MergeError) in
                var capture: [UInt8]?
                if let path = try reader.capturePath(of: line) {
                    guard let data = FileManager.default.contents(atPath: path) else {
                        throw MergeError(description: "\(reader.path):\(reader.lineNumber): its capture \(path) cannot be read")
                    }
                    capture = [UInt8](data)
                }
                sink.add(line, capture: capture)
            }
        } catch {
            sink.abandon()
            throw ReportOutput.WriteError(description: error.description)
        }
    }

    /// Writes the summaries and `plan.json` and puts the merged report in place.
    package func finish(_ sink: ReportSink, to directory: String) throws(ReportOutput.WriteError) {
        _ = try sink.finish(manifest, to: directory)
    }
}
