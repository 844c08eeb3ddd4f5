#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../core/strbuf.h"
#include "../core/xalloc.h"
#include "helpers.h"

static void test_strbuf_empty_is_terminated(void)
{
	struct strbuf sb = STRBUF_INIT;
	CU_ASSERT_PTR_NOT_NULL(sb.buf);
	CU_ASSERT_STRING_EQUAL(sb.buf, "");
	CU_ASSERT_EQUAL(sb.len, 0);
	strbuf_reset(&sb); /* resetting the shared empty buffer is harmless */
	strbuf_release(&sb);
	CU_ASSERT_STRING_EQUAL(sb.buf, "");
}

static void test_strbuf_add_and_grow(void)
{
	struct strbuf sb = STRBUF_INIT;
	for (int i = 0; i < 1000; i++)
		strbuf_addch(&sb, 'a' + i % 26);
	CU_ASSERT_EQUAL(sb.len, 1000);
	CU_ASSERT_EQUAL(sb.buf[1000], '\0');
	CU_ASSERT_EQUAL(sb.buf[27], 'b');
	strbuf_add(&sb, "xyz", 0);
	CU_ASSERT_EQUAL(sb.len, 1000);
	strbuf_setlen(&sb, 3);
	CU_ASSERT_STRING_EQUAL(sb.buf, "abc");
	strbuf_release(&sb);
}

static void test_strbuf_addf_long(void)
{
	struct strbuf sb = STRBUF_INIT;
	char big[3000];
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	strbuf_addf(&sb, "%d:%s:%s", 42, "é", big);
	CU_ASSERT_EQUAL(sb.len, 2 + 1 + 2 + 1 + 2999);
	CU_ASSERT_EQUAL(strncmp(sb.buf, "42:é:xx", 8), 0);
	strbuf_addf(&sb, "%s", "");
	CU_ASSERT_EQUAL(sb.len, 3005);
	strbuf_release(&sb);
}

static void test_strbuf_detach(void)
{
	struct strbuf sb = STRBUF_INIT;
	char *p = strbuf_detach(&sb); /* even when nothing was added */
	CU_ASSERT_STRING_EQUAL(p, "");
	free(p);
	strbuf_addstr(&sb, "Grenoble");
	p = strbuf_detach(&sb);
	CU_ASSERT_STRING_EQUAL(p, "Grenoble");
	CU_ASSERT_STRING_EQUAL(sb.buf, "");
	CU_ASSERT_EQUAL(sb.len, 0);
	free(p);
}

/* A secret's buffer reused for a shorter line: strbuf_reset leaves the
 * secret's tail in memory, strbuf_wipe zeroes all of it (ingest/http.c
 * zeroed only the last header line, not the Authorization one). */
static void test_strbuf_wipe(void)
{
	struct strbuf sb = STRBUF_INIT;
	strbuf_addstr(&sb, "Authorization: Bearer s3cr3t-t0ken");
	size_t alloc = sb.alloc;
	strbuf_wipe(&sb);
	CU_ASSERT_EQUAL(sb.len, 0);
	CU_ASSERT_EQUAL(sb.alloc, alloc);
	bool zero = true;
	for (size_t i = 0; i < sb.alloc; i++)
		zero = zero && sb.buf[i] == 0;
	CU_ASSERT_TRUE(zero);
	strbuf_addstr(&sb, "If-None-Match: x");
	CU_ASSERT_STRING_EQUAL(sb.buf, "If-None-Match: x");
	bool found = false; /* nowhere in the allocation, past the new text too */
	for (size_t i = 0; i + 5 <= sb.alloc; i++)
		found = found || !memcmp(sb.buf + i, "t0ken", 5);
	CU_ASSERT_FALSE(found);
	strbuf_release(&sb);
	struct strbuf empty = STRBUF_INIT; /* the shared empty string is left alone */
	strbuf_wipe(&empty);
	CU_ASSERT_STRING_EQUAL(empty.buf, "");
}

/* A count of cells whose byte size overflows size_t is out of memory, not a
 * small allocation the caller then writes past. */
static int die_status(int which)
{
	fflush(NULL);
	pid_t pid = fork();
	if (pid == 0) {
		if (!freopen("/dev/null", "w", stderr))
			_exit(126);
		if (which == 0)
			free(xmallocarray(SIZE_MAX / 2 + 1, 2));
		else
			(void)xmul(SIZE_MAX / 3, 4);
		_exit(0);
	}
	int w = 0;
	waitpid(pid, &w, 0);
	return WIFEXITED(w) ? WEXITSTATUS(w) : -1;
}

static void test_xalloc_overflow(void)
{
	CU_ASSERT_EQUAL(die_status(0), 1);
	CU_ASSERT_EQUAL(die_status(1), 1);
	CU_ASSERT_EQUAL(xmul(3, 4), 12);
	free(xmallocarray(0, 8));
}

void suite_strbuf(void)
{
	CU_pSuite s = CU_add_suite("strbuf", NULL, NULL);
	ADD_TEST(s, test_strbuf_empty_is_terminated);
	ADD_TEST(s, test_strbuf_add_and_grow);
	ADD_TEST(s, test_strbuf_addf_long);
	ADD_TEST(s, test_strbuf_detach);
	ADD_TEST(s, test_strbuf_wipe);
	ADD_TEST(s, test_xalloc_overflow);
}
