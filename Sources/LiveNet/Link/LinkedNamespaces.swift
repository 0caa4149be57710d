import RunCore

/// The player's namespace and the server's, joined by the per-packet link: a TUN device in each
/// (`flplayer` at 10.77.0.1, `flserver` at 10.77.0.2, point to point) and a `PacketLinkRunner`
/// carrying packets between them. The addresses exist inside the two namespaces only.
///
/// Jobs run in either namespace through `player.run` and `server.run` (sockets made there belong to
/// it). `stop` stops the link, closes the devices and ends both threads, which ends the namespaces.
package final class LinkedNamespaces: Sendable {
    package static let playerAddress = "10.77.0.1"
    package static let serverAddress = "10.77.0.2"

    /// Why the two namespaces could not be joined.
    package struct SetupError: Error, Sendable, CustomStringConvertible {
        package var description: String
    }

    package let player: NamespaceThread
    package let server: NamespaceThread
    private let playerDevice: TunDevice
    private let serverDevice: TunDevice
    private let runner: PacketLinkRunner

    private init(player: NamespaceThread, server: NamespaceThread, playerDevice: TunDevice, serverDevice: TunDevice, runner: PacketLinkRunner) {
        self.player = player
        self.server = server
        self.playerDevice = playerDevice
        self.serverDevice = serverDevice
        self.runner = runner
    }

    /// Makes both namespaces, their devices and addresses, and starts `link` between them. What was
    /// made is undone when a later step fails. With `serverInOwnNamespace` false the server's side is
    /// the namespace of the calling thread (a `--network netns` worker's, where its server and
    /// nftables rules are) and only the player gets a new one.
    package static func start(
        _ link: PacketLink, serverInOwnNamespace: Bool = true, capture: LinkCaptureFile? = nil
    ) throws(SetupError) -> LinkedNamespaces {
        var threads: [NamespaceThread] = []
        var devices: [TunDevice] = []
        var runnerOwnsCapture = false
        func undo() {
            if !runnerOwnsCapture { capture?.close() }
            devices.forEach { $0.close() }
            threads.forEach { $0.close() }
        }
        do {
            for (name, local, peer, fresh) in [
                ("flplayer", playerAddress, serverAddress, true), ("flserver", serverAddress, playerAddress, serverInOwnNamespace),
            ] {
                let thread = try NamespaceThread.start(newNamespace: fresh)
                threads.append(thread)
                let device = try thread.run { () throws(SetupError) -> TunDevice in
                    let device: TunDevice
                    do {
                        device = try TunDevice.open(name: name)
                    } catch {
                        throw SetupError(description: "\(error)")
                    }
                    // IPv4 only: without this the kernel's IPv6 router solicitations cross the link too.
                    NamespaceThread.disableIPv6(on: name)
                    for arguments in [["addr", "add", local, "peer", peer, "dev", name], ["link", "set", name, "up"]] {
                        let status = NamespaceThread.ip(arguments)
                        guard status == 0 else {
                            device.close()
                            throw SetupError(description: "ip \(arguments.joined(separator: " ")) exited with \(status)")
                        }
                    }
                    return device
                }
                devices.append(device)
            }
            let runner: PacketLinkRunner
            do {
                runnerOwnsCapture = true
                runner = try PacketLinkRunner.start(link, player: devices[0], server: devices[1], capture: capture)
            } catch {
                throw SetupError(description: "\(error)")
            }
            return LinkedNamespaces(player: threads[0], server: threads[1], playerDevice: devices[0], serverDevice: devices[1], runner: runner)
        } catch let failure as ThreadNamespace.Failure {
            undo()
            throw SetupError(description: failure.description)
        } catch let failure as SetupError {
            undo()
            throw failure
        } catch {
            undo()
            throw SetupError(description: "\(error)")
        }
    }

    /// Stops the link (packets still in flight are not written), closes the devices, ends both
    /// namespaces' threads, and returns what the link did.
    package func stop() -> PacketLinkRunner.Statistics {
        let statistics = runner.stop()
        playerDevice.close()
        serverDevice.close()
        player.close()
        server.close()
        return statistics
    }
}
