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
    }
}
