import Connector
import LiveNet

extension LabRunner {
    /// Runs a plan with `--network netns`: each run (and each run of a scenario's external client,
    /// with the URL as written and the real ports) in a private network namespace of its own,
    /// created for it by `launcher` (our own executable as the worker) and destroyed when it ends.
    /// Runs are one at a time, as on loopback. Call `NamespaceLauncher.probe()` first: a machine
    /// without namespaces would otherwise report the same error for every run.
    ///
    /// The worker's process gets the run's bound plus `setupAllowance` (namespace, server, rules,
    /// teardown) before it is killed.
    package static func runNetns(
        _ planned: PlannedRun, bound: Duration, launcher: NamespaceLauncher, hostNamespace: UInt64,
        capture: Bool = false, progress: @escaping @Sendable (RunProgress) -> Void = { _ in }
    ) async -> RunResults {
        await runOnLiveNetwork(
            planned, network: .netns(launcher, hostNamespace: hostNamespace), bound: bound, capture: capture,
            progress: progress)
    }

    /// What a namespace run may take beyond its bound: setting up and tearing down the namespace,
    /// the server and the rules, and the losers' settling time.
    static let setupAllowance: Duration = .seconds(30)
}
