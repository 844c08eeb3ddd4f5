/* The one redaction of secrets in messages (issue 18): every message that
 * quotes a response body, a URL or a header goes through redact() before
 * it reaches stderr, a log or a JSON report.
 *
 * What is replaced by "***":
 *   - each of the given secrets' bytes wherever they appear (a token, a
 *     client secret; secrets shorter than 4 bytes are ignored, as they
 *     would blank ordinary words);
 *   - the value after "Authorization:" (to the end of the line) and after
 *     "Bearer " or "Basic " (a run of token characters);
 *   - the value of a JSON member or a form/query field named access_token,
 *     refresh_token, id_token, client_secret or password;
 *   - the password of a URL's userinfo (scheme://user:password@host).
 * Keys are matched without regard to case.  The text is otherwise kept
 * byte for byte. */
#ifndef TERRAIN_REDACT_H
#define TERRAIN_REDACT_H

#include <stddef.h>

#include "strbuf.h"

#define REDACTED "***"

/* Redact sb in place; secrets holds n strings (NULL entries skipped). */
void redact(struct strbuf *sb, const char *const *secrets, size_t n);

#endif
