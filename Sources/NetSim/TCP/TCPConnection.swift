import RunCore

/// One end of a simulated TCP connection: the handshake, SYN and data retransmission, in-order
/// delivery and FIN/RST, as a client's kernel would do them.
///
/// What is modelled is what changes what an application sees and when: the OS's SYN schedule, one
/// round trip per handshake, MSS segmentation, RTO (RFC 6298, with Karn's rule and exponential
/// backoff) and reassembly of segments that jitter reordered. Congestion and flow control are not
/// modelled: the link's bandwidth paces the sender, and the handshakes and RTMPT polls this tool
/// measures never fill a window.
final class TCPConnection {
    enum State {
        case synSent
        case synReceived
        case established
        case closed
    }

    static let mss = 1460

    let id: TCPConnectionID
    let host: HostID
    let local: SimEndpoint
    let remote: SimEndpoint
    let profile: OSProfile
    unowned let network: SimNetwork
    private(set) var handler: (any TCPHandler)?
    private(set) var state: State

    // Sending side.
    private let iss: UInt32
    private var sndUna: UInt32
    private var sndNxt: UInt32
    /// Data and FIN segments sent and not yet acknowledged, in sequence order.
    private var inFlight: [TCPSegment] = []
    /// Bytes the application wrote before the handshake completed.
    private var pendingSend: [UInt8] = []
    /// The application closed its socket: nothing more is sent or delivered.
    private var applicationClosed = false
    private var finSent = false

    // Receiving side.
    private var rcvNxt: UInt32 = 0
    private var reassembly: [UInt32: TCPSegment] = [:]
    private var peerFinReceived = false

    // Timers and round-trip estimation.
    private var timerGeneration: UInt64 = 0
    private var timerArmed = false
    private var handshakeTransmissions = 0
    private var resetRetries = 0
    private var handshakeSentAt: SimTime = .zero
    private var consecutiveTimeouts = 0
    private var srtt: Int64?
    private var rttvar: Int64 = 0
    private var rto: Int64
    private var rttProbe: (end: UInt32, sentAt: SimTime)?
    /// The path to `remote`, resolved by the network on the first segment sent.
    private var route: SimNetwork.Route?

    init(
        id: TCPConnectionID, host: HostID, local: SimEndpoint, remote: SimEndpoint, profile: OSProfile,
        network: SimNetwork, handler: any TCPHandler, iss: UInt32, passive: Bool
    ) {
        self.id = id
        self.host = host
        self.local = local
        self.remote = remote
        self.profile = profile
        self.network = network
        self.handler = handler
        self.iss = iss
        self.sndUna = iss
        self.sndNxt = iss
        self.state = passive ? .synReceived : .synSent
        self.rto = profile.initialRTO.nanosecondsClamped
    }

    // MARK: Opening

    /// Active open: the first SYN, now.
    func startActiveOpen() {
        sndNxt = iss &+ 1
        sendSYN()
    }

    /// Passive open: a SYN arrived on a listening port; answer with a SYN-ACK.
    func startPassiveOpen(syn: TCPSegment) {
        rcvNxt = syn.sequence &+ 1
        sndNxt = iss &+ 1
        sendSYNACK()
    }

    private func sendSYN() {
        handshakeTransmissions += 1
        handshakeSentAt = network.loop.now
        network.noteSYN(of: id)
        emit(flags: .syn, sequence: iss, acknowledgement: 0)
        let intervals = profile.synRetransmissionIntervals
        let sent = handshakeTransmissions
        armTimer(after: sent - 1 < intervals.count ? intervals[sent - 1].nanosecondsClamped : profile.finalSYNWait.nanosecondsClamped)
    }

    private func sendSYNACK() {
        handshakeTransmissions += 1
        handshakeSentAt = network.loop.now
        emit(flags: [.syn, .ack], sequence: iss, acknowledgement: rcvNxt)
        // The passive side's SYN-ACK timer starts at 1 s and doubles (Linux `tcp_synack_retries`).
        armTimer(after: Int64(1_000_000_000) << Int64(min(handshakeTransmissions - 1, 30)))
    }

