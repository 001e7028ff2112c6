#ifndef GATEWATCH_FUZZ_DRIVER_H
#define GATEWATCH_FUZZ_DRIVER_H

/// Runs libFuzzer's driver (its flags, corpus directories, crash and timeout handling) with
/// LLVMFuzzerTestOneInput, and returns its exit status.
int gatewatch_fuzz_run(int argc, char **argv);

#endif
