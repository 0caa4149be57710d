import ArgumentParser
import Lab

/// A duration on the command line, written as in scenario files: `250ms`, `1.5s`, `2m`.
struct DurationArgument: ExpressibleByArgument, Sendable, CustomStringConvertible {
    let duration: Duration

    init(_ duration: Duration) {
        self.duration = duration
    }

    /// Parsed by the scenario files' own parser (`ValueSyntax.duration`), so the command line and
    /// the files accept exactly the same forms.
    init?(argument: String) {
        guard let duration = ValueSyntax.duration(argument) else { return nil }
        self.duration = duration
    }

    var description: String { "\(duration)" }
}

/// `--network sim|loopback|netns`, by Lab's own names.
extension NetworkName: ExpressibleByArgument {}
