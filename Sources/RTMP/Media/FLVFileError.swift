/// Why bytes are not an FLV file the server can play, with the byte offset where it went wrong.
public enum FLVFileError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The first bytes are not `FLV` and version 1.
    case notFLV
    /// The header's size field points outside the file or below the 9 bytes a header has.
    case badHeaderSize(UInt32)
    /// A tag's header or body runs past the end of the file.
    case truncatedTag(offset: Int)
    /// A tag that is neither audio (8), video (9) nor script data (18), or an encrypted one (the
    /// filter bit): a player could not decode it from us either.
    case unsupportedTag(type: UInt8, offset: Int)
    /// The file has no audio or video tag: nothing to play.
    case noMedia

    public var description: String {
        switch self {
        case .notFLV: "not an FLV file (it does not start with 'FLV' and version 1)"
        case .badHeaderSize(let size): "the FLV header's size (\(size)) is not a header's"
        case .truncatedTag(let offset): "the tag at byte \(offset) runs past the end of the file"
        case .unsupportedTag(let type, let offset):
            "the tag at byte \(offset) has type \(type) (only audio 8, video 9 and script data 18 are played, unencrypted)"
        case .noMedia: "the file has no audio or video tag"
        }
    }
}
