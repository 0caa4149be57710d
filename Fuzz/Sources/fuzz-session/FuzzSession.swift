import FuzzSupport
import RTMP

/// One libFuzzer run (main.swift hands it to the driver): the input is what the peer of one of our
/// sessions sends, behind one byte of options.
///
/// Option byte: bit 0 the side (0: our server session reads the input as a client's bytes; 1: our
/// client session reads it as a server's), bits 1–3 the server's behaviour (accept, reject, redirect,
/// silent, close after handshake; 5–7 accept after a 10 ms think time) or for the client bit 1 "plays
/// a stream once connected", bits 4–7 the read split.
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
    let pieces = ReadSplit.sizes(total: peer.count, seed: options >> 4, largeReads: true)
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
        let plays = options & 0x02 != 0
        let whole = ClientSessionRun(peer, pieces: peer.isEmpty ? [] : [peer.count], plays: plays)
        let split = ClientSessionRun(peer, pieces: pieces, plays: plays)
        checkWritten(whole.written, handshakeBytes: 1537 + 1536)
        checkWritten(split.written, handshakeBytes: 1537 + 1536)
        // A play starts when the connect's answer is read, so what a hostile server sent before it
        // asked (a stream id, a picture) counts or not by where the read ended: only the connect's
        // outcome must not depend on the split then.
        if plays {
            guard "\(String(describing: whole.outcome))" == "\(String(describing: split.outcome))" else {
                fatalError("the client session's connect outcome depends on the read split \(pieces)")
            }
            return 0
        }
        // Outcomes are compared as text: a hostile `_result` may carry NaN (an objectEncoding of
        // 0x7FF…), which is never equal to itself, although both runs read the very same bits.
        guard whole.written == split.written, "\(String(describing: whole.outcome))" == "\(String(describing: split.outcome))",
            whole.phases == split.phases
        else {
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
