import NIOCore
import RTMP
import RunCore

/// One server session of the live server, on its event loop: RunCore's `ServerSessionDriver` with
/// the live server's logging and counters, and the NIO timer for its think time.
///
/// The same type serves a plain TCP connection and a session inside the RTMPT tunnel; only the two
/// closures differ (write to the socket vs. queue for the next HTTP response).
final class LiveServerSession: ServerSessionRuntime {
    private let driver: ServerSessionDriver
    private var timers = TimerTable<RTMPServerSession.Timer>()
    private let server: LiveServerState
    private let connection: Int
    private let via: ServedProtocol
    private let eventLoop: NIOIsolatedEventLoop
    private let output: ([UInt8]) -> Void
    private let close: () -> Void

    /// - Parameters:
    ///   - output: hands bytes the session produced to the transport.
    ///   - close: ends the transport (socket or tunnel session) after the session asked to close.
    init(
        server: LiveServerState, connection: Int, via: ServedProtocol, seed: UInt64,
        eventLoop: NIOIsolatedEventLoop, output: @escaping ([UInt8]) -> Void, close: @escaping () -> Void
    ) {
        self.driver = ServerSessionDriver(configuration: server.configuration.session, seed: seed)
        self.server = server
        self.connection = connection
        self.via = via
        self.eventLoop = eventLoop
        self.output = output
        self.close = close
    }

    func received(_ bytes: ArraySlice<UInt8>) {
        driver.received(bytes, on: self)
    }

    /// The transport went away: the session cancels what it still owes.
    func transportClosed() {
        driver.transportClosed(on: self)
        timers.cancelAll()
    }

    // MARK: ServerSessionRuntime

    func write(_ bytes: [UInt8]) {
        output(bytes)
    }

    func scheduleSessionTimer(_ timer: RTMPServerSession.Timer, after delay: Duration) {
        timers.schedule(timer, after: delay, on: eventLoop) { [weak self] in
            guard let self else { return }
            self.timers.fired(timer)
            self.driver.timerFired(timer, on: self)
        }
    }

    func cancelSessionTimer(_ timer: RTMPServerSession.Timer) {
        timers.cancel(timer)
    }

    func closeTransport() {
        timers.cancelAll()
        close()
    }

    func observed(_ observation: RTMPServerSession.Observation) {
        switch observation {
        case .handshakeCompleted(let usedDigest):
            server.emit(connection, .handshakeCompleted(clientUsedDigest: usedDigest))
        case .connectReceived(let app, let flashVer, let tcUrl):
            server.emit(connection, .connect(app: app, flashVer: flashVer, tcUrl: tcUrl, via: via))
        case .connectAnswered(let answer):
            server.emit(connection, .answered(Self.describe(answer)))
        case .protocolError(let error):
            server.emit(connection, .protocolError("\(error)"))
        case .mediaReceived(_, let bytes):
            server.receivedMedia(bytes: bytes)
        case .reconnectRequested(let tcUrl):
            server.emit(connection, .answered("reconnect requested" + (tcUrl.map { " to \($0)" } ?? "")))
        }
    }

    static func describe(_ answer: RTMPServerSession.ConnectAnswer) -> String {
        switch answer {
        case .accepted: "accepted"
        case .rejected: "rejected"
        case .redirected: "redirected"
        }
    }
}
