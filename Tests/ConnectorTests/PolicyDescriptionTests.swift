import Testing
@testable import Connector

@Suite struct PolicyDescriptionTests {
    @Test func presetsDescribeThemselvesInOneLine() {
        #expect(
            Preset.ncmanagerFlex.policy.description
                == "staggered 1.5 s over url, rtmp:443, rtmpt:80, rtmps:443; attempt timeout OS; overall 60 s; "
                + "quirks: end-round-only-on-last-failure, losers-run-until-they-end")
        #expect(
            Preset.happyEyeballs.policy.description
                == "staggered 250 ms over url, rtmp:443, rtmpt:80, rtmps:443; attempt timeout 10 s; advance on failure; "
                + "minimum spacing 10 ms; redirects after 0 ms (limit 5)")
        #expect(
            Preset.jw4StreamerList.policy.description
                == "sequential over url; attempt timeout 3 s; quirks: urls-from-streamer-list")
        #expect(Policy.format(.microseconds(1500)) == "1500 µs")
        #expect(Policy.format(.milliseconds(1250)) == "1250 ms")
    }
}
