import Connector
import NetSim
import RTMP
import RunCore

extension Scenario {
    /// The scenario as the simulated network takes it. Every key of the file has its counterpart here;
    /// the URL list goes as the loader parsed it, not through text again.
    package var simulated: SimulatedScenario {
        var simulated = SimulatedScenario(
            url: "",
            clientOS: client.os.profile,
            clientProxy: client.proxy.map { address in
                SimulatedScenario.ClientProxy(
                    host: address.host, port: UInt16(address.port), configuration: proxy ?? HTTPProxyConfiguration())
            },
            serverPorts: Dictionary(uniqueKeysWithValues: server.ports.map { port, schemes in
                (UInt16(port), schemes.compactMap(\.serverProtocol))
            }),
            serverSession: server.session,
            network: network.conditions,
            firewall: Firewall(rules: firewall))
        simulated.setURLs(client.urls)
        simulated.play = client.play
        return simulated
    }
}

extension NetworkSettings {
    /// Each direction of the path as the link model takes it, on the simulated network and on the
    /// per-packet link of a netns run alike.
    package var conditions: LinkConditions {
        LinkConditions(
            latency: latency, jitter: jitter, jitterDistribution: jitterDistribution, bandwidth: bandwidth.map { Int(clamping: $0) }, loss: loss,
            burstLoss: burstLoss, queueLimit: bandwidth == nil ? nil : queue, reorder: reorder)
    }

    /// `loss-model: gilbert-elliott` as the link model takes it; `nil` for independent losses.
    var burstLoss: LinkConditions.GilbertElliott? {
        switch lossModel {
        case .bernoulli: nil
        case .gilbertElliott(let model): model
        }
    }
}

extension ClientOS {
    var profile: OSProfile {
        switch self {
        case .windows: .windows
        case .linux: .linux
        case .linuxLegacy: .linuxLegacy
        case .macos: .macos
        }
    }
}

extension RTMPScheme {
    /// What the simulated server speaks for this scheme; the loader only lets these three through.
    var serverProtocol: ServedProtocol? {
        switch self {
        case .rtmp: .rtmp
        case .rtmpt: .rtmpt
        case .rtmps: .rtmps
        case .rtmpe, .rtmpte, .rtmpts: nil
        }
    }
}

extension ServerResponse {
    var behavior: RTMPServerSession.Behavior {
        switch self {
        case .accept: .accept
        case .reject: .reject(description: "Connection rejected by the scenario's server")
        case .redirect(let url): .redirect(url: url.description)
        case .silent: .silent
        case .closeAfterHandshake: .closeAfterHandshake
        }
    }
}
