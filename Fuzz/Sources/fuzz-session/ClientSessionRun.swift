import RTMP

/// Everything a client session wrote and decided while reading `bytes` in `pieces`.
struct ClientSessionRun {
    var written: [UInt8] = []
    var phases: [RTMPClientSession.Phase] = []
    var outcome: RTMPClientSession.Outcome?
    var brokenAfterSuccess: RTMPSessionError?

    init(_ bytes: [UInt8], pieces: [Int]) {
        var session = RTMPClientSession(
            configuration: .init(app: "live", tcUrl: "rtmp://127.0.0.1:1935/live"), seed: 2)
        var done = false
        func run(_ action: RTMPClientSession.Action) {
            switch action {
            case .wait:
                break
            case .send(let out, let reached):
                guard !out.isEmpty else { fatalError("a send action without bytes") }
                written += out
                phases += reached
            case .finish(let result, let out, let reached):
                guard outcome == nil else { fatalError("the outcome was reported twice") }
                written += out
                phases += reached
                outcome = result
                if case .success = result {} else { done = true }
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
    }
}
