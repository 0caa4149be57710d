import RTMP

/// One libFuzzer run (main.swift hands it to the driver): the input is what the peer of one of our
/// sessions sends, behind one byte of options.
///
/// Option byte: bit 0 the side (0: our server session reads the input as a client's bytes; 1: our
/// client session reads it as a server's), bits 1–3 the server's behaviour (accept, reject, redirect,
/// silent, close after handshake; 5–7 accept after a 10 ms think time), bits 4–7 the read split.
///
/// Why these checks: whatever a hostile peer sends, what our session writes must still be a valid
/// RTMP stream — its chunks decode and every message in them parses — because a fake server that
/// answers garbage with garbage would make a client's failure look like the network's. And as with
/// the decoders, the result must not depend on how TCP split the reads.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSession(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let input = Array(UnsafeBufferPointer(start: data, count: size))
    guard let options = input.first else { return 0 }
    let peer = Array(input.dropFirst())
    let pieces = splitSizes(total: peer.count, seed: options >> 4)
    if options & 0x01 == 0 {
        let behaviourIndex = Int(options >> 1 & 0x07)
        let whole = ServerSessionRun(peer, pieces: peer.isEmpty ? [] : [peer.count], behaviour: behaviourIndex)
        let split = ServerSessionRun(peer, pieces: pieces, behaviour: behaviourIndex)
        checkWritten(whole.written, handshakeBytes: 3073)
        checkWritten(split.written, handshakeBytes: 3073)
        // With a think time, when the timer fires relative to the reads legitimately changes the order.
        if behaviourIndex < 5, whole.written != split.written || whole.observed != split.observed {
            fatalError("the server session's output depends on the read split \(pieces)")
        }
    } else {
        let whole = ClientSessionRun(peer, pieces: peer.isEmpty ? [] : [peer.count])
        let split = ClientSessionRun(peer, pieces: pieces)
        checkWritten(whole.written, handshakeBytes: 1537 + 1536)
        checkWritten(split.written, handshakeBytes: 1537 + 1536)
        guard whole.written == split.written, whole.outcome == split.outcome, whole.phases == split.phases else {
            fatalError("the client session's result depends on the read split \(pieces)")
        }
    }
    return 0
}

/// The behaviours a scenario can give the fake server.
func serverConfiguration(_ index: Int) -> RTMPServerSession.Configuration {
    switch index {
    case 0: .init(behavior: .accept)
    case 1: .init(behavior: .reject(description: "fuzz"))
    case 2: .init(behavior: .redirect(url: "rtmp://127.0.0.1:1936/live"), redirectCommand: .onStatus)
    case 3: .init(behavior: .silent)
    case 4: .init(behavior: .closeAfterHandshake)
    default: .init(behavior: .accept, delay: .milliseconds(10), playableStreams: ["live"])
    }
}

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

/// `written` after its first `handshakeBytes` must be a chunk stream that decodes to the end, each
/// message of which parses: a peer could read all of it.
func checkWritten(_ written: [UInt8], handshakeBytes: Int) {
    guard written.count > handshakeBytes else { return }
    var decoder = RTMPChunkDecoder()
    decoder.append(written[handshakeBytes...])
    for _ in 0...written.count {
        let message: RTMPRawMessage?
        do {
            message = try decoder.nextMessage()
        } catch {
            fatalError("our session wrote a broken chunk stream: \(error)")
        }
        guard let message else { break }
        do {
            _ = try RTMPMessage(decoding: message)
        } catch {
            fatalError("our session wrote a message that does not parse: \(error)")
        }
    }
    guard decoder.bufferedByteCount == 0 else {
        fatalError("our session wrote \(decoder.bufferedByteCount) bytes of an unfinished chunk")
    }
}

/// Piece sizes summing to `total`, from a 4-bit seed: mostly small, sometimes up to 2 KiB, so that
/// splits fall inside the handshake and inside chunks.
func splitSizes(total: Int, seed: UInt8) -> [Int] {
    var state = UInt32(seed) &* 2_654_435_761 &+ 1
    var sizes: [Int] = []
    var left = total
    while left > 0 {
        state = state &* 1_664_525 &+ 1_013_904_223
        let size = min(left, state >> 31 == 0 ? Int(state >> 24 & 0x0F) + 1 : Int(state >> 21 & 0x7FF) + 1)
        sizes.append(size)
        left -= size
    }
    return sizes
}
