import Testing

@testable import LiveNet

/// The hosts file a namespace run mounts over /etc/hosts for external clients.
@Suite("namespace hosts file")
struct NamespaceHostsTests {
    @Test func everyNameResolvesToLoopbackAndNothingOddGetsIn() {
        #expect(NamespaceHosts.text(for: ["media.example.com", "", "localhost", "bad name"]) == """
            127.0.0.1 localhost media.example.com
            ::1 localhost ip6-localhost ip6-loopback

            """)
    }
}
