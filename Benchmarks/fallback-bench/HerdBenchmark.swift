// `fallback-bench herd [clients] [preset ...]`: one thundering herd per preset — every client starts
// at t = 0 behind the same firewall, against the same server — with the wall-clock and CPU time it
// took, the process's peak memory while it ran, and the server's peak concurrent connections and
// handshakes, which is what the herd costs a real origin.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Connector
import NetSim
import RTMP
import RunCore

/// The herd after an outage, as `Scenarios/herd-after-outage-slow-origin.yaml` describes it: Windows
/// players, 20 ms each way, nothing blocked, the origin back but answering each connect only after
/// 2 s while it warms up. Every candidate a player starts reaches the origin, so a policy that
/// starts its next candidates while the first waits multiplies the connections open at once.
let herdScenario = SimulatedScenario(
    url: "rtmp://media.example.com/live", clientOS: .windows, serverSession: slowOrigin,
    network: LinkConditions(latency: .milliseconds(20))
)

let slowOrigin: RTMPServerSession.Configuration = {
    var configuration = RTMPServerSession.Configuration()
    configuration.delay = .seconds(2)
    return configuration
}()

/// A line of `/proc/self/status` in kB (`VmHWM`, `VmRSS`); `nil` where there is no procfs.
func procStatusKilobytes(_ field: String) -> Int? {
    guard let file = fopen("/proc/self/status", "r") else { return nil }
    defer { fclose(file) }
    var line = [CChar](repeating: 0, count: 256)
    while fgets(&line, Int32(line.count), file) != nil {
        let text = String(decoding: line.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        guard text.hasPrefix(field + ":") else { continue }
        return Int(text.dropFirst(field.count + 1).filter(\.isNumber))
    }
    return nil
}

/// Resets the kernel's peak-RSS mark to the current RSS (`clear_refs` value 5, Linux ≥ 4.0), so each
/// preset's peak is its own; returns whether the kernel took it.
func resetPeakMemory() -> Bool {
    let descriptor = open("/proc/self/clear_refs", O_WRONLY)
    guard descriptor >= 0 else { return false }
    defer { close(descriptor) }
    return write(descriptor, "5", 1) == 1
}

/// The process's whole-life peak RSS from getrusage, in kB on Linux.
func lifetimePeakKilobytes() -> Int {
    var usage = rusage()
    #if canImport(Glibc)
    getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
    #else
    getrusage(RUSAGE_SELF, &usage)
    #endif
    return Int(usage.ru_maxrss)
}

func megabytes(_ kilobytes: Int?) -> String {
    kilobytes.map { format(Double($0) / 1024, decimals: 0) + " MB" } ?? "n/a"
}

func runHerdBenchmark(_ arguments: [String]) {
    let clients = arguments.first.flatMap { Int($0) } ?? SimulatedRun.maximumClients
    let wanted = Set(arguments.dropFirst())
    let presets = Preset.all.filter { wanted.isEmpty || wanted.contains($0.name) }
    print("fallback-bench herd: \(clients) clients at t = 0, Windows, 20 ms each way, origin answering connect after 2 s; one herd per preset, packet trace off")
    print("baseline RSS \(megabytes(procStatusKilobytes("VmRSS")))")
    print(pad("preset", 24) + pad("wall s", 9) + pad("cpu s", 9) + pad("peak RSS", 11) + pad("connected", 15)
        + pad("p50 ttc", 10) + pad("server conns", 14) + pad("peak conns", 12) + pad("peak hs", 9) + "events")
    for preset in presets {
        let resettable = resetPeakMemory()
        let clock = ContinuousClock()
        let start = clock.now
        let cpuStart = threadCPUTime()
        let results: [SimulatedRunResult]
        do {
            results = try SimulatedRun(scenario: herdScenario, policy: preset.policy, seed: 1, recordTrace: false).runHerd(clients: clients)
        } catch {
            print("\(preset.name): \(error)")
            continue
        }
        let cpu = threadCPUTime() - cpuStart
        let wall = clock.now - start
        let peak = resettable ? procStatusKilobytes("VmHWM") : nil
        let times = results.compactMap(\.timeToConnect).sorted()
        let cost = results.first?.serverCost ?? ServerCost()
        let median = times.isEmpty ? "—" : format(seconds(times[(times.count - 1) / 2]), decimals: 2) + " s"
        print(
            pad(preset.name, 24) + pad(format(seconds(wall), decimals: 2), 9) + pad(format(seconds(cpu), decimals: 2), 9)
                + pad(megabytes(peak), 11) + pad("\(times.count)/\(results.count)", 15) + pad(median, 10)
                + pad(String(cost.connectionsAccepted), 14) + pad(cost.peakConnections.map(String.init) ?? "—", 12)
                + pad(cost.peakHandshakes.map(String.init) ?? "—", 9) + String(results.first?.eventsRun ?? 0)
        )
    }
    print("process peak RSS (getrusage ru_maxrss): \(megabytes(lifetimePeakKilobytes()))")
}
