/// `index.html`: the page a release engineer reads at a glance.
///
/// One self-contained file: inline CSS and SVG, no script, and a Content-Security-Policy that
/// forbids loading anything, so the page opens from a CI artifact without network access and a
/// hostile scenario file cannot make it fetch or run anything. Every string from the input goes
/// through `Markup.escape`; element ids are built from indexes, never from names.
struct HTMLReport {
    /// The report's header: title, time, calibration, population and baseline (its scenarios'
    /// runs are not read).
    let input: ReportInput
    /// The scenarios' runs as the stream gathered them.
    let summaries: [ScenarioSummary]
    /// Whether `pcap/` is part of the report, so links to captures lead somewhere.
    let linksPcaps: Bool

    /// Repetitions beyond this many per policy are summarised (figures stay in the CSV) rather than
    /// each drawn as a waterfall, so a 1000-repetition run does not produce a 100 MB page.
    static let maximumWaterfallsPerPolicy = 20

    func render() -> String {
        var html = """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(Markup.escape(input.title))</title>
        <style>\(Self.styleSheet)</style>
        </head>
        <body>

        """
        html += header()
        if let calibration = input.calibration { html += calibrationSection(calibration) }
        // A calibration report has no scenario runs of its own: no empty matrix then.
        if !(input.scenarios.isEmpty && input.calibration != nil) { html += matrix() }
        if let population = input.population { html += populationSection(population) }
        if let baseline = input.baseline { html += baselineSection(baseline) }
        for (index, summary) in summaries.enumerated() {
            html += scenarioSection(summary, index: index)
        }
        html += "</body>\n</html>\n"
        return html
    }

    // MARK: Header and matrix

    private func header() -> String {
        let runCount = summaries.reduce(0) { $0 + $1.runCount }
        let checked = summaries.reduce(0) { $0 + $1.expectationsChecked }
        let failed = summaries.reduce(0) { $0 + $1.expectationsFailed }
        var out = "<header>\n<h1>\(Markup.escape(input.title))</h1>\n<p class=\"meta\">"
        if let generatedAt = input.generatedAt { out += "Generated \(Markup.escape(generatedAt)) · " }
        if input.scenarios.isEmpty, let calibration = input.calibration {
            out += "calibration of \(calibration.rows.count) run\(calibration.rows.count == 1 ? "" : "s") simulated and live"
            return out + "</p>\n</header>\n"
        }
        out += "\(summaries.count) scenario\(summaries.count == 1 ? "" : "s") · \(runCount) run"
            + "\(runCount == 1 ? "" : "s") · "
        if checked == 0 {
            out += "no expectations"
        } else if failed == 0 {
            out += "<span class=\"pass\">all \(checked) expectation checks passed</span>"
        } else {
            out += "<span class=\"fail\">\(failed) of \(checked) expectation checks failed</span>"
        }
        out += "</p>\n</header>\n"
        return out
    }

    /// Every policy seen, in order of first appearance across scenarios: the matrix's columns.
    private var policyColumns: [String] {
        var seen = Set<String>()
        var order: [String] = []
        for summary in summaries {
            for policy in summary.policies where seen.insert(policy.policy).inserted { order.append(policy.policy) }
        }
        return order
    }

