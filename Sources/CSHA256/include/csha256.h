// SHA-256 with the CPU's SHA extensions (x86 SHA-NI), chosen at run time; the store's portable Swift code is the
// fallback. Our own code, not a package: see Docs/performance.md.
#ifndef CSHA256_H
#define CSHA256_H

#include <stddef.h>
#include <stdint.h>

/// 1 when this CPU has the SHA extensions (and the SSSE3 and SSE4.1 they are used with), 0 otherwise.
int csha256_hardware_available(void);

/// The SHA-256 of `length` bytes at `data` into `digest` (32 bytes), with the SHA instructions. Returns 0, and
/// writes nothing, when the CPU lacks them: the caller then hashes with the portable code.
int csha256_hardware(const uint8_t *data, size_t length, uint8_t digest[32]);

#endif
