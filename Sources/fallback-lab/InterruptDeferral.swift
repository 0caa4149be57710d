#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The signal that arrived while a report was being written, 0 if none. Written only by the C signal
/// handler, read after the write: a `sig_atomic_t` is the one thing a handler may safely store.
nonisolated(unsafe) private var deferredSignal: sig_atomic_t = 0

/// Holds SIGINT and SIGTERM back while the report folder is put in place.
///
/// The report is written into a hidden temporary sibling and renamed over `--out` (see the Reports
/// module), so an interruption can never leave a half-written `--out`; but with the default action
/// the process would die between `mkdir` and `rename` and leave that temporary sibling behind. While
/// `body` runs, a signal only records itself; afterwards the previous dispositions come back and a
/// recorded signal is raised again, so Ctrl-C still ends the process, just after the report is whole.
enum InterruptDeferral {
    static func deferringInterrupts<Result>(_ body: () throws -> Result) rethrows -> Result {
        deferredSignal = 0
        let record: @convention(c) (Int32) -> Void = { number in deferredSignal = number }
        let previousInterrupt = signal(SIGINT, record)
        let previousTerminate = signal(SIGTERM, record)
        defer {
            signal(SIGINT, previousInterrupt)
            signal(SIGTERM, previousTerminate)
            if deferredSignal != 0 { raise(deferredSignal) }
        }
        return try body()
    }
}
