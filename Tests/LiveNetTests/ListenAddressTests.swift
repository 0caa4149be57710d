import Testing

import LiveNet

@Suite("ListenAddress")
struct ListenAddressTests {
    @Test(arguments: [
        ("127.0.0.1:1935", "127.0.0.1", 1935),
        ("127.0.0.1:0", "127.0.0.1", 0),
        ("localhost:65535", "localhost", 65535),
        ("[::1]:80", "::1", 80),
    ])
    func parses(text: String, host: String, port: Int) throws {
        let address = try ListenAddress(parsing: text)
        #expect(address.host == host)
        #expect(address.port == port)
        #expect(address.description == text)
    }

    @Test func refusesAMissingPort() {
        #expect(throws: ListenAddressError.missingPort("127.0.0.1")) { try ListenAddress(parsing: "127.0.0.1") }
        #expect(throws: ListenAddressError.missingPort("[::1]")) { try ListenAddress(parsing: "[::1]") }
    }

    @Test(arguments: ["127.0.0.1:", "127.0.0.1:65536", "127.0.0.1:-1", "127.0.0.1:http", "127.0.0.1:１９"])
    func refusesABadPort(text: String) {
        #expect(throws: ListenAddressError.self) { try ListenAddress(parsing: text) }
    }

    @Test(arguments: [":1935", "::1:1935", "[::1:1935", "[]:1935"])
    func refusesAMalformedHost(text: String) {
        #expect(throws: ListenAddressError.self) { try ListenAddress(parsing: text) }
    }
}
