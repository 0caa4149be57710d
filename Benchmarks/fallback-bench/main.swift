// Simulated runs per second, and simulated time per wall-clock time, for the seed thread's scenarios
// under every preset. Run with `swift run -c release fallback-bench [runs-per-case]`
// (`FALLBACK_BENCH_SHA256=portable` in the environment: without the x86 SHA extensions).
// `fallback-bench herd [clients] [preset ...]` times one thundering herd per preset instead
// (HerdBenchmark.swift).
//
// This executable is the only place that reads the wall clock around simulated runs: it measures the
// simulator, it is not part of it.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Connector
import NetSim
import RunCore
import RTMP

/// This thread's CPU time: on a machine shared with other work, runs per CPU-second is what "runs per
/// second on one core" means; wall-clock figures are printed beside it.
func threadCPUTime() -> Duration {
    var spec = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &spec)
    return .seconds(Int64(spec.tv_sec)) + .nanoseconds(Int64(spec.tv_nsec))
}

struct Case {
    let name: String
    let scenario: SimulatedScenario
}

let wan = LinkConditions(latency: .milliseconds(20))
let url = "rtmp://media.example.com/live"
let everyPort = FirewallRule(ports: [], action: .drop)

let cases: [Case] = [
    Case(
        name: "direct dropped, rtmpt via proxy",
        scenario: SimulatedScenario(
            url: url, clientOS: .windows,
            clientProxy: .init(host: "proxy.example.com", port: 3128, configuration: HTTPProxyConfiguration(latency: .milliseconds(2))),
            network: wan, firewall: Firewall(rules: [everyPort])
        )
    ),
    Case(
        name: "1935+443 dropped, 80 open",
        scenario: SimulatedScenario(
            url: url, clientOS: .windows, network: wan,
            firewall: Firewall(rules: [FirewallRule(port: 1935, action: .drop), FirewallRule(port: 443, action: .drop)])
        )
    ),
    Case(
        name: "1935+443 rejected, 80 open",
        scenario: SimulatedScenario(
            url: url, clientOS: .windows, network: wan,
            firewall: Firewall(rules: [FirewallRule(port: 1935, action: .reject), FirewallRule(port: 443, action: .reject)])
        )
    ),
    Case(
        name: "explicit :1935 dropped",
        scenario: SimulatedScenario(
            url: "rtmp://media.example.com:1935/live", clientOS: .windows, network: wan,
            firewall: Firewall(rules: [FirewallRule(port: 1935, action: .drop)])
        )
    ),
]

if CommandLine.arguments.dropFirst().first == "herd" {
    runHerdBenchmark(Array(CommandLine.arguments.dropFirst(2)))
    exit(0)
}
if CommandLine.arguments.dropFirst().first == "link" {
    runLinkBenchmark(Array(CommandLine.arguments.dropFirst(2)))
    exit(0)
}
if CommandLine.arguments.dropFirst().first == "suite" {
    runSuiteBenchmark(Array(CommandLine.arguments.dropFirst(2)))
    exit(0)
}
/// `fallback-bench cases [runs] [filter]`: the seed cases only, without the handshake timings after
/// them (what `scripts/bench-instructions` counts instructions of).
let casesOnly = CommandLine.arguments.dropFirst().first == "cases"
let caseArguments = Array(CommandLine.arguments.dropFirst(casesOnly ? 2 : 1))

let runsPerCase = caseArguments.first.flatMap { Int($0) } ?? 2_000
/// Optional: only scenarios whose name contains this text.
let only = caseArguments.dropFirst().first
/// `FALLBACK_BENCH_SHA256=portable` runs the scenarios on the portable SHA-256 even where the CPU has
/// the x86 SHA extensions: what a CPU without them gets.
if let choice = getenv("FALLBACK_BENCH_SHA256"), String(cString: choice) == "portable" {
    SHA256Backend.portableForced = true
}
let clock = ContinuousClock()

func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}

func pad(_ text: String, _ width: Int) -> String {
    text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
}

func format(_ value: Double, decimals: Int) -> String {
    var scaled = value
    for _ in 0..<decimals { scaled *= 10 }
    let rounded = Int(scaled.rounded())
    guard decimals > 0 else { return String(rounded) }
    var divisor = 1
    for _ in 0..<decimals { divisor *= 10 }
    let fraction = String(abs(rounded) % divisor)
    return "\(rounded / divisor).\(String(repeating: "0", count: decimals - fraction.count))\(fraction)"
}

