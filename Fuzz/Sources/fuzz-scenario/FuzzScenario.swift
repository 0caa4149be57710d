import Lab

/// One libFuzzer run (main.swift hands it to the driver): the input is the text of a scenario file.
///
/// Scenario files come from users and from other people's repositories, so the loader must turn any
/// bytes — broken UTF-8, NUL, deep nesting, alias bombs, wrong shapes — into diagnostics, never a
/// trap. Every diagnostic must point inside the file (line ≥ 1, column ≥ 1, line ≤ the file's line
/// count), because an editor jumps to it.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzScenario(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let input = Array(UnsafeBufferPointer(start: data, count: size))
    do {
        _ = try ScenarioLoader.parse(input, file: "fuzz.yaml")
    } catch {
        let lines = lineCount(input)
        guard !error.diagnostics.isEmpty else { fatalError("a rejected scenario without a diagnostic") }
        for diagnostic in error.diagnostics {
            guard diagnostic.line >= 1, diagnostic.column >= 1, diagnostic.line <= lines else {
                fatalError("diagnostic outside the file (\(lines) lines): \(diagnostic)")
            }
        }
    }
    return 0
}

/// Lines as libyaml counts them, which is the most any diagnostic may name: breaks are LF, CR, CR LF,
/// NEL (C2 85), LS (E2 80 A8) and PS (E2 80 A9). Counting each of their final bytes over-counts at
/// most, so this bound never flags a position that is really in the file.
func lineCount(_ bytes: [UInt8]) -> Int {
    var lines = 1
    for (i, byte) in bytes.enumerated() {
        switch byte {
        case 0x0A: lines += 1
        case 0x0D where i + 1 == bytes.count || bytes[i + 1] != 0x0A: lines += 1
        case 0x85, 0xA8, 0xA9: lines += 1
        default: break
        }
    }
    return lines
}
