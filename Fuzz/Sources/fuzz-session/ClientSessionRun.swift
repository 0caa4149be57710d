import RTMP

/// Everything a client session wrote and decided while reading `bytes` in `pieces`; with `plays`,
/// the session plays a stream as soon as it connected, as a scenario's player does.
struct ClientSessionRun {
    var written: [UInt8] = []
    var phases: [RTMPClientSession.Phase] = []
    var outcome: RTMPClientSession.Outcome?
    var played: RTMPClientSession.PlayOutcome?
    var brokenAfterSuccess: RTMPSessionError?

    init(_ bytes: [UInt8], pieces: [Int], plays: Bool = false) {
        var session = RTMPClientSession(
            configuration: .init(app: "live", tcUrl: "rtmp://127.0.0.1:1935/live"), seed: 2)
        var done = false
        func run(_ action: RTMPClientSession.Action) {
            switch action {
            case .wait:
                break
            case .send(let out, let reached):
                guard !out.isEmpty || !reached.isEmpty else { fatalError("a send action without bytes or phases") }
                written += out
                phases += reached
            case .finish(let result, let out, let reached):
                guard outcome == nil else { fatalError("the outcome was reported twice") }
                written += out
                phases += reached
                outcome = result
                if case .success = result {
                    if plays { run(session.play("stream")) }
                } else {
                    done = true
                }
            case .played(let result, let out, let reached):
                guard plays, outcome != nil else { fatalError("a play was reported that was never asked for") }
                guard played == nil else { fatalError("the play was reported twice") }
                written += out
                phases += reached
                played = result
            case .connectionError(let error):
                brokenAfterSuccess = error
                done = true
            }
        }
        run(session.start())
        var start = 0
        for count in pieces where !done {
            run(session.received(bytes[start..<(start + count)]))
            start += count
        }
        run(session.closed())
        if outcome == nil { fatalError("a closed connection left the client without an outcome") }
        if plays, case .success = outcome, played == nil, brokenAfterSuccess == nil {
            fatalError("a closed connection left the play without an outcome")
        }
    }
}
