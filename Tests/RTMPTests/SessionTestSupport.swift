@testable import RTMP

// Equatable for the sessions' actions exists only for transcript tests, so it lives here.
extension RTMPClientSession.Action: Equatable {
    public static func == (a: Self, b: Self) -> Bool {
        switch (a, b) {
        case (.wait, .wait): true
        case (.send(let x, let p), .send(let y, let q)): x == y && p == q
        case (.finish(let o1, let x, let p), .finish(let o2, let y, let q)): o1 == o2 && x == y && p == q
        case (.connectionError(let e1), .connectionError(let e2)): e1 == e2
        case (.played(let o1, let x, let p), .played(let o2, let y, let q)): o1 == o2 && x == y && p == q
        case (.wait, _), (.send, _), (.finish, _), (.connectionError, _), (.played, _): false
        }
    }
}

extension RTMPServerSession.Action: Equatable {
    public static func == (a: Self, b: Self) -> Bool {
        switch (a, b) {
        case (.wait, .wait): true
        case (.send(let x, let o1), .send(let y, let o2)): x == y && o1 == o2
        case (.sendAndScheduleTimer(let x, let o1, let t1, let d1), .sendAndScheduleTimer(let y, let o2, let t2, let d2)):
            x == y && o1 == o2 && t1 == t2 && d1 == d2
        case (.sendAndClose(let x, let o1), .sendAndClose(let y, let o2)): x == y && o1 == o2
        case (.cancelTimer(let t1), .cancelTimer(let t2)): t1 == t2
        case (.wait, _), (.send, _), (.sendAndScheduleTimer, _), (.sendAndClose, _), (.cancelTimer, _): false
        }
    }
}

extension RTMPClientSession.Action {
    /// The bytes the runtime would write.
    var bytes: [UInt8] {
        switch self {
        case .wait, .connectionError: []
        case .send(let b, _), .finish(_, let b, _), .played(_, let b, _): b
        }
    }

    var outcome: RTMPClientSession.Outcome? {
        switch self {
        case .finish(let o, _, _): o
        case .wait, .send, .connectionError, .played: nil
        }
    }

    var playOutcome: RTMPClientSession.PlayOutcome? {
        switch self {
        case .played(let o, _, _): o
        case .wait, .send, .connectionError, .finish: nil
        }
    }

    var phases: [RTMPClientSession.Phase] {
        switch self {
        case .send(_, let p), .finish(_, _, let p), .played(_, _, let p): p
        case .wait, .connectionError: []
        }
    }
}

extension RTMPServerSession.Action {
    var bytes: [UInt8] {
        switch self {
        case .wait, .cancelTimer: []
        case .send(let b, _), .sendAndScheduleTimer(let b, _, _, _), .sendAndClose(let b, _): b
        }
    }

    var observed: [RTMPServerSession.Observation] {
        switch self {
        case .wait, .cancelTimer: []
        case .send(_, let o), .sendAndScheduleTimer(_, let o, _, _), .sendAndClose(_, let o): o
        }
    }

    var closes: Bool {
        if case .sendAndClose = self { return true }
        return false
    }
}

/// Decodes server or client bytes into messages, for asserting on what a session sent.
func messages(in bytes: [UInt8]) throws -> [RTMPMessage] {
    var decoder = RTMPChunkDecoder()
    decoder.append(bytes[...])
    var out: [RTMPMessage] = []
    while let raw = try decoder.nextMessage() { out.append(try RTMPMessage(decoding: raw)) }
    return out
}

/// A client session and a server session wired back to back on a virtual clock: bytes move
/// instantly, the server's think-time timer fires when the clock reaches its deadline.
struct SessionPair {
    var client: RTMPClientSession
    var server: RTMPServerSession
    var now: Duration = .zero
    var timerDeadline: Duration?
    /// Which timer `timerDeadline` is for.
    var pendingTimer: RTMPServerSession.Timer = .thinkTime
    var clientOutcome: RTMPClientSession.Outcome?
    var clientPlayOutcome: RTMPClientSession.PlayOutcome?
    var clientPhases: [RTMPClientSession.Phase] = []
    var observations: [RTMPServerSession.Observation] = []
    var serverClosed = false
    private var toServer: [UInt8] = []
    private var toClient: [UInt8] = []

    init(client: RTMPClientSession.Configuration, server: RTMPServerSession.Configuration, seed: UInt64 = 1) {
        self.client = RTMPClientSession(configuration: client, seed: seed)
        self.server = RTMPServerSession(configuration: server, seed: seed &+ 1)
    }

    mutating func start() {
        apply(server.start())
        apply(client.start())
        settle()
    }

    /// The client plays `stream` (after its connect succeeded) and the bytes settle.
    mutating func play(_ stream: String) {
        apply(client.play(stream))
        settle()
    }

    /// Advances the clock to `time`, firing the timer if due, and lets the bytes settle.
    mutating func advance(to time: Duration) {
        now = time
        if let deadline = timerDeadline, deadline <= now {
            timerDeadline = nil
            apply(server.timerFired(pendingTimer))
        }
        settle()
    }

    private mutating func settle() {
        // Every round moves all pending bytes; a connect exchange needs a handful of rounds.
        for _ in 0..<64 where !(toServer.isEmpty && toClient.isEmpty) {
            if !toServer.isEmpty && !serverClosed {
                let bytes = toServer
                toServer = []
                apply(server.received(bytes[...]))
            } else {
                toServer = []
            }
            if !toClient.isEmpty {
                let bytes = toClient
                toClient = []
                apply(client.received(bytes[...]))
            }
        }
    }

    private mutating func apply(_ action: RTMPClientSession.Action) {
        clientPhases += action.phases
        if let outcome = action.outcome { clientOutcome = outcome }
        if let outcome = action.playOutcome { clientPlayOutcome = outcome }
        toServer += action.bytes
    }

    private mutating func apply(_ action: RTMPServerSession.Action) {
        observations += action.observed
        toClient += action.bytes
        switch action {
        case .sendAndScheduleTimer(_, _, let timer, let after):
            timerDeadline = now + after
            pendingTimer = timer
        case .cancelTimer:
            timerDeadline = nil
        case .sendAndClose:
            serverClosed = true
            // The client reads what was written before the close, then sees the close.
            let bytes = toClient
            toClient = []
            apply(client.received(bytes[...]))
            apply(client.closed())
        case .wait, .send:
            break
        }
    }
}

/// Reads one direction of a session's output as messages, keeping chunk state across actions (the
/// sessions compress headers against what they sent before).
struct MessageReader {
    private var decoder = RTMPChunkDecoder()

    /// Skips `bytes` that are not chunks (a handshake) without decoding them.
    init() {}

    mutating func read(_ bytes: [UInt8]) throws -> [RTMPMessage] {
        decoder.append(bytes[...])
        var out: [RTMPMessage] = []
        while let raw = try decoder.nextMessage() { out.append(try RTMPMessage(decoding: raw)) }
        return out
    }
}
