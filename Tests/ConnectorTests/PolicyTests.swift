import Testing
@testable import Connector

@Suite struct PolicyTests {
    private func labels(_ preset: Preset, _ url: String) throws -> [String] {
        preset.policy.candidates(for: try ConnectURL.parseList(url)).map(\.label)
    }

    @Test func candidateSpecNotationRoundTrips() throws {
        for text in ["url", "url:443", "url-tunneled", "url-tunneled:80", "rtmpt", "rtmp:443", "rtmps:8443"] {
            #expect(try CandidateSpec(parsing: text).description == text)
        }
        #expect(try CandidateSpec(parsing: "rtmpt") == CandidateSpec(scheme: .fixed(.rtmpt), port: .schemeDefault))
        #expect(try CandidateSpec(parsing: "RTMP:443") == .transport(.rtmp, 443))
        for bad in ["", "http:80", "rtmp:", "rtmp:0", "rtmp:99999", "rtmp:80:1", "url:x"] {
            #expect(throws: PolicyError.invalidCandidate(bad)) { try CandidateSpec(parsing: bad) }
        }
    }

    @Test func designExampleCandidatesForAPortlessURL() throws {
        let policy = Policy(
            name: "our-player", mode: .staggered,
            candidates: try ["url", "rtmp:443", "rtmpt:80", "rtmps:443"].map { try CandidateSpec(parsing: $0) },
            stagger: .milliseconds(250)
        )
        let candidates = policy.candidates(for: [try ConnectURL(parsing: "rtmp://media.example.com/live")])
        #expect(candidates.map(\.label) == ["rtmp:1935", "rtmp:443", "rtmpt:80", "rtmps:443"])
        #expect(candidates[2].url == "rtmpt://media.example.com:80/live")
        #expect(candidates.allSatisfy { $0.host == "media.example.com" && $0.path == "live" })
    }

    @Test func flashBuiltinFallsBackOnlyWithoutAPort() throws {
        #expect(try labels(.flashBuiltin, "rtmp://h/live") == ["rtmp:1935", "rtmp:443", "rtmp:80", "rtmpt:80"])
        #expect(try labels(.flashBuiltin, "rtmp://h:80/live") == ["rtmp:80"])
        #expect(try labels(.flashBuiltin, "rtmp://h:1935/live") == ["rtmp:1935"])
        #expect(try labels(.flashBuiltin, "rtmpe://h/live") == ["rtmpe:1935", "rtmpe:443", "rtmpe:80", "rtmpte:80"])
        #expect(try labels(.flashFMS3, "rtmp://h/live") == ["rtmp:1935", "rtmp:80", "rtmpt:80"])
        #expect(try labels(.flashFMS3, "rtmp://h:80/live") == ["rtmp:80"])
        #expect(try labels(.flashFMS3, "rtmpe://h/live") == ["rtmpe:1935", "rtmpe:80", "rtmpte:80"])
    }

