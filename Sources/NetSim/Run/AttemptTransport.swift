import Connector
import RTMP
import RunCore

/// What carries an attempt's RTMP bytes: plain TCP (rtmp), the TLS model (rtmps), or the RTMP
/// module's `RTMPTClientTunnel` (rtmpt), directly or through the client's explicit HTTP proxy.
///
/// RTMPE's encryption is not modelled: `rtmpe` travels as `rtmp` and `rtmpte` as `rtmpt`. `rtmpts`
/// (RTMPT inside TLS) is not modelled either and travels as `rtmpt` on its port.
struct AttemptTransport {
    /// What one input produced for the attempt.
    struct Output {
        /// Bytes for the TCP connection.
        var send: [UInt8] = []
        /// Phases reached (the tunnel opened).
        var reached: [AttemptPhase] = []
        /// The RTMP byte stream is ready: start the session.
        var streamOpened = false
        /// RTMP bytes from the server for the session.
        var delivered: [UInt8] = []
        /// The tunnel's poll timer to start or stop.
        var timer: RTMPTClientTunnel.TimerChange?
        /// The transport failed (a proxy's error, bytes that are not TLS, a broken tunnel).
        var failure: AttemptFailure?
    }

    private enum Kind {
        case plain
        case tls(TLSModel)
        case tunnel(RTMPTClientTunnel)
    }

    private var kind: Kind
    private let candidate: Candidate
    private let proxy: SimEndpoint?

    init(candidate: Candidate, proxy: SimEndpoint?, seed: UInt64) {
        self.candidate = candidate
        switch candidate.scheme {
        case .rtmps:
            kind = .tls(TLSModel(role: .client, seed: seed))
            self.proxy = nil
        case .rtmp, .rtmpe:
            kind = .plain
            self.proxy = nil
        case .rtmpt, .rtmpte, .rtmpts:
            // Flash Player sent RTMPT through the browser's proxy when there was one.
            let configuration = RTMPTClientTunnel.Configuration(
                host: candidate.host, port: candidate.port, viaProxy: proxy != nil
            )
            kind = .tunnel(RTMPTClientTunnel(configuration: configuration))
            self.proxy = proxy
        }
    }

    /// Where the TCP connection goes: the proxy for a proxied tunnel, else the candidate.
    func tcpTarget(resolving resolve: (String) -> IPv4Address) -> SimEndpoint {
        proxy ?? SimEndpoint(resolve(candidate.host), UInt16(clamping: candidate.port))
    }

    mutating func connected() -> Output {
        switch kind {
        case .plain:
            return Output(streamOpened: true)
        case .tls(var tls):
            let hello = tls.start()
            kind = .tls(tls)
            return Output(send: hello)
        case .tunnel(var tunnel):
            let action = tunnel.start()
            kind = .tunnel(tunnel)
            return output(of: action)
        }
    }

    mutating func received(_ bytes: [UInt8]) -> Output {
        switch kind {
        case .plain:
            return Output(delivered: bytes)
        case .tls(var tls):
            do {
                let result = try tls.received(bytes)
                kind = .tls(tls)
                return Output(send: result.send, streamOpened: result.established, delivered: result.plaintext)
            } catch {
                kind = .tls(tls)
                return Output(failure: .protocolError("TLS: \(error)"))
            }
        case .tunnel(var tunnel):
            let action = tunnel.received(bytes[...])
            kind = .tunnel(tunnel)
            return output(of: action)
        }
    }

    /// The peer closed the TCP connection.
    mutating func peerClosed() -> Output {
        switch kind {
        case .plain, .tls:
            return Output()
        case .tunnel(var tunnel):
            let action = tunnel.connectionClosed()
            kind = .tunnel(tunnel)
            var result = output(of: action)
            // However the tunnel takes it, its connection is gone.
            if result.failure == nil { result.failure = .closed }
            return result
        }
    }

    mutating func timerFired(_ timer: RTMPTClientTunnel.Timer) -> Output {
        switch kind {
        case .plain, .tls:
            return Output()
        case .tunnel(var tunnel):
            let action = tunnel.timerFired(timer)
            kind = .tunnel(tunnel)
            return output(of: action)
        }
    }

    /// Frames the session's RTMP bytes for the wire.
    mutating func wrap(_ bytes: [UInt8]) -> Output {
        switch kind {
        case .plain:
            return Output(send: bytes)
        case .tls(var tls):
            let sealed = tls.seal(bytes)
            kind = .tls(tls)
            return Output(send: sealed)
        case .tunnel(var tunnel):
            let action = tunnel.send(bytes)
            kind = .tunnel(tunnel)
            return output(of: action)
        }
    }

    private func output(of action: RTMPTClientTunnel.Action) -> Output {
        var result = Output(send: action.write, delivered: action.deliver, timer: action.timer)
        switch action.event {
        case .opened?:
            result.reached = [.tunnelOpened]
            result.streamOpened = true
        case .closed?:
            result.failure = .closed
        case .failed(let error)?:
            result.failure = AttemptFailure(tunnel: error)
        case nil:
            break
        }
        return result
    }

}
