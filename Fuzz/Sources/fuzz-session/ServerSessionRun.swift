import RTMP

/// Everything a server session wrote and reported while reading `bytes` in `pieces`; a scheduled
/// think time fires after the next read (or at the end), as a fast client's next packet would beat it.
struct ServerSessionRun {
    var written: [UInt8] = []
    var observed: [RTMPServerSession.Observation] = []

    init(_ bytes: [UInt8], pieces: [Int], behaviour: Int) {
        var session = RTMPServerSession(configuration: serverConfiguration(behaviour), seed: 1)
        var timerPending = false
        var closed = false
        func run(_ action: RTMPServerSession.Action) {
            switch action {
            case .wait:
                break
            case .send(let out, let seen):
                written += out
                observed += seen
            case .sendAndScheduleTimer(let out, let seen, _, _):
                written += out
                observed += seen
                if timerPending { fatalError("a second think time was scheduled while one runs") }
                timerPending = true
            case .sendAndClose(let out, let seen):
                written += out
                observed += seen
                closed = true
            case .cancelTimer:
                timerPending = false
            }
        }
        run(session.start())
        var start = 0
        for count in pieces where !closed {
            let fire = timerPending
            run(session.received(bytes[start..<(start + count)]))
            start += count
            if fire, timerPending, !closed {
                timerPending = false
                run(session.timerFired(.thinkTime))
            }
        }
        if timerPending, !closed {
            timerPending = false
            run(session.timerFired(.thinkTime))
        }
        if closed {
            // A closed session ignores everything.
            guard case .wait = session.received([0x03][...]) else { fatalError("a closed server session answered") }
        }
        run(session.closed())
    }
}
