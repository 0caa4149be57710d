/// HMAC-SHA256 (RFC 2104), the only primitive the Flash Player 9 digest handshake signs with.
enum HMACSHA256 {
    /// `HMAC(key, message)`; keys longer than the SHA-256 block are hashed first, as RFC 2104 says.
    /// For a key used many times, `HMACKey` does the key's two blocks once.
    static func authenticationCode<K: Collection, M: Collection>(
        key: K, message: M, backend: SHA256Backend = .preferred
    ) -> [UInt8] where K.Element == UInt8, M.Element == UInt8 {
        HMACKey(key, backend: backend).authenticationCode(message: message, backend: backend)
    }

    /// HMAC over the concatenation of `messageParts`, which lets the handshake sign "everything but the
    /// 32 digest bytes" without building the joined array.
    static func authenticationCode<K: Collection>(
        key: K, messageParts: [ArraySlice<UInt8>], backend: SHA256Backend = .preferred
    ) -> [UInt8] where K.Element == UInt8 {
        HMACKey(key, backend: backend).authenticationCode(messageParts: messageParts, backend: backend)
    }
}