    private func matrix() -> String {
        let columns = policyColumns
        var out = "<section id=\"matrix\">\n<h2>Time to connect, scenario × policy</h2>\n"
        out += "<div class=\"scroll\"><table class=\"matrix\">\n<thead><tr><th>Scenario</th><th>Oracle</th>"
        for policy in columns { out += "<th>\(Markup.escape(policy))</th>" }
        out += "</tr></thead>\n<tbody>\n"
        for (index, scenarioSummary) in summaries.enumerated() {
            let scenario = scenarioSummary.scenario
            let summaries = scenarioSummary.policies
            // The description is a hover here and in full in the scenario's section: long prose in the
            // matrix would push the figures out of sight.
            let title = scenario.description.isEmpty ? "" : " title=\"\(Markup.escape(scenario.description))\""
            out += "<tr><th class=\"scenario-name\"><a href=\"#s\(index + 1)\"\(title)>\(Markup.escape(scenario.name))</a>"
            let repetitions = summaries.map(\.runCount).max() ?? 0
            if repetitions > 1 { out += "<small>\(repetitions) repetitions</small>" }
            out += "</th>"
            let (oracle, oracleCandidate) = scenarioSummary.oracle
            if let oracle {
                out += "<td class=\"oracle\">\(Markup.escape(oracle.humanText))"
                if let oracleCandidate { out += "<small>\(Markup.escape(oracleCandidate))</small>" }
                out += "</td>"
            } else {
                out += "<td class=\"oracle na\">none can connect</td>"
            }
            for policy in columns {
                guard let summary = summaries.first(where: { $0.policy == policy }) else {
                    out += "<td class=\"na\">—</td>"
                    continue
                }
                out += matrixCell(summary)
            }
            out += "</tr>\n"
        }
        out += "</tbody>\n</table></div>\n"
        out += "<p class=\"legend\"><span class=\"swatch t-fast\"></span>≤ 1 s <span class=\"swatch t-ok\"></span>≤ 5 s "
            + "<span class=\"swatch t-slow\"></span>≤ 20 s <span class=\"swatch t-bad\"></span>&gt; 20 s "
            + "<span class=\"swatch t-fail\"></span>failed · +regret over the oracle · "
            + "✓/✗ expectations · median over repetitions · peak: the most connections open at the server at once</p>\n"
        out += "</section>\n"
        return out
    }

    private func matrixCell(_ summary: PolicySummary) -> String {
        let verdict = switch summary.verdict {
        case "pass": "<span class=\"verdict pass\" title=\"expectations held\">✓</span>"
        case "fail": "<span class=\"verdict fail\" title=\"an expectation failed\">✗</span>"
        default: ""
        }
        guard let time = summary.typicalTimeToConnect else {
            let after = summary.typicalTimeToFail.map { "<small>after \(Markup.escape($0.humanText))</small>" } ?? ""
            return "<td class=\"cell t-fail\"><span class=\"ttc\">failed</span>\(after)\(Self.peakNote(summary))\(verdict)</td>"
        }
        var out = "<td class=\"cell \(Self.speedClass(time))\"><span class=\"ttc\">\(Markup.escape(time.humanText))</span>"
        if let winner = summary.commonWinner { out += "<small>via \(Markup.escape(winner))</small>" }
        if let regret = summary.typicalRegret { out += "<small class=\"regret\">\(Self.signed(regret))</small>" }
        if summary.failedCount > 0 {
            out += "<small class=\"fail\">\(summary.failedCount)/\(summary.runCount) failed</small>"
        }
        out += Self.peakNote(summary) + verdict + "</td>"
        return out
    }

    /// The server's peak concurrent connections under this policy, when the runtime observed it:
    /// the figure a herd after an outage is about, and what a parallel policy multiplies.
    static func peakNote(_ summary: PolicySummary) -> String {
        guard let peak = summary.peakConnections else { return "" }
        let title = summary.peakHandshakes.map { " title=\"at most \($0) handshake\($0 == 1 ? "" : "s") in progress at once\"" } ?? ""
        return "<small class=\"peak\"\(title)>peak \(peak) conn</small>"
    }

    /// A regret with its sign: `+250 ms`, or `−13 ms` when a policy beat the oracle's median run.
    static func signed(_ regret: Duration) -> String {
        Markup.escape(regret < .zero ? regret.humanText : "+" + regret.humanText)
    }

    /// The colour band of a time to connect. The bands are reading aids: under a second a viewer
    /// barely notices; past 20 s is what the seed thread complained about (one silently dropped
    /// attempt on Windows costs 21 s).
    static func speedClass(_ time: Duration) -> String {
        if time <= .seconds(1) { return "t-fast" }
        if time <= .seconds(5) { return "t-ok" }
        if time <= .seconds(20) { return "t-slow" }
        return "t-bad"
    }

