import Connector

/// What carries an attempt's RTMP bytes: plain TCP (rtmp), the TLS model (rtmps), or the RTMPT tunnel
/// (rtmpt, directly or through the client's HTTP proxy).
///
/// RTMPE's encryption is not modelled: `rtmpe` travels as `rtmp` and `rtmpte` as `rtmpt`, which is
/// what their handshakes cost on the wire apart from the 0x06 version byte.
struct AttemptTransport {
    /// What one network event produced for the attempt.
    struct Output {
        /// Bytes for the TCP connection.
        var send: [UInt8] = []
        /// Phases reached (tunnel opened).
        var reached: [AttemptPhase] = []
        /// The RTMP byte stream is ready: start the session.
        var streamOpened = false
        /// RTMP bytes from the server for the session.
        var delivered: [UInt8] = []
        /// The transport failed (a proxy error, bytes that are not TLS).
        var failure: AttemptFailure?
    }

    private enum Kind {
        case plain
        case tls(TLSModel)
        /// RTMPT needs the RTMP module's tunnel, which this build does not have yet: the attempt
        /// fails with a protocol error naming that, rather than pretending to tunnel.
        case tunnelUnavailable
    }

    private var kind: Kind
    private let candidate: Candidate

    init(candidate: Candidate, proxy: SimEndpoint?, seed: UInt64) {
        self.candidate = candidate
        switch candidate.scheme {
        case .rtmps:
            kind = .tls(TLSModel(role: .client, seed: seed))
        case .rtmp, .rtmpe:
            kind = .plain
        case .rtmpt, .rtmpte, .rtmpts:
            kind = .tunnelUnavailable
        }
    }

    /// Where the TCP connection goes.
    func tcpTarget(resolving resolve: (String) -> IPv4Address) -> SimEndpoint {
        SimEndpoint(resolve(candidate.host), UInt16(clamping: candidate.port))
    }

    mutating func connected() -> Output {
        switch kind {
        case .plain:
            return Output(streamOpened: true)
        case .tls(var tls):
            let hello = tls.start()
            kind = .tls(tls)
            return Output(send: hello)
        case .tunnelUnavailable:
            return Output(failure: .protocolError("RTMPT is not simulated in this build"))
        }
    }

    mutating func received(_ bytes: [UInt8]) throws(AttemptFailure) -> Output {
        switch kind {
        case .plain:
            return Output(delivered: bytes)
        case .tunnelUnavailable:
            return Output()
        case .tls(var tls):
            let result: TLSModel.Output
            do {
                result = try tls.received(bytes)
            } catch {
                throw .protocolError("TLS: \(error)")
            }
            kind = .tls(tls)
            return Output(send: result.send, streamOpened: result.established, delivered: result.plaintext)
        }
    }

    mutating func peerClosed() -> Output {
        Output()
    }

    /// Frames RTMP bytes for the wire.
    mutating func wrap(_ bytes: [UInt8]) -> [UInt8] {
        switch kind {
        case .plain, .tunnelUnavailable:
            return bytes
        case .tls(var tls):
            let sealed = tls.seal(bytes)
            kind = .tls(tls)
            return sealed
        }
    }
}
