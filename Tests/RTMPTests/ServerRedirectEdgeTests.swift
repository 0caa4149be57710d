import Testing
@testable import RTMP

/// A redirecting server stands for the origin and the edge it redirects to: the origin's `tcUrl`
/// gets the 302, the edge's is accepted — so a player that follows the redirect arrives.
@Suite struct ServerRedirectEdgeTests {
    static let redirect = RTMPServerSession.Configuration(behavior: .redirect(url: "rtmp://edge.example.com/live"))

    @Test func theOriginIsRedirected() {
        var pair = SessionPair(
            client: .init(app: "live", tcUrl: "rtmp://origin.example.com:1935/live"), server: Self.redirect)
        pair.start()
        #expect(pair.clientOutcome == .redirect(url: "rtmp://edge.example.com/live"))
    }

    @Test(arguments: [
        "rtmp://edge.example.com:1935/live", "rtmp://EDGE.example.com/live", "rtmpt://edge.example.com:80/live",
    ])
    func theEdgeAccepts(tcUrl: String) {
        var pair = SessionPair(client: .init(app: "live", tcUrl: tcUrl), server: Self.redirect)
        pair.start()
        guard case .success = pair.clientOutcome else {
            Issue.record("\(tcUrl): \(String(describing: pair.clientOutcome))")
            return
        }
    }

    /// With a think time the decision is kept until the timer fires: 4 ms nothing, 5 ms the answer.
    @Test func theEdgeAcceptsAfterTheThinkTime() {
        var pair = SessionPair(
            client: .init(app: "live", tcUrl: "rtmp://edge.example.com/live"),
            server: .init(behavior: .redirect(url: "rtmp://edge.example.com/live"), delay: .milliseconds(5)))
        pair.start()
        pair.advance(to: .milliseconds(4))
        #expect(pair.clientOutcome == nil)
        pair.advance(to: .milliseconds(5))
        guard case .success = pair.clientOutcome else {
            Issue.record("\(String(describing: pair.clientOutcome))")
            return
        }
    }

    @Test(arguments: [
        ("rtmp://edge.example.com/live", "edge.example.com"), ("rtmp://Edge:1935/app/x", "edge"),
        ("rtmpt://[::1]:80/live", "::1"), ("edge.example.com/live", nil), ("rtmp:///live", nil),
        ("rtmp://", nil), ("", nil),
    ] as [(String, String?)])
    func hostOfURL(url: String, host: String?) {
        #expect(RTMPServerSession.Behavior.host(of: url) == host)
    }
}
