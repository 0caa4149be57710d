// SHA-256 compression with the x86 SHA extensions (SHA256RNDS2, SHA256MSG1, SHA256MSG2), following
// the instruction descriptions in Intel's Software Developer's Manual and FIPS 180-4 §6.2.2.
//
// Only the block function lives here; see include/CSHA256.h. The function that uses the extensions
// carries a `target` attribute instead of the whole build getting `-msha -msse4.1`: the rest of the
// package must keep running on CPUs without them, and the caller checks the CPU first.

#include "CSHA256.h"

#include <stdatomic.h>

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#include <immintrin.h>
#endif

/// FIPS 180-4 §4.2.2: the one copy of the round constants, read by both block functions (aligned for
/// the extensions' 128-bit loads, four at a time).
static const uint32_t roundConstants[64] __attribute__((aligned(16))) = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

const uint32_t *csha256_round_constants(void) {
    return roundConstants;
}

static _Atomic bool portableForced = false;

bool csha256_portable_forced(void) {
    return atomic_load_explicit(&portableForced, memory_order_relaxed);
}

void csha256_set_portable_forced(bool forced) {
    atomic_store_explicit(&portableForced, forced, memory_order_relaxed);
}

#if defined(__x86_64__) || defined(__i386__)

/// 0 not asked yet, 1 without the extensions, 2 with them. Asking twice is harmless (same answer),
/// so a relaxed atomic is enough to make concurrent first calls race-free.
static _Atomic int capability = 0;

static bool askCPU(void) {
    unsigned int eax = 0, ebx = 0, ecx = 0, edx = 0;
    if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx)) {
        return false;
    }
    const bool sse41 = (ecx & (1u << 19)) != 0;
    if (__get_cpuid_max(0, NULL) < 7) {
        return false;
    }
    __cpuid_count(7, 0, eax, ebx, ecx, edx);
    const bool sha = (ebx & (1u << 29)) != 0;
    return sse41 && sha;
}

bool csha256_has_sha_extensions(void) {
    int known = atomic_load_explicit(&capability, memory_order_relaxed);
    if (known == 0) {
        known = askCPU() ? 2 : 1;
        atomic_store_explicit(&capability, known, memory_order_relaxed);
    }
    return known == 2;
}


#define CSHA256_TARGET __attribute__((target("sha,sse4.1")))

/// Four schedule words, big-endian in the message, as four little-endian lanes W[i]…W[i+3].
static inline CSHA256_TARGET __m128i loadWords(const uint8_t *bytes) {
    const __m128i swapEachWord = _mm_set_epi8(12, 13, 14, 15, 8, 9, 10, 11, 4, 5, 6, 7, 0, 1, 2, 3);
    return _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)bytes), swapEachWord);
}

/// W[t…t+3] from the sixteen words before them, held as w0 = W[t-16…t-13], w1 = W[t-12…t-9],
/// w2 = W[t-8…t-5], w3 = W[t-4…t-1] (FIPS 180-4 §6.2.2 step 1):
/// MSG1 adds σ0(W[t-15+i]) to W[t-16+i]; the `alignr` supplies W[t-7+i]; MSG2 adds σ1(W[t-2+i]),
/// computing the two lanes that depend on W[t] and W[t+1] in order.
static inline CSHA256_TARGET __m128i nextWords(__m128i w0, __m128i w1, __m128i w2, __m128i w3) {
    __m128i sum = _mm_sha256msg1_epu32(w0, w1);
    sum = _mm_add_epi32(sum, _mm_alignr_epi8(w3, w2, 4));
    return _mm_sha256msg2_epu32(sum, w3);
}

