import Connector
import RTMP
import RunCore

/// A client attempt and the fake server joined by an in-memory wire: the attempt's driver on one end,
/// a server session driver (directly, or inside an RTMPT server tunnel through `runTunnel`) on the
/// other. It records what the driver asked of its runtime, in order, so tests read as transcripts.
final class AttemptWire: AttemptRuntime {
    enum Event: Equatable {
        case wrote(first: UInt8)
        case scheduled(RTMPTClientTunnel.Timer)
        case cancelled(RTMPTClientTunnel.Timer)
        case closed
        case reached(AttemptPhase)
        case digest(verified: Bool)
        case ended(AttemptEnd)
        case played(RTMPClientSession.PlayOutcome)
        case reconnectRequested(String?)
        case streamEnded(String)
    }

    let driver: AttemptDriver
    /// Say goodbye through the tunnel at the answer, as the `connect` verb does.
    var goodbye = false
    /// Play this stream once connected, as a scenario's player does with its winner.
    var playing: String?
    /// Stream on after the first frame, as a player measuring a reconnect does.
    var streams = false
    private(set) var events: [Event] = []
    private var toServer: [[UInt8]] = []
    private var toClient: [[UInt8]] = []
    private var pollArmed = false
    private var serverClosed = false
    let server: ServerEnd

    /// - Parameter tunneled: rtmpt (session inside the tunnel) rather than rtmp.
    init(
        behavior: RTMPServerSession.Behavior = .accept, delay: Duration = .zero, tunneled: Bool = false,
        digest: Bool = true, media: PlayableMedia? = nil
    ) {
        let url = tunneled ? "rtmpt://127.0.0.1:80/live" : "rtmp://127.0.0.1:1935/live"
        let session = RTMPClientSession.Configuration(
            app: "live", tcUrl: url, flashVer: PlayerIdentity.flashVer, handshakeMode: digest ? .digest : .plain)
        let tunnel = tunneled ? RTMPTClientTunnel.Configuration(host: "127.0.0.1", port: 80) : nil
        driver = AttemptDriver(session: session, tunnel: tunnel, seed: 1)
        server = ServerEnd(behavior: behavior, delay: delay, tunneled: tunneled, media: media)
    }

    /// Opens the stream (unless `opening` is false), then carries bytes both ways (firing the poll
    /// timer when the wire is quiet) until nothing moves any more or `steps` ran out.
    func run(steps: Int = 200, opening: Bool = true) {
        if opening { driver.connected(on: self) }
        for _ in 0..<steps {
            if !toServer.isEmpty {
                let bytes = toServer.removeFirst()
                toClient += server.received(bytes)
            } else if !toClient.isEmpty {
                let bytes = toClient.removeFirst()
                driver.received(bytes[...], on: self)
            } else if pollArmed {
                pollArmed = false
                driver.timerFired(.poll, on: self)
            } else {
                return
            }
        }
    }

    /// Everything but the writes and timers: what the player's timeline sees.
    var milestones: [Event] {
        events.filter {
            switch $0 {
            case .reached, .ended, .closed, .digest, .played, .reconnectRequested, .streamEnded: true
            case .wrote, .scheduled, .cancelled: false
            }
        }
    }

    // MARK: AttemptRuntime

    func write(_ bytes: [UInt8]) {
        events.append(.wrote(first: bytes[0]))
        toServer.append(bytes)
    }

    func scheduleTunnelTimer(_ timer: RTMPTClientTunnel.Timer, after delay: Duration) {
        events.append(.scheduled(timer))
        pollArmed = true
    }

    func cancelTunnelTimer(_ timer: RTMPTClientTunnel.Timer) {
        events.append(.cancelled(timer))
        pollArmed = false
    }

