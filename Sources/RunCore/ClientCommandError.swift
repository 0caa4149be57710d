/// Why a `client.command` could not be split into words.
package enum ClientCommandError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Nothing but whitespace (or an empty program name).
    case empty
    /// A `'` or `"` was opened and never closed.
    case unterminatedQuote(Character)
    /// The command ends with a `\` that escapes nothing.
    case trailingBackslash

    package var description: String {
        switch self {
        case .empty: "client.command is empty"
        case .unterminatedQuote(let quote): "client.command has an unterminated \(quote) quote"
        case .trailingBackslash: "client.command ends with a backslash that escapes nothing"
        }
    }
}
