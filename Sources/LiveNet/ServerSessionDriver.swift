import NIOCore
import RTMP

/// Runs one `RTMPServerSession` on the server's event loop: executes its actions and nothing more.
///
/// The same driver serves a plain TCP connection and a session inside an RTMPT tunnel; only the two
/// closures differ (write to the socket vs. queue for the next HTTP response). Keeping the action
/// execution in one place means both transports log, count and time the same way.
final class ServerSessionDriver {
    private var session: RTMPServerSession
    private var timers = TimerTable<RTMPServerSession.Timer>()
    private let server: LiveServerState
    private let connection: Int
    private let via: ServedProtocol
    private let eventLoop: NIOIsolatedEventLoop
    private let output: ([UInt8]) -> Void
    private let close: () -> Void
    private var isClosed = false

    /// - Parameters:
    ///   - output: hands bytes the session produced to the transport.
    ///   - close: ends the transport (socket or tunnel session) after the session asked to close.
    init(
        server: LiveServerState, connection: Int, via: ServedProtocol, seed: UInt64,
        eventLoop: NIOIsolatedEventLoop, output: @escaping ([UInt8]) -> Void, close: @escaping () -> Void
    ) {
        self.session = RTMPServerSession(configuration: server.configuration.session, seed: seed)
        self.server = server
        self.connection = connection
        self.via = via
        self.eventLoop = eventLoop
        self.output = output
        self.close = close
    }

    func start() {
        run(session.start())
    }

    func received(_ bytes: ArraySlice<UInt8>) {
        guard !isClosed else { return }
        run(session.received(bytes))
    }

    /// The transport went away: the session cancels what it still owes.
    func transportClosed() {
        guard !isClosed else { return }
        isClosed = true
        run(session.closed())
        timers.cancelAll()
    }

    private func run(_ action: RTMPServerSession.Action) {
        switch action {
        case .wait:
            break
        case .send(let bytes, let observed):
            report(observed)
            if !bytes.isEmpty { output(bytes) }
        case .sendAndScheduleTimer(let bytes, let observed, let timer, let delay):
            report(observed)
            if !bytes.isEmpty { output(bytes) }
            timers.schedule(timer, after: delay, on: eventLoop) { [weak self] in
                guard let self else { return }
                self.timers.fired(timer)
                guard !self.isClosed else { return }
                self.run(self.session.timerFired(timer))
            }
        case .sendAndClose(let bytes, let observed):
            report(observed)
            if !bytes.isEmpty { output(bytes) }
            isClosed = true
            timers.cancelAll()
            close()
        case .cancelTimer(let timer):
            timers.cancel(timer)
        }
    }

    private func report(_ observations: [RTMPServerSession.Observation]) {
        for observation in observations {
            switch observation {
            case .handshakeCompleted(let usedDigest):
                server.emit(connection, .handshakeCompleted(clientUsedDigest: usedDigest))
            case .connectReceived(let app, let flashVer, let tcUrl):
                server.emit(connection, .connect(app: app, flashVer: flashVer, tcUrl: tcUrl, via: via))
            case .connectAnswered(let answer):
                server.emit(connection, .answered(Self.describe(answer)))
            case .protocolError(let error):
                server.emit(connection, .protocolError("\(error)"))
            }
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
