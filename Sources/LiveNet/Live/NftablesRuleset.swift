import RunCore
/// The scenario's firewall as nftables rules for a private network namespace, rendered as the text
/// `nft -f -` applies in one atomic transaction. Pure: the same inputs give the same text, so the
/// rules a run installs are tested without a namespace.
///
/// Everything lives in one table of ours, `inet fallbacklab`, with three chains. The scenario's
/// rules appear in both judging chains in the same order (first match wins), each judging only a
/// connection's first packet (`ct state new`); connections to the run's own internal ports (the
/// relays' way to the server) are never judged:
///
/// - `decide` (`output` hook, priority -150, before NAT): `http-only`, `blackhole` and the latency
///   relay set a mark; every other verdict is left to `filter` (`accept` here).
/// - `steer` (NAT on `output`, priority -100): a marked connection is redirected to its in-process
///   relay. NAT is decided per connection, so one that started inside an `http-only` window stays
///   with the proxy after the window ends, as connection tracking keeps it in a real middlebox.
/// - `filter` (`input` hook, priority 0): `drop`, `reject with tcp reset`, `reject with icmpx type
///   port-unreachable`. On the input side, as a firewall at the server's end of the path (where the
///   simulated one stands): the SYN has crossed `lo` first, so a capture of `lo` shows it and its
///   retransmissions.
///
/// Over the per-packet link (`viaLink`) the player's packets arrive from the `flserver` device instead
/// of being sent on `lo`: `decide` and `steer` then hook `prerouting` (same priorities), where a
/// redirect goes to the receiving device's address, and the relays listen on every address.
///
/// A time window is a change of the rule set at `from` and at `until` (`changeTimes`), each applied
/// as a whole new `decide` chain in one transaction.
struct NftablesRuleset: Sendable, Hashable {
    /// Where a marked connection is redirected.
    struct Relay: Sendable, Hashable {
        var mark: UInt32
        var port: Int
    }

    static let table = "fallbacklab"

    var firewall: [FirewallRule]
    /// The ports a rule without ports covers: the server's, the candidates' and every rule's.
    var allPorts: Set<UInt16>
    /// The run's own listeners behind the relays; never judged.
    var internalPorts: Set<Int>
    /// (scenario port, rule index) → the http-only relay for that rule on that port.
    var proxies: [LoopbackNetwork.ProxyKey: Relay]
    var blackhole: Relay?
    /// Scenario port → the latency relay that allowed connections go through (latency on the relay).
    var forwarders: [UInt16: Relay]
    /// Whether the player's connections arrive over the per-packet link (see above).
    var viaLink = false

    /// Offsets from the run's start at which the active rules change, in order, without zero.
    var changeTimes: [Duration] {
        let times = firewall.flatMap { [$0.from, $0.until].compactMap { $0 } }.filter { $0 > .zero }
        return Set(times).sorted()
    }

