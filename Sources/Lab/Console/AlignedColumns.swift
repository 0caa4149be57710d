/// Plain-text columns as the console's tables print them (`run`'s summary, `calibrate`'s): each
/// column as wide as its widest cell, two spaces between, the last column not padded.
enum AlignedColumns {
    /// One line per row; the first row (the header) sets the number of columns.
    static func lines(_ rows: [[String]]) -> [String] {
        var widths = [Int](repeating: 0, count: rows.first?.count ?? 0)
        for row in rows {
            for (index, cell) in row.enumerated() { widths[index] = max(widths[index], cell.count) }
        }
        return rows.map { row in
            row.enumerated().map { index, cell in
                index == row.count - 1 ? cell : cell + String(repeating: " ", count: widths[index] - cell.count)
            }.joined(separator: "  ")
        }
    }
}
