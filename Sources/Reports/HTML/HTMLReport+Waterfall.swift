import Connector

extension HTMLReport {
    /// A run's attempts as a waterfall: one row per attempt from its start to its end, ticks for SYN
    /// retransmissions, dots for the phases it reached, its ending written beside it, the winner in
    /// bold, and a line where the connector finished. A player that plays (`client.play`) goes on
    /// after connect: the winner's row continues, lighter, to its first frame. Hovering any mark shows
    /// its exact time.
    func waterfall(_ run: RunReport) -> String {
        let labelWidth = 150.0
        let plotWidth = 640.0
        let rightMargin = 270.0
        let rowHeight = 24.0
        let top = 22.0
        let attempts = run.attempts
        let latest = ([run.endTime] + attempts.compactMap(\.endedAt) + attempts.flatMap(\.synRetransmissions)
            + attempts.compactMap(\.playEnd))
            .map(\.reportMicroseconds).max() ?? 1
        let span = max(1, latest)
        let scale = plotWidth / Double(span)
        func x(_ time: Duration) -> Double { labelWidth + max(0, Double(time.reportMicroseconds)) * scale }
        let height = top + Double(max(1, attempts.count)) * rowHeight + 8
        let width = labelWidth + plotWidth + rightMargin
        var svg = "<svg class=\"waterfall\" role=\"img\" viewBox=\"0 0 \(Self.coordinate(width)) \(Self.coordinate(height))\""
            + " width=\"\(Self.coordinate(width))\" height=\"\(Self.coordinate(height))\">"
            + "<title>Attempts of \(Markup.escape(run.policy)), repetition \(run.repetition)</title>\n"
        for tick in Self.ticks(upTo: span) {
            let tx = labelWidth + Double(tick) * scale
            svg += "<line class=\"grid\" x1=\"\(Self.coordinate(tx))\" y1=\"\(Self.coordinate(top - 4))\" x2=\""
                + "\(Self.coordinate(tx))\" y2=\"\(Self.coordinate(height - 8))\"/>"
                + "<text class=\"axis\" x=\"\(Self.coordinate(tx))\" y=\"12\" text-anchor=\"middle\">"
                + "\(tick == 0 ? "0" : Markup.escape(Duration.microseconds(tick).humanText))</text>"
        }
        svg += "\n"
        if attempts.isEmpty {
            svg += "<text class=\"label\" x=\"\(Self.coordinate(labelWidth))\" y=\"\(Self.coordinate(top + 16))\">"
                + "no attempt was started</text>\n"
        }
        for (row, attempt) in attempts.enumerated() {
            let y = top + Double(row) * rowHeight
            let middle = y + rowHeight / 2
            let won = attempt.ending == .won
            svg += "<g class=\"attempt end-\(attempt.endingToken)\(won ? " winner" : "")\">"
            svg += "<text class=\"label\" x=\"\(Self.coordinate(labelWidth - 8))\" y=\"\(Self.coordinate(middle + 4))\""
                + " text-anchor=\"end\">#\(attempt.id) \(Markup.escape(attempt.candidate))</text>"
            let start = x(attempt.startedAt)
            // An attempt still in flight is drawn up to the moment the run finished.
            let endedAt = attempt.endedAt ?? run.endTime
            let end = max(start + 1.5, x(endedAt))
            svg += "<rect class=\"span\" x=\"\(Self.coordinate(start))\" y=\"\(Self.coordinate(y + 6))\" width=\""
                + "\(Self.coordinate(end - start))\" height=\"\(Self.coordinate(rowHeight - 12))\">"
                + "<title>#\(attempt.id) \(Markup.escape(attempt.candidate)): started \(Markup.escape(attempt.startedAt.humanText)),"
                + " \(Markup.escape(attempt.endingPhrase)) at \(Markup.escape(endedAt.humanText))</title></rect>"
            if let playEnd = attempt.playEnd, playEnd > endedAt {
                svg += "<rect class=\"play\" x=\"\(Self.coordinate(end))\" y=\"\(Self.coordinate(y + 9))\" width=\""
                    + "\(Self.coordinate(max(1.5, x(playEnd) - end)))\" height=\"\(Self.coordinate(rowHeight - 18))\">"
                    + "<title>playing \(Markup.escape(endedAt.humanText)) to \(Markup.escape(playEnd.humanText))"
                    + (run.playFailure.map { ": " + Markup.escape($0) } ?? "") + "</title></rect>"
            }
            for retransmission in attempt.synRetransmissions {
                let rx = x(retransmission)
                svg += "<line class=\"syn\" x1=\"\(Self.coordinate(rx))\" y1=\"\(Self.coordinate(y + 3))\" x2=\""
                    + "\(Self.coordinate(rx))\" y2=\"\(Self.coordinate(y + rowHeight - 3))\">"
                    + "<title>SYN retransmitted at \(Markup.escape(retransmission.humanText))</title></line>"
            }
            for (phase, at) in attempt.orderedPhases {
                svg += "<circle class=\"phase \(phase.rawValue)\" cx=\"\(Self.coordinate(x(at)))\" cy=\""
                    + "\(Self.coordinate(middle))\" r=\"4\"><title>\(Self.label(phase)) at \(Markup.escape(at.humanText))"
                    + "</title></circle>"
            }
            let textX = max(end, attempt.playEnd.map(x) ?? end) + 6
            svg += "<text class=\"ending\" x=\"\(Self.coordinate(textX))\" y=\"\(Self.coordinate(middle + 4))\">"
                + "\(won ? "★ " : "")\(Markup.escape(attempt.endingPhrase))"
                + (attempt.endedAt.map { " @ " + Markup.escape($0.humanText) } ?? "")
                + (attempt.time(of: .firstFrame).map { ", first frame @ " + Markup.escape($0.humanText) } ?? "") + "</text>"
            svg += "</g>\n"
        }
        let finish = x(run.endTime)
        svg += "<line class=\"finish \(run.timeToConnect == nil ? "failed" : "connected")\" x1=\"\(Self.coordinate(finish))\""
            + " y1=\"\(Self.coordinate(top - 4))\" x2=\"\(Self.coordinate(finish))\" y2=\"\(Self.coordinate(height - 4))\">"
            + "<title>\(run.timeToConnect == nil ? "gave up" : "connected") at \(Markup.escape(run.endTime.humanText))</title></line>"
        svg += "</svg>"
        return svg
    }