    // MARK: Application calls

    func send(_ bytes: [UInt8]) {
        guard !applicationClosed, !bytes.isEmpty else { return }
        switch state {
        case .synSent, .synReceived:
            pendingSend += bytes
        case .established:
            transmit(bytes)
        case .closed:
            return
        }
    }

    /// A full close, as `close()` on a socket: queued data is still sent, then FIN; data that
    /// arrives afterwards is answered with a reset.
    func close() {
        guard !applicationClosed else { return }
        applicationClosed = true
        switch state {
        case .synSent, .synReceived:
            // Nothing to say yet: a late SYN-ACK or ACK will meet no socket and be reset.
            terminate()
        case .established:
            sendFIN()
            finishIfDone()
        case .closed:
            return
        }
    }

    /// An abortive close: a reset, now.
    func abort() {
        switch state {
        case .synSent:
            terminate()
        case .synReceived, .established:
            emit(flags: [.rst, .ack], sequence: sndNxt, acknowledgement: rcvNxt)
            terminate()
        case .closed:
            return
        }
    }

    // MARK: Input

    func receive(_ segment: TCPSegment) {
        // Taken first: the segment may end the connection (a FIN completing a close) after it
        // produced events the application must still see.
        let handler = self.handler
        var events: [TCPEvent] = []
        switch state {
        case .closed:
            return
        case .synSent:
            receiveInSynSent(segment, events: &events)
        case .synReceived:
            receiveInSynReceived(segment, events: &events)
        case .established:
            receiveInEstablished(segment, events: &events)
        }
        guard let handler else { return }
        for event in events {
            handler.handle(event, on: id)
        }
    }

    /// An ICMP unreachable quoting one of our segments. Linux ends a SYN_SENT attempt at once; after
    /// the connection is established these are soft errors (RFC 1122 §4.2.3.9) and are ignored.
    func receive(_ icmp: ICMPUnreachable) {
        switch state {
        case .synSent:
            let error: TCPError
            switch icmp.code {
            case .port: error = .refused
            case .host, .adminProhibited: error = .hostUnreachable
            case .network: error = .networkUnreachable
            }
            fail(error)
        case .synReceived, .established, .closed:
            return
        }
    }

    private func receiveInSynSent(_ segment: TCPSegment, events: inout [TCPEvent]) {
        let acceptableAck = segment.flags.contains(.ack) && segment.acknowledgement == iss &+ 1
        if segment.flags.contains(.rst) {
            guard acceptableAck else { return }
            if resetRetries < profile.synRetriesAfterReset.count {
                // The OS tries again after a pause instead of failing at once (an assumption a
                // profile opts into); the retry SYN then follows the normal schedule.
                let wait = profile.synRetriesAfterReset[resetRetries].nanosecondsClamped
                resetRetries += 1
                armTimer(after: wait, resendSYN: true)
            } else {
                fail(.refused)
            }
            return
        }
        guard segment.flags.contains(.syn), acceptableAck else { return }
        rcvNxt = segment.sequence &+ 1
        sndUna = iss &+ 1
        takeHandshakeSample()
        state = .established
        cancelTimer()
        emit(flags: .ack, sequence: sndNxt, acknowledgement: rcvNxt)
        events.append(.connected)
        flushPendingSend()
    }

    private func receiveInSynReceived(_ segment: TCPSegment, events: inout [TCPEvent]) {
        if segment.flags.contains(.rst) {
            terminate()
            return
        }
        if segment.flags.contains(.syn) {
            // The client retransmitted its SYN: our SYN-ACK (or its ACK) was lost. Answer again.
            if segment.sequence &+ 1 == rcvNxt {
                emit(flags: [.syn, .ack], sequence: iss, acknowledgement: rcvNxt)
            }
            return
        }
        guard segment.flags.contains(.ack), segment.acknowledgement == iss &+ 1 else { return }
        sndUna = iss &+ 1
        takeHandshakeSample()
        state = .established
        cancelTimer()
        events.append(.accepted(remote: remote))
        flushPendingSend()
        receiveInEstablished(segment, events: &events)
    }

