import Connector
import Testing
import Lab

/// Every broken file of the corpus gives exactly these diagnostics: position, what is wrong, what would
/// be right, all of them at once, sorted by position.
@Suite struct InvalidScenarioTests {
    static let corpus: [(file: String, diagnostics: [String])] = [
        ("unknown-keys", [
            "Invalid/unknown-keys.yaml:2:1: unknown key 'clinet' in the scenario; did you mean 'client'?",
            "Invalid/unknown-keys.yaml:5:3: unknown key 'latncy' in network; did you mean 'latency'?",
            "Invalid/unknown-keys.yaml:6:3: unknown key 'jiter' in network; did you mean 'jitter'?",
            "Invalid/unknown-keys.yaml:9:5: unknown key 'acton' in a firewall rule; did you mean 'action'?",
            "Invalid/unknown-keys.yaml:11:5: unknown key 'polcy' in an expectation; did you mean 'policy'?",
            "Invalid/unknown-keys.yaml:13:5: unknown key 'flavour' in an expectation; known keys: policy, outcome, within, via, max-server-connections, max-server-peak-connections, first-frame-within, reconnect-within",
        ]),
        ("bad-values", [
            "Invalid/bad-values.yaml:2:9: repeat 0 is out of range; write a number from 1 to 100000",
            "Invalid/bad-values.yaml:3:10: clients must be a whole number, found 'many'; write a number from 1 to 100000",
            "Invalid/bad-values.yaml:6:7: 'windows95' is not a valid client.os; did you mean 'windows'? one of: windows, linux, linux-legacy, macos",
            "Invalid/bad-values.yaml:7:12: '30' is not a duration for client.timeout; write a number and a unit, like 250ms, 1.5s or 2m (units: us, ms, s, m, h)",
            "Invalid/bad-values.yaml:9:12: network.latency cannot be negative, found '-20ms'; write a number and a unit, like 250ms, 1.5s or 2m (units: us, ms, s, m, h)",
            "Invalid/bad-values.yaml:10:11: '5 sec' is not a duration for network.jitter; write a number and a unit, like 250ms, 1.5s or 2m (units: us, ms, s, m, h)",
            "Invalid/bad-values.yaml:11:14: 'fast' is not a bandwidth; write a number and a unit, like 500kbit or 10mbit (units: bit, kbit, mbit, gbit)",
            "Invalid/bad-values.yaml:12:9: network.loss 150% is more than 100%; write a percentage from 0% to 100%",
            "Invalid/bad-values.yaml:14:11: port 70000 is out of range; write a number from 1 to 65535",
            "Invalid/bad-values.yaml:17:13: 'deny' is not a valid firewall action; one of: allow, drop, reject, reject-icmp, http-only, blackhole",
            "Invalid/bad-values.yaml:22:5: a firewall rule has both port and ports; keep one of port: and ports:",
            "Invalid/bad-values.yaml:27:12: the rule ends (until) before or when it starts (from); make until later than from",
        ]),
        ("wrong-types", [
            "Invalid/wrong-types.yaml:2:3: description must be a single value, found a list; write it as description: what real situation this is",
            "Invalid/wrong-types.yaml:4:9: client must be a mapping, found 'rtmp://media.example.com/live'; write one 'key: value' per line; keys: url, os, proxy, command, timeout, play",
            "Invalid/wrong-types.yaml:5:10: network must be a mapping, found a list; write one 'key: value' per line; keys: latency, jitter, bandwidth, loss, loss-model, queue, reorder, jitter-distribution",
            "Invalid/wrong-types.yaml:7:3: firewall must be a list, found a mapping; write it as a list of rules, each '- port: 1935' and 'action: drop'",
            "Invalid/wrong-types.yaml:9:11: policies must be a list, found 'flowplayer'; write it as policies: [flash-builtin, flowplayer]",
        ]),
        ("policies", [
            "Invalid/policies.yaml:5:5: unknown policy 'flowplayr'; did you mean 'flowplayer'?",
            "Invalid/policies.yaml:8:11: 'flash-builtin' is the name of a preset; give the custom policy its own name, like flash-builtin-custom",
            "Invalid/policies.yaml:10:23: 'rtmp:99999' is not a candidate; write url, url-tunneled or scheme:port, like rtmp:443 or rtmpt:80 (schemes: rtmp, rtmpe, rtmps, rtmpt, rtmpte, rtmpts)",
            "Invalid/policies.yaml:10:35: 'tcp:80' is not a candidate; write url, url-tunneled or scheme:port, like rtmp:443 or rtmpt:80 (schemes: rtmp, rtmpe, rtmps, rtmpt, rtmpte, rtmpts)",
            "Invalid/policies.yaml:15:5: a custom policy has no candidates; add candidates: [url, rtmpt:80]",
            "Invalid/policies.yaml:16:11: 'zigzag' is not a valid mode; one of: sequential, staggered, parallel",
            "Invalid/policies.yaml:19:10: no candidate of policy 'flowplayer' is rtmps:8443 for rtmp://media.example.com/live; its candidates are rtmp:1935, rtmpt:80",
            "Invalid/policies.yaml:22:5: via names a winner but the outcome is failed; remove via, or expect outcome: connected",
            // 'ours' (sequential, with a stagger that has no effect) is a valid policy now, so its
            // expectations are checked like any other's.
            "Invalid/policies.yaml:24:10: no candidate of policy 'ours' is rtmpt:80 for rtmp://media.example.com/live; its candidates are rtmp:443",
            "Invalid/policies.yaml:25:13: policy 'akamai' is not run by this scenario; add akamai to policies, or expect another policy",
            "Invalid/policies.yaml:26:13: unknown policy 'our'; did you mean 'ours'?",
            "Invalid/policies.yaml:27:13: within must be longer than zero; write within: 1s",
        ]),
        ("missing", [
            "Invalid/missing.yaml:3:3: client has no url; add url: rtmp://media.example.com/live",
            "Invalid/missing.yaml:5:13: response: redirect needs a redirect URL; add redirect: rtmp://edge.example.com/live to server",
        ]),
        ("urls", [
            "Invalid/urls.yaml:3:8: unknown scheme 'http' in client.url; use one of rtmp, rtmpe, rtmps, rtmpt, rtmpte, rtmpts",
            "Invalid/urls.yaml:3:38: port '0' in client.url is not a port; use a port from 1 to 65535, like rtmp://media.example.com/live or rtmpt://media.example.com:80/live",
            "Invalid/urls.yaml:3:70: 'rtmp:///live' in client.url has no host; write scheme://host/app, like rtmp://media.example.com/live or rtmpt://media.example.com:80/live",
            "Invalid/urls.yaml:3:83: 'rtmp://media.example.com' in client.url has no application name; add /app after the host, like rtmp://media.example.com/live or rtmpt://media.example.com:80/live",
            "Invalid/urls.yaml:4:10: 'socks5://proxy:1080' is not an HTTP proxy address; write proxy: http://host:port, like http://proxy.example.com:3128",
            "Invalid/urls.yaml:8:13: 'edge.example.com/live' in server.redirect is not a URL; write scheme://host/app, like rtmp://media.example.com/live or rtmpt://media.example.com:80/live",
            "Invalid/urls.yaml:11:10: 'http' is not a valid protocol; did you mean 'rtmp'? one of: rtmp, rtmpt, rtmps",
            "Invalid/urls.yaml:12:5: a server port 0 is out of range; write a number from 1 to 65535",
        ]),
        ("duplicate-key", [
            "Invalid/duplicate-key.yaml:5:3: key 'latency' appears more than once in the same mapping; keep one of them",
        ]),
        ("syntax", [
            "Invalid/syntax.yaml:4:6: invalid YAML: mapping values are not allowed in this context; check the indentation and the quoting around this spot",
        ]),
        ("empty", [
            "Invalid/empty.yaml:1:1: the file is empty; a scenario needs at least client: url:",
        ]),
        ("comment-only", [
            "Invalid/comment-only.yaml:1:1: the file is empty; a scenario needs at least client: url:",
        ]),
        ("binary", [
            "Invalid/binary.yaml:2:1: the file is not UTF-8 text (byte 18 is not valid UTF-8); a scenario is a YAML text file; is this the right file?",
        ]),
        ("deep", [
            "Invalid/deep.yaml:2:10: the YAML is nested too deeply; a scenario is at most a few levels deep",
        ]),
        ("clients", [
            "Invalid/clients.yaml:2:10: clients 100001 is out of range; write a number from 1 to 100000",
        ]),
        ("huge-numbers", [
            "Invalid/huge-numbers.yaml:2:7: seed 184467440737095516160000 is out of range; write a number from 0 to 18446744073709551615, like seed: 1",
            "Invalid/huge-numbers.yaml:3:9: repeat 99999999999999999999 is out of range; write a number from 1 to 100000",
            "Invalid/huge-numbers.yaml:4:10: clients must be a whole number, found '1e400'; write a number from 1 to 100000",
            "Invalid/huge-numbers.yaml:6:8: port '99999999999999999999' in client.url is not a port; use a port from 1 to 65535, like rtmp://media.example.com/live or rtmpt://media.example.com:80/live",
            "Invalid/huge-numbers.yaml:7:12: '999999999999999999999999h' is too long for client.timeout; the longest duration is 2562047h; write a realistic value, like 30s",
            "Invalid/huge-numbers.yaml:9:12: '1e308s' is not a duration for network.latency; write a number and a unit, like 250ms, 1.5s or 2m (units: us, ms, s, m, h)",
            "Invalid/huge-numbers.yaml:10:11: '99999999999999999999999999999999ms' is too long for network.jitter; the longest duration is 2562047h; write a realistic value, like 30s",
            "Invalid/huge-numbers.yaml:11:14: '99999999999999999999999gbit' is not a bandwidth; write a number and a unit, like 500kbit or 10mbit (units: bit, kbit, mbit, gbit)",
            "Invalid/huge-numbers.yaml:12:9: '1e999%' is not a loss ratio; write a percentage, like 0.5% or 2%",
            "Invalid/huge-numbers.yaml:14:11: port 18446744073709551617 is out of range; write a number from 1 to 65535",
            "Invalid/huge-numbers.yaml:18:11: '99999999999999999999999999s' is too long for from; the longest duration is 2562047h; write a realistic value, like 30s",
            "Invalid/huge-numbers.yaml:22:14: '1e30s' is not a duration for stagger; write a number and a unit, like 250ms, 1.5s or 2m (units: us, ms, s, m, h)",
            "Invalid/huge-numbers.yaml:23:22: '340282366920938463463374607431768211457s' is too long for attempt-timeout; the longest duration is 2562047h; write a realistic value, like 30s",
            "Invalid/huge-numbers.yaml:28:13: '9223372036854775808s' is too long for within; the longest duration is 2562047h; write a realistic value, like 30s",
        ]),
        ("not-a-mapping", [
            "Invalid/not-a-mapping.yaml:1:1: the scenario must be a mapping, found a list; write one 'key: value' per line; keys: name, description, seed, repeat, clients, client, proxy, server, network, firewall, policies, expect",
        ]),
    ]

