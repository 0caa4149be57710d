#ifndef CSHA256_H
#define CSHA256_H

// The SHA-256 block function on the x86 SHA extensions, for the RTMP module's digest handshake.
//
// Swift cannot emit the SHA extension instructions, so this one function is C. It does only the
// compression; padding, lengths and HMAC stay in Swift (Sources/RTMP/Handshake/SHA256.swift), which
// keeps its portable block function for CPUs (and architectures) without the extensions.

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Whether this CPU has the SHA extensions and SSE4.1 (cpuid leaf 7 EBX bit 29, leaf 1 ECX bit 19).
/// Asked once per process and cached; always false on other architectures.
bool csha256_has_sha_extensions(void);

/// Compresses `count` consecutive 64-byte blocks at `blocks` into `state`, the eight working hash
/// words H0…H7 of FIPS 180-4 in order. Does nothing when `csha256_has_sha_extensions()` is false
/// (the instructions would fault there), so the caller must ask first and use its own code otherwise.
void csha256_compress_blocks(uint32_t state[8], const uint8_t *blocks, size_t count);

/// The 64 round constants K0…K63 of FIPS 180-4 §4.2.2, for the Swift block function too, so that the
/// table exists once.
const uint32_t *csha256_round_constants(void);

/// A process-wide switch that makes the Swift side use its portable block function even on a CPU
/// with the extensions, so that the benchmark can time both in one process. Off unless set.
bool csha256_portable_forced(void);
void csha256_set_portable_forced(bool forced);

#ifdef __cplusplus
}
#endif

#endif
