import RTMP

/// Everything an RTMPT client tunnel wrote, delivered and reported while reading a server's (or a
/// proxy's) bytes in pieces. The runtime around it is played the simple way: a scheduled poll fires
/// after the next read, the RTMP session writes five bytes once the tunnel is open, and the tunnel is
/// closed after the last read.
struct ClientTunnelRun {
    var written: [UInt8] = []
    var delivered: [UInt8] = []
    var events: [Event] = []

    /// What the tunnel reported, in order.
    enum Event {
        case opened
        case closed
        case failed(RTMPTError)
    }

    init(_ bytes: [UInt8], pieces: [Int], limits: HTTPLimits) {
        var tunnel = RTMPTClientTunnel(configuration: .init(host: "127.0.0.1", port: 80, limits: limits))
        var pollScheduled = false
        var sentData = false
        var ended: Bool {
            events.contains { event in
                switch event {
                case .opened: false
                case .closed, .failed: true
                }
            }
        }
        func mustNotHaveEnded() {
            if ended { fatalError("the tunnel wrote or delivered after it ended") }
        }
        func carry(_ next: RTMPTClientTunnel.Next) {
            switch next {
            case .write(let bytes, let cancelPoll):
                mustNotHaveEnded()
                written += bytes
                if cancelPoll { pollScheduled = false }
            case .schedulePoll:
                pollScheduled = true
            }
        }
        func run(_ action: RTMPTClientTunnel.Action) {
            switch action {
            case .wait:
                break
            case .write(let bytes, let cancelPoll):
                carry(.write(bytes, cancelPoll: cancelPoll))
            case .schedulePoll(let delay):
                carry(.schedulePoll(after: delay))
            case .opened(_, let next):
                carry(next)
                events.append(.opened)
            case .deliver(let data, let next):
                carry(next)
                mustNotHaveEnded()
                delivered += data
            case .closed(let data, let cancelPoll):
                if !data.isEmpty { mustNotHaveEnded() }
                delivered += data
                if cancelPoll { pollScheduled = false }
                events.append(.closed)
            case .failed(let error, let cancelPoll):
                if cancelPoll { pollScheduled = false }
                events.append(.failed(error))
            }
        }
        run(tunnel.start())
        var start = 0
        for count in pieces where !ended {
            let fire = pollScheduled
            run(tunnel.received(bytes[start..<(start + count)]))
            start += count
            if !sentData, events.contains(where: { if case .opened = $0 { true } else { false } }), !ended {
                sentData = true
                run(tunnel.send(Array("hello".utf8)))
            }
            if fire, pollScheduled, !ended {
                pollScheduled = false
                run(tunnel.timerFired(.poll))
            }
        }
        if !ended { run(tunnel.close()) }
        if !ended { run(tunnel.connectionClosed()) }
        guard ended else { fatalError("a closed connection left the tunnel running") }
    }
}
