import RTMP

/// `synthetic`, `synthetic:WxH`, `synthetic:WxH@FPS` or `synthetic:@FPS`: the generated H.264 stream
/// with its picture size and rate, for `serve --media` and a scenario's `server.media`. Size and rate
/// set the stream's bitrate (every picture is an uncompressed keyframe of 384 bytes per 16×16 block):
/// the default 64×48 at 10 pictures a second is about 370 kbit/s, 320×240 at 25 about 23 Mbit/s.
enum SyntheticVideoChoice {
    /// The generated video `text` names; `nil` when `text` is not a `synthetic` form at all (a file
    /// path); an error that says what is wrong with a `synthetic:` form that does not parse.
    static func parse(_ text: String) -> Result<SyntheticVideo, SyntheticVideoChoiceError>? {
        guard text == "synthetic" || text.hasPrefix("synthetic:") else { return nil }
        guard text != "synthetic" else { return .success(SyntheticVideo()) }
        let spec = text.dropFirst("synthetic:".count)
        let parts = spec.split(separator: "@", maxSplits: 1, omittingEmptySubsequences: false)
        var width = SyntheticVideo().width
        var height = SyntheticVideo().height
        var rate = SyntheticVideo().framesPerSecond
        if let size = parts.first, !size.isEmpty {
            let sides = size.lowercased().split(separator: "x", omittingEmptySubsequences: false)
            guard sides.count == 2, let w = Int(sides[0]), let h = Int(sides[1]) else {
                return .failure(SyntheticVideoChoiceError(text: text, problem: "'\(size)' is not a size like 320x240"))
            }
            guard w % 16 == 0, h % 16 == 0, (16...1920).contains(w), (16...1088).contains(h) else {
                return .failure(SyntheticVideoChoiceError(
                    text: text, problem: "\(w)x\(h) is not a multiple of 16 from 16x16 to 1920x1088"))
            }
            (width, height) = (w, h)
        }
        if parts.count == 2 {
            guard let value = Int(parts[1]), (1...120).contains(value) else {
                return .failure(SyntheticVideoChoiceError(text: text, problem: "'\(parts[1])' is not a rate from 1 to 120"))
            }
            rate = value
        } else if parts.first?.isEmpty ?? true {
            return .failure(SyntheticVideoChoiceError(text: text, problem: "nothing after 'synthetic:'"))
        }
        return .success(SyntheticVideo(widthInMacroblocks: width / 16, heightInMacroblocks: height / 16, framesPerSecond: rate))
    }

    /// The forms, for hints.
    static let forms = "synthetic, synthetic:320x240, synthetic:320x240@25 or synthetic:@25"
}

/// A `synthetic:` form that does not parse, and why.
struct SyntheticVideoChoiceError: Error, CustomStringConvertible {
    var text: String
    var problem: String
    var description: String { "\(text): \(problem)" }
}
