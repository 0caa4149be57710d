/// An external client's command line (`client.command`), split into words once, with `{url}` filled
/// in per run.
///
/// There is no shell: the words go to `posix_spawn` as they are. Quoting is the small shell-like
/// subset a one-line command needs — `'…'` keeps everything literally, `"…"` keeps everything but
/// `\"` and `\\`, a backslash outside quotes escapes the next character, and unquoted whitespace
/// separates words. `$`, backticks, `;`, `|`, `>` and globs mean nothing. `{url}` is replaced inside
/// a word *after* splitting, so the URL is always part of exactly one argument whatever characters it
/// holds, and is never split or interpreted again.
///
/// ```swift
/// let command = try ClientCommand(parsing: "rtmpdump -r {url} -m 5 -o /dev/null")
/// command.arguments(url: "rtmp://127.0.0.1:40001/live")   // ["rtmpdump", "-r", "rtmp://…", …]
/// command.rowName                                          // "external:rtmpdump"
/// ```
package struct ClientCommand: Sendable, Hashable, CustomStringConvertible {
    /// The command as written.
    package let text: String
    /// The words after quote removal, `{url}` still in them.
    package let words: [String]

    /// The placeholder replaced by the stream URL.
    package static let placeholder = "{url}"

    /// Splits `text` into words. Fails on an empty command, an unterminated quote or a trailing
    /// backslash, so a scenario file's mistake is reported where it was made.
    package init(parsing text: String) throws(ClientCommandError) {
        var words: [String] = []
        var current = ""
        var inWord = false
        var iterator = text.makeIterator()
        while let character = iterator.next() {
            switch character {
            case "'":
                inWord = true
                var closed = false
                while let inner = iterator.next() {
                    if inner == "'" {
                        closed = true
                        break
                    }
                    current.append(inner)
                }
                guard closed else { throw .unterminatedQuote("'") }
            case "\"":
                inWord = true
                var closed = false
                while let inner = iterator.next() {
                    if inner == "\"" {
                        closed = true
                        break
                    }
                    if inner == "\\" {
                        guard let escaped = iterator.next() else { throw .unterminatedQuote("\"") }
                        // As in a shell: only \" and \\ are escapes inside double quotes.
                        if escaped != "\"" && escaped != "\\" { current.append("\\") }
                        current.append(escaped)
                        continue
                    }
                    current.append(inner)
                }
                guard closed else { throw .unterminatedQuote("\"") }
            case "\\":
                guard let escaped = iterator.next() else { throw .trailingBackslash }
                inWord = true
                current.append(escaped)
            case _ where character.isWhitespace:
                if inWord {
                    words.append(current)
                    current = ""
                    inWord = false
                }
            default:
                inWord = true
                current.append(character)
            }
        }
        if inWord { words.append(current) }
        guard let first = words.first, !first.isEmpty else { throw .empty }
        self.text = text
        self.words = words
    }

    /// The program as written (a name looked up in `PATH`, or a path).
    package var program: String { words[0] }

    /// The program's base name: `/usr/bin/ffmpeg` → `ffmpeg`.
    package var programName: String {
        program.split(separator: "/", omittingEmptySubsequences: true).last.map(String.init) ?? program
    }

    /// The name of the external client's row in reports and in `expect` entries: `external:rtmpdump`.
    package var rowName: String { Self.rowPrefix + programName }

    /// `external:`, which no preset or custom policy name can start with.
    package static let rowPrefix = "external:"

    /// The argv to run, `{url}` replaced by `url` in every word (word 0 included).
    package func arguments(url: String) -> [String] {
        words.map { $0.replacingPlaceholder(with: url) }
    }

    /// Whether any word names `{url}`.
    package var mentionsURL: Bool { words.contains { $0.contains(Self.placeholder) } }

    package var description: String { text }
}

extension String {
    /// Every `{url}` replaced by `url`, scanning left to right once: text inside the URL is never
    /// looked at again, so a URL containing `{url}` does not recurse.
    fileprivate func replacingPlaceholder(with url: String) -> String {
        let placeholder = Array(ClientCommand.placeholder)
        let characters = Array(self)
        var result = ""
        var index = 0
        while index < characters.count {
            if index + placeholder.count <= characters.count,
                Array(characters[index..<(index + placeholder.count)]) == placeholder {
                result += url
                index += placeholder.count
            } else {
                result.append(characters[index])
                index += 1
            }
        }
        return result
    }
}
