import FuzzSupport
import RTMP

/// One libFuzzer run (main.swift hands it to the driver): the input is HTTP as one end of an RTMPT
/// tunnel reads it, behind one byte of options.
///
/// Option byte: bit 0 requests or responses, bit 1 the parser alone (0) or the whole server tunnel
/// (1), bit 2 small limits, bit 3 the client tunnel instead (reading the input as the server's
/// replies), bits 4–7 the read split. In tunnel mode every `SSSSSSSSSSSSSSSS` in the
/// input is replaced by the id of the session opened last, so that `/send/…` and `/close/…` reach a
/// live session instead of a 404.
///
/// Why these checks: HTTP arrives split anywhere and pipelined, so the parser must give the same
/// messages and the same error whatever the split (as long as the whole input fits its buffer
/// limit); what it parsed must serialize and parse back to the same messages, since the tunnel
/// relays them; whatever a client sends, the server tunnel must answer with HTTP that parses; and
/// whatever a server or proxy answers, the client tunnel must only write well-formed requests with
/// rising sequence numbers, and stop writing once it has reported the tunnel closed or failed.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRTMPT(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let input = Array(UnsafeBufferPointer(start: data, count: size))
    guard let options = input.first else { return 0 }
    let bytes = Array(input.dropFirst())
    let limits = options & 0x04 == 0 ? HTTPLimits() : HTTPLimits(maxHeaderBytes: 200, maxBodyBytes: 300)
    let pieces = ReadSplit.sizes(total: bytes.count, seed: options >> 4, largeReads: true)
    if options & 0x08 != 0 {
        checkClientTunnel(bytes, limits: limits, pieces: pieces)
    } else if options & 0x02 == 0 {
        let kind: HTTPParser.Kind = options & 0x01 == 0 ? .request : .response
        checkParser(bytes, kind: kind, limits: limits, pieces: pieces)
    } else {
        checkServerTunnel(bytes, limits: limits, pieces: pieces, closesSessions: options & 0x01 != 0)
    }
    return 0
}

func checkParser(_ bytes: [UInt8], kind: HTTPParser.Kind, limits: HTTPLimits, pieces: [Int]) {
    let whole = ParserRun(bytes, kind: kind, limits: limits, pieces: bytes.isEmpty ? [] : [bytes.count])
    let split = ParserRun(bytes, kind: kind, limits: limits, pieces: pieces)
    // Fed whole, an input larger than the parser's buffer bound is refused before any of it is
    // parsed; fed in pieces, it is consumed as it goes. Only inputs within the bound must agree.
    if bytes.count <= 2 * limits.maxHeaderBytes + limits.maxBodyBytes {
        guard whole.messages == split.messages, whole.error == split.error else {
            fatalError("split \(pieces) changed the result: \(whole.messages.count) vs \(split.messages.count) messages, \(String(describing: whole.error)) vs \(String(describing: split.error))")
        }
    }
    // What was parsed serializes to bytes that parse to the same messages. Header values and reason
    // phrases may carry obs-text (bytes ≥ 0x80, legal in HTTP/1.1), which the parser decodes as
    // UTF-8 with U+FFFD for what is invalid: up to three bytes for one, hence the larger head limit.
    let reserialized = whole.messages.flatMap { $0 }
    let relaxed = HTTPLimits(maxHeaderBytes: 3 * limits.maxHeaderBytes, maxBodyBytes: limits.maxBodyBytes)
    let again = ParserRun(reserialized, kind: kind, limits: relaxed, pieces: reserialized.isEmpty ? [] : [reserialized.count])
    guard again.error == nil, again.messages == whole.messages else {
        fatalError("re-serialized messages parse differently: \(String(describing: again.error)), \(again.messages.count) of \(whole.messages.count)")
    }
}

