import Foundation
import Reports

/// `tune`'s `index.html`: the tuned policy against every preset on the population (holdout figures),
/// each scenario's median, and the Pareto front of objective against server cost as an inline SVG.
/// One self-contained file, no script, nothing fetched.
struct TuneHTML {
    let result: Tuner.Result

    func render() -> String {
        let population = result.population
        let objective = population.objective.rawValue
        var out = """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>FallbackLab tune</title>
            <style>body{font:14px/1.4 system-ui,sans-serif;margin:2em;max-width:70em}table{border-collapse:collapse;margin:1em 0}
            th,td{border:1px solid #ccc;padding:.25em .6em;text-align:right}th:first-child,td:first-child{text-align:left}
            tr.tuned td{font-weight:bold;background:#eef6ee}pre{background:#f6f6f6;padding:1em}.note{color:#555}</style></head><body>

            """
        out += "<h1>Tuned policy for \(Markup.escape(population.file))</h1>\n"
        if !population.description.isEmpty { out += "<p>\(Markup.escape(population.description))</p>\n" }
        out += "<p class=\"note\">Objective: \(objective) of time to connect over the population (a failed connect counts as its time to fail plus \(PolicySpace.text(population.failureCost))). "
        out += "Search: \(result.evaluated.count) evaluations, \(result.runsUsed) simulated connects of a budget of \(result.budgetRuns); "
        out += "the figures below are the holdout's: \(result.holdoutRepetitions) repetitions on fresh seeds (seed \(result.holdoutSeed)).</p>\n"
        if !result.feasible { out += "<p><strong>No policy of the search met the budget</strong>; the tuned policy is the least bad one.</p>\n" }
        out += "<pre>" + Markup.escape(PolicySpace.yaml(result.tuned.policy)) + "</pre>\n"

        out += "<h2>Tuned against the presets</h2>\n<table><tr><th>policy</th><th>\(objective) (ms)</th><th>95% interval (ms)</th><th>failure rate</th>"
        out += "<th>peak conn. per client</th><th>wasted per client</th><th>server conn. per client</th><th>within budget</th></tr>\n"
        let rows = [("tuned", result.tuned)] + result.presets.map { ($0.name, $0.evaluation) }
        for (name, evaluation) in rows {
            out += "<tr\(name == "tuned" ? " class=\"tuned\"" : "")><td>\(Markup.escape(name))</td><td>\(TuneReport.ms(evaluation.objective))</td>"
            out += "<td>\(TuneReport.ms(evaluation.interval.lowerBound))–\(TuneReport.ms(evaluation.interval.upperBound))</td>"
            out += "<td>\(TuneReport.ratio(evaluation.failureRate))</td><td>\(TuneReport.ratio(evaluation.peakConnectionsPerClient))</td>"
            out += "<td>\(TuneReport.ratio(evaluation.wastedPerClient))</td><td>\(TuneReport.ratio(evaluation.serverConnectionsPerClient))</td>"
            out += "<td>\(evaluation.isWithin(population.budget) ? "yes" : "no")</td></tr>\n"
        }
        out += "</table>\n"

