import RTMP

/// What a server made of the client's bytes.
struct ServerHandshakeRun: Equatable {
    var reply: [UInt8] = []
    var completed: (leftover: [UInt8], usedDigest: Bool)?
    var failure: RTMPHandshakeError?
    /// Bytes fed before the side finished (completed or failed).
    var fed = 0

    init(_ bytes: [UInt8], pieces: [Int], seed: UInt64 = 7) {
        var server = RTMPHandshakeServer(seed: seed)
        var start = 0
        for count in pieces {
            let piece = bytes[start..<(start + count)]
            start += count
            fed = start
            switch server.received(piece) {
            case .wait:
                continue
            case .reply(let bytes):
                reply += bytes
                continue
            case .replyAndCompleted(let bytes, let leftover, let usedDigest):
                reply += bytes
                completed = (leftover, usedDigest)
            case .completed(let leftover, let usedDigest):
                completed = (leftover, usedDigest)
            case .failed(let error):
                failure = error
            }
            break
        }
        // After the end every further read is a caller error, typed.
        if completed != nil || failure != nil {
            guard case .failed(.alreadyFinished) = server.received([0x03][...]) else {
                fatalError("a finished server accepted more bytes")
            }
        }
    }

    /// Same reply, same failure, same completion. Not the leftover: it is what followed C2 *in the
    /// read that completed it*, so it depends on the split by design (checked separately).
    static func == (a: ServerHandshakeRun, b: ServerHandshakeRun) -> Bool {
        a.reply == b.reply && a.failure == b.failure && (a.completed == nil) == (b.completed == nil)
            && a.completed?.usedDigest == b.completed?.usedDigest
    }
}
