extension HTMLReport {
    /// "Population": `run --population`'s weighted figures per policy, beside the scenarios below.
    func populationSection(_ population: PopulationReport) -> String {
        var out = "<section id=\"population\">\n<h2>Population \(Markup.escape(population.file))</h2>\n<p class=\"meta\">"
        out += population.members.map { "\(Markup.escape($0.scenario)) \(Markup.escape($0.weight))" }.joined(separator: " · ")
        out += "</p>\n<div class=\"scroll\"><table class=\"calibration\">\n<thead><tr><th>Policy</th><th>\(Markup.escape(population.objective)) ms</th>"
            + "<th>Median ms</th><th>Failure rate</th><th>Server connections per client</th><th>Peak per client</th></tr></thead>\n<tbody>\n"
        for row in population.rows {
            out += "<tr><td>\(Markup.escape(row.policy))</td>"
                + [row.objective, row.median, row.failureRate, row.serverConnections, row.peak].map { "<td>\(Markup.escape($0))</td>" }.joined()
                + "</tr>\n"
        }
        out += "</tbody></table></div>\n<p class=\"note\">\(Markup.escape(population.method))</p>\n"
        if !population.partial.isEmpty {
            out += "<p class=\"note\">Not in every scenario, so not weighted: \(Markup.escape(population.partial.joined(separator: ", ")))</p>\n"
        }
        return out + "</section>\n"
    }
}
