/// An HMAC-SHA256 key with its two padded blocks already compressed.
///
/// Every HMAC starts by hashing one block of `key ⊕ ipad` and one of `key ⊕ opad`; for a fixed key
/// those two states are always the same, so RFC 2104 §4 allows computing them once. The digest
/// handshake signs with four fixed keys (`HandshakeDigest`) several times per run, and the 68-byte
/// server key would otherwise be hashed down to 32 bytes first every time; keeping the key prepared
/// saves two to four of the 4–27 block compressions of each of those HMACs.
struct HMACKey: Sendable {
    /// The key as given.
    let bytes: [UInt8]
    /// The SHA-256 state after the block `key ⊕ 0x36…`.
    private let innerState: SHA256.Words
    /// The SHA-256 state after the block `key ⊕ 0x5c…`.
    private let outerState: SHA256.Words

    /// Prepares `key`; keys longer than the SHA-256 block are hashed first, as RFC 2104 says (the
    /// handshake's keys are 30 to 68 bytes, so both branches are exercised). The states do not depend
    /// on the backend they were computed with.
    init<K: Collection>(_ key: K, backend: SHA256Backend = .preferred) where K.Element == UInt8 {
        bytes = Array(key)
        let short = bytes.count > SHA256.blockSize ? SHA256.hash(bytes, backend: backend) : bytes
        var block = [UInt8](repeating: 0, count: SHA256.blockSize)
        block.replaceSubrange(0..<short.count, with: short)
        innerState = Self.state(after: block.map { $0 ^ 0x36 }, backend: backend)
        outerState = Self.state(after: block.map { $0 ^ 0x5c }, backend: backend)
    }

    /// The state after compressing one 64-byte `block`.
    private static func state(after block: [UInt8], backend: SHA256Backend) -> SHA256.Words {
        var sha = SHA256(backend: backend)
        sha.update(block)
        // One whole block was fed, so nothing is pending.
        return sha.stateAfterWholeBlocks ?? SHA256.initialHash
    }

    /// `HMAC(key, concatenation of messageParts)`.
    func authenticationCode(messageParts: [ArraySlice<UInt8>], backend: SHA256Backend = .preferred) -> [UInt8] {
        var inner = SHA256(resuming: innerState, afterBlocks: 1, backend: backend)
        for part in messageParts { inner.update(part) }
        return finish(&inner, backend: backend)
    }

    /// `HMAC(key, message)`.
    func authenticationCode<M: Collection>(message: M, backend: SHA256Backend = .preferred) -> [UInt8]
    where M.Element == UInt8 {
        var inner = SHA256(resuming: innerState, afterBlocks: 1, backend: backend)
        inner.update(message)
        return finish(&inner, backend: backend)
    }

    /// The outer hash over the inner digest, which goes from the stack straight into the outer hasher.
    private func finish(_ inner: inout SHA256, backend: SHA256Backend) -> [UInt8] {
        let words = inner.finalizeWords()
        var innerDigest: SHA256.Words = (
            words.0.bigEndian, words.1.bigEndian, words.2.bigEndian, words.3.bigEndian,
            words.4.bigEndian, words.5.bigEndian, words.6.bigEndian, words.7.bigEndian
        )
        var outer = SHA256(resuming: outerState, afterBlocks: 1, backend: backend)
        withUnsafeBytes(of: &innerDigest) { outer.update($0) }
        return outer.finalize()
    }
}
