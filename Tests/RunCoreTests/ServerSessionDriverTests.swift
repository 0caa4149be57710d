import RTMP
import Testing
import RunCore

/// The server's side, on the same wire: the session driver's calls to its runtime, and the one sniff
/// decision both servers take.
@Suite struct ServerSessionDriverTests {
    /// Records what the driver asked for.
    final class Recorder: ServerSessionRuntime {
        enum Event: Equatable { case wrote, scheduled, cancelled, closedTransport }
        var events: [Event] = []
        var observed: [RTMPServerSession.Observation] = []
        func write(_ bytes: [UInt8]) { events.append(.wrote) }
        func scheduleSessionTimer(_ timer: RTMPServerSession.Timer, after delay: Duration) { events.append(.scheduled) }
        func cancelSessionTimer(_ timer: RTMPServerSession.Timer) { events.append(.cancelled) }
        func closeTransport() { events.append(.closedTransport) }
        func observed(_ observation: RTMPServerSession.Observation) { observed.append(observation) }
    }

    @Test func anAcceptingServerObservesTheConnectAndAnswersIt() {
        let wire = AttemptWire(behavior: .accept)
        wire.run()
        #expect(wire.milestones.last == .ended(.succeeded))
    }

    @Test func garbageIsAProtocolErrorThatClosesTheTransportOnce() {
        let recorder = Recorder()
        let driver = ServerSessionDriver(configuration: .init(), seed: 1)
        driver.received([0x07, 0x01, 0x02][...], on: recorder)
        #expect(recorder.events.last == .closedTransport)
        #expect(driver.isClosed)
        let before = recorder.events
        driver.received([0x03][...], on: recorder)
        driver.timerFired(.thinkTime, on: recorder)
        driver.transportClosed(on: recorder)
        #expect(recorder.events == before, "a closed session ignores what still arrives")
    }

    @Test func aThinkingServerAnswersWhenItsTimerFires() {
        let wire = AttemptWire(behavior: .accept, delay: .seconds(2))
        wire.run()
        #expect(!wire.driver.hasEnded, "the answer waits for the think time")
        #expect(wire.server.timers == ["schedule thinkTime after 2.0 seconds"])
        let answer = wire.server.thinkTimeOver()
        #expect(!answer.isEmpty)
        for bytes in answer { wire.driver.received(bytes[...], on: wire) }
        #expect(wire.milestones.last == .ended(.succeeded))
    }

    @Test func aThinkingServerWhoseClientLeavesCancelsItsTimerAndNeverAnswers() {
        let wire = AttemptWire(behavior: .accept, delay: .seconds(2))
        wire.run()
        wire.server.clientLeft()
        #expect(wire.server.timers == ["schedule thinkTime after 2.0 seconds", "cancel thinkTime"])
        #expect(wire.server.thinkTimeOver().isEmpty, "a timer already due finds the session closed")
    }

    @Test func theSniffDecisionNamesWhatThePortDoesNotServe() {
        let offered: [ServedProtocol] = [.rtmp, .rtmpt]
        #expect(ServedProtocol.sniff([][...], offered: offered) == .needMoreBytes)
        #expect(ServedProtocol.sniff([0x03][...], offered: offered) == .serve(.rtmp))
        #expect(ServedProtocol.sniff(Array("POST /open/1 HTTP/1.1\r\n".utf8)[...], offered: offered) == .serve(.rtmpt))
        #expect(ServedProtocol.sniff([0x16, 0x03, 0x01][...], offered: offered) == .refuse("TLS (RTMPS) is not served on this port"))
        #expect(ServedProtocol.sniff([0x16, 0x03, 0x01][...], offered: [.rtmps]) == .serve(.rtmps))
        #expect(ServedProtocol.sniff([0x03][...], offered: [.rtmpt]) == .refuse("RTMP is not served on this port"))
        #expect(ServedProtocol.sniff([0x06][...], offered: offered) == .refuse("RTMPE (C0 0x6) is not served"))
        #expect(ServedProtocol.sniff([0xff][...], offered: offered) == .refuse("first byte 0xff is neither RTMP, TLS nor HTTP"))
    }
}