        out += "<h2>Median time to connect per scenario (ms)</h2>\n<table><tr><th>scenario</th><th>weight</th>"
        for (name, _) in rows { out += "<th>\(Markup.escape(name))</th>" }
        out += "</tr>\n"
        for (index, member) in population.members.enumerated() {
            out += "<tr><td>\(Markup.escape(member.scenario.name))</td><td>\(TuneReport.ratio(member.weight))</td>"
            for (_, evaluation) in rows {
                let figures = evaluation.scenarios[index]
                let median = TuneReport.durationMS(figures.medianTimeToConnect)
                out += "<td>\(median.isEmpty ? "failed" : median)\(figures.connected < figures.samples ? " (\(figures.connected)/\(figures.samples))" : "")</td>"
            }
            out += "</tr>\n"
        }
        out += "</table>\n"
        out += "<h2>Objective against server cost</h2>\n" + pareto(rows) + "\n</body></html>\n"
        return out
    }

    /// Every policy the search ran at the full repeat (grey), the front of those no other beats on both
    /// axes (line), the presets (squares, holdout) and the tuned policy (circle, holdout).
    func pareto(_ rows: [(String, PolicyEvaluation)]) -> String {
        let full = result.evaluated.map(\.evaluation).filter { $0.repetitions == result.population.repetitions && $0.objective.isFinite }
        let marked = rows.filter { $0.1.objective.isFinite }
        let xs = full.map(\.serverConnectionsPerClient) + marked.map(\.1.serverConnectionsPerClient)
        let ys = full.map(\.objective) + marked.map(\.1.objective)
        guard let xMax = xs.max(), let yMax = ys.max() else { return "<p>No policy connected.</p>" }
        let width = 720.0, height = 420.0, left = 70.0, bottom = 40.0, top = 20.0, right = 120.0
        // Objectives span 100 ms to minutes (a 21 s timeout is one step of a sequential policy): the
        // vertical axis is logarithmic, one decade per gridline.
        let xTop = max(xMax * 1.1, 1)
        let yLow = pow(10, floor(log10(max(ys.min() ?? 1, 1))))
        let yTop = pow(10, ceil(log10(max(yMax, yLow * 10))))
        func x(_ value: Double) -> String { String(format: "%.1f", left + value / xTop * (width - left - right)) }
        func y(_ value: Double) -> String {
            let share = (log10(max(value, yLow)) - log10(yLow)) / (log10(yTop) - log10(yLow))
            return String(format: "%.1f", height - bottom - share * (height - bottom - top))
        }
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" role=\"img\" aria-label=\"Pareto front\">\n"
        svg += "<line x1=\"\(x(0))\" y1=\"\(y(yLow))\" x2=\"\(x(xTop))\" y2=\"\(y(yLow))\" stroke=\"#333\"/><line x1=\"\(x(0))\" y1=\"\(y(yLow))\" x2=\"\(x(0))\" y2=\"\(y(yTop))\" stroke=\"#333\"/>\n"
        svg += "<text x=\"\(x(xTop / 2))\" y=\"\(Int(height) - 8)\" text-anchor=\"middle\">server connections per client</text>\n"
        svg += "<text x=\"14\" y=\"\(Int(height / 2))\" transform=\"rotate(-90 14 \(Int(height / 2)))\" text-anchor=\"middle\">\(result.population.objective.rawValue) ms (log)</text>\n"
        var decade = yLow
        while decade <= yTop * 1.0001 {
            svg += "<line x1=\"\(x(0))\" y1=\"\(y(decade))\" x2=\"\(x(xTop))\" y2=\"\(y(decade))\" stroke=\"#eee\"/>"
            svg += "<text x=\"\(Int(left) - 6)\" y=\"\(y(decade))\" text-anchor=\"end\" font-size=\"11\">\(Int(decade))</text>\n"
            decade *= 10
        }
        for tick in 0...4 {
            let xValue = xTop * Double(tick) / 4
            svg += "<text x=\"\(x(xValue))\" y=\"\(Int(height - bottom) + 14)\" text-anchor=\"middle\" font-size=\"11\">\(String(format: "%.2f", xValue))</text>\n"
        }
        for point in full {
            svg += "<circle cx=\"\(x(point.serverConnectionsPerClient))\" cy=\"\(y(point.objective))\" r=\"3\" fill=\"#bbb\"/>\n"
        }
        var front: [PolicyEvaluation] = []
        for point in full.sorted(by: { ($0.serverConnectionsPerClient, $0.objective) < ($1.serverConnectionsPerClient, $1.objective) })
        where front.last.map({ point.objective < $0.objective }) ?? true {
            front.append(point)
        }
        if front.count > 1 {
            svg += "<polyline fill=\"none\" stroke=\"#888\" stroke-dasharray=\"4 3\" points=\""
                + front.map { "\(x($0.serverConnectionsPerClient)),\(y($0.objective))" }.joined(separator: " ") + "\"/>\n"
        }
        for (name, evaluation) in marked {
            let cx = x(evaluation.serverConnectionsPerClient), cy = y(evaluation.objective)
            if name == "tuned" {
                svg += "<circle cx=\"\(cx)\" cy=\"\(cy)\" r=\"6\" fill=\"#2a7\"/>\n"
            } else {
                svg += "<rect x=\"\(cx)\" y=\"\(cy)\" width=\"7\" height=\"7\" transform=\"translate(-3.5 -3.5)\" fill=\"#36c\"/>\n"
            }
            svg += "<text x=\"\(cx)\" y=\"\(cy)\" dx=\"8\" dy=\"4\" font-size=\"11\">\(Markup.escape(name))</text>\n"
        }
        return svg + "</svg>"
    }
}
