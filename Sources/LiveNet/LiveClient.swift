import Connector
import NIOCore
import NIOPosix
import RTMP
import RunCore

/// Connects to an RTMP, RTMPT or RTMPS URL over real sockets and times each phase; given a stream to
/// play (``LiveClientOptions/play``), goes on to its first frame on the same connection.
///
/// The client session (and, for `rtmpt://`, the RTMPT client tunnel) decide everything; this type
/// only opens the TCP connection, moves bytes, and reads the clock.
///
/// ```swift
/// let result = await LiveClient().connect(to: try ConnectURL(parsing: "rtmp://127.0.0.1:1935/live"))
/// print(result.summary)   // connected rtmp://127.0.0.1:1935/live in 2.41 ms (tcp 0.12, …)
/// let played = await LiveClient(options: .init(play: "x")).connect(to: url)
/// print(played.summary)   // connected … in 2.41 ms (…); first frame of x in 30.12 ms (stream 2.80, …)
/// ```
package struct LiveClient: Sendable {
    package var options: LiveClientOptions
    private let group: any EventLoopGroup

    package init(options: LiveClientOptions = .init(), group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) {
        self.options = options
        self.group = group
    }

    /// One attempt at `url` (and the play after it, when the options name a stream); never throws:
    /// every way it can end is an outcome.
    package func connect(to url: ConnectURL) async -> LiveConnectResult {
        let text = url.description
        let tunneled: Bool
        let tls: TLSClient?
        switch url.scheme {
        case .rtmp: (tunneled, tls) = (false, nil)
        case .rtmpt: (tunneled, tls) = (true, nil)
        case .rtmps:
            do {
                (tunneled, tls) = (false, try TLSClient(trust: options.trust))
            } catch {
                return LiveConnectResult(url: text, outcome: .failed("\(error)"), elapsed: .zero)
            }
        case .rtmpe, .rtmpte, .rtmpts:
            return LiveConnectResult(url: text, outcome: .failed("\(url.scheme) is not supported by the live client"), elapsed: .zero)
        }
        let session = RTMPClientSession.Configuration(
            app: url.application, tcUrl: Self.tcUrl(for: url), flashVer: options.flashVer,
            handshakeMode: options.handshakeMode)
        let seed = options.seed
        let loop = group.next()
        let timeout = options.timeout
        let host = url.host
        let port = url.port
        let stream = options.play

        let started = loop.submit { () -> (NIOLoopBound<ClientAttemptRecorder>, EventLoopFuture<LiveConnectResult>) in
            let promise = loop.makePromise(of: LiveConnectResult.self)
            let recorder = NIOLoopBound(ClientAttemptRecorder(url: text, stream: stream, promise: promise), eventLoop: loop)
            recorder.value.timeoutTask = loop.assumeIsolated().scheduleTask(in: TimeAmount(timeout)) {
                recorder.value.finish(.timeout)
            }
            let bootstrap = ClientBootstrap(group: loop)
                .connectTimeout(TimeAmount(timeout))
                .channelOption(.tcpOption(.tcp_nodelay), value: 1)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        recorder.value.channel = channel
                        let tunnel = tunneled ? RTMPTClientTunnel.Configuration(host: host, port: port) : nil
                        let driver = AttemptDriver(session: session, tunnel: tunnel, seed: seed)
                        try channel.pipeline.syncOperations.addHandler(
                            ClientAttemptHandler(
                                driver: driver, recorder: recorder.value, play: stream, tls: tls.map { ($0, host) }))
                    }
                }
            bootstrap.connect(host: host, port: port).whenFailure { error in
                recorder.value.finish(ClientAttemptRecorder.outcome(for: error))
            }
            return (recorder, promise.futureResult)
        }
        do {
            return try await started.get().1.get()
        } catch {
            return LiveConnectResult(url: text, outcome: .failed("\(error)"), elapsed: .zero)
        }
    }

    /// The tcUrl as ffmpeg sends it: scheme, host, the port always, and the application.
    static func tcUrl(for url: ConnectURL) -> String {
        let host = url.host.contains(":") ? "[\(url.host)]" : url.host
        return "\(url.scheme)://\(host):\(url.port)/\(url.application)"
    }
}
