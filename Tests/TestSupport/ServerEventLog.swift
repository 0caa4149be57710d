import LiveNet
import NIOConcurrencyHelpers
import RunCore

/// Collects a live server's events for tests that assert on what the server saw.
///
/// The server calls `record` from its event loop while readers poll from their own tasks, hence the lock.
package final class ServerEventLog: Sendable {
    private let events = NIOLockedValueBox<[ServerEvent]>([])

    package init() {}

    package func record(_ event: ServerEvent) {
        events.withLockedValue { $0.append(event) }
    }

    package var all: [ServerEvent] { events.withLockedValue { $0 } }

    /// The `connect` commands received so far, in order.
    package var connects: [(app: String, flashVer: String, tcUrl: String, via: ServedProtocol)] {
        all.compactMap { event in
            if case .connect(let app, let flashVer, let tcUrl, let via) = event.kind { return (app, flashVer, tcUrl, via) }
            return nil
        }
    }

    /// Waits (bounded) until `count` connects have arrived.
    package func waitForConnects(_ count: Int, timeout: Duration) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while connects.count < count, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(10))
        }
        return connects.count >= count
    }
}
