import Testing
@testable import RTMP

/// The client tunnel as transcripts: open → send → idle polls with backoff → close, and every way a
/// proxy or server can break it.
@Suite struct RTMPTClientTunnelTests {
    static let id = "0123456789ABCDEF"

    static func response(_ body: [UInt8], status: String = "200 OK") -> [UInt8] {
        Array("HTTP/1.1 \(status)\r\nContent-Length: \(body.count)\r\nContent-Type: application/x-fcs\r\n\r\n".utf8) + body
    }

    static func request(_ bytes: [UInt8]) throws -> HTTPRequest {
        var parser = HTTPParser(kind: .request, limits: HTTPLimits())
        try parser.append(bytes[...])
        let request = try #require(try parser.nextRequest())
        #expect(parser.bufferedByteCount == 0, "exactly one request")
        return request
    }

    /// A tunnel opened with `id`, nothing queued, first poll scheduled.
    static func opened(_ configuration: RTMPTClientTunnel.Configuration) -> RTMPTClientTunnel {
        var tunnel = RTMPTClientTunnel(configuration: configuration)
        _ = tunnel.start()
        _ = tunnel.received(response(Array("\(id)\n".utf8))[...])
        return tunnel
    }

    @Test func openRequestIsByteForByteWhatLibrtmpSends() {
        var tunnel = RTMPTClientTunnel(configuration: .init(host: "127.0.0.1", port: 8080))
        let action = tunnel.start()
        let expected = "POST /open/1 HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nAccept: */*\r\nUser-Agent: Shockwave Flash\r\n"
            + "Connection: Keep-Alive\r\nCache-Control: no-cache\r\nContent-type: application/x-fcs\r\n"
            + "Content-length: 1\r\n\r\n"
        #expect(action == RTMPTClientTunnel.Action(write: Array(expected.utf8) + [0]))
    }

