/* The libFuzzer driver of `make fuzz`: FUZZ_TARGET names the target of
 * tests/fuzz/targets.c that every input goes to.  Built with clang only
 * (-fsanitize=fuzzer), never in the test runner. */
#include <stdio.h>
#include <stdlib.h>

#include "targets.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len);

static const struct fuzz_target *target;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	target = fuzz_target_find(getenv("FUZZ_TARGET"));
	if (!target) {
		fprintf(stderr, "fuzz: FUZZ_TARGET names no target (tests/fuzz/targets.c)\n");
		exit(2);
	}
	/* one empty input first: a target's one-time loading (the bundled
	 * geography of the offer inventory) is not an input slower than 1 s */
	static const uint8_t none[1];
	target->run(none, 0);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	target->run(data, len);
	return 0;
}