    /// The full transaction for the rules holding at `time`: creates the table and chains if they are
    /// not there, then replaces every chain's rules.
    func transaction(at time: Duration) -> String {
        let hook = viaLink ? "prerouting" : "output"
        var lines = [
            "table inet \(Self.table) {",
            "  chain decide { type filter hook \(hook) priority -150; policy accept; }",
            "  chain steer { type nat hook \(hook) priority -100; policy accept; }",
            "  chain filter { type filter hook input priority 0; policy accept; }",
            "}",
            "flush chain inet \(Self.table) decide",
            "flush chain inet \(Self.table) steer",
            "flush chain inet \(Self.table) filter",
        ]
        lines += decideRules(at: time).map { "add rule inet \(Self.table) decide \($0)" }
        lines += steerRules.map { "add rule inet \(Self.table) steer \($0)" }
        lines += filterRules(at: time).map { "add rule inet \(Self.table) filter \($0)" }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Removes the table and everything in it.
    static var teardown: String { "delete table inet \(table)\n" }

    /// The `filter` chain's rules at `time` (input side): the kernel's own verdicts, in order.
    /// Redirected connections arrive on internal ports and pass; an `http-only` port whose relay is
    /// missing is refused here, never let through unproxied.
    func filterRules(at time: Duration) -> [String] {
        var rules = internalPortsRule
        for (index, rule, ports) in activeRules(at: time) {
            let match = "tcp dport \(Self.set(ports)) ct state new"
            switch rule.action {
            case .allow:
                rules.append("\(match) accept")
            case .drop:
                rules.append("\(match) drop")
            case .reject:
                rules.append("\(match) reject with tcp reset")
            case .rejectICMP:
                rules.append("\(match) reject with icmpx type port-unreachable")
            case .httpOnly:
                for port in ports where proxies[LoopbackNetwork.ProxyKey(port: port, rule: index)] == nil {
                    rules.append("tcp dport \(port) ct state new reject with tcp reset")
                }
            case .blackhole:
                if blackhole == nil { rules.append("\(match) drop") }
            }
        }
        return rules
    }

    /// The `decide` chain's rules at `time` (output side), in order: marks for the relays; the
    /// kernel's own verdicts are `accept` here and judged again by `filter`, in the same order.
    func decideRules(at time: Duration) -> [String] {
        var rules = internalPortsRule
        for (index, rule, ports) in activeRules(at: time) {
            let match = "tcp dport \(Self.set(ports)) ct state new"
            switch rule.action {
            case .allow:
                // Allowed connections still cross the scenario's latency, through its relay.
                let relayed = ports.filter { forwarders[$0] != nil }
                for port in relayed {
                    guard let relay = forwarders[port] else { continue }
                    rules.append("tcp dport \(port) ct state new meta mark set \(Self.hex(relay.mark)) accept")
                }
                let direct = ports.filter { forwarders[$0] == nil }
                if !direct.isEmpty { rules.append("tcp dport \(Self.set(direct)) ct state new accept") }
            case .drop, .reject, .rejectICMP:
                // Decided by `filter` on the input side; nothing later here may mark it.
                rules.append("\(match) accept")
            case .httpOnly:
                for port in ports {
                    guard let relay = proxies[LoopbackNetwork.ProxyKey(port: port, rule: index)] else {
                        // No relay could be made for it: `filter` refuses it.
                        rules.append("tcp dport \(port) ct state new accept")
                        continue
                    }
                    rules.append("tcp dport \(port) ct state new meta mark set \(Self.hex(relay.mark)) accept")
                }
            case .blackhole:
                if let blackhole {
                    rules.append("\(match) meta mark set \(Self.hex(blackhole.mark)) accept")
                } else {
                    rules.append("\(match) accept")
                }
            }
        }
        for port in forwarders.keys.sorted() {
            guard let relay = forwarders[port] else { continue }
            rules.append("tcp dport \(port) ct state new meta mark set \(Self.hex(relay.mark)) accept")
        }
        return rules
    }

    /// The rules in force at `time`, in scenario order, each with its index (which names its
    /// http-only relays) and the sorted ports it covers; a rule covering no port is left out. Both
    /// judging chains walk this same list, so they cannot disagree on order or coverage.
    private func activeRules(at time: Duration) -> [(index: Int, rule: FirewallRule, ports: [UInt16])] {
        firewall.enumerated().compactMap { index, rule in
            guard rule.holds(at: time) else { return nil }
            let ports = rule.ports.isEmpty ? allPorts.sorted() : Array(Set(rule.ports)).sorted()
            return ports.isEmpty ? nil : (index, rule, ports)
        }
    }

    /// Both judging chains first let the run's own internal ports through, unjudged.
    private var internalPortsRule: [String] {
        internalPorts.isEmpty ? [] : ["tcp dport \(Self.set(internalPorts.sorted())) accept"]
    }

    /// The `steer` chain's rules: one redirect per relay.
    var steerRules: [String] {
        var relays = Array(proxies.values) + Array(forwarders.values)
        if let blackhole { relays.append(blackhole) }
        return relays.sorted { $0.mark < $1.mark }.map {
            "meta mark \(Self.hex($0.mark)) meta l4proto tcp redirect to :\($0.port)"
        }
    }

    private static func set<T: BinaryInteger>(_ values: [T]) -> String {
        values.count == 1 ? "\(values[0])" : "{ " + values.map { "\($0)" }.joined(separator: ", ") + " }"
    }

    private static func hex(_ mark: UInt32) -> String {
        "0x" + String(mark, radix: 16)
    }
}
