import Testing
@testable import RTMP

/// Enhanced RTMP v2's reconnect request between our two sessions: the server asks after its
/// configured play time and goes away after the grace; the client reports the request, its tcUrl,
/// and every picture after the first; `capsEx` travels in `connect`.
@Suite struct ReconnectRequestTests {
    static let server = RTMPServerSession.Configuration(
        playableStreams: nil, media: .synthetic(SyntheticVideo()),
        reconnectRequest: .init(after: .milliseconds(500), tcUrl: "//edge.example.com/live", closeAfter: .milliseconds(300)))

    @Test func theServerAsksAfterItsPlayTimeThenGoesAway() {
        var pair = SessionPair(
            client: .init(app: "live", tcUrl: "rtmp://127.0.0.1:1935/live", capsEx: 1), server: Self.server)
        pair.start()
        pair.play("stream")
        #expect(pair.clientPlayOutcome == .firstFrame)
        var requestedAt: Duration?
        // 10 pictures a second: bounded by the clock, one tick at a time.
        for step in 1...20 where !pair.serverClosed {
            pair.advance(to: .milliseconds(100 * step))
            if requestedAt == nil, pair.clientPhases.contains(.reconnectRequested(tcUrl: "//edge.example.com/live")) {
                requestedAt = pair.now
            }
        }
        #expect(requestedAt == .milliseconds(500), "after 500 ms of play")
        #expect(pair.observations.contains(.reconnectRequested(tcUrl: "//edge.example.com/live")))
        #expect(pair.serverClosed)
        #expect(pair.now == .milliseconds(800), "closed 300 ms after the request")
        // Every picture after the first is reported: ticks 1…8.
        #expect(pair.clientPhases.filter { $0 == .frame }.count == 8)
    }

    @Test func capsExIsSentLastInConnectOnlyWhenSet() {
        let plain = RTMPClientSession(configuration: .init(app: "live", tcUrl: "rtmp://h:1935/live"), seed: 1)
        #expect(plain.connectCommand().commandObject.objectValue?["capsEx"] == nil)
        let capable = RTMPClientSession(configuration: .init(app: "live", tcUrl: "rtmp://h:1935/live", capsEx: 1), seed: 1)
        let object = capable.connectCommand().commandObject.objectValue
        #expect(object?["capsEx"]?.numberValue == 1)
        #expect(object?.properties.last?.key == "capsEx")
    }

    @Test func aRequestWithoutTcUrlMeansTheSameURL() throws {
        var (client, _) = ClientSessionTests.handshaken(ClientPlayTests.client)
        _ = client.received(try ClientSessionTests.serverBytes([
            .command(RTMPCommand(name: "_result", transactionID: 1, arguments: [.null])),
        ])[...])
        let action = client.received(try ClientSessionTests.serverBytes([
            .command(RTMPCommand(name: "onStatus", transactionID: 0, arguments: [ClientSessionTests.info([
                "level": .string("status"), "code": .string("NetConnection.Connect.ReconnectRequest"),
            ])])),
        ])[...])
        #expect(action.phases == [.reconnectRequested(tcUrl: nil)])
    }
}
