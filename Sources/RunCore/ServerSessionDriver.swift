import RTMP

/// One `RTMPServerSession` of the fake server, on every network and every transport: it carries out
/// the session's actions on a ``ServerSessionRuntime`` (observe, write, arm the think time, close) and
/// ignores what arrives once the session is closed.
///
/// Written once for the simulated server and the live one (before issue 12 `SimulatedServer` and
/// `LiveNet.ServerSessionDriver` each executed the session's actions), so both count, log and time
/// the same way whatever carries the bytes.
///
/// A class, not a struct: a runtime's write may come back into the driver (a tunnel session that
/// the write closes), which a struct's exclusive access would forbid.
package final class ServerSessionDriver {
    private enum State {
        /// Bytes and timers go to the session.
        case open
        /// The session closed its transport, or the transport went away.
        case closed
    }

    private var session: RTMPServerSession
    private var state = State.open

    package init(configuration: RTMPServerSession.Configuration, seed: UInt64) {
        session = RTMPServerSession(configuration: configuration, seed: seed)
    }

    package var isClosed: Bool {
        switch state {
        case .closed: true
        case .open: false
        }
    }

    /// Bytes from the client.
    package func received(_ bytes: ArraySlice<UInt8>, on runtime: some ServerSessionRuntime) {
        switch state {
        case .open: run(session.received(bytes), on: runtime)
        case .closed: return
        }
    }

    /// The session's timer fired. A timer of a closed session is void (the runtime cancelled it;
    /// one already due may still come).
    package func timerFired(_ timer: RTMPServerSession.Timer, on runtime: some ServerSessionRuntime) {
        switch state {
        case .open: run(session.timerFired(timer), on: runtime)
        case .closed: return
        }
    }

    /// The transport went away (the client closed, a tunnel session ended): the session cancels what
    /// it still owes.
    package func transportClosed(on runtime: some ServerSessionRuntime) {
        switch state {
        case .open:
            state = .closed
            run(session.closed(), on: runtime)
        case .closed:
            return
        }
    }

    private func run(_ action: RTMPServerSession.Action, on runtime: some ServerSessionRuntime) {
        switch action {
        case .wait:
            return
        case .send(let bytes, let observed):
            observe(observed, on: runtime)
            if !bytes.isEmpty { runtime.write(bytes) }
        case .sendAndScheduleTimer(let bytes, let observed, let timer, let after):
            observe(observed, on: runtime)
            if !bytes.isEmpty { runtime.write(bytes) }
            runtime.scheduleSessionTimer(timer, after: after)
        case .sendAndClose(let bytes, let observed):
            observe(observed, on: runtime)
            if !bytes.isEmpty { runtime.write(bytes) }
            state = .closed
            runtime.closeTransport()
        case .cancelTimer(let timer):
            runtime.cancelSessionTimer(timer)
        }
    }

    private func observe(_ observations: [RTMPServerSession.Observation], on runtime: some ServerSessionRuntime) {
        for observation in observations { runtime.observed(observation) }
    }
}
