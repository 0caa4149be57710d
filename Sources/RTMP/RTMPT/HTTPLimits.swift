/// Bounds on what an HTTP parser buffers, so hostile or broken peers cost bounded memory.
public struct HTTPLimits: Sendable, Equatable {
    /// Start line plus headers, up to and including the empty line.
    public var maxHeaderBytes: Int
    /// One message body. RTMPT bodies are RTMP writes (a few KiB) or polling replies.
    public var maxBodyBytes: Int

    /// 8 KiB of head (what nginx and most proxies allow) and 1 MiB of body.
    public init(maxHeaderBytes: Int = 8192, maxBodyBytes: Int = 1 << 20) {
        self.maxHeaderBytes = maxHeaderBytes
        self.maxBodyBytes = maxBodyBytes
    }

    /// What may sit buffered on one connection: one full message plus one more head.
    var maxBufferedBytes: Int { 2 * maxHeaderBytes + maxBodyBytes }
}
