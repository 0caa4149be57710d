/// Bounds that keep one scenario from asking for an unbounded run, shared by the loader that refuses
/// a file over them and the runtime that could not run it.
package enum RunLimits {
    /// The most clients of a herd. It is what the herd benchmark (`fallback-bench herd`) measured:
    /// every structure of a simulated run grows linearly with its clients, and 100,000 clients
    /// starting at once take 1.4 GB and 19 s of one core (one attempt each) to 5.9 GB and 151 s
    /// (Happy Eyeballs' four) per policy (docs/performance.md); ten times that would not fit a CI
    /// runner.
    package static let maximumClients = 100_000
}
