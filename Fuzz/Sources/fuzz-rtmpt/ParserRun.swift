import RTMP

/// The messages (serialized, to compare requests and responses alike) and the error of one parse.
struct ParserRun {
    var messages: [[UInt8]] = []
    var error: HTTPError?
    var buffered = 0

    init(_ bytes: [UInt8], kind: HTTPParser.Kind, limits: HTTPLimits, pieces: [Int]) {
        var parser = HTTPParser(kind: kind, limits: limits)
        var start = 0
        feeding: for count in pieces {
            do {
                try parser.append(bytes[start..<(start + count)])
                start += count
                // Each message consumes at least one byte (its start line), so this ends.
                for _ in 0...bytes.count {
                    switch kind {
                    case .request:
                        guard let request = try parser.nextRequest() else { continue feeding }
                        messages.append(request.serialized())
                    case .response:
                        guard let response = try parser.nextResponse() else { continue feeding }
                        messages.append(response.serialized())
                    }
                }
                fatalError("the parser returned more messages than there are bytes")
            } catch {
                self.error = error
                break feeding
            }
        }
        buffered = parser.bufferedByteCount
    }
}
