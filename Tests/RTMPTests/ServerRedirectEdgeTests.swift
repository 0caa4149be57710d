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

    /// The origin and the redirect target on one host, two ports (issue 11): the origin's port gets
    /// the 302, the target's port is accepted, and so is the target's port reached through the tunnel.
    @Test(arguments: [
        ("rtmp://127.0.0.1:1935/live", false), ("rtmp://127.0.0.1/live", false), ("rtmpt://127.0.0.1:80/live", false),
        ("rtmp://127.0.0.1:1936/live", true), ("rtmpt://127.0.0.1:1936/live", true), ("rtmp://127.0.0.1:1936/other", false),
    ] as [(String, Bool)])
    func aRedirectToAnotherPortOfTheSameHost(tcUrl: String, accepted: Bool) {
        let server = RTMPServerSession.Configuration(behavior: .redirect(url: "rtmp://127.0.0.1:1936/live"))
        var pair = SessionPair(client: .init(app: "live", tcUrl: tcUrl), server: server)
        pair.start()
        if accepted {
            guard case .success = pair.clientOutcome else {
                Issue.record("\(tcUrl): \(String(describing: pair.clientOutcome))")
                return
            }
        } else {
            #expect(pair.clientOutcome == .redirect(url: "rtmp://127.0.0.1:1936/live"), "\(tcUrl)")
        }
    }

    /// A redirect that names the default port names it: the edge's RTMPT on 80 is not that place.
    @Test func aRedirectWithAnExplicitDefaultPortNamesThatPort() {
        let server = RTMPServerSession.Configuration(behavior: .redirect(url: "rtmp://edge.example.com:1935/live"))
        var direct = SessionPair(client: .init(app: "live", tcUrl: "rtmp://edge.example.com/live"), server: server)
        direct.start()
        guard case .success = direct.clientOutcome else {
            Issue.record("\(String(describing: direct.clientOutcome))")
            return
        }
        var tunnel = SessionPair(client: .init(app: "live", tcUrl: "rtmpt://edge.example.com/live"), server: server)
        tunnel.start()
        #expect(tunnel.clientOutcome == .redirect(url: "rtmp://edge.example.com:1935/live"))
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
        #expect(RTMPServerSession.Behavior.endpoint(of: url)?.host == host)
    }

    @Test(arguments: [
        ("rtmp://Edge:1935/app/x", "rtmp", 1935, "app"), ("RTMPT://[::1]:80/live", "rtmpt", 80, "live"),
        ("rtmp://edge/live", "rtmp", nil, "live"), ("rtmp://edge", "rtmp", nil, ""),
        ("rtmp://edge:x/live", "rtmp", nil, "live"),
    ] as [(String, String, Int?, String)])
    func endpointOfURL(url: String, scheme: String, port: Int?, application: String) throws {
        let endpoint = try #require(RTMPServerSession.Behavior.endpoint(of: url))
        #expect(endpoint.scheme == scheme)
        #expect(endpoint.port == port)
        #expect(endpoint.application == application)
    }
}