/// Runs the server tunnel's pull loop over `bytes` read in `pieces` on one connection, with an echo
/// in place of the RTMP server session, and checks that every byte it writes is well-formed HTTP.
func checkServerTunnel(_ bytes: [UInt8], limits: HTTPLimits, pieces: [Int], closesSessions: Bool) {
    var tunnel = RTMPTServerTunnel(seed: 9, configuration: .init(limits: limits, maxSessions: 4, maxReplyBytes: 64))
    var input = bytes
    var written: [UInt8] = []
    var lastSession: [UInt8]?
    var closed = false
    var start = 0
    let placeholder = Array("SSSSSSSSSSSSSSSS".utf8)
    for count in pieces where !closed {
        if let id = lastSession { replace(placeholder, with: id, in: &input, from: start) }
        var action = tunnel.received(input[start..<(start + count)], on: 1)
        start += count
        // Each step either consumes a request or writes its owed reply: bounded by the input length.
        stepping: for _ in 0...(2 * bytes.count + 2) {
            switch action {
            case .wait:
                break stepping
            case .sessionOpened(let id):
                guard id.utf8.count == 16 else { fatalError("session id \(id) is not 16 characters") }
                lastSession = Array(id.utf8)
                replace(placeholder, with: lastSession!, in: &input, from: start)
            case .deliver(let id, let rtmp):
                guard tunnel.enqueue(session: id, bytes: rtmp.reversed()) else {
                    fatalError("bytes delivered to session \(id), which does not take a reply")
                }
                if closesSessions { tunnel.closeSession(id) }
            case .sessionClosed:
                break
            case .write(let http):
                written += http
            case .closeConnection:
                closed = true
                break stepping
            }
            action = tunnel.next(on: 1)
        }
    }
    tunnel.connectionClosed(1)
    guard tunnel.sessionIDs.count <= 4 else { fatalError("more sessions than maxSessions") }
    // Our replies: responses that parse completely, each with its framing.
    let replies = ParserRun(written, kind: .response, limits: HTTPLimits(), pieces: written.isEmpty ? [] : [written.count])
    guard replies.error == nil, replies.buffered == 0 else {
        fatalError("the server tunnel wrote broken HTTP: \(String(describing: replies.error)), \(replies.buffered) bytes left")
    }
}

/// Runs the client tunnel over a server's bytes and checks the requests it wrote.
func checkClientTunnel(_ bytes: [UInt8], limits: HTTPLimits, pieces: [Int]) {
    let run = ClientTunnelRun(bytes, pieces: pieces, limits: limits)
    var parser = HTTPParser(kind: .request, limits: HTTPLimits())
    // `/open/1` comes first; the session's requests then carry their own rising sequence numbers.
    var sequence: Int?
    do {
        try parser.append(run.written[...])
        for _ in 0...run.written.count {
            guard let request = try parser.nextRequest() else { break }
            if sequence == nil {
                guard request.method == "POST", request.path == "/open/1" else {
                    fatalError("the client tunnel began with \(request.method) \(request.target)")
                }
                sequence = -1
                continue
            }
            guard request.method == "POST", let last = request.path.split(separator: "/").last, let number = Int(last),
                let previous = sequence, number > previous
            else {
                fatalError("the client tunnel wrote \(request.method) \(request.target) after sequence \(String(describing: sequence))")
            }
            sequence = number
        }
    } catch {
        fatalError("the client tunnel wrote broken HTTP: \(error)")
    }
    guard parser.bufferedByteCount == 0 else { fatalError("the client tunnel wrote an unfinished request") }
}

/// Replaces each occurrence of `pattern` at or after `from` by `replacement` (of the same length).
func replace(_ pattern: [UInt8], with replacement: [UInt8], in bytes: inout [UInt8], from: Int) {
    guard pattern.count == replacement.count, bytes.count >= pattern.count else { return }
    var i = from
    while i + pattern.count <= bytes.count {
        if bytes[i..<(i + pattern.count)].elementsEqual(pattern) {
            bytes.replaceSubrange(i..<(i + pattern.count), with: replacement)
            i += pattern.count
        } else {
            i += 1
        }
    }
}
