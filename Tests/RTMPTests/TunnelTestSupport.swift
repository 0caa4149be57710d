@testable import RTMP

// Equatable for the tunnels' actions exists only for transcript tests, so it lives here.
extension RTMPTClientTunnel.Action: Equatable {
    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.write == rhs.write && lhs.deliver == rhs.deliver && lhs.timer == rhs.timer && lhs.event == rhs.event
    }
}

extension RTMPTServerTunnel.Action: Equatable {
    public static func == (lhs: Self, rhs: Self) -> Bool {
        switch (lhs, rhs) {
        case (.needMore, .needMore): true
        case (.sessionOpened(let a), .sessionOpened(let b)): a == b
        case (.deliver(let a, let x), .deliver(let b, let y)): a == b && x == y
        case (.sessionClosed(let a), .sessionClosed(let b)): a == b
        case (.write(let a), .write(let b)): a == b
        case (.closeConnection(let a), .closeConnection(let b)): a == b
        case (.needMore, _), (.sessionOpened, _), (.deliver, _), (.sessionClosed, _), (.write, _), (.closeConnection, _):
            false
        }
    }
}