    /// A phase as a reader names it.
    static func label(_ phase: AttemptPhase) -> String {
        switch phase {
        case .tcpConnected: "TCP connected"
        case .tunnelOpened: "tunnel opened"
        case .handshakeDone: "handshake done"
        case .connectResult: "connect result"
        case .streamCreated: "stream created"
        case .playStarted: "play started"
        case .firstFrame: "first frame"
        case .reconnectRequested: "reconnect requested"
        case .lastFrame: "last frame"
        }
    }

    /// The page's style sheet: colour bands for times, ending colours for attempts.
    static let styleSheet = """
    body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:24px auto;max-width:1400px;\
    padding:0 16px;color:#1d2430;background:#fff}
    h1{font-size:24px;margin:0 0 4px}h2{font-size:19px;margin:28px 0 8px;border-bottom:1px solid #d8dee6;\
    padding-bottom:4px}h3{font-size:15px;margin:18px 0 6px;color:#3a4556}
    .meta{color:#5b6675;margin:0}.pass{color:#1a7f37}.fail{color:#c62828;font-weight:600}
    table{border-collapse:collapse}th,td{padding:6px 10px;border:1px solid #d8dee6;text-align:left;vertical-align:top}
    thead th{background:#f3f5f8;font-weight:600}
    .scroll{overflow-x:auto}.matrix td.cell,.matrix td.oracle{text-align:right;white-space:nowrap;min-width:84px}
    .matrix th.scenario-name{white-space:nowrap}.matrix th.scenario-name small{display:block;font-weight:400}
    .matrix small{display:block;font-size:11px;color:#3a4556}.matrix .ttc{font-weight:700;font-size:15px}
    .matrix .scenario-name a{color:#1d2430}.desc{font-weight:400;color:#5b6675;font-size:12px;max-width:360px}
    .verdict{float:left;font-weight:700;font-size:15px}.verdict.pass{color:#1a7f37}.verdict.fail{color:#c62828}
    .t-fast{background:#c9ecd1;fill:#3fae5c}.t-ok{background:#e7f3c4;fill:#9cc33a}.t-slow{background:#ffe2b3;fill:#f0a32e}
    .t-bad{background:#ffc9c2;fill:#e0533f}.t-fail{background:#e6e1e8;fill:#8a7f8f;color:#6b1f1f}
    .na{color:#8993a0;text-align:center}.oracle{background:#f6f8fa}
    .legend{font-size:12px;color:#5b6675}.swatch{display:inline-block;width:12px;height:12px;margin:0 3px 0 10px;\
    vertical-align:-2px;border:1px solid #b8c0cc}
    dl.conditions{display:grid;grid-template-columns:max-content 1fr;gap:2px 14px;margin:8px 0}
    dl.conditions dt{font-weight:600;color:#3a4556}dl.conditions dd{margin:0}ol.rules{margin:0;padding-left:20px}
    svg{display:block;max-width:100%;height:auto;font-size:11px}svg text{fill:#1d2430}
    svg .label{font-size:12px}svg .axis{fill:#6b7685;font-size:10px}svg .value{font-size:11px}
    svg .oracle{stroke:#1d2430;stroke-dasharray:4 3;stroke-width:1.5}svg .oracle-label{font-size:10px}
    svg .grid{stroke:#e7ebf0}svg .hbar{fill:#5b8def}
    .waterfall .span{fill:#b9c3cf}.waterfall .syn{stroke:#d9480f;stroke-width:2}
    .waterfall .phase{fill:#fff;stroke:#1d2430;stroke-width:1.5}.waterfall .phase.connect-result{fill:#1d2430}
    .waterfall .play{fill:#a8dcb5}.waterfall .phase.first-frame{fill:#1a7f37}
    .waterfall .end-won .span{fill:#3fae5c}.waterfall .end-refused .span,.waterfall .end-unreachable .span{fill:#e0533f}
    .waterfall .end-timeout .span{fill:#f0a32e}.waterfall .end-rejected .span{fill:#9c4fd6}
    .waterfall .end-redirected .span{fill:#5b8def}.waterfall .end-closed .span{fill:#8a7f8f}
    .waterfall .end-proxy-error .span{fill:#a0522d}.waterfall .end-cancelled .span{fill:#d5dbe2}
    .waterfall .end-in-flight .span{fill:#e9edf2;stroke:#8993a0;stroke-dasharray:3 2}
    .waterfall .winner .label,.waterfall .winner .ending{font-weight:700}
    .waterfall .finish{stroke-width:2;stroke-dasharray:5 3}.waterfall .finish.connected{stroke:#1a7f37}
    .waterfall .finish.failed{stroke:#c62828}
    details.run{border:1px solid #d8dee6;border-radius:6px;padding:6px 10px;margin:8px 0}
    details.run summary{cursor:pointer}details.events{margin:4px 0;font-size:13px;color:#3a4556}.cost{margin:6px 0;color:#3a4556}
    ul.expectations{margin:4px 0;padding-left:18px}table.events{font-size:12px;margin:6px 0}
    table.events td,table.events th{padding:3px 8px}.note{color:#5b6675;font-style:italic}
    .key{font-weight:700}.key.syn{color:#d9480f}.key.won{color:#3fae5c}.key.timeout{color:#f0a32e}
    .key.refused{color:#e0533f}.key.cancelled{color:#b5bfcb}
    table.calibration td.num{text-align:right;white-space:nowrap}ul.skipped{font-size:13px;color:#3a4556}
    """
}