print(
    "fallback-bench: \(runsPerCase) simulated runs per scenario × preset, one thread, packet trace off, SHA-256 "
        + (SHA256Backend.preferred == .shaExtensions ? "on the SHA extensions" : "portable")
)
print(pad("scenario", 34) + pad("preset", 24) + pad("outcome", 22) + pad("runs/cpu-s", 12) + pad("runs/wall-s", 13) + pad("events/run", 12) + "sim/cpu-time")
var totalRuns = 0
var totalCPU = Duration.zero
var totalWall = Duration.zero
var slowest = Double.infinity
var slowestName = ""
for benchCase in cases where only.map({ benchCase.name.contains($0) }) ?? true {
    for preset in Preset.all {
        var simulated = Duration.zero
        var events = 0
        var outcome = ""
        // A first run outside the timing, for the outcome column.
        do {
            let first = try SimulatedRun(scenario: benchCase.scenario, policy: preset.policy, seed: 0, recordTrace: false).run()
            if let winner = first.winnerLabel, let time = first.timeToConnect {
                outcome = "\(winner) \(format(seconds(time), decimals: 2)) s"
            } else if let time = first.timeToFail {
                outcome = "failed \(format(seconds(time), decimals: 2)) s"
            }
        } catch {
            print("\(benchCase.name) / \(preset.name): \(error)")
            continue
        }
        let start = clock.now
        let cpuStart = threadCPUTime()
        for seed in 0..<UInt64(runsPerCase) {
            guard let result = try? SimulatedRun(scenario: benchCase.scenario, policy: preset.policy, seed: seed, recordTrace: false).run() else {
                continue
            }
            simulated += result.simulatedDuration
            events += result.eventsRun
        }
        let cpu = threadCPUTime() - cpuStart
        let wall = clock.now - start
        totalRuns += runsPerCase
        totalCPU += cpu
        totalWall += wall
        let rate = Double(runsPerCase) / seconds(cpu)
        if rate < slowest {
            slowest = rate
            slowestName = "\(benchCase.name) / \(preset.name)"
        }
        print(
            pad(benchCase.name, 34) + pad(preset.name, 24) + pad(outcome, 22) + pad(format(rate, decimals: 0), 12)
                + pad(format(Double(runsPerCase) / seconds(wall), decimals: 0), 13)
                + pad(String(events / runsPerCase), 12) + format(seconds(simulated) / seconds(cpu), decimals: 0)
        )
    }
}
if totalRuns == 0 || totalCPU == .zero || totalWall == .zero {
    // A scenario filter that matched nothing: no rate to print (it was a division by zero).
    print("overall: no scenario matched \(only.map { "'\($0)'" } ?? "")")
} else {
    print(
        "overall: \(format(Double(totalRuns) / seconds(totalCPU), decimals: 0)) runs per CPU-second "
            + "(\(format(Double(totalRuns) / seconds(totalWall), decimals: 0)) per wall-clock second); "
            + "slowest: \(slowestName), \(format(slowest, decimals: 0)) runs per CPU-second"
    )
}

if casesOnly { exit(0) }

/// One complete handshake between the client and server state machines in memory, no network: what
/// the RTMP handshake alone costs a simulated run. Returns false if it did not complete (it always
/// should; the bench says so instead of timing a broken one).
func handshake(mode: HandshakeMode, seed: UInt64) -> Bool {
    var client = RTMPHandshakeClient(mode: mode, seed: seed)
    var server = RTMPHandshakeServer(seed: seed &+ 1)
    let c0c1 = client.start()
    guard case .reply(let s0s1s2) = server.received(c0c1[...]) else { return false }
    guard case .completed(let c2, _, _) = client.received(s0s1s2[...]) else { return false }
    guard case .completed = server.received(c2[...]) else { return false }
    return true
}

// The handshake alone, both ends: the digest handshake's HMAC-SHA256 work is a floor under the cost of
// every run that connects over RTMP or RTMPT. The digest handshake is timed on each SHA-256 block
// function this CPU can run (the portable Swift one, and the x86 SHA extensions where present), side
// by side; the scenarios above ran on the second when it is there.
let handshakes = max(runsPerCase, 1)
let digestBackends: [SHA256Backend] = SHA256Backend.shaExtensionsAvailable ? [.portable, .shaExtensions] : [.portable]
let timings: [(HandshakeMode, SHA256Backend)] =
    [(.plain, SHA256Backend.preferred)] + digestBackends.map { (HandshakeMode.digest, $0) }
for (mode, backend) in timings {
    SHA256Backend.portableForced = backend == .portable
    defer { SHA256Backend.portableForced = false }
    let cpuStart = threadCPUTime()
    var completed = 0
    for seed in 0..<UInt64(handshakes) where handshake(mode: mode, seed: seed) {
        completed += 1
    }
    let cpu = max(seconds(threadCPUTime() - cpuStart), 1e-9)
    let sha = switch (mode, backend) {
    case (.plain, _): "                     "
    case (.digest, .portable): " (portable SHA-256)  "
    case (.digest, .shaExtensions): " (SHA extensions)    "
    }
    print(
        "handshake alone, \(mode == .plain ? "plain " : "digest")\(sha), client and server in memory: "
            + "\(format(Double(handshakes) / cpu, decimals: 0)) per CPU-second, "
            + "\(format(cpu / Double(handshakes) * 1e6, decimals: 1)) µs each"
            + (completed == handshakes ? "" : " (\(handshakes - completed) did not complete)")
    )
}
