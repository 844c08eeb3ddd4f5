#include "project.h"

#include <ctype.h>
#include <errno.h>
#include <ini.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "log.h"
#include "number.h"
#include "strbuf.h"
#include "text.h"
#include "xalloc.h"

/* The longest line libinih accepts (its INI_MAX_LINE of 200, less the line
 * end and terminator): longer lines are an error, not silently split. */
#define LINE_MAX_CHARS 197

static const char *const project_keys[] = {"title",	 "author", "territory",
					   "references", "lang",   "output"};
static const char *const custom_keys[] = {"name", "members"};
static const char *const note_keys[] = {"maps"};
static const char *const survey_keys[] = {
    "file",	 "codebook", "margins",	   "method",  "trim",	"by",
    "crosstab",	 "encoding", "delimiter",  "min_n",   "max_cv", "suppress_below",
    "tolerance", "max_iter", "lonely_psu", "epsilon",
};

/* [sources]: the registry's keys (core/sources.h, one per source), then these. */
static const char *const sources_keys[] = {
    "francetravail_token", "dares_ze",	   "enabled",	  "cache", "store", "timeout",
    "connect_timeout",	   "max_attempts", "max_body_mb",
};

/* [target] and [offer]: read by ingest/sizingcfg.c. */
const char *const project_target_keys[PROJECT_TARGET_NKEYS] = {"label", "base", "shares"};
const char *const project_offer_keys[PROJECT_OFFER_NKEYS] = {"file", "goal", "covers"};

/* The action plan, its evaluation, the target jobs and the training action:
 * read by ingest/plancfg.c. */
static const char *const plan_keys[] = {"goal", "objectives"};
static const char *const action_keys[] = {"label", "objectives", "start",  "end",
					  "lead",  "partners",	 "budget", "outputs"};
static const char *const evaluation_keys[] = {"indicator"};
static const char *const job_keys[] = {"source", "skills"};
static const char *const training_keys[] = {"positioning", "rate", "threshold", "labels"};
/* [store]: a PostgreSQL store (a SQLite one is [sources] store). */
static const char *const store_keys[] = {"url"};

/* [budget]: read by ingest/budgetcfg.c, which knows what each means. */
const char *const project_budget_keys[PROJECT_BUDGET_NKEYS] = {
    "name",
    "structure",
    "start_year",
    "posts",
    "contract_hours",
    "occupancy",
    "contract_months",
    "smic_hourly",
    "employer_cost_factor",
    "weeks_per_year",
    "full_time_hours",
    "aid_socle",
    "aid_modulation",
    "aid_modulation_max",
    "supervisors_etp",
    "supervisor_cost",
    "accompaniment_etp",
    "accompaniment_cost",
    "training",
    "operating",
    "depreciation",
    "rsa_share",
    "rsa_cofunding",
    "public_funds",
    "sales",
    "cddi_min_hours",
    "cddi_min_months",
    "cddi_max_months",
    "aci_sales_cap",
    "scenario_occupancy",
    "scenario_aid_change",
    "sensitivity",
};

#define NKEYS(a) (sizeof(a) / sizeof((a)[0]))

enum section_kind {
	SEC_NONE,
	SEC_PROJECT,
	SEC_CUSTOM,
	SEC_SURVEY,
	SEC_SOURCES,
	SEC_BUDGET,
	SEC_TARGET,
	SEC_OFFER,
	SEC_NOTE,
	SEC_PLAN,
	SEC_EVALUATION,
	SEC_TRAINING,
	SEC_ACTION,
	SEC_JOB,
	SEC_STORE,
};

static const struct {
	const char *name; /* as in messages: "project", "custom:", "survey" */
	const char *const *keys;
	size_t nkeys;
} sections[] = {
    [SEC_PROJECT] = {"project", project_keys, NKEYS(project_keys)},
    [SEC_CUSTOM] = {"custom:", custom_keys, NKEYS(custom_keys)},
    [SEC_SURVEY] = {"survey", survey_keys, NKEYS(survey_keys)},
    [SEC_SOURCES] = {"sources", sources_keys, NKEYS(sources_keys)},
    [SEC_BUDGET] = {"budget", project_budget_keys, PROJECT_BUDGET_NKEYS},
    [SEC_TARGET] = {"target", project_target_keys, PROJECT_TARGET_NKEYS},
    [SEC_OFFER] = {"offer", project_offer_keys, PROJECT_OFFER_NKEYS},
    [SEC_NOTE] = {"note", note_keys, NKEYS(note_keys)},
    [SEC_PLAN] = {"plan", plan_keys, NKEYS(plan_keys)},
    [SEC_EVALUATION] = {"evaluation", evaluation_keys, NKEYS(evaluation_keys)},
    [SEC_TRAINING] = {"training", training_keys, NKEYS(training_keys)},
    [SEC_ACTION] = {"action:", action_keys, NKEYS(action_keys)},
    [SEC_JOB] = {"job:", job_keys, NKEYS(job_keys)},
    [SEC_STORE] = {"store", store_keys, NKEYS(store_keys)},
};

struct seen_key {
	enum section_kind kind;
	size_t custom;
	const char *key;
	unsigned line;
};

struct ctx {
	struct project *p;
	const char *name;
	FILE *fp;
	char line[LINE_MAX_CHARS + 2]; /* the current line, a CR and the terminator */
	unsigned lineno;
	bool cont;     /* the current line continues the previous value */
	bool has_prev; /* a key was seen in the current section */
	enum section_kind kind;
	size_t custom; /* index when kind == SEC_CUSTOM */
	unsigned project_line;
	struct seen_key *seen;
	size_t nseen, alloc_seen;
	enum status st;
	struct error *err;
};