    /// What the format allows but does nothing, or was left out: `warning:` lines, never a refusal
    /// (the scenario format is a public interface, issue 11). Every one of them, in file order.
    static let warnings = [
        "Valid/warnings.yaml:2:1: the scenario has no description; the reports show its name instead; add description: with the real situation this scenario stands for",
        "Valid/warnings.yaml:4:12: client.command does not contain {url}, so the client is not given the stream URL; put {url} where the command takes the stream URL, like \"rtmpdump -r {url} -o /dev/null\"",
        "Valid/warnings.yaml:6:3: proxy: describes an explicit proxy but the client uses none, so it has no effect; add client: proxy: http://proxy.example.com:3128, or remove proxy:",
        "Valid/warnings.yaml:9:3: server.redirect is set but the response is 'accept', so it has no effect; add response: redirect to server, or remove redirect:",
        "Valid/warnings.yaml:11:18: protocol rtmp is listed twice for port 1935; it is served once; list it once",
        "Valid/warnings.yaml:15:5: on-non-http applies only to action: http-only, not reject, so it has no effect; remove on-non-http, or use action: http-only",
        "Valid/warnings.yaml:18:5: idle-timeout applies only to action: http-only, not drop, so it has no effect; remove idle-timeout, or use action: http-only",
        "Valid/warnings.yaml:21:5: policy 'flowplayer' is listed twice; it runs once; list each policy once",
        "Valid/warnings.yaml:24:33: candidate url is listed twice; it is tried once; list each candidate once",
        "Valid/warnings.yaml:25:5: stagger applies only to mode: staggered, not sequential, so it has no effect; remove stagger, or use mode: staggered",
    ]

