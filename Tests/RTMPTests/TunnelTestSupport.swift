@testable import RTMP

// The client tunnel's action seen as its effects, field by field: what the transcript tests read
// and build. Equatable for the tunnels' actions exists only for these tests, so it lives here.
extension RTMPTClientTunnel {
    enum TimerChange: Equatable {
        case schedule(Timer, after: Duration)
        case cancel(Timer)
    }

    enum Event: Equatable {
        case opened(sessionID: String)
        case closed
        case failed(RTMPTError)
    }
}

extension RTMPTClientTunnel.Action: Equatable {
    /// The action that has exactly these effects (the form the tunnel itself returns).
    init(write: [UInt8] = [], deliver: [UInt8] = [], timer: RTMPTClientTunnel.TimerChange? = nil, event: RTMPTClientTunnel.Event? = nil) {
        let next: RTMPTClientTunnel.Next?
        switch timer {
        case .schedule(_, let delay)?: next = .schedulePoll(after: delay)
        case .cancel?, nil: next = write.isEmpty ? nil : .write(write, cancelPoll: timer != nil)
        }
        switch event {
        case .opened(let id)?: self = .opened(sessionID: id, then: next ?? .schedulePoll(after: .zero))
        case .closed?: self = .closed(deliver: deliver, cancelPoll: timer != nil)
        case .failed(let error)?: self = .failed(error, cancelPoll: timer != nil)
        case nil:
            if !deliver.isEmpty, let next {
                self = .deliver(deliver, after: next)
            } else if let next {
                self.init(next)
            } else {
                self = .wait
            }
        }
    }

    private var next: RTMPTClientTunnel.Next? {
        switch self {
        case .write(let bytes, let cancelPoll): .write(bytes, cancelPoll: cancelPoll)
        case .schedulePoll(let delay): .schedulePoll(after: delay)
        case .opened(_, let next), .deliver(_, let next): next
        case .wait, .closed, .failed: nil
        }
    }

    var write: [UInt8] {
        if case .write(let bytes, _)? = next { return bytes }
        return []
    }

    var deliver: [UInt8] {
        switch self {
        case .deliver(let bytes, _), .closed(let bytes, _): bytes
        default: []
        }
    }

    var timer: RTMPTClientTunnel.TimerChange? {
        switch self {
        case .closed(_, let cancel), .failed(_, let cancel): return cancel ? .cancel(.poll) : nil
        default: break
        }
        switch next {
        case .write(_, let cancel)?: return cancel ? .cancel(.poll) : nil
        case .schedulePoll(let delay)?: return .schedule(.poll, after: delay)
        case nil: return nil
        }
    }

    var event: RTMPTClientTunnel.Event? {
        switch self {
        case .opened(let id, _): .opened(sessionID: id)
        case .closed: .closed
        case .failed(let error, _): .failed(error)
        case .wait, .write, .schedulePoll, .deliver: nil
        }
    }

    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.write == rhs.write && lhs.deliver == rhs.deliver && lhs.timer == rhs.timer && lhs.event == rhs.event
    }
}

extension RTMPTServerTunnel.Action: Equatable {
    public static func == (lhs: Self, rhs: Self) -> Bool {
        switch (lhs, rhs) {
        case (.wait, .wait): true
        case (.sessionOpened(let a), .sessionOpened(let b)): a == b
        case (.deliver(let a, let x), .deliver(let b, let y)): a == b && x == y
        case (.sessionClosed(let a), .sessionClosed(let b)): a == b
        case (.write(let a), .write(let b)): a == b
        case (.closeConnection(let a), .closeConnection(let b)): a == b
        case (.wait, _), (.sessionOpened, _), (.deliver, _), (.sessionClosed, _), (.write, _), (.closeConnection, _):
            false
        }
    }
}
