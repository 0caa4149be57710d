/// HMAC-SHA256 (RFC 2104), the only primitive the Flash Player 9 digest handshake signs with.
enum HMACSHA256 {
    /// `HMAC(key, message)`; keys longer than the SHA-256 block are hashed first, as RFC 2104 says
    /// (the handshake's keys are 30 to 68 bytes, so both branches are exercised).
    static func authenticationCode<K: Collection, M: Collection>(
        key: K, message: M, backend: SHA256Backend = .preferred
    ) -> [UInt8] where K.Element == UInt8, M.Element == UInt8 {
        authenticationCode(key: key, messageParts: [ArraySlice(message)], backend: backend)
    }

    /// HMAC over the concatenation of `messageParts`, which lets the handshake sign "everything but the
    /// 32 digest bytes" without building the joined array.
    static func authenticationCode<K: Collection>(
        key: K, messageParts: [ArraySlice<UInt8>], backend: SHA256Backend = .preferred
    ) -> [UInt8] where K.Element == UInt8 {
        var block = key.count > SHA256.blockSize ? SHA256.hash(key, backend: backend) : Array(key)
        block.append(contentsOf: repeatElement(0, count: SHA256.blockSize - block.count))
        var inner = SHA256(backend: backend)
        inner.update(block.map { $0 ^ 0x36 })
        for part in messageParts { inner.update(part) }
        let innerDigest = inner.finalize()
        var outer = SHA256(backend: backend)
        outer.update(block.map { $0 ^ 0x5c })
        outer.update(innerDigest)
        return outer.finalize()
    }
}
