// libFuzzer as a library: SwiftPM renames an executable's `main` (so that tests can link it), which hides
// libFuzzer's own `main`; the Swift entry point calls this instead. Declared here because Swift cannot call a C
// function without a C declaration.
#include <stddef.h>
#include <stdint.h>
#include "GatewatchFuzzDriver.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));

int gatewatch_fuzz_run(int argc, char **argv) {
    return LLVMFuzzerRunDriver(&argc, &argv, LLVMFuzzerTestOneInput);
}
