#include <string.h>

#include "../core/error.h"
#include "helpers.h"

static void test_error_set_and_prefix(void)
{
	struct error err;
	CU_ASSERT_EQUAL(error_set(&err, TERRAIN_EDATA, "\"%s\" is not a number", "3,5x"),
			TERRAIN_EDATA);
	CU_ASSERT_EQUAL(err.status, TERRAIN_EDATA);
	error_prefix(&err, "%s:%d:%d", "survey.csv", 41, 7);
	CU_ASSERT_STRING_EQUAL(err.msg, "survey.csv:41:7: \"3,5x\" is not a number");
	/* NULL discards the message but keeps the status */
	CU_ASSERT_EQUAL(error_set(NULL, TERRAIN_EIO, "x"), TERRAIN_EIO);
	error_prefix(NULL, "ignored");
	error_clear(&err);
	CU_ASSERT_STRING_EQUAL(err.msg, "");
	CU_ASSERT_EQUAL(err.status, TERRAIN_OK);
}

static void test_error_long_messages_are_cut(void)
{
	struct error err;
	char big[3 * ERROR_MSG_MAX];
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	error_set(&err, TERRAIN_EDATA, "%s", big);
	CU_ASSERT_EQUAL(strlen(err.msg), ERROR_MSG_MAX - 1);
	error_prefix(&err, "%s", big); /* no room left: the prefix alone, terminated */
	CU_ASSERT_EQUAL(strlen(err.msg), ERROR_MSG_MAX - 1);
	error_set(&err, TERRAIN_EDATA, "short");
	error_prefix(&err, "%s", big + 10 + ERROR_MSG_MAX); /* fits: cut message */
	CU_ASSERT_EQUAL(strlen(err.msg), ERROR_MSG_MAX - 1);
}

static void test_error_exit_codes(void)
{
	CU_ASSERT_EQUAL(error_exit_code(TERRAIN_OK), 0);
	CU_ASSERT_EQUAL(error_exit_code(TERRAIN_EDATA), 1);
	CU_ASSERT_EQUAL(error_exit_code(TERRAIN_EIO), 1);
	CU_ASSERT_EQUAL(error_exit_code(TERRAIN_ENOTFOUND), 1);
	CU_ASSERT_EQUAL(error_exit_code(TERRAIN_EUSAGE), 2);
}

void suite_error(void)
{
	CU_pSuite s = CU_add_suite("error", NULL, NULL);
	ADD_TEST(s, test_error_set_and_prefix);
	ADD_TEST(s, test_error_long_messages_are_cut);
	ADD_TEST(s, test_error_exit_codes);
}