    @Test func openIsSentOnceAndASecondStartTraps() async {
        await #expect(processExitsWith: .failure) {
            var tunnel = RTMPTClientTunnel(configuration: .init(host: "h", port: 80))
            _ = tunnel.start()
            _ = tunnel.start()
        }
    }

    @Test func aPollBeforeStartTraps() async {
        await #expect(processExitsWith: .failure) {
            var tunnel = RTMPTClientTunnel(configuration: .init(host: "h", port: 80))
            _ = tunnel.timerFired(.poll)
        }
    }

    @Test func throughAnExplicitProxyTheRequestLineIsAbsolute() throws {
        var tunnel = RTMPTClientTunnel(configuration: .init(host: "media.example", port: 80, viaProxy: true))
        let open = try Self.request(tunnel.start().write)
        #expect(open.target == "http://media.example:80/open/1")
        #expect(open.headers.values(for: "Host") == ["media.example:80"])
        var v6 = RTMPTClientTunnel(configuration: .init(host: "::1", port: 80, viaProxy: true))
        #expect(try Self.request(v6.start().write).target == "http://[::1]:80/open/1")
    }

    @Test func fullTranscript() throws {
        var tunnel = RTMPTClientTunnel(configuration: .init(host: "h", port: 80))
        _ = tunnel.start()
        let c0c1: [UInt8] = [3, 1, 2, 3]
        #expect(tunnel.send(c0c1) == .wait, "queued until the tunnel is open")
        // /open answered: opened, and the queued bytes go out as /send/<id>/0.
        var action = tunnel.received(Self.response(Array("\(Self.id)\n".utf8))[...])
        #expect(action.event == .opened(sessionID: Self.id))
        var request = try Self.request(action.write)
        #expect(request.target == "/send/\(Self.id)/0")
        #expect(request.body == c0c1)
        #expect(request.headers.values(for: "Content-length") == ["4"])
        // While it is in flight, more bytes queue; the reply's data is delivered, then they go out.
        #expect(tunnel.send([9]) == .wait)
        #expect(tunnel.send([8]) == .wait)
        action = tunnel.received(Self.response([1, 0xAA, 0xBB])[...])
        #expect(action.deliver == [0xAA, 0xBB])
        request = try Self.request(action.write)
        #expect(request.target == "/send/\(Self.id)/1")
        #expect(request.body == [9, 8])
        // Data in the reply, nothing queued: poll again at once (a zero timer lets the session answer).
        action = tunnel.received(Self.response([1, 0xCC])[...])
        #expect(action == RTMPTClientTunnel.Action(deliver: [0xCC], timer: .schedule(.poll, after: .zero)))
        // The session answers before the timer: /send, and the timer is cancelled.
        action = tunnel.send([7])
        #expect(action.timer == .cancel(.poll))
        #expect(try Self.request(action.write).target == "/send/\(Self.id)/2")
        // Empty reply: poll after the idle interval.
        action = tunnel.received(Self.response([1])[...])
        #expect(action == RTMPTClientTunnel.Action(timer: .schedule(.poll, after: .milliseconds(50))))
        action = tunnel.timerFired(.poll)
        request = try Self.request(action.write)
        #expect(request.target == "/idle/\(Self.id)/3")
        #expect(request.body == [0])
        #expect(tunnel.timerFired(.poll) == .wait, "a stale timer while a request is in flight does nothing")
        // close() while /idle is in flight waits for the reply, then posts /close.
        #expect(tunnel.close() == .wait)
        action = tunnel.received(Self.response([1, 0x11])[...])
        #expect(action.deliver == [0x11])
        request = try Self.request(action.write)
        #expect(request.target == "/close/\(Self.id)/4")
        #expect(request.body == [0])
        action = tunnel.received(Self.response([0])[...])
        #expect(action.event == .closed)
        #expect(tunnel.send([1]) == .wait)
        #expect(tunnel.received(Self.response([1])[...]) == .wait)
        #expect(tunnel.connectionClosed() == .wait)
    }

    /// Replays the poll timer on a virtual clock: nothing at N−1, the /idle request at N.
    static func pollFires(after delay: Duration, tunnel: inout RTMPTClientTunnel, scheduled: Duration) -> Bool {
        var clock = Duration.zero
        let due = clock + scheduled
        clock += delay
        guard clock >= due else { return false }
        return !tunnel.timerFired(.poll).write.isEmpty
    }

    @Test func pollDelayIsHonouredAtNMinus1AndN() {
        var fresh = Self.opened(.init(host: "h", port: 80, idleInterval: .milliseconds(250)))
        #expect(!Self.pollFires(after: .milliseconds(249), tunnel: &fresh, scheduled: .milliseconds(250)))
        #expect(Self.pollFires(after: .milliseconds(250), tunnel: &fresh, scheduled: .milliseconds(250)))
    }

    @Test func openSchedulesTheFirstPollAfterTheIdleInterval() {
        var tunnel = RTMPTClientTunnel(configuration: .init(host: "h", port: 80, idleInterval: .milliseconds(120)))
        _ = tunnel.start()
        let action = tunnel.received(Self.response(Array("\(Self.id)\n".utf8))[...])
        #expect(action == RTMPTClientTunnel.Action(timer: .schedule(.poll, after: .milliseconds(120)), event: .opened(sessionID: Self.id)))
    }

    /// Drives empty polls and returns the delays the tunnel scheduled, given the polling bytes.
    static func delays(
        _ backoff: RTMPTClientTunnel.PollingBackoff, pollingBytes: [UInt8], dataAt: Set<Int> = []
    ) -> [Duration] {
        var tunnel = opened(.init(host: "h", port: 80, idleInterval: .milliseconds(50), backoff: backoff))
        var out: [Duration] = []
        for (index, byte) in pollingBytes.enumerated() {
            _ = tunnel.timerFired(.poll)
            let body: [UInt8] = dataAt.contains(index) ? [byte, 0x42] : [byte]
            if case .schedule(.poll, let delay)? = tunnel.received(response(body)[...]).timer { out.append(delay) }
        }
        return out
    }

    @Test func backoffPolicies() {
        let ms = Duration.milliseconds
        #expect(Self.delays(.none, pollingBytes: [1, 3, 33]) == [ms(50), ms(50), ms(50)])
        #expect(Self.delays(.serverHint, pollingBytes: [1, 3, 5, 33]) == [ms(50), ms(150), ms(250), ms(1650)])
        #expect(
            Self.delays(.doubling(max: .milliseconds(400)), pollingBytes: [1, 1, 1, 1, 1, 1])
                == [ms(50), ms(100), ms(200), ms(400), ms(400), ms(400)]
        )
        // Data resets the doubling; the reply with data polls again at once.
        #expect(
            Self.delays(.doubling(max: .seconds(1)), pollingBytes: [1, 1, 1, 1, 1], dataAt: [2])
                == [ms(50), ms(100), .zero, ms(50), ms(100)]
        )
    }

    @Test func absurdIntervalsSaturateInsteadOfTrapping() {
        let huge = Duration.seconds(Int64.max)
        #expect(Self.delays(.serverHint, pollingBytes: [33]).count == 1)
        var hint = Self.opened(.init(host: "h", port: 80, idleInterval: huge, backoff: .serverHint))
        _ = hint.timerFired(.poll)
        #expect(hint.received(Self.response([33])[...]).timer == .schedule(.poll, after: huge))
        var doubling = Self.opened(.init(host: "h", port: 80, idleInterval: huge / 3, backoff: .doubling(max: huge)))
        for _ in 0..<4 {
            _ = doubling.timerFired(.poll)
            _ = doubling.received(Self.response([1])[...])
        }
        _ = doubling.timerFired(.poll)
        #expect(doubling.received(Self.response([1])[...]).timer == .schedule(.poll, after: huge))
        var zero = Self.opened(.init(host: "h", port: 80, idleInterval: .zero, backoff: .doubling(max: .seconds(1))))
        for _ in 0..<1000 {
            _ = zero.timerFired(.poll)
            #expect(zero.received(Self.response([1])[...]).timer == .schedule(.poll, after: .zero))
        }
    }

    @Test(arguments: [
        ("400 Bad Request", 400, "Bad Request"),
        ("403 Forbidden", 403, "Forbidden"),
        ("502 Bad Gateway", 502, "Bad Gateway"),
        ("404 Not Found", 404, "Not Found"),
    ])
    func nonOKStatusesFailTheTunnel(status: String, code: Int, reason: String) {
        var tunnel = RTMPTClientTunnel(configuration: .init(host: "h", port: 80))
        _ = tunnel.start()
        let action = tunnel.received(Self.response([], status: status)[...])
        #expect(action.event == .failed(.status(code: code, reason: reason)))
        #expect(tunnel.send([1, 2]) == .wait)
        #expect(tunnel.received(Self.response([1])[...]) == .wait)
    }

    @Test func proxyErrorPageWithoutLengthStillReportsItsStatus() {
        var tunnel = RTMPTClientTunnel(configuration: .init(host: "h", port: 80, viaProxy: true))
        _ = tunnel.start()
        let page = Array("HTTP/1.1 407 Proxy Authentication Required\r\nConnection: close\r\n\r\n<html>".utf8)
        #expect(tunnel.received(page[...]).event == .failed(.status(code: 407, reason: "Proxy Authentication Required")))
    }

    @Test func malformedRepliesFailWithTypedErrors() {
        var garbage = RTMPTClientTunnel(configuration: .init(host: "h", port: 80))
        _ = garbage.start()
        #expect(garbage.received(Array("SSH-2.0-OpenSSH\r\n\r\n".utf8)[...]).event
            == .failed(.http(.malformedStartLine("SSH-2.0-OpenSSH"))))

        var badID = RTMPTClientTunnel(configuration: .init(host: "h", port: 80))
        _ = badID.start()
        #expect(badID.received(Self.response(Array("a/b\n".utf8))[...]).event == .failed(.invalidSessionID("a/b")))
        var emptyID = RTMPTClientTunnel(configuration: .init(host: "h", port: 80))
        _ = emptyID.start()
        #expect(emptyID.received(Self.response([10])[...]).event == .failed(.invalidSessionID("")))

        var noByte = Self.opened(.init(host: "h", port: 80))
        _ = noByte.timerFired(.poll)
        #expect(noByte.received(Self.response([])[...]).event == .failed(.missingPollingByte))

        var unasked = Self.opened(.init(host: "h", port: 80))
        #expect(unasked.received(Self.response([1])[...]).event == .failed(.unexpectedResponse))

        var doubled = Self.opened(.init(host: "h", port: 80))
        _ = doubled.timerFired(.poll)
        #expect(doubled.received((Self.response([1]) + Self.response([1]))[...]).event == .failed(.unexpectedResponse))

        var dropped = Self.opened(.init(host: "h", port: 80))
        #expect(dropped.connectionClosed() == RTMPTClientTunnel.Action(timer: .cancel(.poll), event: .failed(.connectionClosed)))
    }

    @Test func serverPollingByteZeroClosesTheTunnel() {
        var tunnel = Self.opened(.init(host: "h", port: 80))
        _ = tunnel.timerFired(.poll)
        let action = tunnel.received(Self.response([0, 5, 6])[...])
        #expect(action == RTMPTClientTunnel.Action(deliver: [5, 6], event: .closed))
    }

    @Test func repliesSplitOneByteAtATime() throws {
        var tunnel = RTMPTClientTunnel(configuration: .init(host: "h", port: 80))
        _ = tunnel.start()
        _ = tunnel.send([1, 2, 3])
        let reply = Self.response(Array("\(Self.id)\n".utf8))
        for byte in reply.dropLast() { #expect(tunnel.received([byte][...]) == .wait) }
        let action = tunnel.received(reply.suffix(1))
        #expect(action.event == .opened(sessionID: Self.id))
        #expect(try Self.request(action.write).body == [1, 2, 3])
    }

    @Test func closeBeforeOpenAndWhileOpening() throws {
        var idle = RTMPTClientTunnel(configuration: .init(host: "h", port: 80))
        #expect(idle.close().event == .closed)
        var opening = RTMPTClientTunnel(configuration: .init(host: "h", port: 80))
        _ = opening.start()
        _ = opening.send([1])
        #expect(opening.close() == .wait)
        let action = opening.received(Self.response(Array("\(Self.id)\n".utf8))[...])
        #expect(action.event == .opened(sessionID: Self.id))
        #expect(try Self.request(action.write).target == "/close/\(Self.id)/0", "close wins over queued bytes")
    }

    @Test func largeWritesAreSplitAtTheBodyLimit() throws {
        var tunnel = Self.opened(.init(host: "h", port: 80, limits: HTTPLimits(maxHeaderBytes: 1024, maxBodyBytes: 20)))
        var action = tunnel.send(Array(0..<45))
        #expect(try Self.request(action.write).body == Array(0..<20))
        action = tunnel.received(Self.response([1])[...])
        #expect(try Self.request(action.write).body == Array(20..<40))
        action = tunnel.received(Self.response([1])[...])
        #expect(try Self.request(action.write).body == Array(40..<45))
    }

    /// Random reply bytes into a tunnel at every stage: typed outcomes only, and a failed tunnel stays
    /// inert.
    @Test func seededFuzzOfReplies() {
        var random = SplitMix64(seed: 0xC11E)
        let valid = Self.response([1, 2, 3])
        for round in 0..<400 {
            var tunnel = Self.opened(.init(host: "h", port: 80, limits: HTTPLimits(maxHeaderBytes: 256, maxBodyBytes: 256)))
            _ = tunnel.timerFired(.poll)
            var bytes = round % 2 == 0 ? random.bytes(Int(random.next() % 600)) : valid
            if round % 2 == 1 {
                for _ in 0..<(1 + random.next() % 4) where !bytes.isEmpty {
                    bytes[Int(random.next() % UInt64(bytes.count))] = UInt8(truncatingIfNeeded: random.next())
                }
            }
            var finished = false
            var offset = 0
            while offset < bytes.count {
                let size = min(Int(random.next() % 50) + 1, bytes.count - offset)
                let action = tunnel.received(bytes[offset..<(offset + size)])
                offset += size
                if finished { #expect(action == .wait) }
                switch action.event {
                case .failed?, .closed?: finished = true
                case .opened?: Issue.record("opened twice")
                case nil: break
                }
            }
        }
    }
}
