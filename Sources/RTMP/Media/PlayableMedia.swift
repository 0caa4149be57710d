/// What the fake server plays to a `play`: the generated video, or the tags of an FLV file.
///
/// Both are a list of tags in timestamp order that the session sends as the play's clock reaches
/// each one. The clock is the session's ``RTMPServerSession/Timer/nextFrame`` timer, firing every
/// ``tick``: the generated video's frame interval (one picture per tick, as it was written), or
/// 10 ms for a file, whose tags may fall anywhere (audio every 23 ms, video every 33 ms).
public enum PlayableMedia: Sendable, Hashable {
    case synthetic(SyntheticVideo)
    case file(FLVFile)

    /// How often the play's clock advances.
    public var tick: Duration {
        switch self {
        case .synthetic(let video): video.frameInterval
        case .file: .milliseconds(10)
        }
    }

    /// What goes out before the first tag, at timestamp 0. A file carries its own metadata and
    /// decoder configuration among its tags.
    var preamble: [FLVTag] {
        switch self {
        case .synthetic(let video):
            guard let metadata = try? AMF0Encoder.encode([.string("onMetaData"), .ecmaArray(video.metadata)]) else {
                preconditionFailure("PlayableMedia: the synthetic video's metadata does not encode: \(video.metadata)")
            }
            return [
                FLVTag(typeID: RTMPMessageType.amf0Data, timestamp: 0, payload: metadata),
                FLVTag(typeID: RTMPMessageType.video, timestamp: 0, payload: video.sequenceHeaderTag),
            ]
        case .file:
            return []
        }
    }

    /// The `index`-th tag, or `nil` past the end (the generated video never ends).
    func tag(at index: Int) -> FLVTag? {
        switch self {
        case .synthetic(let video):
            FLVTag(typeID: RTMPMessageType.video, timestamp: video.timestamp(ofFrame: index), payload: video.frameTag(index))
        case .file(let file):
            index < file.tags.count ? file.tags[index] : nil
        }
    }

    /// The `index`-th tag's timestamp, or `nil` past the end: what pacing asks, without building the
    /// tag (a generated picture is encoded only when it is sent).
    func timestamp(ofTagAt index: Int) -> UInt32? {
        switch self {
        case .synthetic(let video):
            video.timestamp(ofFrame: index)
        case .file(let file):
            index < file.tags.count ? file.tags[index].timestamp : nil
        }
    }

    /// Whether the `index`-th tag is due once the play's clock has advanced `ticks` ticks: the
    /// generated video's picture `index` on tick `index` (counted, so a frame interval that is not a
    /// whole number of milliseconds does not drift); a file's tag when its timestamp, less the first
    /// tag's (a file cut from a longer recording need not start at 0), is reached.
    func isDue(tagAt index: Int, ticks: Int) -> Bool {
        switch self {
        case .synthetic:
            index <= ticks
        case .file(let file):
            UInt64(offset(of: file.tags[index].timestamp, in: file)) <= UInt64(ticks) * 10
        }
    }

    /// Whether the `index`-th tag lies at or past `limit` milliseconds into the play (a `play`
    /// duration), or past the end of a file: the play ends before it.
    func ends(beforeTagAt index: Int, limit: UInt32?) -> Bool {
        guard let timestamp = timestamp(ofTagAt: index) else { return true }
        guard let limit else { return false }
        switch self {
        case .synthetic: return timestamp >= limit
        case .file(let file): return offset(of: timestamp, in: file) >= limit
        }
    }

    private func offset(of timestamp: UInt32, in file: FLVFile) -> UInt32 {
        timestamp &- (file.tags.first?.timestamp ?? 0)
    }
}
