import LiveNet

/// Which live network a command runs its live side on: loopback in this process, or a private
/// network namespace per run through a worker process.
package enum LiveNetworkChoice: Sendable {
    case loopback
    /// `hostNamespace` is the launching process's namespace (`NamespaceLauncher.currentNamespace()`).
    case netns(NamespaceLauncher, hostNamespace: UInt64)

    /// The name `--network` takes and reports write.
    package var name: NetworkName {
        switch self {
        case .loopback: .loopback
        case .netns: .netns
        }
    }

    /// One live run of `job` on this network, its packet capture written to `capturePath` if given.
    func run(_ job: RunJob, bound: Duration, capturePath: String? = nil) async throws(LiveRunError) -> LiveRunResult {
        switch self {
        case .loopback:
            return try await LiveRun(
                scenario: job.scenario.live, policy: job.policy, seed: job.seed, bound: bound, capturePath: capturePath
            ).run()
        case .netns(let launcher, let hostNamespace):
            var request = NamespaceRunRequest(
                file: job.scenario.file, scenario: job.scenario.name, policy: job.policy.name, seed: job.seed,
                bound: bound, hostNamespace: hostNamespace)
            request.capturePath = capturePath
            return try await launcher.run(arguments: request.arguments, timeout: bound + LabRunner.setupAllowance)
        }
    }
}