static enum status fail(struct ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static enum status fail(struct ctx *c, const char *fmt, ...)
{
	if (c->st)
		return c->st;
	struct strbuf sb = STRBUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	if (c->lineno)
		strbuf_addf(&sb, "%s:%u: ", c->name, c->lineno);
	else
		strbuf_addf(&sb, "%s: ", c->name);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	c->st = error_set(c->err, TERRAIN_EDATA, "%s", sb.buf);
	strbuf_release(&sb);
	return c->st;
}

static void list_add(struct project_list *l, const char *s, size_t n, unsigned line)
{
	ALLOC_GROW(l->item, l->n + 1, l->alloc);
	l->line = xreallocarray(l->line, l->alloc, sizeof(*l->line));
	l->item[l->n] = xstrndup(s, n);
	l->line[l->n] = line;
	l->n++;
}

static void list_release(struct project_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->item[i]);
	free(l->item);
	free(l->line);
	memset(l, 0, sizeof(*l));
}

static const char *skip_ws(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

/* The sections kept as written: [budget], [target], [offer]. */
static struct project_entries *entries_of(struct project *p, const char *name,
					  enum section_kind *kind)
{
	if (!strcmp(name, "budget"))
		return *kind = SEC_BUDGET, &p->budget;
	if (!strcmp(name, "target"))
		return *kind = SEC_TARGET, &p->target;
	if (!strcmp(name, "offer"))
		return *kind = SEC_OFFER, &p->offer;
	if (!strcmp(name, "note"))
		return *kind = SEC_NOTE, &p->note;
	if (!strcmp(name, "plan"))
		return *kind = SEC_PLAN, &p->plan;
	if (!strcmp(name, "evaluation"))
		return *kind = SEC_EVALUATION, &p->evaluation;
	if (!strcmp(name, "training"))
		return *kind = SEC_TRAINING, &p->training;
	return NULL;
}

/* [action:ID] and [job:CODE]: ID made of 1 to 31 letters, digits, '_' or
 * '-' (a ROME code's form is checked against the ROME table later). */
static void named_section(struct ctx *c, const char *name, size_t prefix, enum section_kind kind,
			  struct project_named **v, size_t *n, size_t *alloc)
{
	const char *id = name + prefix;
	size_t len = strlen(id);
	bool ok = len >= 1 && len <= 31;
	for (size_t i = 0; ok && i < len; i++)
		ok = isalnum((unsigned char)id[i]) || id[i] == '_' || id[i] == '-';
	if (!ok) {
		fail(c,
		     "bad section name [%s] (expected [%.*sID], ID made of 1 to 31 letters, "
		     "digits, '_' or '-')",
		     name, (int)prefix, name);
		return;
	}
	for (size_t i = 0; i < *n; i++)
		if (!strcmp((*v)[i].id, id)) {
			fail(c, "duplicate section [%s] (first on line %u)", name, (*v)[i].e.line);
			return;
		}
	ALLOC_GROW(*v, *n + 1, *alloc);
	struct project_named *pn = &(*v)[*n];
	memset(pn, 0, sizeof(*pn));
	pn->id = xstrdup(id);
	pn->e.line = c->lineno;
	c->kind = kind;
	c->custom = (*n)++;
}

/* Check a section header line ("[name]" with optional spaces). */
static void section_header(struct ctx *c, const char *s)
{
	const char *end = strchr(s, ']');
	if (!end) {
		fail(c, "missing ']' (expected [SECTION])");
		return;
	}
	const char *after = skip_ws(end + 1);
	if (*after && *after != ';' && *after != '#') {
		fail(c,
		     "unexpected \"%s\" after the section header (expected nothing or a "
		     "comment)",
		     after);
		return;
	}
	const char *a = skip_ws(s + 1);
	const char *b = end;
	while (b > a && (b[-1] == ' ' || b[-1] == '\t'))
		b--;
	char *name = xstrndup(a, (size_t)(b - a));
	enum section_kind kind;
	c->has_prev = false;
	if (!strcmp(name, "project")) {
		if (c->project_line)
			fail(c, "duplicate section [project] (first on line %u)", c->project_line);
		c->kind = SEC_PROJECT;
		c->project_line = c->lineno;
	} else if (!strcmp(name, "survey")) {
		if (c->p->survey.line)
			fail(c, "duplicate section [survey] (first on line %u)", c->p->survey.line);
		c->kind = SEC_SURVEY;
		c->p->survey.line = c->lineno;
	} else if (!strcmp(name, "sources")) {
		if (c->p->sources.line)
			fail(c, "duplicate section [sources] (first on line %u)",
			     c->p->sources.line);
		c->kind = SEC_SOURCES;
		c->p->sources.line = c->lineno;
	} else if (!strcmp(name, "store")) {
		if (c->p->store.line)
			fail(c, "duplicate section [store] (first on line %u)", c->p->store.line);
		c->kind = SEC_STORE;
		c->p->store.line = c->lineno;
	} else if (entries_of(c->p, name, &kind)) {
		struct project_entries *e = entries_of(c->p, name, &kind);
		if (e->line)
			fail(c, "duplicate section [%s] (first on line %u)", name, e->line);
		c->kind = kind;
		e->line = c->lineno;
	} else if (!strncmp(name, "action:", 7)) {
		named_section(c, name, 7, SEC_ACTION, &c->p->action, &c->p->naction,
			      &c->p->alloc_action);
	} else if (!strncmp(name, "job:", 4)) {
		named_section(c, name, 4, SEC_JOB, &c->p->job, &c->p->njob, &c->p->alloc_job);
	} else if (!strncmp(name, "custom:", 7)) {
		struct territory_code tc;
		struct project *p = c->p;
		if (territory_parse(name, &tc, NULL) || tc.type != TERRITORY_CUSTOM) {
			fail(c,
			     "bad section name [%s] (expected [custom:NAME], NAME made of 1 to 47 "
			     "letters, digits, '_', '.' or '-')",
			     name);
		} else {
			for (size_t i = 0; i < p->ncustom; i++)
				if (!strcmp(p->custom[i].id, tc.id))
					fail(c, "duplicate section [%s] (first on line %u)", name,
					     p->custom[i].line);
			ALLOC_GROW(p->custom, p->ncustom + 1, p->alloc_custom);
			struct project_custom *pc = &p->custom[p->ncustom];
			memset(pc, 0, sizeof(*pc));
			pc->id = xstrdup(tc.id);
			pc->line = c->lineno;
			c->kind = SEC_CUSTOM;
			c->custom = p->ncustom++;
		}
	} else {
		fail(c,
		     "unknown section [%s] (expected [project], [survey], [sources], [store], "
		     "[target], "
		     "[offer], [budget], [note], [plan], [action:ID], [evaluation], [job:CODE], "
		     "[training] or [custom:NAME])",
		     name);
	}
	free(name);
}

/* Read one line of at most LINE_MAX_CHARS bytes (a CRLF's CR aside) into
 * c->line, without its line end.  Returns 1, 0 at end of file, or -1 with
 * c->st set: the reading stops at the first byte over the limit, so an
 * endless line costs nothing. */
static int read_line(struct ctx *c, size_t *len)
{
	size_t n = 0;
	int ch = EOF;
	bool any = false;
	errno = 0;
	while ((ch = getc(c->fp)) != EOF && ch != '\n') {
		any = true;
		if (n == sizeof(c->line) - 1) {
			c->lineno++;
			fail(c,
			     "line too long (more than %d bytes): continue a long value on "
			     "indented lines",
			     LINE_MAX_CHARS);
			return -1;
		}
		c->line[n++] = (char)ch;
	}
	if (ch == EOF && ferror(c->fp)) {
		c->lineno++;
		fail(c, "cannot read: %s", strerror(errno ? errno : EIO));
		return -1;
	}
	if (ch == EOF && !any)
		return 0;
	c->lineno++;
	if (n && c->line[n - 1] == '\r')
		n--; /* CRLF */
	if (n > LINE_MAX_CHARS) {
		fail(c,
		     "line too long (more than %d bytes): continue a long value on indented lines",
		     LINE_MAX_CHARS);
		return -1;
	}
	c->line[n] = '\0';
	*len = n;
	return 1;
}

/* Check a line that is neither blank, a comment, a section header nor a
 * continuation: it must be "key = value". */
static void check_key_line(struct ctx *c, const char *s)
{
	const char *eq = strchr(s, '=');
	const char *colon = strchr(s, ':');
	if (!eq || (colon && colon < eq))
		fail(c, "expected \"[section]\", \"key = value\" or a comment");
}

/* libinih's line reader: one line per call, with our own line count, length
 * limit and byte checks, and section headers checked as they pass. */
static char *reader(char *str, int num, void *stream)
{
	struct ctx *c = stream;
	size_t len, bad;
	if (c->st || read_line(c, &len) <= 0)
		return NULL;
	if (c->lineno == 1 && len >= 3 && !memcmp(c->line, "\xef\xbb\xbf", 3)) {
		memmove(c->line, c->line + 3, len - 2); /* UTF-8 byte-order mark */
		len -= 3;
	}
	if (memchr(c->line, '\0', len)) {
		fail(c, "NUL byte at column %zu (expected text)",
		     (size_t)((char *)memchr(c->line, '\0', len) - c->line) + 1);
		return NULL;
	}
	if (memchr(c->line, '\r', len)) {
		fail(c, "carriage return at column %zu (expected LF or CRLF line ends)",
		     (size_t)((char *)memchr(c->line, '\r', len) - c->line) + 1);
		return NULL;
	}
	if (!text_utf8_valid(c->line, len, &bad)) {
		fail(c, "byte 0x%02X at column %zu is not UTF-8 (expected UTF-8 text)",
		     (unsigned)(unsigned char)c->line[bad], bad + 1);
		return NULL;
	}
	if ((int)len + 3 > num) { /* libinih's own buffer; cannot happen at 197 */
		fail(c, "line too long for libinih (%zu bytes)", len);
		return NULL;
	}
	const char *s = skip_ws(c->line);
	bool blank_or_comment = !*s || *s == ';' || *s == '#';
	c->cont = !blank_or_comment && s > c->line && c->has_prev;
	if (!c->cont && *s == '[')
		section_header(c, s);
	else if (!c->cont && !blank_or_comment)
		check_key_line(c, s);
	if (c->st)
		return NULL;
	memcpy(str, c->line, len);
	str[len] = '\n';
	str[len + 1] = '\0';
	return str;
}

static const char *expected_keys(enum section_kind kind, struct strbuf *sb)
{
	if (kind == SEC_SOURCES)
		for (size_t k = 0; k < SOURCE_COUNT; k++)
			strbuf_addf(sb, "%s, ", source_table[k].key);
	for (size_t i = 0; i < sections[kind].nkeys; i++)
		strbuf_addf(sb, "%s%s", i ? ", " : "", sections[kind].keys[i]);
	return sb->buf;
}

/* Split value into codes separated by commas or blanks; check each parses,
 * and, when members is set, that it is a commune or arrondissement. */
static void add_codes(struct ctx *c, struct project_list *l, const char *key, const char *value,
		      bool members)
{
	const char *s = value;
	while (*s) {
		while (*s == ',' || *s == ' ' || *s == '\t')
			s++;
		if (!*s)
			break;
		const char *e = s;
		while (*e && *e != ',' && *e != ' ' && *e != '\t')
			e++;
		char *tok = xstrndup(s, (size_t)(e - s));
		struct territory_code tc;
		struct error perr;
		if (territory_parse(tok, &tc, &perr))
			fail(c, "bad value for \"%s\": %s", key, perr.msg);
		else if (members && tc.type != TERRITORY_COM && tc.type != TERRITORY_ARM)
			fail(c,
			     "bad member \"%s\" (expected a commune code such as 38185 "
			     "or arm:69381)",
			     tok);
		else
			list_add(l, tok, strlen(tok), c->lineno);
		free(tok);
		s = e;
	}
}

static void set_text(struct ctx *c, char **dst, const char *value)
{
	if (c->cont && *dst) {
		size_t n = strlen(*dst);
		*dst = xrealloc(*dst, n + strlen(value) + 2);
		(*dst)[n] = ' ';
		strcpy(*dst + n + 1, value);
		return;
	}
	free(*dst);
	*dst = xstrdup(value);
}

/* Split a list value on commas and blanks into l. */
static void add_words(struct ctx *c, struct project_list *l, const char *value)
{
	const char *s = value;
	while (*s) {
		s += strspn(s, ", \t");
		size_t n = strcspn(s, ", \t");
		if (n)
			list_add(l, s, n, c->lineno);
		s += n;
	}
}

static void set_value(struct ctx *c, struct project_value *v, const char *value)
{
	free(v->text);
	v->text = xstrdup(value);
	v->line = c->lineno;
}

/* s[0..len), the value of key, read by number_typed (units: NUMBER_ALLOW_*).
 * An ambiguous value fails here with its message; for any other value that
 * is not a number the caller says what the key expects. */
static bool typed_number(struct ctx *c, const char *key, const char *s, size_t len, unsigned units,
			 double *out)
{
	struct number x;
	struct strbuf why = STRBUF_INIT;
	enum number_result r = number_typed(key, s, len, units, &x, &why);
	if (r == NUMBER_AMBIGUOUS)
		fail(c, "%s", why.buf);
	strbuf_release(&why);
	if (r)
		return false;
	*out = x.value;
	return true;
}

static bool positive_number(struct ctx *c, const char *key, const char *s, size_t len,
			    unsigned units, double *out)
{
	double x;
	if (!typed_number(c, key, s, len, units, &x) || !(x > 0))
		return false;
	*out = x;
	return true;
}

/* A whole number from lo to hi, typed as a user types it ("1 000"). */
static bool whole_number(struct ctx *c, const char *key, const char *s, long lo, long hi, long *out)
{
	double x;
	if (!typed_number(c, key, s, strlen(s), 0, &x) || x != floor(x) || x < (double)lo ||
	    x > (double)hi)
		return false;
	*out = (long)x;
	return true;
}

/* [survey]: paths and names are checked when the survey is read; forms
 * that need nothing else are checked here. */
static void survey_key(struct ctx *c, const char *key, const char *value)
{
	struct project_survey *sv = &c->p->survey;
	double x = NAN;
	if (!strcmp(key, "by")) {
		add_words(c, &sv->by, value);
		return;
	}
	if (!strcmp(key, "crosstab")) {
		size_t before = sv->crosstab.n;
		add_words(c, &sv->crosstab, value);
		for (size_t i = before; i < sv->crosstab.n; i++) {
			const char *t = sv->crosstab.item[i], *star = strchr(t, '*');
			if (!star || star == t || !star[1] || strchr(star + 1, '*'))
				fail(c,
				     "bad value \"%s\" in \"crosstab\" (expected pairs such as "
				     "statut*sexe)",
				     t);
		}
		return;
	}
	if (c->cont) {
		fail(c, "\"%s\" takes one value (this indented line continues it)", key);
		return;
	}
	if (!*value) {
		fail(c, "missing value for \"%s\"", key);
		return;
	}
	if (!strcmp(key, "method")) {
		if (strcmp(value, "rake") && strcmp(value, "poststratify") &&
		    strcmp(value, "none") && strcmp(value, "linear"))
			fail(c,
			     "bad value \"%s\" for \"method\" (expected rake, poststratify, linear "
			     "or none)",
			     value);
		set_value(c, &sv->method, value);
	} else if (!strcmp(key, "lonely_psu")) {
		if (strcmp(value, "fail") && strcmp(value, "remove") && strcmp(value, "adjust") &&
		    strcmp(value, "average"))
			fail(c,
			     "bad value \"%s\" for \"lonely_psu\" (expected fail, remove, adjust "
			     "or average)",
			     value);
		set_value(c, &sv->lonely_psu, value);
	} else if (!strcmp(key, "epsilon")) {
		if (!positive_number(c, key, value, strlen(value), 0, &x))
			fail(c,
			     "bad value \"%s\" for \"epsilon\" (expected a number above 0, such "
			     "as 1 or 1e-6)",
			     value);
		sv->epsilon = x;
	} else if (!strcmp(key, "trim")) {
		/* "LOW, HIGH", multiples of the mean weight; either may be empty */
		size_t start[2], len[2];
		double a = NAN, b = NAN;
		if (number_split(value, start, len, 2) != 2 ||
		    (len[0] && !positive_number(c, key, value + start[0], len[0], 0, &a)) ||
		    (len[1] && !positive_number(c, key, value + start[1], len[1], 0, &b)) ||
		    (!len[0] && !len[1]) || a > b)
			fail(c,
			     "bad value \"%s\" for \"trim\" (expected LOW, HIGH as multiples of "
			     "the mean weight, such as 0,3, 3; either side may be left empty)",
			     value);
		sv->trim_lower = a;
		sv->trim_upper = b;
		set_value(c, &sv->trim, value);
	} else if (!strcmp(key, "min_n") || !strcmp(key, "suppress_below") ||
		   !strcmp(key, "max_iter")) {
		long v;
		if (!whole_number(c, key, value, 1, 1000000, &v))
			fail(c, "bad value \"%s\" for \"%s\" (expected a whole number from 1)",
			     value, key);
		*(!strcmp(key, "min_n")		   ? &sv->min_n
		  : !strcmp(key, "suppress_below") ? &sv->suppress_below
						   : &sv->max_iter) = v;
	} else if (!strcmp(key, "max_cv") || !strcmp(key, "tolerance")) {
		bool cv = !strcmp(key, "max_cv");
		if (!positive_number(c, key, value, strlen(value), cv ? NUMBER_ALLOW_PERCENT : 0,
				     &x))
			fail(c,
			     "bad value \"%s\" for \"%s\" (expected a number above 0, such as "
			     "%s)",
			     value, key, cv ? "0,2 or 20 %" : "1e-10");
		*(!strcmp(key, "max_cv") ? &sv->max_cv : &sv->tolerance) = x;
	} else {
		struct project_value *v = !strcmp(key, "file")	     ? &sv->file
					  : !strcmp(key, "codebook") ? &sv->codebook
					  : !strcmp(key, "margins")  ? &sv->margins
					  : !strcmp(key, "encoding") ? &sv->encoding
								     : &sv->delimiter;
		set_value(c, v, value);
	}
}

/* A base URL: http:// or https://, a host, then an optional path; no
 * space or control character; a query only where query is allowed (the
 * token URL carries ?realm=...). */
bool project_base_url_ok(const char *v, bool query)
{
	const char *host = !strncmp(v, "http://", 7)	? v + 7
			   : !strncmp(v, "https://", 8) ? v + 8
							: NULL;
	if (!host || !*host || *host == '/' || *host == ':')
		return false;
	for (const unsigned char *p = (const unsigned char *)v; *p; p++)
		if (*p <= ' ' || *p == 0x7f || *p == '#' || (!query && *p == '?'))
			return false;
	return true;
}

/* The '@' that ends URL v's userinfo (the last one before the path: a
 * password may hold one), or NULL; *auth gets where the userinfo starts. */
static const char *userinfo_end(const char *v, const char **auth)
{
	const char *scheme = strstr(v, "://");
	*auth = scheme ? scheme + 3 : v;
	size_t n = strcspn(*auth, "/?#");
	const char *at = NULL;
	for (const char *p = *auth; p < *auth + n; p++)
		if (*p == '@')
			at = p;
	return at;
}

bool project_url_credentials(const char *v, struct strbuf *masked)
{
	const char *auth;
	const char *at = userinfo_end(v, &auth);
	if (!at)
		return false;
	const char *colon = memchr(auth, ':', (size_t)(at - auth));
	const char *keep = colon ? colon + 1 : auth;
	strbuf_add(masked, v, (size_t)(keep - v));
	strbuf_addf(masked, "***%s", at);
	return true;
}

bool project_uri_password(const char *v)
{
	const char *auth;
	const char *at = userinfo_end(v, &auth);
	return (at && memchr(auth, ':', (size_t)(at - auth))) || strstr(v, "?password=") ||
	       strstr(v, "&password=");
}

/* [store] url: a libpq URI, without a password (libpq's password file,
 * service file or environment hold it). */
static void store_key(struct ctx *c, const char *value)
{
	if (c->cont) {
		fail(c, "\"url\" takes one value (this indented line continues it)");
		return;
	}
	if (strncmp(value, "postgresql://", 13) && strncmp(value, "postgres://", 11)) {
		fail(c,
		     "bad value \"%s\" for \"url\" in [store] (expected a PostgreSQL URI such as "
		     "postgresql://host/dbname or postgresql:///dbname; a SQLite store is "
		     "[sources] store)",
		     value);
		return;
	}
	if (project_uri_password(value)) {
		fail(c, "[store] url carries a password: terrain leaves it to libpq (~/.pgpass, a "
			"service file or PGPASSWORD), never the project file");
		return;
	}
	set_value(c, &c->p->store.url, value);
}

/* [sources]: base URLs, paths, the enabled sources and the HTTP limits. */
static void sources_key(struct ctx *c, const char *key, const char *value)
{
	struct project_sources *so = &c->p->sources;
	if (!strcmp(key, "enabled")) {
		size_t before = so->enabled.n;
		if (!*value && !c->cont) {
			fail(c, "missing value for \"enabled\" (expected source names such as "
				"melodi bdm; leave the key out for all sources)");
			return;
		}
		add_words(c, &so->enabled, value);
		for (size_t i = before; i < so->enabled.n; i++) {
			if (source_find(so->enabled.item[i]) >= 0)
				continue;
			struct strbuf names = STRBUF_INIT;
			source_list_keys(&names);
			fail(c, "unknown source \"%s\" in \"enabled\" (expected %s)",
			     so->enabled.item[i], names.buf);
			strbuf_release(&names);
		}
		return;
	}
	if (c->cont) {
		fail(c, "\"%s\" takes one value (this indented line continues it)", key);
		return;
	}
	if (!*value) {
		fail(c, "missing value for \"%s\"", key);
		return;
	}
	if (!strcmp(key, "cache") || !strcmp(key, "store")) {
		if (!strcmp(key, "store") && project_uri_password(value)) {
			fail(c,
			     "[sources] store carries a password: terrain leaves it to libpq "
			     "(~/.pgpass, a service file or PGPASSWORD), never the project file");
			return;
		}
		set_value(c, !strcmp(key, "cache") ? &so->cache : &so->store, value);
		return;
	}
	if (!strcmp(key, "timeout") || !strcmp(key, "connect_timeout") ||
	    !strcmp(key, "max_attempts") || !strcmp(key, "max_body_mb")) {
		long v;
		long hi = !strcmp(key, "max_attempts") ? 20 : 100000;
		if (!whole_number(c, key, value, 1, hi, &v))
			fail(
			    c,
			    "bad value \"%s\" for \"%s\" (expected a whole number from 1 to %ld%s)",
			    value, key, hi,
			    !strcmp(key, "max_body_mb")	   ? ", in MiB"
			    : !strcmp(key, "max_attempts") ? ""
							   : ", in seconds");
		*(!strcmp(key, "timeout")	    ? &so->timeout_s
		  : !strcmp(key, "connect_timeout") ? &so->connect_timeout_s
		  : !strcmp(key, "max_attempts")    ? &so->max_attempts
						    : &so->max_body_mb) = v;
		return;
	}
	struct strbuf masked = STRBUF_INIT;
	if (project_url_credentials(value, &masked)) {
		fail(c, "[sources] %s: \"%s\" " PROJECT_URL_CREDENTIALS_HINT, key, masked.buf);
		strbuf_release(&masked);
		return;
	}
	/* the token and the DARES file are whole URLs, the others bases */
	bool whole = !strcmp(key, "francetravail_token") || !strcmp(key, "dares_ze");
	if (!project_base_url_ok(value, whole)) {
		fail(c,
		     "bad value \"%s\" for \"%s\" (expected a URL such as https://host/path: "
		     "http:// or https://, a host, no space%s)",
		     value, key, whole ? "" : ", no query or fragment");
		return;
	}
	if (!strcmp(key, "francetravail_token")) {
		set_value(c, &so->ft_token, value);
		return;
	}
	if (!strcmp(key, "dares_ze")) {
		set_value(c, &so->dares_ze, value);
		return;
	}
	int k = source_find(key);
	if (k >= 0)
		set_value(c, &so->url[k], value);
}

static int handler(void *user, const char *section, const char *key, const char *value)
{
	struct ctx *c = user;
	struct project *p = c->p;
	struct strbuf sb = STRBUF_INIT;
	(void)section; /* our own state follows the headers, line by line */
	if (c->st)
		return 1;
	if (c->kind == SEC_NONE) {
		fail(c,
		     "key \"%s\" outside a section (expected it under [project], [survey], "
		     "[sources], [target], [offer], [budget], [note] or [custom:NAME])",
		     key);
		return 1;
	}
	const char *const *keys = sections[c->kind].keys;
	size_t nkeys = sections[c->kind].nkeys;
	const char *known = NULL; /* the table's own string: seen keys compare by address */
	int src = c->kind == SEC_SOURCES ? source_find(key) : -1;
	if (src >= 0)
		known = source_table[src].key;
	for (size_t k = 0; !known && k < nkeys; k++)
		if (!strcmp(keys[k], key))
			known = keys[k];
	if (!known) {
		fail(c, "unknown key \"%s\" in [%s%s] (expected one of: %s)", key,
		     sections[c->kind].name,
		     c->kind == SEC_CUSTOM   ? p->custom[c->custom].id
		     : c->kind == SEC_ACTION ? p->action[c->custom].id
		     : c->kind == SEC_JOB    ? p->job[c->custom].id
					     : "",
		     expected_keys(c->kind, &sb));
		strbuf_release(&sb);
		return 1;
	}
	if (!c->cont) {
		for (size_t i = 0; i < c->nseen; i++) {
			struct seen_key *s = &c->seen[i];
			if (s->kind == c->kind && s->custom == c->custom && s->key == known) {
				fail(c, "duplicate key \"%s\" (first set on line %u)", key,
				     s->line);
				return 1;
			}
		}
		ALLOC_GROW(c->seen, c->nseen + 1, c->alloc_seen);
		c->seen[c->nseen++] = (struct seen_key){c->kind, c->custom, known, c->lineno};
	}
	c->has_prev = true;

	if (c->kind == SEC_SURVEY) {
		survey_key(c, key, value);
		return 1;
	}
	if (c->kind == SEC_SOURCES) {
		sources_key(c, key, value);
		return 1;
	}
	if (c->kind == SEC_STORE) {
		store_key(c, value);
		return 1;
	}
	if (c->kind == SEC_BUDGET || c->kind == SEC_TARGET || c->kind == SEC_OFFER ||
	    c->kind == SEC_NOTE) {
		/* as written: ingest/budgetcfg.c and ingest/sizingcfg.c read them */
		enum section_kind kind;
		struct project_entries *e = entries_of(p, sections[c->kind].name, &kind);
		list_add(&e->key, key, strlen(key), c->lineno);
		list_add(&e->value, value, strlen(value), c->lineno);
		return 1;
	}
	if (c->kind == SEC_PLAN || c->kind == SEC_EVALUATION || c->kind == SEC_TRAINING ||
	    c->kind == SEC_ACTION || c->kind == SEC_JOB) {
		enum section_kind kind;
		struct project_entries *e = c->kind == SEC_ACTION ? &p->action[c->custom].e
					    : c->kind == SEC_JOB
						? &p->job[c->custom].e
						: entries_of(p, sections[c->kind].name, &kind);
		list_add(&e->key, key, strlen(key), c->lineno);
		list_add(&e->value, value, strlen(value), c->lineno);
		return 1;
	}
	if (c->kind == SEC_CUSTOM) {
		struct project_custom *pc = &p->custom[c->custom];
		if (!strcmp(key, "name"))
			set_text(c, &pc->label, value);
		else
			add_codes(c, &pc->members, key, value, true);
		return 1;
	}
	if (!strcmp(key, "title")) {
		set_text(c, &p->title, value);
	} else if (!strcmp(key, "author")) {
		set_text(c, &p->author, value);
	} else if (!strcmp(key, "references")) {
		add_codes(c, &p->refs, key, value, false);
	} else if (c->cont) {
		fail(c, "\"%s\" takes one value (this indented line continues it)", key);
	} else if (!strcmp(key, "territory")) {
		struct territory_code tc;
		struct error perr;
		if (!*value)
			fail(c, "missing value for \"territory\" (expected a typed code such "
				"as com:38185, epci:200040715 or custom:NAME)");
		else if (territory_parse(value, &tc, &perr))
			fail(c, "bad value for \"territory\": %s", perr.msg);
		free(p->territory);
		p->territory = xstrdup(value);
		p->territory_line = c->lineno;
	} else if (!strcmp(key, "lang")) {
		if (strcmp(value, "fr") && strcmp(value, "en"))
			fail(c, "bad value \"%s\" for \"lang\" (expected fr or en)", value);
		set_text(c, &p->lang, value);
	} else if (!strcmp(key, "output")) {
		if (!*value)
			fail(c, "missing value for \"output\" (expected a folder such as out)");
		set_text(c, &p->output, value);
	}
	return 1;
}

enum status project_load_file(struct project *p, const char *name, FILE *fp, struct error *err)
{
	memset(p, 0, sizeof(*p));
	p->survey.trim_lower = p->survey.trim_upper = NAN;
	p->survey.max_cv = p->survey.tolerance = p->survey.epsilon = NAN;
	p->path = xstrdup(name);
	const char *slash = strrchr(name, '/');
	p->dir = slash ? xstrndup(name, (size_t)(slash - name + (slash == name))) : xstrdup(".");
	struct ctx c = {.p = p, .name = name, .fp = fp, .err = err};
	int line = ini_parse_stream(reader, &c, handler, &c);
	if (!c.st && line > 0) {
		c.lineno = (unsigned)line;
		fail(&c, "expected \"[section]\", \"key = value\" or a comment");
	} else if (!c.st && line < 0) {
		fail(&c, "cannot parse (libinih error %d)", line);
	}
	if (!c.st) {
		for (size_t i = 0; i < p->ncustom; i++) {
			struct project_custom *pc = &p->custom[i];
			if (!pc->members.n) {
				c.lineno = pc->line;
				fail(&c,
				     "[custom:%s] has no members (expected members = a list "
				     "of commune codes)",
				     pc->id);
				break;
			}
			if (!pc->label)
				pc->label = xstrdup(pc->id);
		}
	}
	if (!p->lang)
		p->lang = xstrdup("fr");
	if (!p->output)
		p->output = xstrdup("out");
	free(c.seen);
	if (c.st)
		project_release(p);
	return c.st;
}

enum status project_load(struct project *p, const char *path, struct error *err)
{
	memset(p, 0, sizeof(*p));
	FILE *fp = fopen(path, "r");
	if (!fp)
		return error_set(err, TERRAIN_EIO, "%s: cannot open: %s", path, strerror(errno));
	struct stat sb;
	if (fstat(fileno(fp), &sb) == 0 && S_ISDIR(sb.st_mode)) {
		fclose(fp);
		return error_set(err, TERRAIN_EIO, "%s: is a directory (expected a project file)",
				 path);
	}
	enum status st = project_load_file(p, path, fp, err);
	fclose(fp);
	return st;
}

#define fail_at project_error_at

enum status project_error_at(const struct project *p, unsigned line, struct error *err,
			     const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	if (line)
		strbuf_addf(&sb, "%s:%u: ", p->path, line);
	else
		strbuf_addf(&sb, "%s: ", p->path);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	error_set(err, TERRAIN_EDATA, "%s", sb.buf);
	strbuf_release(&sb);
	return TERRAIN_EDATA;
}

/* A commune code of the project file (at line) that is also the postcode
 * of other communes: a warning, the file's reading unchanged. */
static void warn_postcode(const struct project *p, const struct geo *g, unsigned line,
			  const char *code)
{
	struct strbuf msg = STRBUF_INIT;
	if (territory_postcode_warning(g, code, &msg))
		log_warn("%s:%u: %s", p->path, line, msg.buf);
	strbuf_release(&msg);
}

static enum status resolve_custom(struct project *p, const struct geo *g, size_t k,
				  struct error *err)
{
	struct project_custom *pc = &p->custom[k];
	struct territory_custom *tc = &p->resolved[k];
	tc->id = xstrdup(pc->id);
	tc->label = xstrdup(pc->label);
	for (size_t i = 0; i < pc->members.n; i++) {
		struct territory t;
		struct error e;
		unsigned line = pc->members.line[i];
		if (territory_lookup(g, pc->members.item[i], NULL, 0, &t, &e))
			return fail_at(p, line, err, "member of [custom:%s]: %s", pc->id, e.msg);
		warn_postcode(p, g, line, pc->members.item[i]);
		if (t.from != GEO_NONE)
			log_note("%s:%u: %s %s is now part of %s %s: counted as such", p->path,
				 line, g->com[t.from].code, g->com[t.from].name,
				 g->com[t.index].code, t.name);
		for (size_t j = 0; j < tc->nmember; j++) {
			size_t o = tc->member[j];
			if (o == t.index)
				return fail_at(p, line, err,
					       "member \"%s\" of [custom:%s] is listed twice "
					       "(as %s %s)",
					       pc->members.item[i], pc->id, g->com[o].code,
					       g->com[o].name);
			if (g->com[o].city == t.index || g->com[t.index].city == o)
				return fail_at(p, line, err,
					       "member \"%s\" of [custom:%s] overlaps %s %s "
					       "(expected a commune or its arrondissements, not "
					       "both)",
					       pc->members.item[i], pc->id, g->com[o].code,
					       g->com[o].name);
		}
		ALLOC_GROW(tc->member, tc->nmember + 1, tc->alloc_member);
		tc->member[tc->nmember++] = t.index;
	}
	return TERRAIN_OK;
}

enum status project_resolve_customs(struct project *p, const struct geo *g, struct error *err)
{
	enum status st;
	if (p->resolved)
		return TERRAIN_OK;
	p->resolved = xcalloc(p->ncustom ? p->ncustom : 1, sizeof(*p->resolved));
	for (size_t k = 0; k < p->ncustom; k++) {
		if (!(st = resolve_custom(p, g, k, err)))
			continue;
		/* undo, so that a second call does not take half a result for done */
		for (size_t i = 0; i <= k; i++) {
			free(p->resolved[i].id);
			free(p->resolved[i].label);
			free(p->resolved[i].member);
		}
		free(p->resolved);
		p->resolved = NULL;
		return st;
	}
	return TERRAIN_OK;
}

enum status project_resolve(struct project *p, const struct geo *g, struct territory *t,
			    struct territory refs[PROJECT_MAX_REFS], size_t *nref,
			    struct error *err)
{
	enum status st;
	*nref = 0;
	if ((st = project_resolve_customs(p, g, err)))
		return st;
	if (!p->territory)
		return fail_at(p, 0, err,
			       "no territory (expected \"territory = CODE\" in [project], "
			       "such as com:38185)");
	struct error e;
	if (territory_lookup(g, p->territory, p->resolved, p->ncustom, t, &e))
		return fail_at(p, p->territory_line, err, "territory: %s", e.msg);
	warn_postcode(p, g, p->territory_line, p->territory);
	if (t->from != GEO_NONE)
		log_note("%s:%u: %s %s is now part of %s %s, which is used", p->path,
			 p->territory_line, g->com[t->from].code, g->com[t->from].name,
			 g->com[t->index].code, t->name);
	if (!p->refs.n) {
		*nref = territory_references(g, t, refs);
		return TERRAIN_OK;
	}
	if (p->refs.n > PROJECT_MAX_REFS)
		return fail_at(p, p->refs.line[PROJECT_MAX_REFS], err,
			       "too many references (at most %d)", PROJECT_MAX_REFS);
	for (size_t i = 0; i < p->refs.n; i++) {
		if (territory_lookup(g, p->refs.item[i], p->resolved, p->ncustom, &refs[i], &e))
			return fail_at(p, p->refs.line[i], err, "references: %s", e.msg);
		warn_postcode(p, g, p->refs.line[i], p->refs.item[i]);
		if (!strcmp(refs[i].code, t->code))
			return fail_at(p, p->refs.line[i], err,
				       "references: \"%s\" is the territory itself",
				       p->refs.item[i]);
		for (size_t j = 0; j < i; j++)
			if (!strcmp(refs[i].code, refs[j].code))
				return fail_at(p, p->refs.line[i], err,
					       "references: \"%s\" is listed twice (as %s)",
					       p->refs.item[i], refs[j].code);
	}
	*nref = p->refs.n;
	return TERRAIN_OK;
}

void project_path(const struct project *p, const char *rel, struct strbuf *out)
{
	strbuf_reset(out);
	if (rel[0] != '/' && strcmp(p->dir, "."))
		strbuf_addf(out, "%s/", p->dir);
	strbuf_addstr(out, rel);
}

void project_release(struct project *p)
{
	free(p->path);
	free(p->dir);
	free(p->title);
	free(p->author);
	free(p->territory);
	free(p->lang);
	free(p->output);
	list_release(&p->refs);
	for (size_t i = 0; i < p->ncustom; i++) {
		free(p->custom[i].id);
		free(p->custom[i].label);
		list_release(&p->custom[i].members);
		if (p->resolved) {
			free(p->resolved[i].id);
			free(p->resolved[i].label);
			free(p->resolved[i].member);
		}
	}
	free(p->custom);
	free(p->resolved);
	struct project_value *vals[] = {
	    &p->survey.file, &p->survey.codebook, &p->survey.margins,	&p->survey.method,
	    &p->survey.trim, &p->survey.encoding, &p->survey.delimiter, &p->survey.lonely_psu};
	for (size_t i = 0; i < sizeof(vals) / sizeof(vals[0]); i++)
		free(vals[i]->text);
	list_release(&p->survey.by);
	list_release(&p->survey.crosstab);
	for (size_t i = 0; i < SOURCE_COUNT; i++)
		free(p->sources.url[i].text);
	free(p->sources.ft_token.text);
	free(p->sources.dares_ze.text);
	free(p->sources.cache.text);
	free(p->sources.store.text);
	free(p->store.url.text);
	list_release(&p->sources.enabled);
	list_release(&p->budget.key);
	list_release(&p->budget.value);
	list_release(&p->target.key);
	list_release(&p->target.value);
	list_release(&p->offer.key);
	list_release(&p->offer.value);
	list_release(&p->note.key);
	list_release(&p->note.value);
	struct project_entries *es[] = {&p->plan, &p->evaluation, &p->training};
	for (size_t i = 0; i < sizeof(es) / sizeof(es[0]); i++) {
		list_release(&es[i]->key);
		list_release(&es[i]->value);
	}
	for (size_t i = 0; i < p->naction; i++) {
		free(p->action[i].id);
		list_release(&p->action[i].e.key);
		list_release(&p->action[i].e.value);
	}
	free(p->action);
	for (size_t i = 0; i < p->njob; i++) {
		free(p->job[i].id);
		list_release(&p->job[i].e.key);
		list_release(&p->job[i].e.value);
	}
	free(p->job);
	memset(p, 0, sizeof(*p));
}
