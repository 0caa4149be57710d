// libFuzzer's driver, for fuzz targets that have their own `main`.
//
// SwiftPM links every executable with its module's entry point as `main`, so libFuzzer's own `main`
// is never pulled in; each target's main.swift calls `fuzz_main` instead, which does what libFuzzer's
// `main` does. `LLVMFuzzerRunDriver` comes with `-sanitize=fuzzer`; its object file also refers to
// `LLVMFuzzerTestOneInput`, so each target exports its function under that name as well.
#ifndef CFUZZDRIVER_H
#define CFUZZDRIVER_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

typedef int (*fuzz_callback)(const uint8_t *data, size_t size);

int LLVMFuzzerRunDriver(int *argc, char ***argv, fuzz_callback callback);

/// Runs libFuzzer with the command line and `callback` as the target, then exits with its status.
static inline void fuzz_main(int argc, char **argv, fuzz_callback callback) {
    exit(LLVMFuzzerRunDriver(&argc, &argv, callback));
}

#endif
