/* The project file, terrain.ini (INI, parsed with libinih).
 *
 *   [project]              title, author, territory, references, lang, output
 *   [survey]               file, codebook, margins, method, trim, by, crosstab,
 *                          encoding, delimiter, min_n, max_cv, suppress_below,
 *                          tolerance, max_iter, lonely_psu, epsilon
 *   [sources]              the registry's keys (core/sources.h: geo, melodi, ...;
 *                          base URLs), francetravail_token (the OAuth2 token URL),
 *                          dares_ze (the DARES zone d'emploi file's URL),
 *                          enabled, cache, store, timeout, connect_timeout,
 *                          max_attempts, max_body_mb
 *   [store]                url: a PostgreSQL store (postgresql://...)
 *   [budget]               the budget forecast's assumptions (project_budget_keys;
 *                          README.md, "Budget forecast")
 *   [target]               label, base, shares: the target public
 *   [offer]                file, goal, covers: the offer inventory, the coverage
 *                          goal, the references the inventory covers whole
 *   [plan]                 goal, objectives: the action plan's objectives
 *   [action:ID]            label, objectives, start, end, lead, partners, budget,
 *                          outputs: one action of the plan
 *   [evaluation]           indicator: the evaluation grid, one indicator a line
 *   [job:CODE]             source, skills: a target job by its ROME code
 *   [training]             positioning, rate, threshold: the training action
 *                          (ingest/plancfg.h reads these five)
 *   [custom:NAME]          name, members: a territory made of communes
 *
 * Every problem is an error naming FILE:LINE, the section or key, and the
 * expected form: an unknown section or key, a duplicate key, a bad value, a
 * line too long.  Values may continue on indented lines (lists and text).
 * Loading checks syntax; project_resolve() checks codes against the
 * geography. */
#ifndef TERRAIN_PROJECT_H
#define TERRAIN_PROJECT_H

#include <stdbool.h>
#include <stdio.h>

#include "error.h"
#include "geo.h"
#include "sources.h"
#include "strbuf.h"
#include "territory.h"

#define PROJECT_MAX_REFS 8

struct project_list {
	char **item;	/* owned */
	unsigned *line; /* line of each item */
	size_t n, alloc;
};

struct project_custom {
	char *id;      /* owned: NAME of [custom:NAME] */
	char *label;   /* owned or NULL: the name key */
	unsigned line; /* line of the section header */
	struct project_list members;
};

/* A value of the project file with the line it came from (0: not set). */
struct project_value {
	char *text; /* owned, or NULL */
	unsigned line;
};

/* [survey]: the field survey and how to weight and analyse it.  Paths are
 * relative to the project file; names are checked against the codebook
 * when the survey is read. */
struct project_survey {
	unsigned line; /* of the section header; 0 when there is none */
	struct project_value file, codebook, margins;
	struct project_value method;		  /* rake, poststratify or none */
	struct project_value trim;		  /* as written; the bounds: */
	double trim_lower, trim_upper;		  /* multiples of the mean weight, NAN none */
	struct project_list by;			  /* grouping variables */
	struct project_list crosstab;		  /* "a*b" pairs */
	struct project_value encoding, delimiter; /* checked by the reader */
	long min_n, suppress_below, max_iter;	  /* 0: default */
	double max_cv, tolerance;		  /* NAN: default */
	struct project_value lonely_psu;	  /* fail, remove, adjust or average */
	double epsilon;				  /* raking's R stopping rule; NAN: none */
};

/* [sources]: where and how to fetch the public data.  URLs are checked to
 * start with http:// or https://; the environment overrides them
 * (fetch.h). */
struct project_sources {
	unsigned line;				/* of the section header; 0 when none */
	struct project_value url[SOURCE_COUNT]; /* base URL per source (core/sources.h order) */
	struct project_value ft_token;		/* France Travail token URL */
	struct project_value dares_ze;		/* DARES zone d'emploi file URL */
	struct project_value cache, store;	/* paths, relative to the project file */
	struct project_list enabled;		/* source names; empty: all */
	long timeout_s, connect_timeout_s, max_attempts, max_body_mb; /* 0: default */
};

/* [store]: a PostgreSQL store shared by an observatory. */
struct project_store {
	unsigned line;		  /* of the section header; 0 when none */
	struct project_value url; /* a postgresql:// URI, never with a password */
};

