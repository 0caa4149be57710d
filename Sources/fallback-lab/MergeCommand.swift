import ArgumentParser
import Foundation
import Lab

/// `fallback-lab merge`: the report folders of `run --shard 1/N … N/N` back into one report.
struct MergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Merge the report folders of the shards of one plan into the report the whole run writes.",
        discussion: """
            Every folder must be a shard (run --shard I/N) of the same plan: the same scenario files, \
            --seed, --repeat, --policy and --format; each of 1/N…N/N exactly once. Exits 0 when every \
            expectation held, 1 when one failed or a run errored (as run would), 64 on a usage error, 65 \
            when the folders cannot be merged (the folder and the reason are printed; nothing is written), \
            70 when the report cannot be written.
            """
    )

    @Argument(help: "The shards' report folders, in any order.")
    var folders: [String]

    @Option(help: "Report directory, replaced whole.")
    var out: String = "Reports/latest"

    // Kept so that existing CI steps still parse: the report is written as one stream now (issue 13).
    @Option(help: "Accepted for older CI steps; has no effect (the report is written as one stream).")
    var jobs: Int?

    func validate() throws {
        if folders.isEmpty { throw ValidationError("name the shards' report folders") }
        if let jobs, !(1...1024).contains(jobs) { throw ValidationError("--jobs must be from 1 to 1024") }
    }

    func run() throws {
        let merge: ShardMerge
        do {
            merge = try ShardMerge(folders: folders)
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode(65)
        }
        print(merge.summary.text, terminator: "")
        print(merge.tally.failuresText, terminator: "")
        for note in merge.notes { print("note: \(note)") }
        print(merge.tally.errorsText, terminator: "")
        do {
            // The merged report is written as its shards are read; Ctrl-C meanwhile removes it, and
            // is held back while the finished report is put in place, as in `run`.
            let sink = try merge.makeSink(to: out)
            let interrupts = InterruptGuard(onInterrupt: sink.abandon)
            defer { interrupts.remove() }
            try merge.feed(sink)
            try interrupts.deferring { try merge.finish(sink, to: out) }
        } catch {
            FileHandle.standardError.write(Data("fallback-lab: cannot write the report to \(out): \(error)\n".utf8))
            throw ExitCode(70)
        }
        print("\nmerged \(folders.count) shard\(folders.count == 1 ? "" : "s"), \(merge.runCount) runs")
        print("report: \(out)/")
        if merge.exitCode != 0 { throw ExitCode(merge.exitCode) }
    }
}
