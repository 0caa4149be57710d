/// RTMP and RTMPT on the wire, as sans-I/O state machines.
///
/// Nothing in this module performs I/O, reads a clock or draws global randomness: callers feed bytes
/// and timer expiries in, and execute the actions that come out. That is what lets the same sessions
/// run on the simulated network, on real sockets, and inside a Swift streaming SDK.
public enum RTMP {}
