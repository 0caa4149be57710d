import ArgumentParser
import Foundation
import Lab

/// `fallback-lab calibrate`: every short scenario × policy simulated and live (loopback or netns),
/// side by side. Run by run for a deterministic network; as distributions for a lossy or jittery one
/// on netns. Exits 1 when a row disagrees.
struct CalibrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "calibrate",
        abstract: "Run scenarios simulated and live and compare them: run by run, or as distributions where the network is lossy or jittery.",
        discussion: """
            Only runs whose simulated time to connect or fail is within --max-duration are run live, and             only scenarios the live network reproduces (loopback: no explicit proxy, jitter, loss,             bandwidth or herd; netns: no explicit proxy or herd); the rest are listed as skipped. A             scenario without jitter or loss is compared run by run: the same outcome, the same winner,             time within max(15 ms, 10 %). A lossy or jittery one (netns only) is run --repeat times on each             side and compared as distributions: medians within 15 %, the same share connected, and a             two-sample Kolmogorov–Smirnov test at 5 % (verdict agree, tails differ, or disagree, with the             model assumption that differs). Exits 0 when every row agrees, 1 otherwise, 65 on an invalid             scenario file, 70 when --network netns cannot create network namespaces here or the report             cannot be written. The report folder (--out) holds index.html with the calibration section,             calibration.csv and, for distributions, calibration-distributions.csv.
            """
    )

    @Argument(help: "Scenario files, or folders of .yaml files (default: Scenarios/).")
    var paths: [String] = []

    @Option(name: .customLong("policy"), help: "Calibrate only this policy (repeatable).")
    var policies: [String] = []

    @Option(help: "Seed for every scenario, overriding its own.")
    var seed: UInt64?

    @Option(name: .customLong("max-duration"), help: "The longest simulated run that is also run live.")
    var maximumDuration: DurationArgument = DurationArgument(.seconds(5))

    @Option(name: .customLong("live-repeat"), help: "Live runs per row; the median time is compared.")
    var liveRepetitions: Int = 3

    @Option(name: .customLong("repeat"), help: "With --network netns, runs per side of a lossy or jittery scenario, compared as distributions (medians, p90, Kolmogorov–Smirnov).")
    var distributionRepetitions: Int = 20

    @Option(help: "The live side: loopback, or netns (a private network namespace per run; root or user namespaces).")
    var network: NetworkName = .loopback

    @Option(help: "Report directory (index.html with the calibration, calibration.csv), replaced whole.")
    var out: String = "Reports/latest"

    func validate() throws {
        if !(1...20).contains(liveRepetitions) { throw ValidationError("--live-repeat must be from 1 to 20") }
        if !(5...500).contains(distributionRepetitions) { throw ValidationError("--repeat must be from 5 to 500") }
        if network == .sim {
            throw ValidationError("--network must be loopback or netns, not 'sim': calibration compares the simulation with a live network")
        }
    }

    func run() async throws {
        let validation = try ScenarioInput.load(paths.isEmpty ? ["Scenarios"] : paths)
        let planned: PlannedRun
        do {
            planned = try LabRunner.plan(validation.scenarios, options: RunOptions(policies: policies, repetitions: 1, seed: seed, recordPackets: false))
        } catch {
            throw ValidationError(error.description)
        }
        let prepared: LiveNetworkChoice?
        do {
            prepared = try await LiveNetworkChoice.prepare(network)
        } catch {
            FileHandle.standardError.write(Data("fallback-lab: \(error)\n".utf8))
            throw ExitCode(70)
        }
        guard let live = prepared else { throw ValidationError("--network must be loopback or netns") }
        let calibration = await Calibration.run(
            planned, maximumDuration: maximumDuration.duration, liveRepetitions: liveRepetitions, network: live,
            distributionRepetitions: distributionRepetitions
        ) { agrees in
            FileHandle.standardError.write(Data("\(agrees ? "." : "x")".utf8))
        }
        FileHandle.standardError.write(Data("\n".utf8))
        print(calibration.table, terminator: "")
        do {
            try InterruptGuard.deferringInterrupts { try calibration.writeReport(to: out) }
            print("\nreport: \(out)/")
        } catch {
            FileHandle.standardError.write(Data("fallback-lab: cannot write the report to \(out): \(error)\n".utf8))
            throw ExitCode(70)
        }
        if !calibration.agrees { throw ExitCode(1) }
    }
}
