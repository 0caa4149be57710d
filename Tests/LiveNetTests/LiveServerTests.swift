import Connector
import NIOCore
import NIOPosix
import Testing

@testable import LiveNet

@Suite("LiveServer", .timeLimit(.minutes(3)))
struct LiveServerTests {
    static let anyPort = ListenAddress(host: "127.0.0.1", port: 0)

    @Test func portZeroGetsARealPortPerAddress() async throws {
        let configuration = LiveServerConfiguration(listen: [Self.anyPort, Self.anyPort, Self.anyPort])
        try await LiveServer.serving(configuration) { server in
            #expect(server.ports.count == 3)
            #expect(server.ports.allSatisfy { $0 > 0 })
            #expect(Set(server.ports).count == 3)
            #expect(server.addresses.allSatisfy { $0.host == "127.0.0.1" })
        }
    }

    @Test func aPortInUseIsNamedAndTheOtherBindsAreUndone() async throws {
        try await LiveServer.serving(LiveServerConfiguration(listen: [Self.anyPort])) { first in
            let taken = first.addresses[0]
            // Below the ephemeral range: no parallel port-0 bind can take it between our binds.
            let freePort = try #require(ReservedPort.freeBelowEphemeralRange())
            let free = ListenAddress(host: "127.0.0.1", port: freePort)
            // The first address binds, the second collides: the error names the second, and the
            // first is released again (the kernel's table no longer lists it as listening).
            await #expect(throws: LiveServerError.portInUse(taken)) {
                _ = try await LiveServer.start(LiveServerConfiguration(listen: [free, taken]))
            }
            #expect(await KernelListenTable.wait(until: false, port: freePort, timeout: .seconds(2)))
            #expect(KernelListenTable.isListening(taken.port))
            #expect(LiveServerError.portInUse(taken).description == "port \(taken.port) is already in use (\(taken))")
        }
    }

    @Test func badAddressesAreTypedErrors() async {
        await #expect(throws: LiveServerError.noAddresses) {
            _ = try await LiveServer.start(LiveServerConfiguration(listen: []))
        }
        // 192.0.2.1 (TEST-NET-1) is no address of this machine: bind fails without sending anything.
        let foreign = ListenAddress(host: "192.0.2.1", port: 0)
        await #expect(throws: LiveServerError.addressNotAvailable(foreign)) {
            _ = try await LiveServer.start(LiveServerConfiguration(listen: [foreign]))
        }
        let nonsense = ListenAddress(host: "no such host.invalid", port: 0)
        await #expect(throws: LiveServerError.self) {
            _ = try await LiveServer.start(LiveServerConfiguration(listen: [nonsense]))
        }
    }

    @Test func shutdownClosesOpenConnections() async throws {
        let log = ServerEventLog()
        let server = try await LiveServer.start(LiveServerConfiguration(listen: [Self.anyPort]), observer: { log.record($0) })
        // A raw TCP client that connects and says nothing.
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: "127.0.0.1", port: server.ports[0]).get()
        let deadline = ContinuousClock.now + .seconds(5)
        while await server.statistics().connectionsAccepted == 0, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(5))
        }
        await server.shutdown()
        // The server closed its end: our channel sees the close.
        try await channel.closeFuture.get()
        #expect(await server.statistics().connectionsAccepted == 1)
        #expect(log.all.contains { $0.kind == .closed })
    }
}
