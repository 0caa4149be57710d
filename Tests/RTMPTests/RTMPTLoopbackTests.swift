import Testing
@testable import RTMP

/// Our client tunnel carrying our handshake client, against our server tunnel carrying our handshake
/// server, over an in-memory connection: the two ends agree on framing, sequence numbers, ordering
/// and closing, and the digest handshake survives the tunnel.
@Suite struct RTMPTLoopbackTests {
    struct Outcome {
        var clientVerified: Bool?
        var serverSawDigest: Bool?
        var requests: [String] = []
        var closed = false
    }

    static func run(mode: HandshakeMode, viaProxy: Bool) throws -> Outcome {
        var clientTunnel = RTMPTClientTunnel(configuration: .init(host: "127.0.0.1", port: 80, viaProxy: viaProxy))
        var serverTunnel = RTMPTServerTunnel(seed: 42)
        var handshakeClient = RTMPHandshakeClient(mode: mode, seed: 1)
        var handshakeServers: [String: RTMPHandshakeServer] = [:]
        var outcome = Outcome()
        var toServer: [UInt8] = []
        var toClient: [UInt8] = []
        var pollPending = false
        var closeSent = false

        func runClient(_ action: RTMPTClientTunnel.Action) throws {
            var pending = [action]
            while !pending.isEmpty {
                let action = pending.removeFirst()
                if !action.write.isEmpty {
                    toServer += action.write
                    outcome.requests.append(try RTMPTClientTunnelTests.request(action.write).target)
                }
                if !action.deliver.isEmpty {
                    switch handshakeClient.received(action.deliver[...]) {
                    case .wait: break
                    case .completed(let c2, let verified, _):
                        outcome.clientVerified = verified
                        pending.append(clientTunnel.send(c2))
                    case .failed(let error): Issue.record("client handshake failed: \(error)")
                    }
                }
                switch action.timer {
                case .schedule?: pollPending = true
                case .cancel?: pollPending = false
                case nil: break
                }
                switch action.event {
                case .opened?: pending.append(clientTunnel.send(handshakeClient.start()))
                case .closed?: outcome.closed = true
                case .failed(let error)?: Issue.record("tunnel failed: \(error)")
                case nil: break
                }
            }
        }

        func runServer() {
            var action = serverTunnel.received(toServer[...], on: 1)
            toServer = []
            for _ in 0..<50 {
                switch action {
                case .wait: return
                case .sessionOpened(let id): handshakeServers[id] = RTMPHandshakeServer(seed: 2)
                case .deliver(let id, let bytes):
                    switch handshakeServers[id]?.received(bytes[...]) {
                    case .reply(let reply)?: serverTunnel.enqueue(session: id, bytes: reply)
                    case .replyAndCompleted(let reply, _, let digest)?:
                        serverTunnel.enqueue(session: id, bytes: reply)
                        outcome.serverSawDigest = digest
                    case .completed(_, let digest)?: outcome.serverSawDigest = digest
                    case .wait?, nil: break
                    case .failed(let error)?: Issue.record("server handshake failed: \(error)")
                    }
                case .sessionClosed(let id): handshakeServers[id] = nil
                case .write(let bytes): toClient += bytes
                case .closeConnection(let error): Issue.record("server closed the connection: \(error)")
                }
                action = serverTunnel.next(on: 1)
            }
            Issue.record("server step loop did not settle")
        }

        try runClient(clientTunnel.start())
        for _ in 0..<40 {
            if !toServer.isEmpty { runServer() }
            if !toClient.isEmpty {
                let bytes = toClient
                toClient = []
                try runClient(clientTunnel.received(bytes[...]))
            } else if outcome.serverSawDigest != nil, !closeSent {
                closeSent = true
                try runClient(clientTunnel.close())
            } else if pollPending {
                pollPending = false
                try runClient(clientTunnel.timerFired(.poll))
            } else if outcome.closed {
                break
            }
        }
        #expect(serverTunnel.sessionIDs.isEmpty, "the client's /close removed the session")
        return outcome
    }

    @Test(arguments: [HandshakeMode.plain, .digest], [false, true])
    func handshakeThroughTheTunnel(mode: HandshakeMode, viaProxy: Bool) throws {
        let outcome = try Self.run(mode: mode, viaProxy: viaProxy)
        #expect(outcome.clientVerified == (mode == .digest))
        #expect(outcome.serverSawDigest == (mode == .digest))
        #expect(outcome.closed)
        let paths = outcome.requests.map { target in
            viaProxy ? String(target.dropFirst("http://127.0.0.1:80".count)) : target
        }
        #expect(paths.first == "/open/1")
        let id = String(paths[1].split(separator: "/")[1])
        #expect(id.count == 16)
        // C0+C1, then C2 once S0+S1+S2 are in, then /close: sequence numbers 0, 1, 2 without gaps.
        #expect(paths.dropFirst() == ["/send/\(id)/0", "/send/\(id)/1", "/close/\(id)/2"])
    }
}
