import Testing

@testable import LiveNet
import RunCore

/// The rules a namespace run installs, as text, and how time windows change them. The text is what
/// `nft -f -` applies; the namespace tests (LabTests) check the kernel then does what it says.
@Suite("nftables rule set")
struct NftablesRulesetTests {
    static func ruleset(
        _ firewall: [FirewallRule], proxies: [LoopbackNetwork.ProxyKey: NftablesRuleset.Relay] = [:],
        blackhole: NftablesRuleset.Relay? = nil, forwarders: [UInt16: NftablesRuleset.Relay] = [:]
    ) -> NftablesRuleset {
        NftablesRuleset(
            firewall: firewall, allPorts: [80, 443, 1935], internalPorts: [40001, 40002], proxies: proxies,
            blackhole: blackhole, forwarders: forwarders)
    }

    @Test("the kernel's verdicts are input-side rules on a connection's first packet, after the internal ports")
    func actions() {
        let set = Self.ruleset([
            FirewallRule(ports: [1935], action: .drop),
            FirewallRule(ports: [443], action: .reject),
            FirewallRule(ports: [8080], action: .rejectICMP(.port)),
            FirewallRule(ports: [80], action: .allow),
            FirewallRule(ports: [], action: .drop),
        ])
        #expect(set.filterRules(at: .zero) == [
            "tcp dport { 40001, 40002 } accept",
            "tcp dport 1935 ct state new drop",
            "tcp dport 443 ct state new reject with tcp reset",
            "tcp dport 8080 ct state new reject with icmpx type port-unreachable",
            "tcp dport 80 ct state new accept",
            "tcp dport { 80, 443, 1935 } ct state new drop",
        ])
        // The output side leaves them to the input side, in the same order, and marks nothing.
        #expect(set.decideRules(at: .zero) == [
            "tcp dport { 40001, 40002 } accept",
            "tcp dport 1935 ct state new accept",
            "tcp dport 443 ct state new accept",
            "tcp dport 8080 ct state new accept",
            "tcp dport 80 ct state new accept",
            "tcp dport { 80, 443, 1935 } ct state new accept",
        ])
        #expect(set.steerRules.isEmpty)
    }

    @Test("an allowed port still goes through the latency relay; a drop before a relay's mark wins")
    func allowAndOrder() {
        let set = Self.ruleset(
            [
                FirewallRule(ports: [443], action: .drop),
                FirewallRule(ports: [1935, 80], action: .allow),
            ],
            forwarders: [443: .init(mark: 0x10, port: 40005), 1935: .init(mark: 0x11, port: 40006)])
        #expect(set.decideRules(at: .zero) == [
            "tcp dport { 40001, 40002 } accept",
            "tcp dport 443 ct state new accept",
            "tcp dport 1935 ct state new meta mark set 0x11 accept",
            "tcp dport 80 ct state new accept",
            "tcp dport 443 ct state new meta mark set 0x10 accept",
            "tcp dport 1935 ct state new meta mark set 0x11 accept",
        ])
        #expect(set.filterRules(at: .zero).contains("tcp dport 443 ct state new drop"))
    }

    @Test("http-only, blackhole and latency relays are marks that the NAT chain redirects")
    func relays() {
        let set = Self.ruleset(
            [
                FirewallRule(ports: [80], action: .httpOnly(onNonHTTP: .error, idleTimeout: .seconds(30))),
                FirewallRule(ports: [443], action: .blackhole),
            ],
            proxies: [LoopbackNetwork.ProxyKey(port: 80, rule: 0): .init(mark: 0x11, port: 40003)],
            blackhole: .init(mark: 0x12, port: 40004),
            forwarders: [1935: .init(mark: 0x10, port: 40005)])
        #expect(set.decideRules(at: .zero) == [
            "tcp dport { 40001, 40002 } accept",
            "tcp dport 80 ct state new meta mark set 0x11 accept",
            "tcp dport 443 ct state new meta mark set 0x12 accept",
            "tcp dport 1935 ct state new meta mark set 0x10 accept",
        ])
        // Redirected, they reach the input side on internal ports: nothing there refuses them.
        #expect(set.filterRules(at: .zero) == ["tcp dport { 40001, 40002 } accept"])
        #expect(set.steerRules == [
            "meta mark 0x10 meta l4proto tcp redirect to :40005",
            "meta mark 0x11 meta l4proto tcp redirect to :40003",
            "meta mark 0x12 meta l4proto tcp redirect to :40004",
        ])
    }

    @Test("an http-only port without its relay is refused, never let through unproxied")
    func missingRelay() {
        let rules = Self.ruleset([
            FirewallRule(ports: [80], action: .httpOnly(onNonHTTP: .hang, idleTimeout: .seconds(5))),
        ]).filterRules(at: .zero)
        #expect(rules.last == "tcp dport 80 ct state new reject with tcp reset")
    }

    @Test("a window's rule holds from `from` up to, not at, `until`")
    func windows() {
        let set = Self.ruleset([
            FirewallRule(ports: [443], action: .drop, from: .milliseconds(300), until: .milliseconds(900)),
        ])
        #expect(set.changeTimes == [.milliseconds(300), .milliseconds(900)])
        let drop = "tcp dport 443 ct state new drop"
        #expect(!set.filterRules(at: .zero).contains(drop))
        #expect(!set.filterRules(at: .milliseconds(300) - .nanoseconds(1)).contains(drop))
        #expect(set.filterRules(at: .milliseconds(300)).contains(drop))
        #expect(set.filterRules(at: .milliseconds(900) - .nanoseconds(1)).contains(drop))
        #expect(!set.filterRules(at: .milliseconds(900)).contains(drop))
    }

    @Test("the transaction creates our table and replaces both chains at once")
    func transaction() {
        let text = Self.ruleset([FirewallRule(ports: [1935], action: .reject)]).transaction(at: .zero)
        #expect(text == """
            table inet fallbacklab {
              chain decide { type filter hook output priority -150; policy accept; }
              chain steer { type nat hook output priority -100; policy accept; }
              chain filter { type filter hook input priority 0; policy accept; }
            }
            flush chain inet fallbacklab decide
            flush chain inet fallbacklab steer
            flush chain inet fallbacklab filter
            add rule inet fallbacklab decide tcp dport { 40001, 40002 } accept
            add rule inet fallbacklab decide tcp dport 1935 ct state new accept
            add rule inet fallbacklab filter tcp dport { 40001, 40002 } accept
            add rule inet fallbacklab filter tcp dport 1935 ct state new reject with tcp reset

            """)
        #expect(NftablesRuleset.teardown == "delete table inet fallbacklab\n")
    }

    @Test("window boundaries at zero or repeated are listed once, in order")
    func changeTimes() {
        let set = Self.ruleset([
            FirewallRule(ports: [443], action: .drop, from: .zero, until: .seconds(2)),
            FirewallRule(ports: [80], action: .reject, from: .seconds(1), until: .seconds(2)),
        ])
        #expect(set.changeTimes == [.seconds(1), .seconds(2)])
    }
}
