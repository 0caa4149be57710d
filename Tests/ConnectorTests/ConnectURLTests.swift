import Testing
@testable import Connector

@Suite struct ConnectURLTests {
    @Test(arguments: [
        ("rtmp://h/live", RTMPScheme.rtmp, 1935),
        ("rtmpe://h/live", .rtmpe, 1935),
        ("rtmps://h/live", .rtmps, 443),
        ("rtmpt://h/live", .rtmpt, 80),
        ("rtmpte://h/live", .rtmpte, 80),
        ("rtmpts://h/live", .rtmpts, 443),
    ])
    func defaultPortsAsFFmpegAndLibrtmp(url: String, scheme: RTMPScheme, port: Int) throws {
        let parsed = try ConnectURL(parsing: url)
        #expect(parsed.scheme == scheme)
        #expect(parsed.explicitPort == nil)
        #expect(parsed.port == port)
        #expect(parsed.host == "h")
        #expect(parsed.application == "live")
    }

    @Test func explicitPortPathAndQueryAreKept() throws {
        let parsed = try ConnectURL(parsing: "RTMP://media.example.com:8080/live/stream?token=1")
        #expect(parsed.scheme == .rtmp)
        #expect(parsed.host == "media.example.com")
        #expect(parsed.explicitPort == 8080)
        #expect(parsed.port == 8080)
        #expect(parsed.path == "live/stream?token=1")
        #expect(parsed.application == "live")
        #expect(parsed.description == "rtmp://media.example.com:8080/live/stream?token=1")
    }

    @Test func ipv6HostsInBrackets() throws {
        let parsed = try ConnectURL(parsing: "rtmpt://[::1]:8080/app")
        #expect(parsed.host == "::1")
        #expect(parsed.explicitPort == 8080)
        #expect(Candidate(url: parsed).url == "rtmpt://[::1]:8080/app")
        let portless = try ConnectURL(parsing: "rtmp://[2001:db8::2]/app")
        #expect(portless.port == 1935)
    }

    @Test(arguments: [
        ("", ConnectURLError.empty),
        ("media.example.com/live", .missingScheme("media.example.com/live")),
        ("http://h/live", .unsupportedScheme("http")),
        ("rtmp:///live", .missingHost("rtmp:///live")),
        ("rtmp://:1935/live", .missingHost("rtmp://:1935/live")),
        ("rtmp://h:0/live", .invalidPort("0")),
        ("rtmp://h:65536/live", .invalidPort("65536")),
        ("rtmp://h:80x/live", .invalidPort("80x")),
        ("rtmp://h:/live", .invalidPort("")),
        ("rtmp://us er@h/live", .invalidHost("us er@h")),
        ("rtmp://[::1/live", .invalidHost("[::1")),
        ("rtmp://h", .missingApplication("rtmp://h")),
        ("rtmp://h/", .missingApplication("rtmp://h/")),
    ])
    func badURLsGiveTypedErrors(url: String, error: ConnectURLError) {
        #expect(throws: error) { try ConnectURL(parsing: url) }
    }

    @Test func streamerListKeepsOrderAndRejectsABadItem() throws {
        let list = try ConnectURL.parseList("rtmp://a/live|rtmpt://b:8080/live| rtmps://c/vod ")
        #expect(list.map(\.description) == ["rtmp://a/live", "rtmpt://b:8080/live", "rtmps://c/vod"])
        #expect(throws: ConnectURLError.empty) { try ConnectURL.parseList("rtmp://a/live||rtmpt://b/live") }
        #expect(throws: ConnectURLError.unsupportedScheme("https")) {
            try ConnectURL.parseList("rtmp://a/live|https://b/live")
        }
    }

    @Test func tunneledCounterparts() {
        #expect(RTMPScheme.rtmp.tunneled == .rtmpt)
        #expect(RTMPScheme.rtmpe.tunneled == .rtmpte)
        #expect(RTMPScheme.rtmps.tunneled == .rtmpts)
        #expect(RTMPScheme.rtmpt.tunneled == .rtmpt)
        #expect(RTMPScheme.allCases.filter(\.isTunneled) == [.rtmpt, .rtmpte, .rtmpts])
        #expect(RTMPScheme.allCases.filter(\.usesTLS) == [.rtmps, .rtmpts])
    }
}
