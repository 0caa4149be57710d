import RTMP

/// Everything an RTMPT client tunnel wrote, delivered and reported while reading a server's (or a
/// proxy's) bytes in pieces. The runtime around it is played the simple way: a scheduled poll fires
/// after the next read, the RTMP session writes five bytes once the tunnel is open, and the tunnel is
/// closed after the last read.
struct ClientTunnelRun {
    var written: [UInt8] = []
    var delivered: [UInt8] = []
    var events: [RTMPTClientTunnel.Event] = []

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
        func run(_ action: RTMPTClientTunnel.Action) {
            if ended, !action.write.isEmpty || !action.deliver.isEmpty {
                fatalError("the tunnel wrote or delivered after it ended")
            }
            written += action.write
            delivered += action.deliver
            switch action.timer {
            case .schedule?: pollScheduled = true
            case .cancel?: pollScheduled = false
            case nil: break
            }
            if let event = action.event {
                events.append(event)
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
