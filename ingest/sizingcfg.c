#include "sizingcfg.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "../core/strbuf.h"
#include "value.h"

static const char *skip(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

/* A number, a share as a fraction or "45 %". */
static bool number(const char *s, size_t n, bool share, double *out)
{
	char buf[64];
	bool pct;
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	s = skip(s);
	if (!n || n >= sizeof(buf))
		return false;
	snprintf(buf, sizeof(buf), "%.*s", (int)n, s);
	if (!value_parse_number(buf, out, &pct) || !isfinite(*out))
		return false;
	if (pct && !share)
		return false;
	if (pct)
		*out /= 100;
	return true;
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
		if (out->kind == SIZINGCFG_SURVEY && (!strchr(id, '=') || id[0] == '=' ||
						      id[n - 1] == '=')) {
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
	const char *open = strchr(s, '['), *rest;
	double x, lo, hi;
	if (open) {
		const char *close = strchr(open, ']');
		const char *sep = open ? strstr(open, ", ") : NULL;
		if (!close || !sep || sep > close) {
			*why = "expected NUMBER [LOW, HIGH] SOURCE";
			return TERRAIN_EDATA;
		}
		if (!number(s, (size_t)(open - s), share, &x) ||
		    !number(open + 1, (size_t)(sep - open - 1), share, &lo) ||
		    !number(sep + 2, (size_t)(close - sep - 2), share, &hi)) {
			*why = share ? "expected numbers such as 0.45 [0.40, 0.50] or 45 % [40 %, 50 %]"
				     : "expected numbers such as 1200 [1100, 1300]";
			return TERRAIN_EDATA;
		}
		rest = close + 1;
	} else {
		size_t n = strcspn(s, " \t");
		const char *after = skip(s + n);
		if (*after == '%') /* "45 %" */
			n = (size_t)(after - s) + 1;
		if (!number(s, n, share, &x)) {
			*why = share ? "expected indicator:ID, survey:VARIABLE=CODE or a share such "
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
					return project_error_at(p, line, err,
								"\"covers\" lists at most 8 territory "
								"codes");
				snprintf(out->covers[out->ncovers++], sizeof(out->covers[0]), "%.*s",
					 (int)n, s);
				s += n;
			}
			continue;
		}
		/* goal = NUMBER SOURCE, or ref:CODE */
		const char *s = skip(val);
		if (!strncmp(s, "ref:", 4)) {
			size_t n = strcspn(s + 4, " \t");
			if (!n || n >= sizeof(out->goal_ref) || *skip(s + 4 + n))
				return project_error_at(p, line, err,
							"bad goal \"%s\" (expected ref: and one territory "
							"code, such as ref:dep:38)",
							val);
			snprintf(out->goal_ref, sizeof(out->goal_ref), "%.*s", (int)n, s + 4);
			out->goal_line = line;
			continue;
		}
		size_t n = strcspn(s, " \t");
		double x;
		if (!number(s, n, false, &x) || !(x > 0))
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
