// swift-tools-version: 6.0
// Swift 6 language mode (strict concurrency) is the default for tools version 6.
import PackageDescription

/// One settings list for every target of ours, as hummingbird does.
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "FallbackLab",
    products: [
        // The two libraries a Swift streaming SDK can depend on: no I/O, no dependencies.
        .library(name: "RTMP", targets: ["RTMP"]),
        .library(name: "Connector", targets: ["Connector"]),
        .executable(name: "fallback-lab", targets: ["fallback-lab"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
        // Percentiles of any number of runs in bounded memory (issue 13), as the field measures latency.
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift", from: "0.2.0"),
        // RTMPS live (issue 17): the server terminates TLS, the client and the player's rtmps attempts
        // speak it, on NIO's pipeline. Its own BoringSSL builds from source: the heaviest part of a
        // clean build's added cost (docs/live-networks.md has the figures).
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        // The self-signed certificate serve makes at start: swift-nio-ssl reads certificates and keys
        // but cannot make them. X.509 (swift-certificates, over swift-asn1) signed by a P-256 key and
        // fingerprinted with SHA-256 (swift-crypto, a second BoringSSL build).
        .package(url: "https://github.com/apple/swift-certificates", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-asn1", from: "1.7.4"),
    ],
    targets: [
        // The wire: AMF0, handshake, chunk stream, messages, sessions, RTMPT. No I/O, no clocks.
        .target(name: "RTMP", dependencies: ["CSHA256"], swiftSettings: swiftSettings),
        // SHA-256's block function on the x86 SHA extensions, for the RTMP handshake's digests; chosen
        // at run time when the CPU has them (docs/performance.md). Builds to a no-op elsewhere.
        .target(name: "CSHA256"),
        // The fallback connector: candidates, policies, presets, one state machine. No I/O.
        .target(name: "Connector", swiftSettings: swiftSettings),
        // What a run is on every network: the one firewall rule model and its verdicts over time, the
        // seeds of a run, the drivers, the per-packet link model. No I/O, no clock; NetSim and LiveNet
        // run it, Lab builds it from scenarios.
        .target(
            name: "RunCore",
            dependencies: ["RTMP", "Connector", .product(name: "Collections", package: "swift-collections")],
            swiftSettings: swiftSettings
        ),
        // The simulated network on a virtual clock.
        .target(
            name: "NetSim",
            dependencies: [
                "RunCore", "RTMP", "Connector",
                .product(name: "Collections", package: "swift-collections"),
            ],
            swiftSettings: swiftSettings
        ),
        // Real sockets (SwiftNIO) running the same state machines; TLS for rtmps (swift-nio-ssl).
        .target(
            name: "LiveNet",
            dependencies: [
                "RunCore", "RTMP", "Connector", "CPcap",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                // NIOLock is a pthread mutex, which ThreadSanitizer sees; the standard library's
                // Synchronization.Mutex is not instrumented, so TSan reported races under it.
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                // RTMPS: NIOSSL's handlers; NIOTLS for the handshake-completed event that starts
                // the session; X509, SwiftASN1 and Crypto for the self-signed certificate.
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOTLS", package: "swift-nio"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),
        // libpcap, for captures that Wireshark opens (written from runs, or captured live).
        .systemLibrary(
            name: "CPcap",
            pkgConfig: "libpcap",
            providers: [.apt(["libpcap-dev"])]
        ),
        // Report writers: CSV, JSON, JUnit XML, Markdown, HTML, pcap.
        .target(
            name: "Reports",
            dependencies: ["Connector", "CPcap", .product(name: "Histogram", package: "hdrhistogram-swift")],
            swiftSettings: swiftSettings
        ),
        // Scenarios (model, YAML loading, validation), the runner, results.
        .target(
            name: "Lab",
            dependencies: [
                "NetSim", "LiveNet", "RunCore", "Reports", "Connector", "RTMP",
                .product(name: "Yams", package: "Yams"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        // The command-line tool: parses, calls Lab, sets the exit code.
        .executableTarget(
            name: "fallback-lab",
            dependencies: [
                // Lab is the one door: the executable imports nothing else of ours (issue 12).
                "Lab",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings
        ),

        // Simulated runs per second for the seed thread's scenarios: `swift run -c release fallback-bench`.
        .executableTarget(
            name: "fallback-bench",
            // Lab for the `suite` workload: the shipped scenario files, loaded as `run` loads them.
            dependencies: ["NetSim", "LiveNet", "RunCore", "Connector", "RTMP", "Lab"],
            path: "Benchmarks/fallback-bench",
            swiftSettings: swiftSettings
        ),

        // What the test targets share: the one child-process spawner (TestProcess), temporary
        // folders, and the live server's test helpers (scoped serving, an event log, a free port).
        // A plain target (test targets cannot depend on each other), not a product.
        .target(
            name: "TestSupport",
            dependencies: ["LiveNet", "RunCore", .product(name: "NIOConcurrencyHelpers", package: "swift-nio")],
            path: "Tests/TestSupport", swiftSettings: swiftSettings
        ),

        .testTarget(name: "RTMPTests", dependencies: ["RTMP", "TestSupport"], swiftSettings: swiftSettings),
        .testTarget(name: "ConnectorTests", dependencies: ["Connector"], swiftSettings: swiftSettings),
        .testTarget(name: "RunCoreTests", dependencies: ["RunCore", "RTMP", "Connector"], swiftSettings: swiftSettings),
        .testTarget(name: "NetSimTests", dependencies: ["NetSim", "RunCore", "RTMP", "Connector"], swiftSettings: swiftSettings),
        .testTarget(
            name: "LiveNetTests", dependencies: ["LiveNet", "RunCore", "RTMP", "Connector", "TestSupport"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ReportsTests", dependencies: ["Reports", "Connector", "TestSupport"], exclude: ["Fixtures"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "LabTests",
            dependencies: [
                "Lab", "Reports", "NetSim", "LiveNet", "RunCore", "Connector", "TestSupport",
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                // To read docs/ci's workflow and Job files the way CI systems do (ShardWorkflowTests).
                .product(name: "Yams", package: "Yams"),
            ],
            exclude: ["Fixtures"], swiftSettings: swiftSettings
        ),
        // Interop against real peers (ffmpeg, rtmpdump, nginx-rtmp, tshark); they run in CI.
        .testTarget(
            name: "InteropTests",
            dependencies: [
                // NetSim: its TLS model is checked against a capture of the live TLS.
                "LiveNet", "RunCore", "RTMP", "Connector", "TestSupport", "NetSim",
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
    ]
)

// libFuzzer targets (Fuzz/, docs/reliability.md), declared only when `scripts/fuzz` sets
// FALLBACKLAB_FUZZ: they call libFuzzer's driver, which only `-sanitize=fuzzer` links, so an ordinary
// build could not link them.
if Context.environment["FALLBACKLAB_FUZZ"] != nil {
    package.targets.append(.target(name: "CFuzzDriver", path: "Fuzz/Sources/CFuzzDriver"))
    package.targets.append(.target(name: "FuzzSupport", path: "Fuzz/Sources/FuzzSupport", swiftSettings: swiftSettings))
    let fuzzTargets: [(name: String, dependencies: [Target.Dependency])] = [
        ("fuzz-amf0", ["RTMP"]),
        ("fuzz-chunk", ["RTMP", "FuzzSupport"]),
        ("fuzz-handshake", ["RTMP", "FuzzSupport"]),
        ("fuzz-session", ["RTMP", "FuzzSupport"]),
        ("fuzz-rtmpt", ["RTMP", "FuzzSupport"]),
        ("fuzz-scenario", ["Lab"]),
    ]
    for target in fuzzTargets {
        package.targets.append(.executableTarget(
            name: target.name, dependencies: target.dependencies + ["CFuzzDriver"], path: "Fuzz/Sources/\(target.name)",
            swiftSettings: swiftSettings
        ))
    }
}
