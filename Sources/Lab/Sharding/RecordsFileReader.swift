#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// A report folder's `records.jsonl`, read one line at a time (`merge` of shards of any size holds a
/// line per shard, not the shards' runs), each line checked against the folder's manifest.
final class RecordsFileReader {
    let folder: String
    let manifest: PlanManifest
    let path: String
    private let file: UnsafeMutablePointer<FILE>
    private let decoder = JSONDecoder()
    private var buffer: UnsafeMutablePointer<CChar>?
    private var capacity = 0
    /// The number of the line `next()` returned last.
    private(set) var lineNumber = 0
    /// The distinct runs (jobs) read so far, and the last line's place in the plan.
    private var jobs = 0
    private var last: (job: Int, client: Int)?

    init(folder: String, manifest: PlanManifest) throws(ShardMerge.MergeError) {
        self.folder = folder
        self.manifest = manifest
        path = folder + "/" + PlanManifest.recordsFileName
        guard let file = fopen(path, "re") else {
            throw ShardMerge.MergeError(description: "\(path) is missing: the folder is not a whole report folder")
        }
        self.file = file
    }

    deinit {
        fclose(file)
        free(buffer)
    }

    /// The next run's line, or `nil` at the end of the file, once the folder is known to hold every
    /// run its manifest says.
    func next() throws(ShardMerge.MergeError) -> RecordLine? {
        while true {
            let length = getline(&buffer, &capacity, file)
            guard length >= 0, let buffer else {
                guard ferror(file) == 0 else {
                    throw ShardMerge.MergeError(description: "\(path): cannot be read: \(String(cString: strerror(errno)))")
                }
                guard jobs == manifest.jobs else {
                    throw ShardMerge.MergeError(description: "\(path) holds \(jobs) runs where \(folder)/\(PlanManifest.fileName) says \(manifest.jobs): the folder is incomplete")
                }
                return nil
            }
            lineNumber += 1
            var count = length
            if count > 0, buffer[count - 1] == 0x0A { count -= 1 }
            if count == 0 { continue }
            let line: RecordLine
            do {
                line = try decoder.decode(RecordLine.self, from: Data(bytes: buffer, count: count))
            } catch {
                throw ShardMerge.MergeError(description: "\(path):\(lineNumber): not a run record: \(ShardMerge.describe(error))")
            }
            guard (0..<manifest.planJobs).contains(line.job), manifest.scenarios.indices.contains(line.scenario) else {
                throw ShardMerge.MergeError(description: "\(path):\(lineNumber): run \(line.job + 1) of scenario \(line.scenario + 1) is not in a plan of \(manifest.planJobs) runs and \(manifest.scenarios.count) scenarios")
            }
            if let last {
                // A folder's runs are in plan order, a herd's clients in order: merging several
                // folders line by line relies on it.
                guard (last.job, last.client) <= (line.job, line.client) else {
                    throw ShardMerge.MergeError(description: "\(path):\(lineNumber): run \(line.job + 1) comes after run \(last.job + 1): the lines are not in plan order")
                }
                if last.job != line.job { jobs += 1 }
            } else {
                jobs = 1
            }
            last = (line.job, line.client)
            return line
        }
    }

    /// The path of `line`'s capture in this folder, if it has one, checked to be readable.
    func capturePath(of line: RecordLine) throws(ShardMerge.MergeError) -> String? {
        guard let name = line.pcap else { return nil }
        let file = folder + "/pcap/" + name
        guard !name.contains("/"), access(file, R_OK) == 0 else {
            throw ShardMerge.MergeError(description: "\(path):\(lineNumber): its capture \(file) cannot be read")
        }
        return file
    }
}