    // MARK: Scenario sections

    private func scenarioSection(_ scenarioSummary: ScenarioSummary, index: Int) -> String {
        let scenario = scenarioSummary.scenario
        let summaries = scenarioSummary.policies
        var out = "<section class=\"scenario\" id=\"s\(index + 1)\">\n<h2>\(Markup.escape(scenario.name))</h2>\n"
        if !scenario.description.isEmpty { out += "<p class=\"desc\">\(Markup.escape(scenario.description))</p>\n" }
        out += conditions(scenario, events: scenarioSummary.events)
        out += "<h3>Policies</h3>\n" + barChart(summaries, oracle: scenarioSummary.oracle.time) + "\n"
        if scenarioSummary.isRepeated {
            out += distributions(summaries)
        }
        out += "<h3>Runs</h3>\n" + Self.waterfallLegend
        for summary in summaries {
            for (position, entry) in summary.drawn.enumerated() {
                out += runDetails(entry.run, scenarioIndex: index, runIndex: entry.index, pcap: entry.pcap, open: position == 0)
            }
            if summary.runCount > summary.drawn.count {
                out += "<p class=\"note\">\(summary.runCount - summary.drawn.count) more runs of "
                    + "\(Markup.escape(summary.policy)) are in results.csv and attempts.csv.</p>\n"
            }
        }
        out += "</section>\n"
        return out
    }

    /// How to read a waterfall, once per scenario.
    static let waterfallLegend = "<p class=\"legend\">Each row is an attempt from its start to its end: "
        + "<span class=\"key syn\">|</span> SYN retransmitted · <span class=\"key phase\">○</span> TCP connected, "
        + "tunnel opened, handshake done · <span class=\"key result\">●</span> connect result · "
        + "<span class=\"key won\">■</span> won <span class=\"key timeout\">■</span> timeout "
        + "<span class=\"key refused\">■</span> refused/unreachable <span class=\"key cancelled\">■</span> cancelled · "
        + "dashed line: the connector finished. Hover a mark for its exact time.</p>\n"

    private func conditions(_ scenario: ScenarioReport, events: OrderedTally) -> String {
        var out = "<dl class=\"conditions\">\n"
        if let network = scenario.networkSummary { out += "<dt>Network</dt><dd>\(Markup.escape(network))</dd>\n" }
        if let server = scenario.serverSummary { out += "<dt>Server</dt><dd>\(Markup.escape(server))</dd>\n" }
        out += "<dt>Firewall</dt><dd>"
        if scenario.firewallRules.isEmpty {
            out += "no rules (everything allowed)"
        } else {
            out += "<ol class=\"rules\">" + scenario.firewallRules.map { "<li>\(Markup.escape($0))</li>" }.joined() + "</ol>"
        }
        out += "</dd>\n"
        if let proxy = scenario.proxySummary { out += "<dt>Proxy</dt><dd>\(Markup.escape(proxy))</dd>\n" }
        if !events.order.isEmpty {
            out += "<dt>What they did</dt><dd>\(Markup.escape(Self.eventTally(events)))</dd>\n"
        }
        out += "</dl>\n"
        return out
    }

    /// `firewall: drop ×12, reject ×3; proxy: 400 ×1`, in order of first appearance.
    static func eventTally(_ events: [NetworkEvent]) -> String {
        var tally = OrderedTally()
        for event in events { tally.add(ScenarioSummary.eventKey(event)) }
        return eventTally(tally)
    }

