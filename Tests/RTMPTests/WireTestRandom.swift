@testable import RTMP

/// The module's own SplitMix64 for the tests' seeded random and mutated inputs: the same seed gives
/// the same cases, so a failing hostile-input case can be replayed.
struct WireTestRandom: RandomNumberGenerator {
    private var generator: SplitMix64

    init(seed: UInt64) {
        generator = SplitMix64(seed: seed)
    }

    mutating func next() -> UInt64 {
        generator.next()
    }

    mutating func bytes(_ count: Int) -> [UInt8] {
        (0..<count).map { _ in UInt8.random(in: 0...255, using: &self) }
    }

    /// `bytes` cut into random pieces of 1…`maxPiece` bytes.
    mutating func split(_ bytes: [UInt8], maxPiece: Int) -> [ArraySlice<UInt8>] {
        var pieces: [ArraySlice<UInt8>] = []
        var start = 0
        while start < bytes.count {
            let end = min(bytes.count, start + Int.random(in: 1...maxPiece, using: &self))
            pieces.append(bytes[start..<end])
            start = end
        }
        return pieces
    }

    /// `bytes` with a few random bytes flipped, inserted or removed.
    mutating func mutate(_ bytes: [UInt8]) -> [UInt8] {
        var out = bytes
        let edits = Int.random(in: 1...4, using: &self)
        for _ in 0..<edits {
            switch Int.random(in: 0..<3, using: &self) {
            case 0 where !out.isEmpty:
                out[Int.random(in: 0..<out.count, using: &self)] = UInt8.random(in: 0...255, using: &self)
            case 1:
                out.insert(UInt8.random(in: 0...255, using: &self), at: Int.random(in: 0...out.count, using: &self))
            case 2 where !out.isEmpty:
                out.remove(at: Int.random(in: 0..<out.count, using: &self))
            default:
                out.append(UInt8.random(in: 0...255, using: &self))
            }
        }
        return out
    }
}

/// Parses "02 00 0A" style hex, for golden vectors written the way Wireshark shows them.
func hex(_ text: String) -> [UInt8] {
    let digits = text.filter { $0.isHexDigit }
    var out: [UInt8] = []
    var index = digits.startIndex
    while index < digits.endIndex {
        let next = digits.index(index, offsetBy: 2)
        out.append(UInt8(digits[index..<next], radix: 16)!)
        index = next
    }
    return out
}
