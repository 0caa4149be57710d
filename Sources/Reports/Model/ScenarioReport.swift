/// One scenario file's runs together with the conditions it describes.
///
/// The descriptions are free text taken from the scenario file; every writer escapes them for its
/// format because a scenario file is untrusted input.
package struct ScenarioReport: Sendable {
    /// The scenario's name (the file name when the file gives none).
    package var name: String
    /// The scenario's free-text description.
    package var description: String
    /// How many repetitions were asked for (`repeat`); distributions are drawn when it is above 1.
    package var repeatCount: Int
    /// The network conditions in words, for example `latency 40ms, jitter 5ms, loss 0.5%`.
    package var networkSummary: String?
    /// The server's configuration in words, for example `1935: rtmp; 80: rtmp, rtmpt; accept`.
    package var serverSummary: String?
    /// The firewall rules in order, one line each, for example `port 1935: drop`.
    package var firewallRules: [String]
    /// The explicit or transparent proxy's configuration in words, if there is one.
    package var proxySummary: String?
    /// Every run of this scenario: one per policy and repetition.
    package var runs: [RunReport]

    package init(
        name: String,
        description: String = "",
        repeatCount: Int = 1,
        networkSummary: String? = nil,
        serverSummary: String? = nil,
        firewallRules: [String] = [],
        proxySummary: String? = nil,
        runs: [RunReport]
    ) {
        self.name = name
        self.description = description
        self.repeatCount = repeatCount
        self.networkSummary = networkSummary
        self.serverSummary = serverSummary
        self.firewallRules = firewallRules
        self.proxySummary = proxySummary
        self.runs = runs
    }
}
