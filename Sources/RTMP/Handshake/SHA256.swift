internal import CSHA256

/// SHA-256 (FIPS 180-4), written out so that the `RTMP` module keeps no external dependencies.
///
/// The Flash Player 9 handshake needs HMAC-SHA256 and nothing else cryptographic; pulling in a crypto
/// package for that would make the library heavier for every SDK that embeds it. Incremental use
/// (`update` then `finalize`) avoids copying the 1504-byte messages the handshake signs. Whole blocks
/// go to the x86 SHA extensions when the CPU has them (`SHA256Backend`, the package's own `CSHA256`
/// C target), all of a call's whole blocks in one C call; otherwise to the Swift block function below.
package struct SHA256: Sendable {
    /// Digest length in bytes.
    static let digestSize = 32
    /// Block length in bytes (HMAC pads keys to this).
    static let blockSize = 64

    /// The eight working hash words H0…H7.
    typealias Words = (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32)
    /// FIPS 180-4 §5.3.3.
    static let initialHash: Words = (
        0x6a09_e667, 0xbb67_ae85, 0x3c6e_f372, 0xa54f_f53a, 0x510e_527f, 0x9b05_688c, 0x1f83_d9ab, 0x5be0_cd19
    )
    /// 64 bytes held inline (no heap storage).
    private typealias Block = (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64)

    private var hash: Words = SHA256.initialHash
    /// An incomplete block: its first `pendingCount` bytes are the input not yet compressed. Inline
    /// storage, so that a hasher allocates nothing until its digest is returned — every simulated
    /// digest handshake runs about twenty hashers, and this is the simulator's hottest path.
    private var pending: Block = (0, 0, 0, 0, 0, 0, 0, 0)
    private var pendingCount = 0
    /// Total message length so far, in bytes.
    private var length: UInt64 = 0

    /// The block function, fixed for this hasher's life.
    let backend: SHA256Backend

    /// A hasher on `backend`; asking for `.shaExtensions` on a CPU without them gives `.portable`
    /// (the instructions would fault), which `backend` then says.
    init(backend requested: SHA256Backend = .preferred) {
        switch requested {
        case .portable: backend = .portable
        case .shaExtensions: backend = SHA256Backend.shaExtensionsAvailable ? .shaExtensions : .portable
        }
    }

    /// A hasher that continues from `state`, reached by compressing `blocks` whole blocks: an HMAC
    /// key's padded block compressed once and reused for every message (RFC 2104 §4).
    init(resuming state: Words, afterBlocks blocks: Int, backend: SHA256Backend = .preferred) {
        self.init(backend: backend)
        hash = state
        length = UInt64(blocks) &* UInt64(Self.blockSize)
    }

    /// The working state, if the input so far was whole blocks (what `init(resuming:afterBlocks:)`
    /// takes); nil when bytes are pending.
    var stateAfterWholeBlocks: Words? {
        pendingCount == 0 ? hash : nil
    }

    /// The digest of `bytes` in one call.
    package static func hash<C: Collection>(_ bytes: C, backend: SHA256Backend = .preferred) -> [UInt8]
    where C.Element == UInt8 {
        var sha = SHA256(backend: backend)
        sha.update(bytes)
        return sha.finalize()
    }

    mutating func update<C: Collection>(_ bytes: C) where C.Element == UInt8 {
        length &+= UInt64(bytes.count)
        let done: Void? = bytes.withContiguousStorageIfAvailable { buffer in
            absorb(UnsafeRawBufferPointer(buffer))
        }
        if done == nil {
            Array(bytes).withUnsafeBytes { absorb($0) }
        }
    }

    /// Pads, processes the last block(s) and returns the 32-byte digest.
    mutating func finalize() -> [UInt8] {
        let words = finalizeWords()
        var bigEndian: Words = (
            words.0.bigEndian, words.1.bigEndian, words.2.bigEndian, words.3.bigEndian,
            words.4.bigEndian, words.5.bigEndian, words.6.bigEndian, words.7.bigEndian
        )
        return withUnsafeBytes(of: &bigEndian) { Array($0) }
    }

    /// Pads, processes the last block(s) and returns the final hash words (the digest is their
    /// big-endian bytes). The hasher is spent afterwards.
    mutating func finalizeWords() -> Words {
        let bitLength = length &* 8
        // 0x80, zeros up to 8 bytes short of a block boundary, then the length in bits, big-endian:
        // written into the pending block, plus one more block when fewer than 9 bytes are left.
        var block = pending
        let used = pendingCount
        withUnsafeMutableBytes(of: &block) { bytes in
            bytes[used] = 0x80
            for index in (used + 1)..<Self.blockSize { bytes[index] = 0 }
        }
        if used >= Self.blockSize - 8 {
            withUnsafeBytes(of: &block) { compressBlocks($0) }
            block = (0, 0, 0, 0, 0, 0, 0, 0)
        }
        withUnsafeMutableBytes(of: &block) { bytes in
            bytes.storeBytes(of: bitLength.bigEndian, toByteOffset: Self.blockSize - 8, as: UInt64.self)
        }
        withUnsafeBytes(of: &block) { compressBlocks($0) }
        pendingCount = 0
        return hash
    }

    /// Compresses every whole block of `pending + input` and keeps the rest in `pending`.
    private mutating func absorb(_ input: UnsafeRawBufferPointer) {
        guard let base = input.baseAddress, !input.isEmpty else { return }
        var offset = 0
        if pendingCount > 0 {
            let take = min(Self.blockSize - pendingCount, input.count)
            let at = pendingCount
            withUnsafeMutableBytes(of: &pending) { $0.baseAddress!.advanced(by: at).copyMemory(from: base, byteCount: take) }
            pendingCount += take
            offset = take
            guard pendingCount == Self.blockSize else { return }
            var block = pending
            withUnsafeBytes(of: &block) { compressBlocks($0) }
            pendingCount = 0
        }
        let whole = (input.count - offset) / Self.blockSize * Self.blockSize
        if whole > 0 {
            compressBlocks(UnsafeRawBufferPointer(rebasing: input[offset..<(offset + whole)]))
            offset += whole
        }
        let rest = input.count - offset
        if rest > 0 {
            withUnsafeMutableBytes(of: &pending) { $0.baseAddress!.copyMemory(from: base.advanced(by: offset), byteCount: rest) }
            pendingCount = rest
        }
    }

    /// Consecutive 64-byte blocks (`blocks.count` is a multiple of 64): one C call for all of them on
    /// the extensions, which saves a call per block on the 1,504-byte messages the handshake signs.
    private mutating func compressBlocks(_ blocks: UnsafeRawBufferPointer) {
        guard let base = blocks.baseAddress else { return }
        switch backend {
        case .shaExtensions:
            let count = blocks.count / Self.blockSize
            withUnsafeMutableBytes(of: &hash) { state in
                csha256_compress_blocks(
                    state.baseAddress!.assumingMemoryBound(to: UInt32.self),
                    base.assumingMemoryBound(to: UInt8.self), count
                )
            }
        case .portable:
            var offset = 0
            while blocks.count - offset >= Self.blockSize {
                compress(UnsafeRawBufferPointer(rebasing: blocks[offset..<(offset + Self.blockSize)]))
                offset += Self.blockSize
            }
        }
    }

    /// One 64-byte block, portable; the message schedule lives on the stack.
    private mutating func compress(_ block: UnsafeRawBufferPointer) {
        hash = withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 64) { w in
            for i in 0..<16 {
                w[i] = UInt32(block[4 * i]) << 24 | UInt32(block[4 * i + 1]) << 16
                    | UInt32(block[4 * i + 2]) << 8 | UInt32(block[4 * i + 3])
            }
            for i in 16..<64 {
                let s0 = w[i - 15].rotatedRight(7) ^ w[i - 15].rotatedRight(18) ^ (w[i - 15] >> 3)
                let s1 = w[i - 2].rotatedRight(17) ^ w[i - 2].rotatedRight(19) ^ (w[i - 2] >> 10)
                w[i] = w[i - 16] &+ s0 &+ w[i - 7] &+ s1
            }
            // The round constants live once, in CSHA256 (the extensions read them too).
            let k = csha256_round_constants()!
            var (a, b, c, d, e, f, g, h) = hash
            // Eight rounds per pass with the variables' roles rotated in the calls instead of
            // moving all eight values every round, which the compiler could not elide.
            var i = 0
            while i < 64 {
                Self.round(a, b, c, &d, e, f, g, &h, k[i] &+ w[i])
                Self.round(h, a, b, &c, d, e, f, &g, k[i + 1] &+ w[i + 1])
                Self.round(g, h, a, &b, c, d, e, &f, k[i + 2] &+ w[i + 2])
                Self.round(f, g, h, &a, b, c, d, &e, k[i + 3] &+ w[i + 3])
                Self.round(e, f, g, &h, a, b, c, &d, k[i + 4] &+ w[i + 4])
                Self.round(d, e, f, &g, h, a, b, &c, k[i + 5] &+ w[i + 5])
                Self.round(c, d, e, &f, g, h, a, &b, k[i + 6] &+ w[i + 6])
                Self.round(b, c, d, &e, f, g, h, &a, k[i + 7] &+ w[i + 7])
                i += 8
            }
            return (
                hash.0 &+ a, hash.1 &+ b, hash.2 &+ c, hash.3 &+ d,
                hash.4 &+ e, hash.5 &+ f, hash.6 &+ g, hash.7 &+ h
            )
        }
    }

    /// One SHA-256 round (FIPS 180-4 §6.2.2 step 3) in place: `d` becomes the next `e` and `h` the
    /// next `a`; the caller renames the other six. `kw` is the round constant plus the schedule word.
    @inline(__always)
    private static func round(
        _ a: UInt32, _ b: UInt32, _ c: UInt32, _ d: inout UInt32,
        _ e: UInt32, _ f: UInt32, _ g: UInt32, _ h: inout UInt32, _ kw: UInt32
    ) {
        let s1 = e.rotatedRight(6) ^ e.rotatedRight(11) ^ e.rotatedRight(25)
        let choice = (e & f) ^ (~e & g)
        let t1 = h &+ s1 &+ choice &+ kw
        let s0 = a.rotatedRight(2) ^ a.rotatedRight(13) ^ a.rotatedRight(22)
        let majority = (a & b) ^ (a & c) ^ (b & c)
        d = d &+ t1
        h = t1 &+ s0 &+ majority
    }
}

extension UInt32 {
    fileprivate func rotatedRight(_ count: UInt32) -> UInt32 {
        (self >> count) | (self << (32 - count))
    }
}