/// Four rounds. SHA256RNDS2 keeps the state as two registers, {A, B, E, F} and {C, D, G, H}, and
/// does two rounds with the low two lanes of its third operand (K[t] + W[t]); after two rounds the
/// old {A, B, E, F} is the new {C, D, G, H}, so the two registers swap roles each call.
static inline CSHA256_TARGET void fourRounds(__m128i *abef, __m128i *cdgh, __m128i words, const uint32_t *constants) {
    const __m128i sums = _mm_add_epi32(words, _mm_load_si128((const __m128i *)constants));
    *cdgh = _mm_sha256rnds2_epu32(*cdgh, *abef, sums);
    *abef = _mm_sha256rnds2_epu32(*abef, *cdgh, _mm_shuffle_epi32(sums, 0x0E));
}

static CSHA256_TARGET void compressWithExtensions(uint32_t state[8], const uint8_t *blocks, size_t count) {
    // H0…H3 and H4…H7 as lanes 0…3 → the instructions' {A, B, E, F} and {C, D, G, H}, whose highest
    // lane holds the first letter.
    const __m128i abcd = _mm_loadu_si128((const __m128i *)&state[0]);
    const __m128i efgh = _mm_loadu_si128((const __m128i *)&state[4]);
    const __m128i badc = _mm_shuffle_epi32(abcd, 0xB1); // lanes B, A, D, C
    const __m128i hgfe = _mm_shuffle_epi32(efgh, 0x1B); // lanes H, G, F, E
    __m128i abef = _mm_alignr_epi8(badc, hgfe, 8);      // lanes F, E, B, A
    __m128i cdgh = _mm_blend_epi16(hgfe, badc, 0xF0);   // lanes H, G, D, C

    for (size_t block = 0; block < count; block++) {
        const uint8_t *bytes = blocks + 64 * block;
        const __m128i abefBefore = abef;
        const __m128i cdghBefore = cdgh;

        __m128i w0 = loadWords(bytes);
        __m128i w1 = loadWords(bytes + 16);
        __m128i w2 = loadWords(bytes + 32);
        __m128i w3 = loadWords(bytes + 48);
        fourRounds(&abef, &cdgh, w0, &roundConstants[0]);
        fourRounds(&abef, &cdgh, w1, &roundConstants[4]);
        fourRounds(&abef, &cdgh, w2, &roundConstants[8]);
        fourRounds(&abef, &cdgh, w3, &roundConstants[12]);
        for (int round = 16; round < 64; round += 16) {
            w0 = nextWords(w0, w1, w2, w3);
            fourRounds(&abef, &cdgh, w0, &roundConstants[round]);
            w1 = nextWords(w1, w2, w3, w0);
            fourRounds(&abef, &cdgh, w1, &roundConstants[round + 4]);
            w2 = nextWords(w2, w3, w0, w1);
            fourRounds(&abef, &cdgh, w2, &roundConstants[round + 8]);
            w3 = nextWords(w3, w0, w1, w2);
            fourRounds(&abef, &cdgh, w3, &roundConstants[round + 12]);
        }

        abef = _mm_add_epi32(abef, abefBefore);
        cdgh = _mm_add_epi32(cdgh, cdghBefore);
    }

    // Back to H0…H7 in order.
    const __m128i abfe = _mm_shuffle_epi32(abef, 0x1B); // lanes A, B, E, F
    const __m128i ghcd = _mm_shuffle_epi32(cdgh, 0xB1); // lanes G, H, C, D
    _mm_storeu_si128((__m128i *)&state[0], _mm_blend_epi16(abfe, ghcd, 0xF0)); // A, B, C, D
    _mm_storeu_si128((__m128i *)&state[4], _mm_alignr_epi8(ghcd, abfe, 8));  // E, F, G, H
}

void csha256_compress_blocks(uint32_t state[8], const uint8_t *blocks, size_t count) {
    if (count == 0 || !csha256_has_sha_extensions()) {
        return;
    }
    compressWithExtensions(state, blocks, count);
}

#else

bool csha256_has_sha_extensions(void) {
    return false;
}

void csha256_compress_blocks(uint32_t state[8], const uint8_t *blocks, size_t count) {
    (void)state;
    (void)blocks;
    (void)count;
}

#endif
