import Foundation
import Testing

@testable import Lab

/// A player that plays (`client.play`): the scenario keys, the time to the first frame on the
/// simulated and the loopback network, and what the reports write of it.
@Suite("First frame", .serialized, .timeLimit(.minutes(5)))
struct FirstFrameTests {
    static let shipped = "first-frame-rtmp-vs-rtmpt"

    static func scenario(_ text: String, file: String = "play.yaml") throws -> Scenario {
        try ScenarioLoader.parse(Array(text.utf8), file: file)
    }

    static func diagnostics(_ text: String, file: String = "play.yaml") -> [String] {
        do {
            _ = try ScenarioLoader.parse(Array(text.utf8), file: file)
            return []
        } catch {
            return error.diagnostics.map(\.description)
        }
    }

    static func text(client: String = "  play: stream\n", server: String = "", expect: String = "") -> String {
        """
        name: play
        description: a player that plays
        client:
          url: rtmp://media.example.com/live
        \(client)\(server.isEmpty ? "" : "server:\n" + server)
        policies: [flowplayer]
        \(expect.isEmpty ? "" : "expect:\n" + expect)
        """
    }

    @Test func aPlayerThatPlaysGetsTheGeneratedVideoUnlessTheFileNamesMedia() throws {
        let playing = try Self.scenario(Self.text())
        #expect(playing.client.play == "stream")
        guard case .synthetic = playing.server.media else {
            Issue.record("media: \(String(describing: playing.server.media))")
            return
        }
        let silent = try Self.scenario(Self.text(client: ""))
        #expect(silent.client.play == nil)
        #expect(silent.server.media == nil)
        #expect(silent.server.session.playableStreams == [])
        #expect(playing.server.session.playableStreams == nil)
    }

    @Test func mediaFromAFileBesideTheScenario() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fallbacklab-media-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        // A muxer's FLV: header, PreviousTagSize0, one keyframe tag (AVC NALU) and its size.
        let payload: [UInt8] = [0x17, 0x01, 0, 0, 0, 0, 0, 0, 1, 0x65]
        var flv: [UInt8] = Array("FLV".utf8) + [1, 0x01, 0, 0, 0, 9, 0, 0, 0, 0]
        flv += [9, 0, 0, UInt8(payload.count), 0, 0, 0, 0, 0, 0, 0] + payload + [0, 0, 0, UInt8(payload.count + 11)]
        try Data(flv).write(to: folder.appendingPathComponent("clip.flv"))
        try Data("not an flv".utf8).write(to: folder.appendingPathComponent("broken.flv"))
        let file = folder.appendingPathComponent("play.yaml").path

        let scenario = try Self.scenario(Self.text(server: "  media: clip.flv\n"), file: file)
        guard case .file(let clip) = scenario.server.media else {
            Issue.record("media: \(String(describing: scenario.server.media))")
            return
        }
        #expect(clip.tags.map(\.payload) == [payload])

