/* Status codes and error messages.
 *
 * Fallible functions return an enum status (TERRAIN_OK is 0) and, on
 * failure, the function that detected the problem writes one message into
 * the caller's struct error, with its context ("communes.csv:41:7: ...").
 * Callers pass the status up unchanged; only main prints the message.
 * A NULL struct error pointer is allowed and discards the message. */
#ifndef TERRAIN_ERROR_H
#define TERRAIN_ERROR_H

#include <stdarg.h>

enum status {
	TERRAIN_OK = 0,
	TERRAIN_EDATA,	   /* bad or missing data: exit 1 */
	TERRAIN_EIO,	   /* file system or system call failure: exit 1 */
	TERRAIN_EUSAGE,	   /* bad command line or argument: exit 2 */
	TERRAIN_ENOTFOUND, /* a well-formed name that the data do not hold: exit 1 */
	TERRAIN_ENET,	   /* a network or HTTP failure (after retries): exit 1 */
	TERRAIN_EPARTIAL,  /* some sources failed, the others' data were kept: exit 3 */
	TERRAIN_ELOCKED,   /* another run holds the store's lock: exit 75 (EX_TEMPFAIL) */
};

#define ERROR_MSG_MAX 1024

struct error {
	enum status status;
	char msg[ERROR_MSG_MAX];
};

/* Set the message (lowercase, no final period) and return status. */
enum status error_set(struct error *err, enum status status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
enum status error_vset(struct error *err, enum status status, const char *fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));

/* Prefix the existing message with "prefix: " (a file name, for example). */
void error_prefix(struct error *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

void error_clear(struct error *err);

/* The process exit code for a status: 0, 1, 2 or 3 (partial). */
int error_exit_code(enum status status);

#endif
