#include "error.h"

#include <stdio.h>
#include <string.h>

enum status error_vset(struct error *err, enum status status, const char *fmt, va_list ap)
{
	if (err) {
		err->status = status;
		vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	}
	return status;
}

enum status error_set(struct error *err, enum status status, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	error_vset(err, status, fmt, ap);
	va_end(ap);
	return status;
}

void error_prefix(struct error *err, const char *fmt, ...)
{
	if (!err)
		return;
	char old[ERROR_MSG_MAX];
	va_list ap;
	memcpy(old, err->msg, sizeof(old));
	va_start(ap, fmt);
	int n = vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(err->msg) - 2)
		return; /* no room left for the message itself */
	size_t len = (size_t)n;
	err->msg[len++] = ':';
	err->msg[len++] = ' ';
	size_t room = sizeof(err->msg) - len - 1;
	size_t olen = strnlen(old, room);
	memcpy(err->msg + len, old, olen);
	err->msg[len + olen] = '\0';
}

void error_clear(struct error *err)
{
	if (err) {
		err->status = TERRAIN_OK;
		err->msg[0] = '\0';
	}
}

int error_exit_code(enum status status)
{
	switch (status) {
	case TERRAIN_OK:
		return 0;
	case TERRAIN_EUSAGE:
		return 2;
	case TERRAIN_EPARTIAL:
		return 3;
	case TERRAIN_ELOCKED:
		return 75; /* sysexits.h EX_TEMPFAIL: try again later */
	case TERRAIN_EDATA:
	case TERRAIN_EIO:
	case TERRAIN_ENOTFOUND:
	case TERRAIN_ENET:
		break;
	}
	return 1;
}