    @Test func jw4UsesEveryURLOfTheStreamerListInOrder() throws {
        #expect(
            try labels(.jw4StreamerList, "rtmp://a/live|rtmpt://a/live|rtmp://b:443/live")
                == ["rtmp:1935", "rtmpt:80", "rtmp:443"])
        // The others use the first URL only.
        #expect(try labels(.flowplayer, "rtmp://a/live|rtmpt://b/live") == ["rtmp:1935", "rtmpt:80"])
    }

    @Test func presetsDeriveTheirDocumentedCandidates() throws {
        #expect(try labels(.jw5Tunneling, "rtmp://h:1935/live") == ["rtmp:1935", "rtmpt:80"])
        #expect(try labels(.jw5Tunneling, "rtmpe://h/live") == ["rtmpe:1935", "rtmpte:80"])
        #expect(try labels(.ncmanagerFlex, "rtmp://h/live") == ["rtmp:1935", "rtmp:443", "rtmpt:80", "rtmps:443"])
        #expect(try labels(.ncmanagerFlex, "rtmp://h:8080/live") == ["rtmp:8080", "rtmp:443", "rtmpt:80", "rtmps:443"])
        #expect(try labels(.ncmanagerFLVPlayback, "rtmp://h:1936/live") == ["rtmp:1936", "rtmpt:80"])
        #expect(try labels(.ncmanagerFLVPlayback, "rtmpe://h/live") == ["rtmpe:1935", "rtmpte:80"])
        // Flowplayer's RTMPT URL keeps an explicit port.
        #expect(try labels(.flowplayer, "rtmp://h:1935/live") == ["rtmp:1935", "rtmpt:1935"])
        #expect(try labels(.flowplayer, "rtmp://h/live") == ["rtmp:1935", "rtmpt:80"])
        #expect(try labels(.happyEyeballs, "rtmp://h/live") == ["rtmp:1935", "rtmp:443", "rtmpt:80", "rtmps:443"])
        #expect(
            try labels(.akamai, "rtmp://h/live") == [
                "rtmp:1935", "rtmp:80", "rtmp:443", "rtmpt:80", "rtmpt:1935", "rtmpt:443",
                "rtmpe:1935", "rtmpe:80", "rtmpe:443", "rtmpte:80", "rtmpte:1935", "rtmpte:443",
            ])
    }

    @Test func duplicatesAreKeptOnce() throws {
        #expect(try labels(.ncmanagerFlex, "rtmps://h/live") == ["rtmps:443", "rtmp:443", "rtmpt:80"])
    }

    @Test func everyPresetIsValidNamedAndSourced() throws {
        #expect(Preset.all.map(\.name) == [
            "flash-builtin", "jw4-streamer-list", "jw5-tunneling", "ncmanager-flex", "ncmanager-flvplayback",
            "flowplayer", "akamai", "happy-eyeballs", "flash-fms3",
        ])
        for preset in Preset.all {
            try preset.policy.validate()
            #expect(preset.policy.name == preset.name)
            #expect(!preset.sources.isEmpty)
            #expect(!preset.summary.isEmpty)
            #expect(Preset.named(preset.name) == preset)
        }
        #expect(Preset.named("realplayer") == nil)
    }

    @Test func validationRejectsWhatAConnectorCannotRun() {
        let base = Policy(name: "p", mode: .staggered, candidates: [.url], stagger: .milliseconds(250))
        var policy = base
        policy.candidates = []
        #expect(throws: PolicyError.noCandidates) { try policy.validate() }
        policy = base
        policy.stagger = .zero
        #expect(throws: PolicyError.invalidStagger(.zero)) { try policy.validate() }
        policy = base
        policy.minimumSpacing = .milliseconds(300)
        #expect(throws: PolicyError.invalidStagger(.milliseconds(250))) { try policy.validate() }
        policy = base
        policy.attemptTimeout = .zero
        #expect(throws: PolicyError.invalidTimeout(.zero)) { try policy.validate() }
        policy = base
        policy.overallTimeout = .seconds(-1)
        #expect(throws: PolicyError.invalidTimeout(.seconds(-1))) { try policy.validate() }
        policy = base
        policy.retries = -1
        #expect(throws: PolicyError.invalidRetries(-1)) { try policy.validate() }
        policy = base
        policy.redirectLimit = Policy.maximumRedirects + 1
        #expect(throws: PolicyError.invalidRedirectLimit(Policy.maximumRedirects + 1)) { try policy.validate() }
        policy = base
        policy.redirectDelay = .milliseconds(-1)
        #expect(throws: PolicyError.negativeDelay(.milliseconds(-1))) { try policy.validate() }
        #expect(throws: PolicyError.noURL) { try FallbackConnector(policy: base, urls: []) }
        #expect(throws: FallbackConnector.SetupError.url(.unsupportedScheme("http"))) {
            try FallbackConnector(policy: base, url: "http://h/live")
        }
        #expect(throws: FallbackConnector.SetupError.policy(.invalidStagger(.zero))) {
            try FallbackConnector(policy: Policy(name: "p", mode: .staggered, candidates: [.url]), url: "rtmp://h/a")
        }
    }
}