        let missing = Self.diagnostics(Self.text(server: "  media: nowhere.flv\n"), file: file)
        #expect(missing.count == 1)
        #expect(missing.first?.contains("server.media: no file at \(folder.path)/nowhere.flv") == true, "\(missing)")
        let broken = Self.diagnostics(Self.text(server: "  media: broken.flv\n"), file: file)
        #expect(broken.count == 1)
        #expect(broken.first?.contains("broken.flv is not a playable FLV file") == true, "\(broken)")
        #expect(broken.first?.hasPrefix("\(file):7:") == true, "\(broken)")
    }

    @Test func theGeneratedVideosSizeAndRateSetItsBitrate() throws {
        let scenario = try Self.scenario(Self.text(server: "  media: synthetic:320x240@25\n"))
        guard case .synthetic(let video) = scenario.server.media else {
            Issue.record("media: \(String(describing: scenario.server.media))")
            return
        }
        #expect((video.width, video.height, video.framesPerSecond) == (320, 240, 25))
        #expect(video.frameTag(0).count > 384 * 20 * 15, "uncompressed: 384 bytes per macroblock")
        let rateOnly = try Self.scenario(Self.text(server: "  media: synthetic:@25\n"))
        if case .synthetic(let video) = rateOnly.server.media {
            #expect((video.width, video.height, video.framesPerSecond) == (64, 48, 25))
        } else {
            Issue.record("media: \(String(describing: rateOnly.server.media))")
        }
        let bad = Self.diagnostics(Self.text(server: "  media: synthetic:100x100\n"))
        #expect(bad.first?.contains("100x100 is not a multiple of 16") == true, "\(bad)")
        #expect(throws: (any Error).self) { try LiveCommands.media("synthetic:320x240@0") }
    }

    @Test func badPlayKeysAreRefusedWithTheirPlace() throws {
        let empty = Self.diagnostics(Self.text(client: "  play: \"\"\n"))
        #expect(empty.count == 1)
        #expect(empty.first?.contains("client.play names no stream") == true, "\(empty)")
        let failedFrame = Self.diagnostics(Self.text(expect: "  - policy: flowplayer\n    outcome: failed\n    first-frame-within: 1s\n"))
        #expect(failedFrame.count == 1)
        #expect(failedFrame.first?.contains("first-frame-within claims a picture but the outcome is failed") == true, "\(failedFrame)")
        // Allowed but pointless: a warning, never a refusal.
        let withoutPlay = try Self.scenario(Self.text(client: "", expect: "  - policy: flowplayer\n    first-frame-within: 1s\n"))
        #expect(withoutPlay.warnings.map(\.description).contains { $0.contains("first-frame-within needs a player that plays") })
        #expect(withoutPlay.expectations.first?.firstFrameWithin == .seconds(1))
    }

    @Test func theShippedScenarioShowsTheTunnelsExtraRoundTripsToThePicture() async throws {
        let planned = try LabRunner.plan([try LiveReportTests.shipped(Self.shipped)], options: RunOptions())
        let results = await LabRunner.run(planned)
        var frames: [String: Duration] = [:]
        var connects: [String: Duration] = [:]
        for record in results.records {
            guard case .success(let measured) = record.measurement else {
                Issue.record("\(record.policy): \(record.measurement)")
                continue
            }
            frames[record.policy] = measured.timeline.timeToFirstFrame
            connects[record.policy] = measured.timeline.timeToConnect
            #expect(!record.verdicts.contains { !$0.passed }, "\(record.verdicts)")
        }
        // 40 ms one way: RTMP connects in 3 round trips and plays in 2 more; RTMPT's /open adds one
        // before connect, and createStream and play are one POST each.
        #expect(connects["rtmp-only"] == .milliseconds(240))
        #expect(frames["rtmp-only"] == .milliseconds(400))
        #expect(connects["rtmpt-only"] == .milliseconds(320))
        #expect(frames["rtmpt-only"] == .milliseconds(560))

        let folder = LiveReportTests.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try ReportOutput(formats: "csv,json,html").write(results, to: folder)
        let csv = try String(contentsOfFile: folder + "/results.csv", encoding: .utf8)
            .components(separatedBy: "\r\n").filter { !$0.isEmpty }
        let header = csv[0].split(separator: ",", omittingEmptySubsequences: false)
        let column = try #require(header.firstIndex(of: "time_to_first_frame_ms"))
        #expect(header[column + 1] == "play_failure")
        let rows = csv.dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        #expect(rows.map { String($0[column]) } == ["400.000", "560.000", "400.000"])
        let html = try String(contentsOfFile: folder + "/index.html", encoding: .utf8)
        #expect(html.contains("first frame @ 400 ms"), "the waterfall names the first frame")
        #expect(html.contains("class=\"play\""))
    }

    @Test func aStreamThatNeverPlaysIsAPlayFailureNotAConnectFailure() async throws {
        // A server with no media: the play starts, and ends with the server's StreamNotFound.
        var scenario = try Self.scenario(Self.text(expect: "  - policy: flowplayer\n    first-frame-within: 5s\n"))
        scenario.server.media = nil
        let planned = try LabRunner.plan([scenario], options: RunOptions())
        let results = await LabRunner.run(planned)
        let record = try #require(results.records.first)
        guard case .success(let measured) = record.measurement else {
            Issue.record("\(record.measurement)")
            return
        }
        #expect(measured.timeline.outcome == .connected)
        #expect(measured.timeline.timeToFirstFrame == nil)
        #expect(measured.timeline.playFailure == "No such stream")
        #expect(record.verdicts.map(\.passed) == [false])
        #expect(record.verdicts.first?.measured.contains("no first frame (No such stream)") == true, "\(record.verdicts)")
    }

    @Test func loopbackAgreesWithTheSimulationOnTheFirstFrame() async throws {
        let planned = try LabRunner.plan(
            [try LiveReportTests.shipped(Self.shipped)], options: RunOptions(policies: ["rtmp-only", "rtmpt-only"]))
        let calibration = await Calibration.run(planned, liveRepetitions: 3)
        #expect(calibration.rows.count == 2)
        for (row, live) in calibration.measuredRows() {
            #expect(live.firstFrame != nil, "\(row.policy)")
            #expect(row.agrees, "\(row.policy): \(row.disagreement ?? "")")
        }
    }
}
