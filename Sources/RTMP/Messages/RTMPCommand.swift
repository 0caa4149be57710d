/// A command message: procedure name, transaction id, command object and arguments.
///
/// The same shape carries calls (`connect`, `createStream`, …) and their answers (`_result`,
/// `_error`, `onStatus`). Clients match an answer to its call by transaction id only, so nothing
/// else links them.
public struct RTMPCommand: Sendable, Equatable {
    public var name: String
    public var transactionID: Double
    /// The command object: an object for `connect` and `_result`, `null` for most others.
    public var commandObject: AMF0Value
    /// Further values (`_result`'s information object, `play`'s stream name, …).
    public var arguments: [AMF0Value]

    public init(name: String, transactionID: Double, commandObject: AMF0Value = .null, arguments: [AMF0Value] = []) {
        self.name = name
        self.transactionID = transactionID
        self.commandObject = commandObject
        self.arguments = arguments
    }

    /// The first argument's object: the information object of `_result`, `_error` and `onStatus`.
    public var information: AMF0Object? {
        arguments.first?.objectValue
    }
}