    @Test func warningsDoNotRefuseTheFile() throws {
        let scenario = try FixtureSupport.load("Valid/warnings.yaml")
        #expect(scenario.warnings.map(\.description) == Self.warnings)
        // The file runs as it would without the keys that do nothing.
        #expect(scenario.description == "warnings")
        #expect(scenario.policies.map(\.name) == ["flowplayer", "ours"])
        #expect(scenario.policies[1].candidates == [.url, try CandidateSpec(parsing: "rtmpt:80")])
        #expect(scenario.policies[1].stagger == .zero)
        #expect(scenario.server.ports[1935] == [.rtmp])
        #expect(scenario.proxy == nil)
        #expect(scenario.server.response == .accept)
    }

    @Test func anEmptyNameOrDescriptionIsAWarning() throws {
        let text = "name: ''\ndescription: '  '\nclient:\n  url: rtmp://media.example.com/live\n"
        let scenario = try ScenarioLoader.parse(Array(text.utf8), file: "blank.yaml")
        #expect(scenario.name == "blank")
        #expect(scenario.description == "blank")
        #expect(scenario.warnings.map(\.message) == [
            "name is empty; the scenario is named after its file, blank",
            "description is empty; the reports show the scenario's name instead",
        ])
    }

    @Test(arguments: corpus.map(\.file))
    func diagnostics(of name: String) throws {
        let expected = try #require(Self.corpus.first { $0.file == name }).diagnostics
        let actual = try FixtureSupport.diagnostics("Invalid/\(name).yaml")
        #expect(actual == expected)
    }
}
