/* The fuzz targets (issue 18): every parser of untrusted input, one
 * function each taking any bytes.  The same functions run under libFuzzer
 * (`make fuzz`, tests/fuzz/libfuzzer.c, built with clang) and, through the
 * normal build, replay the seeds and every input that ever failed
 * (tests/fuzz/regressions/TARGET/) in `make check` (tests/test_fuzz.c). */
#ifndef TERRAIN_FUZZ_TARGETS_H
#define TERRAIN_FUZZ_TARGETS_H

#include <stddef.h>
#include <stdint.h>

struct fuzz_target {
	const char *name;
	void (*run)(const uint8_t *data, size_t len);
	const char *seeds; /* a folder of seed inputs, from the repository's root */
};

extern const struct fuzz_target fuzz_targets[];
extern const size_t fuzz_ntargets;

/* The target named name, or NULL. */
const struct fuzz_target *fuzz_target_find(const char *name);

#endif