    private func receiveInEstablished(_ segment: TCPSegment, events: inout [TCPEvent]) {
        if segment.flags.contains(.rst) {
            if applicationClosed { terminate() } else { fail(.reset) }
            return
        }
        if segment.flags.contains(.syn) {
            // A retransmitted SYN-ACK: our ACK was lost. Acknowledge again.
            emit(flags: .ack, sequence: sndNxt, acknowledgement: rcvNxt)
            return
        }
        if segment.flags.contains(.ack) {
            processAcknowledgement(segment.acknowledgement)
            if state == .closed { return }
        }
        guard segment.sequenceLength > 0 else {
            finishIfDone()
            return
        }
        if applicationClosed, !segment.payload.isEmpty {
            // Data for a closed socket: the kernel resets the connection.
            emit(flags: [.rst, .ack], sequence: sndNxt, acknowledgement: rcvNxt)
            terminate()
            return
        }
        let offset = Int32(bitPattern: segment.sequence &- rcvNxt)
        if offset == 0 {
            accept(segment, events: &events)
            // Segments that jitter delivered early can follow now.
            var guardCount = reassembly.count
            while guardCount > 0, let next = reassembly.removeValue(forKey: rcvNxt) {
                accept(next, events: &events)
                guardCount -= 1
            }
        } else if offset > 0 {
            reassembly[segment.sequence] = segment
        }
        // In order, out of order or a duplicate: acknowledge what we have (a duplicate ACK tells the
        // sender where the hole is).
        emit(flags: .ack, sequence: sndNxt, acknowledgement: rcvNxt)
        finishIfDone()
    }

    private func accept(_ segment: TCPSegment, events: inout [TCPEvent]) {
        rcvNxt = rcvNxt &+ segment.sequenceLength
        if !segment.payload.isEmpty, !applicationClosed {
            events.append(.received(segment.payload))
        }
        if segment.flags.contains(.fin), !peerFinReceived {
            peerFinReceived = true
            if !applicationClosed { events.append(.peerClosed) }
        }
    }

    private func processAcknowledgement(_ ack: UInt32) {
        let advance = Int32(bitPattern: ack &- sndUna)
        let beyond = Int32(bitPattern: ack &- sndNxt)
        guard advance > 0, beyond <= 0 else { return }
        sndUna = ack
        while let first = inFlight.first,
              Int32(bitPattern: (first.sequence &+ first.sequenceLength) &- ack) <= 0 {
            inFlight.removeFirst()
        }
        if let probe = rttProbe, Int32(bitPattern: ack &- probe.end) >= 0 {
            takeSample((network.loop.now - probe.sentAt).nanosecondsClamped)
            rttProbe = nil
        }
        consecutiveTimeouts = 0
        if inFlight.isEmpty {
            cancelTimer()
        } else {
            armTimer(after: rto)
        }
    }

    // MARK: Sending

    private func flushPendingSend() {
        guard !pendingSend.isEmpty else { return }
        let bytes = pendingSend
        pendingSend = []
        transmit(bytes)
        if applicationClosed { sendFIN() }
    }

    private func transmit(_ bytes: [UInt8]) {
        var start = 0
        var remaining = bytes.count / Self.mss + 1
        while start < bytes.count, remaining > 0 {
            remaining -= 1
            let end = min(start + Self.mss, bytes.count)
            let payload = (start == 0 && end == bytes.count) ? bytes : Array(bytes[start..<end])
            var flags: TCPSegment.Flags = .ack
            if end == bytes.count { flags.insert(.psh) }
            let segment = makeSegment(flags: flags, sequence: sndNxt, acknowledgement: rcvNxt, payload: payload)
            sndNxt = sndNxt &+ UInt32(payload.count)
            enqueue(segment)
            start = end
        }
    }

    private func sendFIN() {
        guard !finSent else { return }
        finSent = true
        let segment = makeSegment(flags: [.fin, .ack], sequence: sndNxt, acknowledgement: rcvNxt, payload: [])
        sndNxt = sndNxt &+ 1
        enqueue(segment)
    }

