import Foundation
import Testing
@testable import RTMP

/// The synthetic H.264 stream: its bit syntax, its FLV tags, and that ffmpeg decodes every picture.
@Suite struct SyntheticVideoTests {
    @Test func expGolombCodesAreTheStandardsTable() {
        // ITU-T H.264 Table 9-2: 0 → 1, 1 → 010, 2 → 011, 3 → 00100, 25 → 000011010.
        var writer = H264BitWriter()
        for value: UInt32 in [0, 1, 2, 3, 25] { writer.unsignedExpGolomb(value) }
        let bits = "1" + "010" + "011" + "00100" + "000011010" + "1"
        let padded = bits + String(repeating: "0", count: (8 - bits.count % 8) % 8)
        let expected = stride(from: 0, to: padded.count, by: 8).map { start -> UInt8 in
            let from = padded.index(padded.startIndex, offsetBy: start)
            return UInt8(padded[from..<padded.index(from, offsetBy: 8)], radix: 2)!
        }
        #expect(writer.finishRBSP() == expected)
        var signed = H264BitWriter()
        // se: 0 → 1, 1 → 010, −1 → 011, 2 → 00100.
        for value: Int32 in [0, 1, -1, 2] { signed.signedExpGolomb(value) }
        #expect(signed.finishRBSP() == [0b1010_0110, 0b0100_1000])
    }

    @Test func emulationPreventionBreaksEveryStartCode() {
        #expect(SyntheticVideo.nalUnit(type: 5, rbsp: [0, 0, 1, 0, 0, 0, 0, 0, 3, 0, 0, 4]) ==
            [0x65, 0, 0, 3, 1, 0, 0, 3, 0, 0, 3, 0, 3, 0, 0, 4])
    }

    @Test func sequenceHeaderIsAnAVCDecoderConfigurationRecord() {
        let video = SyntheticVideo()
        let tag = video.sequenceHeaderTag
        #expect(Array(tag[0..<5]) == [0x17, 0x00, 0, 0, 0])
        // Version 1, Constrained Baseline (66, constraint flags 0xC0), level 3.0, 4-byte lengths, one SPS.
        #expect(Array(tag[5..<11]) == [1, 66, 0xC0, 30, 0xFF, 0xE1])
        let spsLength = Int(tag[11]) << 8 | Int(tag[12])
        #expect(tag[13] == 0x67)
        let ppsAt = 13 + spsLength
        #expect(tag[ppsAt] == 1)
        let ppsLength = Int(tag[ppsAt + 1]) << 8 | Int(tag[ppsAt + 2])
        #expect(tag[ppsAt + 3] == 0x68)
        #expect(tag.count == ppsAt + 3 + ppsLength)
    }

    @Test func eachFrameIsOneLengthPrefixedIDRNALUnitOfTheExpectedSize() {
        let video = SyntheticVideo(widthInMacroblocks: 4, heightInMacroblocks: 3, framesPerSecond: 10)
        let tag = video.frameTag(3)
        #expect(Array(tag[0..<5]) == [0x17, 0x01, 0, 0, 0])
        let length = Int(tag[5]) << 24 | Int(tag[6]) << 16 | Int(tag[7]) << 8 | Int(tag[8])
        #expect(tag.count == 9 + length)
        #expect(tag[9] == 0x65)
        // 12 macroblocks of 384 PCM bytes, plus the slice header and each mb_type.
        #expect(length > 12 * 384 && length < 12 * 384 + 40)
        #expect(video.frameTag(3) != video.frameTag(4))
        #expect(video.timestamp(ofFrame: 25) == 2500)
        #expect(video.frameInterval == .milliseconds(100))
    }

    /// The stream written as an FLV file and decoded by ffmpeg: every picture, no decoder complaint.
    @Test(.enabled(if: PeerTool.ffmpeg.shouldRun, "ffmpeg is not installed"), .timeLimit(.minutes(5)))
    func ffmpegDecodesEveryPicture() throws {
        let ffmpeg = try #require(PeerTool.ffmpeg.path, "\(PeerTool.ffmpeg.missingMessage)")
        let video = SyntheticVideo(widthInMacroblocks: 5, heightInMacroblocks: 4, framesPerSecond: 25)
        var file: [UInt8] = Array("FLV".utf8) + [1, 0x01, 0, 0, 0, 9, 0, 0, 0, 0]
        func tag(_ body: [UInt8], timestamp: UInt32) {
            let size = UInt32(body.count)
            file += [9, UInt8(size >> 16 & 0xFF), UInt8(size >> 8 & 0xFF), UInt8(size & 0xFF)]
            file += [UInt8(timestamp >> 16 & 0xFF), UInt8(timestamp >> 8 & 0xFF), UInt8(timestamp & 0xFF), UInt8(timestamp >> 24)]
            file += [0, 0, 0] + body
            let previous = size + 11
            file += [UInt8(previous >> 24), UInt8(previous >> 16 & 0xFF), UInt8(previous >> 8 & 0xFF), UInt8(previous & 0xFF)]
        }
        tag(video.sequenceHeaderTag, timestamp: 0)
        for index in 0..<30 { tag(video.frameTag(index), timestamp: video.timestamp(ofFrame: index)) }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("synthetic-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("video.flv").path
        try Data(file).write(to: URL(fileURLWithPath: path))

        let process = Process()
        process.executableURL = URL(fileURLWithPath: ffmpeg)
        process.arguments = ["-nostdin", "-hide_banner", "-v", "error", "-i", path, "-f", "framemd5", "-"]
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let printed = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let complaints = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(complaints)")
        #expect(complaints.isEmpty, "ffmpeg complained: \(complaints)")
        let frames = printed.split(separator: "\n").filter { !$0.hasPrefix("#") }
        #expect(frames.count == 30, "\(printed)")
        // Each line ends with the decoded picture's MD5: each picture differs from the one before.
        let digests = frames.map { $0.split(separator: ",").last ?? "" }
        #expect(zip(digests, digests.dropFirst()).allSatisfy { $0 != $1 })
        #expect(printed.contains("#dimensions 0: 80x64"), "\(printed)")
    }
}
