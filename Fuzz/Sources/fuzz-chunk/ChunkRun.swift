import RTMP

/// What a decoder made of a stream fed in pieces, draining after each piece as a socket reader does.
struct ChunkRun {
    var messages: [RTMPRawMessage] = []
    var error: RTMPChunkError?
    var buffered = 0
    var chunkSize: UInt32 = 0

    init(
        _ stream: ArraySlice<UInt8>, pieces: [Int], limits: RTMPChunkDecoder.Limits,
        mode: RTMPChunkDecoder.ExtendedTimestampOnType3
    ) {
        var decoder = RTMPChunkDecoder(limits: limits, extendedTimestampOnType3: mode)
        var start = stream.startIndex
        feeding: for count in pieces {
            decoder.append(stream[start..<(start + count)])
            start += count
            // Every message consumes at least one byte, so this ends within the stream's length.
            for _ in 0...stream.count {
                do {
                    guard let message = try decoder.nextMessage() else { break }
                    messages.append(message)
                } catch {
                    self.error = error
                    break feeding
                }
            }
            // Stalled: at most a header (3 + 11 + 4 bytes) and less than one chunk are waiting.
            if decoder.bufferedByteCount >= 18 + Int(decoder.chunkSize) {
                fatalError("stalled with \(decoder.bufferedByteCount) bytes buffered, chunk size \(decoder.chunkSize)")
            }
        }
        buffered = decoder.bufferedByteCount
        chunkSize = decoder.chunkSize
    }
}
