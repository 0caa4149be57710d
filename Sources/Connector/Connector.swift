/// The fallback connector: which transports to try, when, and when to give up.
///
/// A sans-I/O state machine: it decides, a runtime (simulated or live) executes. It never knows what
/// network it runs on.
public enum Connector {}
