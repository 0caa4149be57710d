import FuzzSupport
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
    let pieces = ReadSplit.sizes(total: stream.count, seed: options >> 4, largeReads: false)
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
