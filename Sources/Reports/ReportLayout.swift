/// Where each run's files go inside the report directory.
///
/// Capture names come from scenario and policy names, which are untrusted, so they are slugged
/// (see `FileName`) and made unique: two scenarios whose names slug alike get `-2`, `-3`, … rather
/// than overwriting each other's captures. Names are given in the order runs are placed, which is
/// the report's order, so a stream of runs and a whole input name them alike.
struct ReportLayout {
    /// The names given so far, lowercased (file systems that ignore case would merge the others).
    private var used = Set<String>()

    /// Names a run's capture: its file name inside `pcap/`; `nil` for a run without packets or a
    /// live capture.
    mutating func place(_ run: RunReport, of scenarioName: String) -> String? {
        guard !run.packets.isEmpty || run.capture != nil else { return nil }
        let base = FileName.slug(scenarioName, fallback: "scenario") + "--"
            + FileName.slug(run.policy, fallback: "policy") + "--r\(run.repetition)"
        // A netns run's capture is the per-packet link's own pcapng (its comments mark lost packets).
        let pcapng = run.capture.map { $0.starts(with: [0x0A, 0x0D, 0x0D, 0x0A]) } ?? false
        let ext = pcapng ? ".pcapng" : ".pcap"
        var name = base + ext
        var suffix = 2
        while used.contains(name.lowercased()) {
            name = "\(base)-\(suffix)\(ext)"
            suffix += 1
        }
        used.insert(name.lowercased())
        return name
    }
}