/* [budget], [target] and [offer]: entries as written, one a line: a value
 * continued on indented lines gives one entry per line, with the same key.
 * Loading checks the keys; pipeline/budgetcfg.c and pipeline/sizingcfg.c read
 * the values and name FILE:LINE for each problem. */
#define PROJECT_BUDGET_NKEYS 32
extern const char *const project_budget_keys[PROJECT_BUDGET_NKEYS];
#define PROJECT_TARGET_NKEYS 3
extern const char *const project_target_keys[PROJECT_TARGET_NKEYS];
#define PROJECT_OFFER_NKEYS 3
extern const char *const project_offer_keys[PROJECT_OFFER_NKEYS];

struct project_entries {
	unsigned line;		   /* of the section header; 0 when there is none */
	struct project_list key;   /* the key of each entry */
	struct project_list value; /* the entry, with its line */
};

/* [action:ID] and [job:CODE]: a section with a name, entries as written. */
struct project_named {
	char *id; /* owned: ID or CODE */
	struct project_entries e;
};

struct project {
	char *path;	 /* owned: as given */
	char *dir;	 /* owned: folder of the file, for relative paths */
	char *title;	 /* owned or NULL */
	char *author;	 /* owned or NULL */
	char *territory; /* owned typed code, or NULL */
	unsigned territory_line;
	struct project_list refs; /* [project] references, as written */
	char *lang;		  /* owned: "fr" (default) or "en" */
	char *output;		  /* owned: output folder, default "out" */
	struct project_custom *custom;
	size_t ncustom, alloc_custom;
	struct project_survey survey;
	struct project_sources sources;
	struct project_store store;
	struct project_entries budget;
	struct project_entries target; /* the target public (bloc 2) */
	struct project_entries offer;  /* the offer inventory and the coverage goal */
	struct project_entries note;   /* [note] maps = indicator ids (read by the maps stage) */
	struct project_entries plan, evaluation, training; /* ingest/plancfg.h */
	struct project_named *action;			   /* [action:ID], in file order */
	size_t naction, alloc_action;
	struct project_named *job; /* [job:CODE], in file order */
	size_t njob, alloc_job;

	/* filled by project_resolve() */
	struct territory_custom *resolved; /* owned, ncustom entries */
};

/* Is v a usable base URL: http:// or https://, a host, an optional path,
 * no space or control character, no fragment, and a query only when query
 * is set? */
bool project_base_url_ok(const char *v, bool query);

/* Does URL v carry credentials ("https://user:password@host/")?  When it
 * does, masked (appended to) gets v with everything after the user name's
 * ':' up to the '@' as "***" (the whole user part when it has no ':'), for
 * a message that never shows the password. */
bool project_url_credentials(const char *v, struct strbuf *masked);

/* Does URI v (a PostgreSQL store's: "postgresql://user:secret@host/db",
 * "...?password=secret") carry a password?  The project file and the
 * command line never may: libpq reads it from ~/.pgpass, a service file or
 * PGPASSWORD. */
bool project_uri_password(const char *v);

/* The end of the message that refuses such a URL. */
#define PROJECT_URL_CREDENTIALS_HINT                                                      \
	"carries credentials: terrain reads them from the environment (FT_CLIENT_ID and " \
	"FT_CLIENT_SECRET for France Travail), never from a URL"

/* Parse path.  On error *p is released. */
enum status project_load(struct project *p, const char *path, struct error *err);

/* Parse an open stream; name is used in messages and dir for relative paths. */
enum status project_load_file(struct project *p, const char *name, FILE *fp, struct error *err);

/* Resolve the custom territories' members against the geography (done
 * once; project_resolve calls it too). */
enum status project_resolve_customs(struct project *p, const struct geo *g, struct error *err);

/* Resolve the custom territories, the territory and the references against
 * the geography.  *t is the project's territory; refs receive the
 * references (the project's list, or the defaults of the territory) and
 * *nref their count.  Errors name file:line. */
enum status project_resolve(struct project *p, const struct geo *g, struct territory *t,
			    struct territory refs[PROJECT_MAX_REFS], size_t *nref,
			    struct error *err);

/* An error at FILE:LINE of the project file (just FILE when line is 0),
 * for checks made after loading. */
enum status project_error_at(const struct project *p, unsigned line, struct error *err,
			     const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* rel (a path of the project file) as seen from the current folder. */
void project_path(const struct project *p, const char *rel, struct strbuf *out);

void project_release(struct project *p);

#endif
