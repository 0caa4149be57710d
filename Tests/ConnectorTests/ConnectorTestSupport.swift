import Testing
@testable import Connector

// Equatable for the connector's actions exists only for transcript tests, so it lives here.
extension FallbackConnector.Action: Equatable {
    public static func == (a: Self, b: Self) -> Bool {
        switch (a, b) {
        case (.wait, .wait): true
        case (.proceed(let x), .proceed(let y)): x == y
        case (.connected(let w1, let v1, let c1), .connected(let w2, let v2, let c2)): w1 == w2 && v1 == v2 && c1 == c2
        case (.failed(let f1, let c1), .failed(let f2, let c2)): f1 == f2 && c1 == c2
        case (.closeLateSuccess(let x), .closeLateSuccess(let y)): x == y
        case (.reconnected(let w1, let v1, let c1), .reconnected(let w2, let v2, let c2)): w1 == w2 && v1 == v2 && c1 == c2
        case (.reconnectFailed(let f1, let c1), .reconnectFailed(let f2, let c2)): f1 == f2 && c1 == c2
        case (.wait, _), (.proceed, _), (.connected, _), (.failed, _), (.closeLateSuccess, _), (.reconnected, _),
            (.reconnectFailed, _): false
        }
    }
}

/// A tiny virtual clock around a connector, in the manner of SwiftNIO's `EmbeddedEventLoop` in its
/// HappyEyeballs tests: the test reports network events; the driver fires the connector's timers when
/// the clock passes them, in (due time, arming order), and keeps a timeline.
struct VirtualDriver {
    struct ArmedTimer {
        var id: FallbackConnector.TimerID
        var due: Duration
        var order: Int
    }

    var connector: FallbackConnector
    var now: Duration = .zero
    var armed: [ArmedTimer] = []
    var armOrder = 0
    var timeline = ConnectionTimeline()
    /// Attempts started and not yet ended or cancelled, as the runtime sees them.
    var open: Set<AttemptID> = []

    init(_ policy: Policy, url: String) throws {
        connector = try FallbackConnector(policy: policy, url: url)
    }

    init(_ preset: Preset, url: String) throws {
        try self.init(preset.policy, url: url)
    }

    mutating func start() -> FallbackConnector.Action {
        record(connector.start())
    }

    mutating func succeed(_ id: Int) -> FallbackConnector.Action {
        open.remove(AttemptID(id))
        return record(connector.attemptSucceeded(AttemptID(id)))
    }

    mutating func fail(_ id: Int, _ failure: AttemptFailure) -> FallbackConnector.Action {
        timeline.fail(AttemptID(id), failure, at: now)
        open.remove(AttemptID(id))
        return record(connector.attemptFailed(AttemptID(id), failure))
    }

    mutating func redirect(_ id: Int, to url: String) -> FallbackConnector.Action {
        timeline.redirect(AttemptID(id), to: url, at: now)
        open.remove(AttemptID(id))
        return record(connector.attemptRedirected(AttemptID(id), url: url))
    }

    mutating func reconnect(to url: String) throws -> FallbackConnector.Action {
        record(connector.reconnect(to: [try ConnectURL(parsing: url)]))
    }

    /// Moves the clock forward by `delta`, firing every timer due on the way; returns the actions
    /// that were not `.wait`.
    mutating func advance(by delta: Duration) -> [FallbackConnector.Action] {
        let target = now + delta
        var actions: [FallbackConnector.Action] = []
        // Bounded: every firing removes one timer, and a run arms finitely many.
        for _ in 0..<10_000 {
            guard let next = armed.filter({ $0.due <= target }).min(by: { ($0.due, $0.order) < ($1.due, $1.order) })
            else { break }
            armed.removeAll { $0.order == next.order }
            now = next.due
            let action = record(connector.timerFired(next.id))
            if action != .wait { actions.append(action) }
        }
        now = target
        return actions
    }

    mutating func advance(ms: Int) -> [FallbackConnector.Action] {
        advance(by: .milliseconds(ms))
    }

    /// Whether `id` is armed.
    func isArmed(_ id: FallbackConnector.TimerID) -> Bool {
        armed.contains { $0.id == id }
    }

    @discardableResult
    private mutating func record(_ action: FallbackConnector.Action) -> FallbackConnector.Action {
        timeline.apply(action, at: now)
        switch action {
        case .wait:
            break
        case .closeLateSuccess(let id):
            open.remove(id)
        case .proceed(let steps), .connected(_, _, let steps), .failed(_, let steps), .reconnected(_, _, let steps),
            .reconnectFailed(_, let steps):
            execute(steps)
        }
        return action
    }

    private mutating func execute(_ steps: FallbackConnector.Steps) {
        for cancellation in steps.cancelAttempts {
            #expect(open.contains(cancellation.id), "cancelled \(cancellation.id), which is not open")
            open.remove(cancellation.id)
        }
        for id in steps.cancelTimers {
            #expect(armed.contains { $0.id == id }, "cancelled timer \(id), which is not armed")
            armed.removeAll { $0.id == id }
        }
        for start in steps.startAttempts {
            #expect(!open.contains(start.id))
            open.insert(start.id)
        }
        for request in steps.scheduleTimers {
            #expect(!armed.contains { $0.id == request.id }, "timer \(request.id) armed twice")
            armOrder += 1
            armed.append(ArmedTimer(id: request.id, due: now + request.after, order: armOrder))
        }
    }
}

extension FallbackConnector.Action {
    var steps: FallbackConnector.Steps? {
        switch self {
        case .wait, .closeLateSuccess: nil
        case .proceed(let steps), .connected(_, _, let steps), .failed(_, let steps), .reconnected(_, _, let steps),
            .reconnectFailed(_, let steps): steps
        }
    }

    /// `scheme:port` of each attempt this action starts, in order.
    var started: [String] { steps?.startAttempts.map(\.candidate.label) ?? [] }

    /// IDs of the attempts this action starts.
    var startedIDs: [Int] { steps?.startAttempts.map(\.id.rawValue) ?? [] }

    /// (id, reason) of each attempt this action cancels.
    var cancelled: [Cancel] {
        steps?.cancelAttempts.map { Cancel($0.id.rawValue, $0.reason) } ?? []
    }

    var failure: ConnectFailure? {
        if case .failed(let failure, _) = self { return failure }
        return nil
    }

    var winner: Int? {
        if case .connected(let winner, _, _) = self { return winner.rawValue }
        return nil
    }
}

struct Cancel: Equatable, CustomStringConvertible {
    var id: Int
    var reason: CancelReason
    init(_ id: Int, _ reason: CancelReason) {
        self.id = id
        self.reason = reason
    }
    var description: String { "#\(id) \(reason)" }
}

extension Array where Element == FallbackConnector.Action {
    /// Labels of every attempt these actions start.
    var started: [String] { flatMap(\.started) }
    var startedIDs: [Int] { flatMap(\.startedIDs) }
    var cancelled: [Cancel] { flatMap(\.cancelled) }
}
