/// The chunk-stream half of a session: decoding, encoding, and the protocol control every RTMP peer
/// answers regardless of where its session is (acknowledgements, ping, window sizes).
///
/// Both sessions embed one, so the client keeps answering a server's pings and windows while it waits
/// for `_result`, and the server does the same while it thinks.
struct ChunkConnection: Sendable {
    /// A decoded message with the chunk-layer header it came with.
    struct Received: Sendable {
        var raw: RTMPRawMessage
        var message: RTMPMessage
    }

    private var decoder: RTMPChunkDecoder
    private var encoder: RTMPChunkEncoder
    private let amf0: AMF0Decoder
    /// Chunk-stream bytes received (the handshake is not counted, as in ffmpeg).
    private var bytesReceived: UInt64 = 0
    private var bytesAcknowledged: UInt64 = 0
    /// The peer's Window Acknowledgement Size: we acknowledge each time this many bytes arrived.
    private var peerWindow: UInt32?
    /// The window we last announced with Window Acknowledgement Size.
    private var announcedWindow: UInt32?

    /// - Parameter compressesHeaders: ffmpeg's clients compress chunk headers, nginx-rtmp's server
    ///   sends every message with a type 0 header; each session copies its model.
    init(limits: RTMPChunkDecoder.Limits, compressesHeaders: Bool) {
        decoder = RTMPChunkDecoder(limits: limits)
        encoder = RTMPChunkEncoder(compressesHeaders: compressesHeaders)
        amf0 = AMF0Decoder(maxInputSize: Int(limits.maxMessageSize))
    }

    /// Decodes every complete message in `bytes` (plus what was buffered). On a decoding error the
    /// messages before it are returned with the error: the caller handles them, then fails.
    mutating func receive(_ bytes: ArraySlice<UInt8>) -> (messages: [Received], error: RTMPSessionError?) {
        bytesReceived += UInt64(bytes.count)
        decoder.append(bytes)
        var messages: [Received] = []
        // Each message consumes at least one chunk header byte, so this ends with the buffer.
        while true {
            let raw: RTMPRawMessage?
            do {
                raw = try decoder.nextMessage()
            } catch {
                return (messages, .chunk(error))
            }
            guard let raw else { return (messages, nil) }
            do {
                messages.append(Received(raw: raw, message: try RTMPMessage(decoding: raw, amf0: amf0)))
            } catch {
                return (messages, .message(error))
            }
        }
    }

    /// Answers the protocol control that needs an answer whatever the session's state: a ping
    /// request gets its response; Set Peer Bandwidth gets our Window Acknowledgement Size when it
    /// differs from the one we announced (RTMP 1.0 section 5.4.5, what ffmpeg does).
    mutating func answerControl(_ message: RTMPMessage) throws(RTMPSessionError) -> [UInt8] {
        switch message {
        case .userControl(.pingRequest(let timestamp)):
            return try encode(.userControl(.pingResponse(timestamp: timestamp)))
        case .windowAcknowledgementSize(let size):
            peerWindow = size > 0 ? size : nil
            return []
        case .setPeerBandwidth(let size, _):
            guard announcedWindow != size else { return [] }
            return try encode(.windowAcknowledgementSize(size))
        case .setChunkSize, .abort, .acknowledgement, .userControl, .command, .other:
            return []
        }
    }

    /// An Acknowledgement when a full window has arrived since the last one.
    mutating func acknowledgementIfDue() throws(RTMPSessionError) -> [UInt8] {
        guard let window = peerWindow, bytesReceived - bytesAcknowledged >= UInt64(window) else { return [] }
        bytesAcknowledged = bytesReceived
        return try encode(.acknowledgement(sequenceNumber: UInt32(truncatingIfNeeded: bytesReceived)))
    }

    /// The chunks of `message`; Set Chunk Size and Window Acknowledgement Size also take effect for
    /// what we send next.
    mutating func encode(
        _ message: RTMPMessage, chunkStreamID: UInt32? = nil, messageStreamID: UInt32 = 0, timestamp: UInt32 = 0
    ) throws(RTMPSessionError) -> [UInt8] {
        let raw: RTMPRawMessage
        do {
            raw = try message.raw(chunkStreamID: chunkStreamID, timestamp: timestamp, messageStreamID: messageStreamID)
        } catch {
            throw .encoding(error)
        }
        let bytes: [UInt8]
        do {
            bytes = try encoder.encode(raw)
        } catch {
            throw .chunkEncoding(error)
        }
        switch message {
        case .setChunkSize(let size):
            encoder.chunkSize = size
        case .windowAcknowledgementSize(let size):
            announcedWindow = size
        case .abort, .acknowledgement, .userControl, .setPeerBandwidth, .command, .other:
            break
        }
        return bytes
    }
}