    /// The tally of events counted by `ScenarioSummary.eventKey`, in words.
    static func eventTally(_ tally: OrderedTally) -> String {
        var parts: [String] = []
        var lastActor = ""
        for key in tally.order {
            let pieces = key.split(separator: "\u{0}", maxSplits: 1, omittingEmptySubsequences: false)
            let actor = String(pieces[0])
            let action = pieces.count > 1 ? String(pieces[1]) : ""
            let item = "\(action) ×\(tally.count(of: key))"
            if actor == lastActor, let last = parts.popLast() {
                parts.append(last + ", " + item)
            } else {
                parts.append("\(actor): \(item)")
                lastActor = actor
            }
        }
        return parts.joined(separator: "; ")
    }

    private func runDetails(_ run: RunReport, scenarioIndex: Int, runIndex: Int, pcap: String?, open: Bool) -> String {
        let outcome: String = switch run.result {
        case .connected(let winner, let after): "connected via \(winner) in \(after.humanText)"
        case .failed(let reason, let after): "failed after \(after.humanText): \(reason)"
        }
        let id = "s\(scenarioIndex + 1)-r\(runIndex + 1)"
        var out = "<details class=\"run\" id=\"\(id)\"\(open ? " open" : "")>\n<summary><b>\(Markup.escape(run.policy))</b>"
        out += " · \(run.runLabel) · seed \(run.seed) · \(Markup.escape(run.network)) · "
        out += "<span class=\"\(run.timeToConnect == nil ? "fail" : "pass")\">\(Markup.escape(outcome))</span>"
        if let regret = run.regret { out += " · regret \(Markup.escape(regret.humanText))" }
        out += "</summary>\n"
        out += waterfall(run) + "\n"
        out += "<p class=\"cost\">Server: \(run.cost.connectionsAccepted) connection\(run.cost.connectionsAccepted == 1 ? "" : "s") "
            + "accepted, \(run.cost.handshakesCompleted) handshake\(run.cost.handshakesCompleted == 1 ? "" : "s") completed, "
            + "\(run.cost.wastedConnections) wasted."
        if let peak = run.cost.peakConnections {
            out += " At most \(peak) connection\(peak == 1 ? "" : "s") open at once"
                + (run.cost.peakHandshakes.map { ", \($0) handshake\($0 == 1 ? "" : "s") in progress at once." } ?? ".")
        }
        if let oracle = run.oracle {
            out += " Oracle: \(Markup.escape(oracle.candidate)) in \(Markup.escape(oracle.timeToConnect.humanText))."
        }
        if linksPcaps, let pcap {
            out += " <a class=\"pcap\" href=\"pcap/\(Markup.escape(pcap))\">capture (pcap)</a>"
        }
        out += "</p>\n"
        if !run.expectations.isEmpty {
            out += "<ul class=\"expectations\">\n"
            for expectation in run.expectations {
                out += "<li class=\"\(expectation.passed ? "pass" : "fail")\">\(expectation.passed ? "✓" : "✗") "
                    + "\(Markup.escape(expectation.description)) — \(Markup.escape(expectation.detail))</li>\n"
            }
            out += "</ul>\n"
        }
        if !run.networkEvents.isEmpty {
            // Closed by default: a dropping firewall yields one line per SYN, and the waterfall
            // already shows them; the tally says what happened, the table says when.
            let withAttempts = run.networkEvents.contains { $0.attempt != nil }
            out += "<details class=\"events\"><summary>What the firewall and proxy did: "
                + "\(Markup.escape(Self.eventTally(run.networkEvents)))</summary>\n"
            out += "<table class=\"events\"><thead><tr><th>Time</th><th>Who</th>"
                + (withAttempts ? "<th>Attempt</th>" : "") + "<th>Action</th><th>Detail</th></tr></thead><tbody>\n"
            for event in run.networkEvents {
                out += "<tr><td>\(Markup.escape(event.at.humanText))</td><td>\(event.actor.token)</td>"
                    + (withAttempts ? "<td>\(event.attempt.map { "#\($0)" } ?? "")</td>" : "")
                    + "<td>\(Markup.escape(event.action))</td><td>\(Markup.escape(event.detail))</td></tr>\n"
            }
            out += "</tbody></table>\n</details>\n"
        }
        out += "</details>\n"
        return out
    }
}
