import Foundation
import LiveNet
import RTMP
import RunCore
import Testing
import TestSupport

/// Real players play our server's synthetic video and decode it: ffmpeg counts the frames it
/// decoded, rtmpdump writes the stream to an FLV file that ffprobe decodes. Over RTMP and through
/// the RTMPT tunnel on the same port (where every picture waits for the player's next poll).
@Suite("Interop: media from our server to ffmpeg and rtmpdump", .timeLimit(.minutes(5)))
struct MediaPlayInteropTests {
    static let video = SyntheticVideo()

    static func configuration() -> LiveServerConfiguration {
        LiveServerConfiguration(
            listen: [ListenAddress(host: "127.0.0.1", port: 0)],
            session: .init(playableStreams: nil, media: .synthetic(video)))
    }

    @Test(.enabled(if: InteropEnvironment.canRun("ffmpeg"), "ffmpeg is not installed"),
          arguments: [ServedProtocol.rtmp, .rtmpt])
    func ffmpegDecodesTheFramesItPlays(over transport: ServedProtocol) async throws {
        let ffmpeg = try InteropEnvironment.require("ffmpeg")
        try await LiveServer.serving(Self.configuration(), observer: { _ in }) { server in
            let port = server.ports[0]
            let finished = try await TestProcess.run(ffmpeg, [
                // ffmpeg's RTMP input announces no streams, so its probe would wait 5 s for audio.
                "-nostdin", "-hide_banner", "-v", "error", "-rw_timeout", "10000000", "-analyzeduration", "1000000",
                "-i", "\(transport.rawValue)://127.0.0.1:\(port)/live/x", "-frames:v", "10", "-f", "framemd5", "-",
            ], limit: .seconds(60))
            #expect(finished.status == 0, "\(finished.errors)")
            #expect(finished.errors.isEmpty, "ffmpeg complained: \(finished.errors)")
            let frames = finished.output.split(separator: "\n").filter { !$0.hasPrefix("#") }
            #expect(frames.count == 10, "\(finished.output)")
            #expect(finished.output.contains("#dimensions 0: \(Self.video.width)x\(Self.video.height)"), "\(finished.output)")
            // Pictures 0 to 9, one frame interval apart: framemd5 counts pts in the frame rate's time base.
            #expect(finished.output.contains("#tb 0: 1/\(Self.video.framesPerSecond)"), "\(finished.output)")
            let stamps = frames.compactMap { $0.split(separator: ",").dropFirst(2).first.flatMap { Int($0.trimmingCharacters(in: .whitespaces)) } }
            #expect(stamps == Array(0..<10), "\(finished.output)")
        }
    }

    @Test(.enabled(if: InteropEnvironment.canRun("rtmpdump", "ffprobe"), "rtmpdump or ffprobe is not installed"),
          arguments: [ServedProtocol.rtmp, .rtmpt])
    func rtmpdumpRecordsTwoSecondsThatFFprobeDecodes(over transport: ServedProtocol) async throws {
        let rtmpdump = try InteropEnvironment.require("rtmpdump")
        let ffprobe = try InteropEnvironment.require("ffprobe")
        let folder = try TemporaryFolder()
        let file = folder.path("played.flv")
        try await LiveServer.serving(Self.configuration(), observer: { _ in }) { server in
            let port = server.ports[0]
            // --live, and --stop 2: librtmp asks for 2000 ms in play and ends at the server's Play.Stop.
            let started = ContinuousClock.now
            let finished = try await TestProcess.run(rtmpdump, [
                "-q", "--live", "-r", "\(transport.rawValue)://127.0.0.1:\(port)/live/x", "--stop", "2", "-m", "20",
                "-o", file,
            ], limit: .seconds(45))
            let took = ContinuousClock.now - started
            #expect(finished.status == 0, "\(finished.output)\(finished.errors)")
            // Paced at 10 pictures a second: the last of 20 leaves 1.9 s after the first.
            #expect(took >= .milliseconds(1800), "rtmpdump ended after \(took)")
        }
        let probe = try await TestProcess.run(ffprobe, [
            "-v", "error", "-count_frames", "-show_entries", "stream=codec_name,width,height,nb_read_frames",
            "-of", "default=noprint_wrappers=1", file,
        ], limit: .seconds(30))
        #expect(probe.status == 0, "\(probe.errors)")
        #expect(probe.errors.isEmpty, "ffprobe complained: \(probe.errors)")
        #expect(probe.output.contains("codec_name=h264"), "\(probe.output)")
        #expect(probe.output.contains("width=\(Self.video.width)") && probe.output.contains("height=\(Self.video.height)"))
        #expect(probe.output.contains("nb_read_frames=20"), "\(probe.output)")
    }

    /// An FLV file ffmpeg wrote (two seconds of testsrc, 10 pictures a second), served as a file:
    /// ffmpeg playing it from our server decodes the very pictures it decodes from the file, and the
    /// play ends by itself at the end of the file (exit 0, no frame limit given).
    @Test(.enabled(if: InteropEnvironment.canRun("ffmpeg"), "ffmpeg is not installed"),
          arguments: [ServedProtocol.rtmp, .rtmpt])
    func aServedFileDecodesToTheFilesOwnPictures(over transport: ServedProtocol) async throws {
        let ffmpeg = try InteropEnvironment.require("ffmpeg")
        let folder = try TemporaryFolder()
        let file = folder.path("testsrc.flv")
        let made = try await TestProcess.run(ffmpeg, [
            "-nostdin", "-v", "error", "-f", "lavfi", "-i", "testsrc=size=160x120:rate=10", "-t", "2",
            "-c:v", "flv1", "-f", "flv", file,
        ], limit: .seconds(60))
        try #require(made.status == 0, "\(made.errors)")
        func pictures(_ input: String) async throws -> [Substring] {
            let decoded = try await TestProcess.run(ffmpeg, [
                "-nostdin", "-hide_banner", "-v", "error", "-rw_timeout", "10000000", "-analyzeduration", "1000000",
                "-i", input, "-f", "framemd5", "-",
            ], limit: .seconds(60))
            #expect(decoded.status == 0, "\(input): \(decoded.errors)")
            #expect(decoded.errors.isEmpty, "\(input): ffmpeg complained: \(decoded.errors)")
            // The MD5 of each decoded picture, in order.
            return decoded.output.split(separator: "\n").filter { !$0.hasPrefix("#") }.compactMap { $0.split(separator: ",").last }
        }
        let fromFile = try await pictures(file)
        #expect(fromFile.count == 20)
        let bytes = try #require(FileManager.default.contents(atPath: file))
        let configuration = LiveServerConfiguration(
            listen: [ListenAddress(host: "127.0.0.1", port: 0)],
            session: .init(playableStreams: nil, media: .file(try FLVFile(parsing: Array(bytes)))))
        try await LiveServer.serving(configuration) { server in
            let started = ContinuousClock.now
            let played = try await pictures("\(transport.rawValue)://127.0.0.1:\(server.ports[0])/live/x")
            #expect(played == fromFile)
            // Paced: the last picture is due 1.9 s after the first.
            #expect(ContinuousClock.now - started >= .milliseconds(1800))
        }
    }
}
