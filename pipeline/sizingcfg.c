#include "sizingcfg.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "../core/number.h"
#include "../core/strbuf.h"

static const char *skip(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

/* The number at the start of s (number_typed), n bytes: the first word,
 * the groups of three digits that follow it ("1 200"), then a '%'. */
static size_t number_len(const char *s)
{
	size_t n = strcspn(s, " \t");
	for (;;) {
		const char *g = skip(s + n);
		size_t k = strcspn(g, " \t");
		if (g == s + n || k != 3 || !isdigit((unsigned char)g[0]) ||
		    !isdigit((unsigned char)g[1]) || !isdigit((unsigned char)g[2]))
			break;
		n = (size_t)(g + k - s);
	}
	const char *after = skip(s + n);
	if (*after == '%') /* "45 %" */
		n = (size_t)(after - s) + 1;
	return n;
}

/* A number in s[0..n) (number_typed), a share as a fraction or "45 %",
 * for key.  When it is ambiguous, its message goes to msg (size bytes). */
static enum number_result number(const char *key, const char *s, size_t n, bool share, double *out,
				 char *msg, size_t size)
{
	struct number x;
	struct strbuf why = STRBUF_INIT;
	enum number_result r = number_typed(key, s, n, share ? NUMBER_ALLOW_PERCENT : 0, &x, &why);
	if (r == NUMBER_AMBIGUOUS)
		snprintf(msg, size, "%s", why.buf);
	else if (r == NUMBER_OK && !isfinite(x.value))
		r = NUMBER_BAD;
	if (r == NUMBER_OK)
		*out = x.value;
	strbuf_release(&why);
	return r;
}

enum status sizingcfg_term_parse(const char *text, bool share, struct sizingcfg_term *out,
				 const char **why)
{
	const char *s = skip(text);
	memset(out, 0, sizeof(*out));
	out->share = share;
	if (!strncmp(s, "indicator:", 10) || !strncmp(s, "survey:", 7)) {
		out->kind = *s == 'i' ? SIZINGCFG_INDICATOR : SIZINGCFG_SURVEY;
		const char *id = strchr(s, ':') + 1;
		size_t n = strcspn(id, " \t");
		if (!n || n >= sizeof(out->id) || *skip(id + n)) {
			*why = "expected indicator:ID or survey:VARIABLE=CODE alone";
			return TERRAIN_EDATA;
		}
		if (out->kind == SIZINGCFG_SURVEY &&
		    (!strchr(id, '=') || id[0] == '=' || id[n - 1] == '=')) {
			*why = "expected survey:VARIABLE=CODE";
			return TERRAIN_EDATA;
		}
		if (out->kind == SIZINGCFG_SURVEY && !share) {
			*why = "a survey proportion is a share, not a base count";
			return TERRAIN_EDATA;
		}
		memcpy(out->id, id, n);
		out->id[n] = '\0';
		return TERRAIN_OK;
	}
	out->kind = SIZINGCFG_NUMBER;
	const char *open = strchr(s, '['), *rest, *key = share ? "shares" : "base";
	double x, lo, hi;
	enum number_result r;
	if (open) {
		const char *close = strchr(open, ']');
		char inside[128];
		size_t start[2], len[2];
		if (!close || (size_t)(close - open) > sizeof(inside) ||
		    (snprintf(inside, sizeof(inside), "%.*s", (int)(close - open - 1), open + 1),
		     number_split(inside, start, len, 2) != 2)) {
			*why = "expected NUMBER [LOW, HIGH] SOURCE";
			return TERRAIN_EDATA;
		}
		if ((r = number(key, s, (size_t)(open - s), share, &x, out->source,
				sizeof(out->source))) == NUMBER_OK &&
		    (r = number(key, inside + start[0], len[0], share, &lo, out->source,
				sizeof(out->source))) == NUMBER_OK)
			r = number(key, inside + start[1], len[1], share, &hi, out->source,
				   sizeof(out->source));
		if (r) {
			*why =
			    r == NUMBER_AMBIGUOUS ? out->source
			    : share
				? "expected numbers such as 0.45 [0.40, 0.50] or 45 % [40 %, 50 %]"
				: "expected numbers such as 1200 [1100, 1300]";
			return TERRAIN_EDATA;
		}
		rest = close + 1;
	} else {
		size_t n = number_len(s);
		if ((r = number(key, s, n, share, &x, out->source, sizeof(out->source)))) {
			*why = r == NUMBER_AMBIGUOUS ? out->source
			       : share
				   ? "expected indicator:ID, survey:VARIABLE=CODE or a share such "
				     "as 0.45 [0.40, 0.50] with its source"
				   : "expected indicator:ID or a count such as 1200 [1100, 1300] "
				     "with its source";
			return TERRAIN_EDATA;
		}
		lo = hi = x;
		rest = s + n;
	}
	rest = skip(rest);
	if (!*rest) {
		*why = "a number needs its source after it (who published it, when)";
		return TERRAIN_EDATA;
	}
	if (!(lo <= x && x <= hi)) {
		*why = "the range does not hold the value (expected LOW <= VALUE <= HIGH)";
		return TERRAIN_EDATA;
	}
	if (lo < 0 || (share && hi > 1)) {
		*why = share ? "a share lies between 0 and 1 (or 0 % and 100 %)"
			     : "a count cannot be negative";
		return TERRAIN_EDATA;
	}
	out->v = (struct sizing_range){x, lo, hi};
	snprintf(out->source, sizeof(out->source), "%s", rest);
	return TERRAIN_OK;
}

enum status sizingcfg_read(const struct project *p, struct sizingcfg *out, struct error *err)
{
	memset(out, 0, sizeof(*out));
	out->goal = NAN;
	out->has_target = p->target.line != 0;
	out->has_offer = p->offer.line != 0;
	const struct project_entries *t = &p->target, *o = &p->offer;
	const char *why = NULL;
	bool have_base = false;
	for (size_t i = 0; i < t->key.n; i++) {
		const char *key = t->key.item[i], *val = t->value.item[i];
		unsigned line = t->value.line[i];
		if (!strcmp(key, "label")) {
			size_t n = strlen(out->label);
			snprintf(out->label + n, sizeof(out->label) - n, "%s%s", n ? " " : "", val);
			continue;
		}
		bool base = !strcmp(key, "base");
		if (base && have_base)
			return project_error_at(p, line, err,
						"\"base\" takes one count (this indented line "
						"continues it)");
		if (!*skip(val))
			continue; /* "shares =" with the terms on the next lines */
		if (out->nterms == SIZINGCFG_MAX_TERMS)
			return project_error_at(p, line, err, "at most %d shares",
						SIZINGCFG_MAX_TERMS - 1);
		size_t k = base ? 0 : out->nterms ? out->nterms : 1;
		if (!base && !out->nterms)
			out->nterms = 1; /* term[0] waits for the base */
		if (sizingcfg_term_parse(val, !base, &out->term[k], &why))
			return project_error_at(p, line, err, "bad %s \"%s\": %s",
						base ? "base" : "share", val, why);
		out->term[k].line = line;
		if (base) {
			have_base = true;
			if (!out->nterms)
				out->nterms = 1;
		} else {
			out->nterms = k + 1;
		}
	}
	if (out->has_target && !have_base)
		return project_error_at(p, p->target.line, err,
					"[target] has no base (expected base = indicator:ID or a "
					"count with its source)");
	if (out->has_target && !*out->label)
		snprintf(out->label, sizeof(out->label), "%s", "target public");
	for (size_t i = 0; i < o->key.n; i++) {
		const char *key = o->key.item[i], *val = o->value.item[i];
		unsigned line = o->value.line[i];
		if (!strcmp(key, "file")) {
			struct strbuf path = STRBUF_INIT;
			project_path(p, val, &path);
			snprintf(out->offer_file, sizeof(out->offer_file), "%s", path.buf);
			strbuf_release(&path);
			out->offer_line = line;
			continue;
		}
		if (!strcmp(key, "covers")) {
			const char *s = val;
			out->covers_line = line;
			while (*(s += strspn(s, ", \t"))) {
				size_t n = strcspn(s, ", \t");
				if (out->ncovers == 8 || n >= sizeof(out->covers[0]))
					return project_error_at(
					    p, line, err,
					    "\"covers\" lists at most 8 territory "
					    "codes");
				snprintf(out->covers[out->ncovers++], sizeof(out->covers[0]),
					 "%.*s", (int)n, s);
				s += n;
			}
			continue;
		}
		/* goal = NUMBER SOURCE, or ref:CODE */
		const char *s = skip(val);
		if (!strncmp(s, "ref:", 4)) {
			size_t n = strcspn(s + 4, " \t");
			if (!n || n >= sizeof(out->goal_ref) || *skip(s + 4 + n))
				return project_error_at(
				    p, line, err,
				    "bad goal \"%s\" (expected ref: and one territory "
				    "code, such as ref:dep:38)",
				    val);
			snprintf(out->goal_ref, sizeof(out->goal_ref), "%.*s", (int)n, s + 4);
			out->goal_line = line;
			continue;
		}
		size_t n = number_len(s);
		double x;
		char msg[256];
		enum number_result r = number("goal", s, n, false, &x, msg, sizeof(msg));
		if (r == NUMBER_AMBIGUOUS)
			return project_error_at(p, line, err, "%s", msg);
		if (r || !(x > 0))
			return project_error_at(p, line, err,
						"bad goal \"%s\" (expected places per 1 000 target "
						"persons, such as 25, then its reason)",
						val);
		if (!*skip(s + n))
			return project_error_at(p, line, err,
						"goal \"%s\" needs its reason after the number (a "
						"reference's coverage, a plan's objective)",
						val);
		out->goal = x;
		snprintf(out->goal_source, sizeof(out->goal_source), "%s", skip(s + n));
		out->goal_line = line;
	}
	return TERRAIN_OK;
}
