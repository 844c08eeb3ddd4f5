/* The one redaction of secrets (core/redact.h): exact strings. */
#include <string.h>

#include "../core/redact.h"
#include "helpers.h"

static void check(const char *in, const char *const *secrets, size_t n, const char *want)
{
	struct strbuf sb = STRBUF_INIT;
	strbuf_addstr(&sb, in);
	redact(&sb, secrets, n);
	CU_ASSERT_STRING_EQUAL(sb.buf, want);
	if (strcmp(sb.buf, want))
		fprintf(stderr, "\nredact(\"%s\") = \"%s\", want \"%s\"\n", in, sb.buf, want);
	strbuf_release(&sb);
}

static void test_redact_patterns(void)
{
	/* a 403 page that repeats the request's header */
	check("HTTP 403 Forbidden: {\"error\":\"invalid token\",\"header\":\"Authorization: Bearer "
	      "eyJhbGciOi.J9x-_\"}",
	      NULL, 0,
	      "HTTP 403 Forbidden: {\"error\":\"invalid token\",\"header\":\"Authorization: ***");
	check("Authorization: Basic dXNlcjpwYXNz\r\nHost: x", NULL, 0,
	      "Authorization: ***\r\nHost: x");
	check("got bearer abc.DEF-123 back", NULL, 0, "got bearer *** back");
	check("{\"access_token\": \"a\\\"b\", \"expires_in\": 1499}", NULL, 0,
	      "{\"access_token\": \"***\", \"expires_in\": 1499}");
	check("grant_type=client_credentials&client_id=me&CLIENT_SECRET=s3cr%2Ft&scope=api", NULL,
	      0, "grant_type=client_credentials&client_id=me&CLIENT_SECRET=***&scope=api");
	check("https://bob:hunter2@example.org/x?access_token=abc#f", NULL, 0,
	      "https://bob:***@example.org/x?access_token=***#f");
	/* what only looks like a key stays */
	check("the password is wrong; my_access_token: x; https://example.org:8080/a@b", NULL, 0,
	      "the password is wrong; my_access_token: x; https://example.org:8080/a@b");
	check("Bearer ", NULL, 0, "Bearer ");
	check("", NULL, 0, "");
}

static void test_redact_secrets(void)
{
	const char *const s[] = {"T0K3N-value", NULL, "abc"};
	/* the secret's bytes wherever they appear; a secret under 4 bytes is
	 * not one (it would blank "abc" in any word) */
	check("echo T0K3N-value and xT0K3N-valuex, abc", s, 3, "echo *** and x***x, abc");
	check("T0K3N-valu", s, 3, "T0K3N-valu");
}

void suite_redact(void)
{
	CU_pSuite s = CU_add_suite("redact", NULL, NULL);
	ADD_TEST(s, test_redact_patterns);
	ADD_TEST(s, test_redact_secrets);
}
