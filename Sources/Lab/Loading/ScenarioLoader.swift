import Foundation
import RTMP
import Yams

/// Reads scenario files: bytes → YAML nodes (with their marks) → a checked `Scenario`, or every
/// problem of the file as `file:line:column` diagnostics.
package enum ScenarioLoader {
    /// Larger than any hand-written scenario by far; refusing bigger input keeps a wrong path (a video,
    /// a disk image) from being read into memory.
    static let maximumFileSize = 1 << 20

    /// Loads the file at `path`; `path` is also how diagnostics name it.
    package static func load(path: String) throws(ScenarioDiagnostics) -> Scenario {
        let bytes: [UInt8]
        do {
            let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
            defer { try? handle.close() }
            let data = try handle.read(upToCount: maximumFileSize + 1) ?? Data()
            bytes = [UInt8](data)
        } catch {
            throw ScenarioDiagnostics([Diagnostic(
                file: path, line: 1, column: 1, message: "cannot read the file (\(error.localizedDescription))",
                hint: "check the path and its permissions")])
        }
        return try parse(bytes, file: path)
    }

    /// Checks the text of a scenario as if it were the file `file`.
    package static func parse(_ bytes: [UInt8], file: String) throws(ScenarioDiagnostics) -> Scenario {
        func fail(_ line: Int, _ column: Int, _ message: String, _ hint: String) -> ScenarioDiagnostics {
            ScenarioDiagnostics([Diagnostic(file: file, line: line, column: column, message: message, hint: hint)])
        }
        if bytes.count > maximumFileSize {
            throw fail(1, 1, "the file is larger than \(maximumFileSize / 1024) KiB", "a scenario file is a few lines of YAML; is this the right file?")
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            let (line, column, offset) = firstInvalidUTF8(bytes)
            throw fail(line, column, "the file is not UTF-8 text (byte \(offset) is not valid UTF-8)",
                       "a scenario is a YAML text file; is this the right file?")
        }
        if let index = text.unicodeScalars.firstIndex(where: { $0.value == 0 }) {
            let (line, column) = position(of: index, in: text)
            throw fail(line, column, "the file contains a NUL byte", "a scenario is a YAML text file; is this the right file?")
        }
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw ScenarioDiagnostics([diagnostic(for: error, file: file, text: text)])
        } catch {
            throw fail(1, 1, "the file is not valid YAML (\(error))", "check the file's syntax")
        }
        guard let root, !isEmptyDocument(root) else {
            throw fail(1, 1, "the file is empty", "a scenario needs at least client: url:")
        }
        let name = URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent
        var decoder = ScenarioDecoder(file: file)
        let scenario = decoder.scenario(from: root, defaultName: name)
        guard var scenario, decoder.diagnostics.isEmpty else {
            throw ScenarioDiagnostics(decoder.diagnostics.sorted())
        }
        scenario.sourceDigest = PlanFingerprint.hex(SHA256.hash(bytes))
        return scenario
    }

    /// A file of comments only composes to a null scalar.
    static func isEmptyDocument(_ node: Node) -> Bool {
        guard case .scalar(let scalar) = node else { return false }
        return scalar.style == .plain && ["", "~", "null"].contains(scalar.string)
    }

    /// Turns libyaml's own errors into the file's diagnostics, keeping its position.
    static func diagnostic(for error: YamlError, file: String, text: String) -> Diagnostic {
        let hint = "check the indentation and the quoting around this spot"
        switch error {
        case .scanner(let context, let problem, let mark, _),
             .parser(let context, let problem, let mark, _),
             .composer(let context, let problem, let mark, _):
            let message = [context?.text, problem].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " ")
            let (line, column) = clamped(mark.line, mark.column, in: text)
            if problem.contains("Maximum nesting level") {
                return Diagnostic(file: file, line: line, column: column,
                                  message: "the YAML is nested too deeply", hint: "a scenario is at most a few levels deep")
            }
            return Diagnostic(file: file, line: line, column: column, message: "invalid YAML: \(message)", hint: hint)
        case .reader(let problem, let offset, _, _):
            var line = 1
            var column = 1
            if let offset, offset >= 0, offset <= text.count {
                (line, column) = position(of: text.index(text.startIndex, offsetBy: offset).samePosition(in: text.unicodeScalars) ?? text.unicodeScalars.startIndex, in: text)
            }
            return Diagnostic(file: file, line: line, column: column, message: "unreadable text: \(problem)",
                              hint: "a scenario is a YAML text file without control characters")
        case .duplicatedKeysInMapping(let duplicates, let context):
            let keys = duplicates.map { "'\($0)'" }.joined(separator: ", ")
            let (line, column) = clamped(context.mark.line, context.mark.column, in: text)
            return Diagnostic(file: file, line: line, column: column,
                              message: "key \(keys) appears more than once in the same mapping",
                              hint: "keep one of them")
        case .no, .memory, .writer, .emitter, .representer, .dataCouldNotBeDecoded:
            return Diagnostic(file: file, line: 1, column: 1, message: "the YAML parser failed (\(error))", hint: hint)
        }
    }

    /// A libyaml position, moved back to the end of the text when it lies past it.
    ///
    /// At the end of a file that does not end with a line break, libyaml adds one itself, so an error
    /// found there ("could not find expected ':'", an unclosed `[`) is reported on a line the file does
    /// not have; an editor cannot jump to it. Found by the scenario fuzz target (docs/reliability.md).
    static func clamped(_ line: Int, _ column: Int, in text: String) -> (line: Int, column: Int) {
        let end = position(of: text.unicodeScalars.endIndex, in: text)
        if line > end.line || (line == end.line && column > end.column) {
            return end
        }
        return (line, column)
    }

    /// 1-based line and column (in Unicode scalars, as libyaml counts) of a position.
    static func position(of index: String.UnicodeScalarView.Index, in text: String) -> (line: Int, column: Int) {
        var line = 1
        var column = 1
        for scalar in text.unicodeScalars[..<index] {
            if scalar == "\n" {
                line += 1
                column = 1
            } else {
                column += 1
            }
        }
        return (line, column)
    }

    /// Where the first byte that breaks UTF-8 is: line, column (in scalars, like libyaml) and byte offset.
    static func firstInvalidUTF8(_ bytes: [UInt8]) -> (line: Int, column: Int, offset: Int) {
        var offset = 0
        var line = 1
        var column = 1
        while offset < bytes.count {
            let length = scalarLength(bytes, at: offset)
            guard length > 0 else { break }
            if bytes[offset] == 0x0A {
                line += 1
                column = 1
            } else {
                column += 1
            }
            offset += length
        }
        return (line, column, offset)
    }

    /// The length of a valid UTF-8 scalar at `offset`, or 0 when the bytes there are not one.
    static func scalarLength(_ bytes: [UInt8], at offset: Int) -> Int {
        let first = bytes[offset]
        let length: Int
        switch first {
        case 0x00...0x7F: return 1
        case 0xC2...0xDF: length = 2
        case 0xE0...0xEF: length = 3
        case 0xF0...0xF4: length = 4
        default: return 0
        }
        guard offset + length <= bytes.count else { return 0 }
        let slice = Array(bytes[offset..<(offset + length)])
        return String(validating: slice, as: UTF8.self) == nil ? 0 : length
    }
}
