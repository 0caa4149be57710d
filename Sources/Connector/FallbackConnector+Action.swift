extension FallbackConnector {
    /// What the runtime must do after an event. (Equatable for transcript tests is the tests' own.)
    public enum Action: Sendable {
        /// Nothing to do until the next event: it changed nothing (or came late and is ignored on
        /// purpose). Every machine of RTMP and Connector names this case `wait`.
        case wait
        /// Keep racing: start, cancel and (re)arm as listed.
        case proceed(Steps)
        /// `winner` connected over `via`; the run is over. `cleanup` closes the losers and cancels
        /// every timer still armed.
        case connected(winner: AttemptID, via: Candidate, cleanup: Steps)
        /// The connector gave up; `cleanup` cancels what is still in flight and every armed timer.
        case failed(ConnectFailure, cleanup: Steps)
        /// An attempt the connector no longer wants (a loser, abandoned or timed out) succeeded
        /// late: close that connection.
        case closeLateSuccess(AttemptID)
        /// After ``FallbackConnector/reconnect(to:)``: `winner` connected to the new URL over `via`.
        /// The connection it replaces is the player's to close (after the new one's first frame, as
        /// Enhanced RTMP asks); `cleanup` closes this race's losers and cancels its timers.
        case reconnected(winner: AttemptID, via: Candidate, cleanup: Steps)
        /// The reconnect's race gave up; the first connection's result stands.
        case reconnectFailed(ConnectFailure, cleanup: Steps)
    }
}
