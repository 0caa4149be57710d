import RTMP

/// One libFuzzer run (main.swift hands it to the driver): the input is a chunk stream as a peer could
/// send it after the handshake, behind one byte of options.
///
/// Option byte: bits 0–1 the extended-timestamp mode, bit 2 small limits (so short inputs reach the
/// limit checks), bit 3 header compression when re-encoding, bits 4–7 the seed of the read split.
///
/// Why these checks: a TCP stream arrives in arbitrary pieces, so the decoder promises the same
/// messages and the same error whatever the split; a stalled decoder must hold less than one chunk
/// and its header; and every message it produces must survive the encoder and a fresh decoder
/// unchanged, since a server relays what it reads.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzChunk(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let input = Array(UnsafeBufferPointer(start: data, count: size))
    guard let options = input.first else { return 0 }
    let stream = input.dropFirst()
    let mode: RTMPChunkDecoder.ExtendedTimestampOnType3 =
        switch options & 0x03 {
        case 0: .detect
        case 1: .always
        default: .never
        }
    let limits =
        options & 0x04 == 0
        ? RTMPChunkDecoder.Limits()
        : RTMPChunkDecoder.Limits(maxMessageSize: 300, maxChunkSize: 64, maxChunkStreams: 3)

    let whole = ChunkRun(stream, pieces: [stream.count], limits: limits, mode: mode)
    let pieces = splitSizes(total: stream.count, seed: options >> 4)
    let split = ChunkRun(stream, pieces: pieces, limits: limits, mode: mode)
    guard whole.messages == split.messages, whole.error == split.error else {
        fatalError("split \(pieces) changed the result: \(whole.messages.count) vs \(split.messages.count) messages, \(String(describing: whole.error)) vs \(String(describing: split.error))")
    }
    if whole.error == nil {
        guard whole.buffered == split.buffered, whole.chunkSize == split.chunkSize else {
            fatalError("split \(pieces) changed what is left buffered")
        }
    }
    checkReencoding(whole.messages, limits: limits, mode: mode, compress: options & 0x08 != 0)
    return 0
}

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

/// Piece sizes of 1 to 16 bytes summing to `total`, from a 4-bit seed (a small LCG: the split only
/// has to vary, and the same input must always split the same way).
func splitSizes(total: Int, seed: UInt8) -> [Int] {
    var state = UInt32(seed) &* 2_654_435_761 &+ 1
    var sizes: [Int] = []
    var left = total
    while left > 0 {
        state = state &* 1_664_525 &+ 1_013_904_223
        let size = min(left, Int(state >> 28) + 1)
        sizes.append(size)
        left -= size
    }
    return sizes
}

/// Encodes `messages` as a peer would relay them and decodes them again.
func checkReencoding(
    _ messages: [RTMPRawMessage], limits: RTMPChunkDecoder.Limits, mode: RTMPChunkDecoder.ExtendedTimestampOnType3,
    compress: Bool
) {
    let repeats =
        switch mode {
        case .detect, .always: true
        case .never: false
        }
    var encoder = RTMPChunkEncoder(repeatsExtendedTimestampOnType3: repeats, compressesHeaders: compress)
    var bytes: [UInt8] = []
    for message in messages {
        do {
            bytes += try encoder.encode(message)
        } catch {
            fatalError("a decoded message does not encode: \(error)")
        }
        // The decoder accepted this Set Chunk Size, so its first four bytes are a valid size.
        if message.typeID == 1, message.payload.count >= 4 {
            encoder.chunkSize = message.payload.prefix(4).reduce(0) { $0 << 8 | UInt32($1) }
        }
    }
    let again = ChunkRun(bytes[...], pieces: [bytes.count], limits: limits, mode: mode)
    guard again.error == nil, again.messages == messages, again.buffered == 0 else {
        fatalError("re-encoded messages decode differently: \(String(describing: again.error)), \(again.messages.count) of \(messages.count) messages, \(again.buffered) bytes left")
    }
}
