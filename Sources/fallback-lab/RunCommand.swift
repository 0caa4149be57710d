import ArgumentParser
import Foundation
import Lab

/// `fallback-lab run`: every scenario × policy × repetition on the simulated network, a report
/// directory, and an exit code CI can gate on.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run scenarios under each policy and write a report.",
        discussion: """
            Exits 0 when every expectation held, 1 when one failed or a run errored (each failure is \
            listed), 64 on a usage error, 65 on an invalid scenario file (nothing runs, no report is \
            written), 70 on an internal error or when --network netns cannot create network namespaces \
            on this machine (the cause and the fix are printed; nothing runs, no report is written). \
            With --baseline, 1 also when a figure clearly regressed against the baseline report, and 65 \
            when the baseline folder is not a report (nothing runs).
            """
    )

    @Argument(help: "Scenario files, or folders of .yaml files (default: Scenarios/).")
    var paths: [String] = []

    @Option(name: .customLong("policy"), help: "Run only this policy (repeatable): a preset or a scenario's own policy.")
    var policies: [String] = []

    @Option(name: .customLong("repeat"), help: "Repetitions of each scenario, overriding its repeat.")
    var repetitions: Int?

    @Option(help: "Seed for every scenario, overriding its own.")
    var seed: UInt64?

    @Option(help: "Runs at once (default: the number of cores); results are the same for any value.")
    var jobs: Int?

    @Option(help: """
        sim (the simulated network), loopback (real sockets on 127.0.0.1), or netns (a private network \
        namespace per run: the real ports and nftables rules; needs root or unprivileged user \
        namespaces). Live networks run one run at a time.
        """)
    var network: NetworkName = .sim

    @Option(name: .customLong("live-bound"), help: "With --network loopback or netns: the longest one live run may take.")
    var liveBound: DurationArgument = DurationArgument(.seconds(60))

    @Option(help: "Report directory, replaced whole.")
    var out: String = "Reports/latest"

    @Option(help: "Report formats, comma-separated: html,csv,json,junit,md,pcap.")
    var format: String = ReportOutput.formatNames.joined(separator: ",")

    @Option(help: "A previous report folder to compare this run with (see `compare`); a clear regression exits 1.")
    var baseline: String?

    @Option(name: .customLong("max-regression"), help: "With --baseline: how much worse a figure may get (a percentage and/or a duration).")
    var maxRegression = "10%,50ms"

    @Option(help: """
        I/N: run only the I-th of N shares of the plan (a CI matrix job) and write a partial report         folder; `fallback-lab merge` puts the N folders back into the whole report. Simulated network only.
        """)
    var shard: String?

    @Option(help: """
        A population file (see `tune`): run its scenarios, at its repeat and seed unless --repeat or --seed         say otherwise, and add the weighted figures per policy to the report.
        """)
    var population: String?

    func validate() throws {
        if let repetitions, !(1...100_000).contains(repetitions) { throw ValidationError("--repeat must be from 1 to 100000") }
        if let jobs, !(1...1024).contains(jobs) { throw ValidationError("--jobs must be from 1 to 1024") }
        do {
            _ = try ReportOutput(formats: format)
        } catch {
            throw ValidationError(error.description)
        }
        if population != nil, !paths.isEmpty {
            throw ValidationError("give scenario paths or --population, not both: a population names its own scenario files")
        }
        if population != nil, shard != nil {
            throw ValidationError("--population with --shard is not supported yet: run the population's scenarios whole")
        }
        if let shard {
            do {
                _ = try Shard(parsing: shard)
            } catch {
                throw ValidationError(error.description)
            }
            if network != .sim {
                throw ValidationError("--shard runs on the simulated network only: live runs share one machine's clock and are not split across machines")
            }
            if baseline != nil {
                throw ValidationError("--shard writes part of a report; merge the shards (`fallback-lab merge`), then compare the merged folder with `fallback-lab compare`")
            }
        }
    }

    func run() async throws {
        var loadedPopulation: Population?
        let scenarios: [Scenario]
        if let population {
            do {
                loadedPopulation = try PopulationLoader.load(path: population)
            } catch {
                ScenarioInput.printDiagnostics(error.diagnostics)
                throw ExitCode(65)
            }
            scenarios = loadedPopulation?.scenarios ?? []
        } else {
            scenarios = try ScenarioInput.load(paths.isEmpty ? ["Scenarios"] : paths).scenarios
        }
        let output = try ReportOutput(formats: format)
        let thresholds: RegressionThresholds
        do {
            thresholds = try RegressionThresholds(parsing: maxRegression)
        } catch {
            throw ValidationError(error.description)
        }
        // The baseline is read before anything runs: a folder that is not a report stops here (65).
        var previous: ReportResults?
        if let baseline {
            do {
                previous = try ReportResults(folder: baseline)
            } catch {
                FileHandle.standardError.write(Data("error: \(error)\n".utf8))
                throw ExitCode(65)
            }
        }
        let options = RunOptions(
            policies: policies, repetitions: repetitions ?? loadedPopulation?.repetitions, seed: seed ?? loadedPopulation?.seed,
            jobs: jobs ?? ProcessInfo.processInfo.activeProcessorCount,
            recordPackets: output.needsPackets)

        let style = ProgressPrinter.style(isTerminal: isatty(STDERR_FILENO) == 1, environment: ProcessInfo.processInfo.environment)
        let stderr = FileHandle.standardError
        // Checked in validate().
        let share = shard.flatMap { try? Shard(parsing: $0) }
        let planned: PlannedRun
        do {
            planned = try LabRunner.plan(scenarios, options: options, shard: share)
        } catch {
            throw ValidationError(error.description)
        }
        let printer = ProgressPrinter(
            style: style, scenarios: planned.scenarios,
            runsPerScenario: network == .sim ? nil : planned.liveRunsPerScenario
        ) { text in
            switch style {
            case .live: stderr.write(Data(text.utf8))
            case .lines: FileHandle.standardOutput.write(Data(text.utf8))
            }
        }
        // Before anything runs: a machine without namespaces gets one clear error, not one per run.
        let live: LiveNetworkChoice?
        do {
            live = try await LiveNetworkChoice.prepare(network)
        } catch {
            stderr.write(Data("fallback-lab: \(error)\n".utf8))
            throw ExitCode(70)
        }
        // The report folder is written while the plan runs (simulated runs stream into it; live runs,
        // few and one at a time, are handed to it after), and appears whole at the end.
        let sink: ReportSink
        do {
            sink = try ReportSink(
                output, scenarios: planned.scenarios, directory: out, keepRecords: loadedPopulation != nil || network != .sim)
        } catch {
            stderr.write(Data("fallback-lab: cannot write the report to \(out): \(error)\n".utf8))
            throw ExitCode(70)
        }
        // From here until the report is in place, Ctrl-C removes the report being written (it would
        // otherwise stay behind as a hidden staging folder) and ends the run by that signal.
        let interrupts = InterruptGuard(onInterrupt: sink.abandon)
        defer { interrupts.remove() }
        var results = await LabRunner.run(
            planned, on: live, bound: liveBound.duration, capture: output.needsPackets, progress: printer.report, emit: sink.add)
        printer.finish()
        // What was kept (live runs, a population's) is what needs the records at the end.
        results.records = sink.keptRecords
        let tally = sink.tally

        print("")
        print(tally.summaryTable.text, terminator: "")
        let populationReport = loadedPopulation?.report(results)
        if let populationReport { print("\n" + populationReport.markdown, terminator: "") }
        print(tally.failuresText, terminator: "")
        let external = results.externalClientSummaries
        if !external.isEmpty {
            print("\nexternal clients:")
            for block in external { print(block) }
        }
        for note in results.notes { print("note: \(note)") }
        print(tally.errorsText, terminator: "")
        let comparison: BaselineComparison?
        do {
            comparison = try interrupts.deferring {
                try sink.finish(results, baseline: previous, thresholds: thresholds, population: populationReport, to: out)
            }
            if let comparison { print("\n" + comparison.markdown, terminator: "") }
            if let share {
                print("\nshard \(share) of the plan: \(planned.runCount) runs; `fallback-lab merge` the \(share.count) shard folders into the report")
            }
            print("\nreport: \(out)/")
        } catch {
            stderr.write(Data("fallback-lab: cannot write the report to \(out): \(error)\n".utf8))
            throw ExitCode(70)
        }
        if tally.exitCode != 0 { throw ExitCode(tally.exitCode) }
        if comparison?.hasRegression == true { throw ExitCode(1) }
    }
}
