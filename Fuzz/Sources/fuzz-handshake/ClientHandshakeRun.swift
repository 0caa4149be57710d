import RTMP

/// What a client made of the server's bytes.
struct ClientHandshakeRun {
    var c0c1: [UInt8]
    var completed: (c2: [UInt8], verified: Bool, leftover: [UInt8])?
    var failure: RTMPHandshakeError?
    var fed = 0

    init(_ bytes: [UInt8], pieces: [Int], digest: Bool, seed: UInt64 = 11) {
        var client = RTMPHandshakeClient(mode: digest ? .digest : .plain, seed: seed)
        c0c1 = client.start()
        var start = 0
        for count in pieces {
            let piece = bytes[start..<(start + count)]
            start += count
            fed = start
            switch client.received(piece) {
            case .wait:
                continue
            case .completed(let c2, let verified, let leftover):
                completed = (c2, verified, leftover)
            case .failed(let error):
                failure = error
            }
            break
        }
    }
}