    func closeConnection() { events.append(.closed) }
    func reach(_ phase: AttemptPhase) { events.append(.reached(phase)) }
    func serverDigest(verified: Bool) { events.append(.digest(verified: verified)) }
    func attemptEnded(_ end: AttemptEnd) {
        events.append(.ended(end))
        if goodbye, end == .succeeded { _ = driver.closeTunnel(on: self) }
        if let playing, end == .succeeded { driver.play(playing, thenStreams: streams, on: self) }
    }
    func playEnded(_ outcome: RTMPClientSession.PlayOutcome) { events.append(.played(outcome)) }
    func reconnectRequested(tcUrl: String?) { events.append(.reconnectRequested(tcUrl)) }
    func streamEnded(_ reason: String) { events.append(.streamEnded(reason)) }
}

/// The server's end of the wire: one session driver on a connection, or sessions in a tunnel.
final class ServerEnd: ServerSessionRuntime, ServerTunnelRuntime {
    private let configuration: RTMPServerSession.Configuration
    private var tunnel: RTMPTServerTunnel?
    private var plain: ServerSessionDriver?
    private var sessions: [String: ServerSessionDriver] = [:]
    private var replies: [[UInt8]] = []
    /// The tunnel session whose runtime calls are being served.
    private var current: String?
    private(set) var observed: [RTMPServerSession.Observation] = []
    private(set) var closedTransports = 0
    private(set) var closedConnections = 0

    private(set) var timers: [String] = []
    /// Tunnel sessions the server still holds.
    var openTunnelSessions: Int { sessions.count }

    init(behavior: RTMPServerSession.Behavior, delay: Duration, tunneled: Bool, media: PlayableMedia? = nil) {
        configuration = RTMPServerSession.Configuration(
            behavior: behavior, delay: delay, playableStreams: media == nil ? [] : nil, media: media)
        if tunneled {
            tunnel = RTMPTServerTunnel(seed: 2)
        } else {
            plain = ServerSessionDriver(configuration: configuration, seed: 2)
        }
    }

    /// Bytes from the client; what the server answers on the connection.
    func received(_ bytes: [UInt8]) -> [[UInt8]] {
        if let plain {
            plain.received(bytes[...], on: self)
        } else if let first = tunnel?.received(bytes[...], on: 1) {
            runTunnel(from: first)
        }
        defer { replies = [] }
        return replies
    }

    // MARK: ServerSessionRuntime

    func write(_ bytes: [UInt8]) {
        if let current {
            _ = tunnel?.enqueue(session: current, bytes: bytes)
        } else {
            replies.append(bytes)
        }
    }

    func scheduleSessionTimer(_ timer: RTMPServerSession.Timer, after delay: Duration) {
        timers.append("schedule \(timer) after \(delay)")
    }

    func cancelSessionTimer(_ timer: RTMPServerSession.Timer) { timers.append("cancel \(timer)") }

    /// The client's connection went away (plain RTMP).
    func clientLeft() { plain?.transportClosed(on: self) }

    /// The think time is over (plain RTMP); what the server answers on the connection.
    func thinkTimeOver() -> [[UInt8]] {
        plain?.timerFired(.thinkTime, on: self)
        defer { replies = [] }
        return replies
    }

    func closeTransport() {
        closedTransports += 1
        if let current { _ = tunnel?.closeSession(current) }
    }

    func observed(_ observation: RTMPServerSession.Observation) { observed.append(observation) }

    // MARK: ServerTunnelRuntime

    func nextTunnelStep() -> RTMPTServerTunnel.Action? { tunnel?.next(on: 1) }

    func tunnelSessionOpened(_ name: String) {
        sessions[name] = ServerSessionDriver(configuration: configuration, seed: 3)
    }

    func tunnelDelivered(_ bytes: [UInt8], to name: String) {
        current = name
        defer { current = nil }
        sessions[name]?.received(bytes[...], on: self)
    }

    func tunnelSessionClosed(_ name: String) {
        current = name
        defer { current = nil }
        sessions.removeValue(forKey: name)?.transportClosed(on: self)
    }

    func writeTunnelReply(_ bytes: [UInt8]) { replies.append(bytes) }
    func closeTunnelConnection() { closedConnections += 1 }
}