    private func enqueue(_ segment: TCPSegment) {
        inFlight.append(segment)
        if rttProbe == nil {
            rttProbe = (segment.sequence &+ segment.sequenceLength, network.loop.now)
        }
        network.emit(segment, from: host, route: &route)
        if !timerArmed { armTimer(after: rto) }
    }

    private func emit(flags: TCPSegment.Flags, sequence: UInt32, acknowledgement: UInt32) {
        network.emit(makeSegment(flags: flags, sequence: sequence, acknowledgement: acknowledgement, payload: []), from: host, route: &route)
    }

    private func makeSegment(flags: TCPSegment.Flags, sequence: UInt32, acknowledgement: UInt32, payload: [UInt8]) -> TCPSegment {
        TCPSegment(
            source: local, destination: remote, sequence: sequence,
            acknowledgement: flags.contains(.ack) ? acknowledgement : 0, flags: flags, payload: payload
        )
    }

    // MARK: Timers

    /// - Parameter resendSYN: the wait after a reset: when it ends the SYN goes out again.
    private func armTimer(after nanoseconds: Int64, resendSYN: Bool = false) {
        timerGeneration &+= 1
        timerArmed = true
        let loop = network.loop
        loop.schedule(
            .tcpTimer(connection: Int32(id.rawValue), generation: timerGeneration, resendSYN: resendSYN),
            at: loop.now + .nanoseconds(nanoseconds))
    }

    /// The loop's timer event for this connection, armed as `generation`: stale when the timer was
    /// re-armed or cancelled since.
    func timerFired(generation: UInt64, resendSYN: Bool) {
        guard timerGeneration == generation, timerArmed else { return }
        timerArmed = false
        if resendSYN, state == .synSent {
            sendSYN()
        } else {
            timerFired()
        }
    }

    private func cancelTimer() {
        timerGeneration &+= 1
        timerArmed = false
    }

    private func timerFired() {
        switch state {
        case .synSent:
            if handshakeTransmissions - 1 < profile.synRetransmissionIntervals.count {
                sendSYN()
            } else {
                fail(.connectTimedOut)
            }
        case .synReceived:
            if handshakeTransmissions <= profile.synAckRetransmissions {
                sendSYNACK()
            } else {
                // The client never completed the handshake: the half-open entry is dropped silently.
                terminate()
            }
        case .established:
            guard let first = inFlight.first else { return }
            consecutiveTimeouts += 1
            if consecutiveTimeouts > profile.maximumDataRetransmissions {
                fail(.retransmissionTimedOut)
                return
            }
            rto = min(rto * 2, 120_000_000_000)
            rttProbe = nil
            var again = first
            again.acknowledgement = rcvNxt
            network.emit(again, from: host, route: &route)
            armTimer(after: rto)
        case .closed:
            return
        }
    }

    // MARK: Round-trip estimation (RFC 6298)

    private func takeHandshakeSample() {
        if handshakeTransmissions == 1 {
            takeSample((network.loop.now - handshakeSentAt).nanosecondsClamped)
        } else {
            // RFC 6298 §5.7: after a retransmitted SYN, start data with a 3 s RTO.
            rto = max(rto, 3_000_000_000)
        }
    }

    private func takeSample(_ sample: Int64) {
        if let srtt {
            rttvar = (3 * rttvar + abs(srtt - sample)) / 4
            self.srtt = (7 * srtt + sample) / 8
        } else {
            srtt = sample
            rttvar = sample / 2
        }
        rto = max(profile.minimumRTO.nanosecondsClamped, (srtt ?? sample) + max(1_000_000, 4 * rttvar))
    }

    // MARK: Ending

    private func finishIfDone() {
        if finSent, peerFinReceived, inFlight.isEmpty {
            terminate()
        }
    }

    private func fail(_ error: TCPError) {
        let handler = self.handler
        let notify = !applicationClosed
        terminate()
        if notify { handler?.handle(.failed(error), on: id) }
    }

    private func terminate() {
        guard state != .closed else { return }
        state = .closed
        cancelTimer()
        network.forget(self)
        handler = nil
    }
}
