/// Why bytes on an RTMPT connection are not acceptable HTTP/1.1.
///
/// The tunnel runs over whatever the path in between does to HTTP — transparent proxies, captive
/// portals, broken middleboxes — so every malformation maps to a case here and none to a trap.
public enum HTTPError: Error, Sendable, Equatable {
    /// The request or status line and headers exceed the configured limit before the empty line.
    case headerTooLarge(limit: Int)
    /// The announced body is larger than the configured limit.
    case bodyTooLarge(length: Int, limit: Int)
    /// Too many bytes are buffered behind a request that is not answered yet.
    case pipelineTooDeep(limit: Int)
    /// The request line is not `METHOD SP target SP HTTP/x.y`, or the status line not
    /// `HTTP/x.y SP code [SP reason]`.
    case malformedStartLine(String)
    /// Not HTTP/1.1 (librtmp rejects HTTP/1.0 responses; RTMPT needs keep-alive).
    case unsupportedVersion(String)
    /// A header line without a colon, with whitespace before the colon, a folded line, or a byte
    /// outside the field grammar.
    case malformedHeader(String)
    /// `Content-Length` is not a decimal number, or several disagree.
    case invalidContentLength(String)
    /// `Transfer-Encoding` (chunked or other): RTMPT peers always send `Content-Length`.
    case unsupportedTransferEncoding(String)
    /// A response without `Content-Length`, whose body would run to the end of the connection.
    case missingContentLength
}
