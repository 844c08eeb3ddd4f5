/* terrain census aggregate's job: read an INSEE census detail file by
 * workers, aggregate, write the CSV and, asked, the store. */
#include "census_job.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../analysis/aggregate.h"
#include "../core/log.h"
#include "../core/observation.h"
#include "../core/sha256.h"
#include "../core/store.h"
#include "../core/xalloc.h"
#include "../ingest/census.h"
#include "../report/census_report.h"
#include "../report/format.h"

static size_t row_cb(void *state, const struct text_span *field, const char **why)
{
	return aggregate_add(state, field, why);
}

static void reset_cb(void *state)
{
	aggregate_table_reset(state);
}

static void render_csv(FILE *fp, const void *arg)
{
	report_census_csv(fp, arg);
}

static const char *base_name(const char *path)
{
	const char *s = strrchr(path, '/');
	return s ? s + 1 : path;
}

/* The census year in a file name ("FD_INDCVI_2016.csv", "RP2021_..."):
 * the first run of exactly 4 digits starting with 19 or 20. */
static bool year_in_name(const char *name, char out[5])
{
	for (const char *p = name; *p; p++) {
		if (!isdigit((unsigned char)*p) || (p > name && isdigit((unsigned char)p[-1])))
			continue;
		size_t n = 0;
		while (isdigit((unsigned char)p[n]))
			n++;
		if (n == 4 && (!strncmp(p, "19", 2) || !strncmp(p, "20", 2))) {
			memcpy(out, p, 4);
			out[4] = '\0';
			return true;
		}
	}
	return false;
}

static bool custom_char(char c)
{
	return isalnum((unsigned char)c) || c == '_' || c == '-' || c == '.';
}

/* The rows of the result as observations: territory custom:NAME[.V1.V2...]
 * (the --by values), indicator rp.indcvi.SET.COLUMN[.PART=VALUE...] (the
 * set's own parts: age band, sex, diploma). */
static enum status to_observations(const struct census_report *r, const char *name,
				   const char *period, const char *dataset, struct obs_list *l,
				   struct error *err)
{
	const struct aggregate_table *t = r->table;
	const struct aggregate_spec *s = t->spec;
	const struct aggregate_column *col;
	size_t ncol = aggregate_columns(s, &col);
	struct strbuf terr = STRBUF_INIT, ind = STRBUF_INIT;
	enum status st = TERRAIN_OK;
	for (size_t k = 0; k < r->n && !st; k++) {
		size_t g = r->order[k];
		strbuf_reset(&terr);
		strbuf_addf(&terr, "custom:%s", name);
		for (size_t i = 0; i < s->nuser; i++) {
			struct text_span v = aggregate_key_part(t, g, i);
			strbuf_addch(&terr, '.');
			strbuf_add(&terr, v.s, v.len);
		}
		for (size_t i = 7; i < terr.len && !st; i++)
			if (!custom_char(terr.buf[i]))
				st = error_set(
				    err, TERRAIN_EDATA,
				    "cannot store group \"%s\": a territory code has only "
				    "letters, digits, '_', '-' and '.'",
				    terr.buf);
		for (size_t c = 0; c < ncol && !st; c++) {
			strbuf_reset(&ind);
			strbuf_addf(&ind, "rp.indcvi.%s.%s", aggregate_set_name(s->set),
				    col[c].name);
			for (size_t i = s->nuser; i < s->npart; i++) {
				struct text_span v = aggregate_key_part(t, g, i);
				strbuf_addf(&ind, ".%s=%.*s", s->part[i].label, (int)v.len, v.s);
			}
			bool exact;
			aggregate_fixed fixed;
			double v = aggregate_value(t, g, &col[c], r->total ? r->total[k] : 0,
						   &exact, &fixed);
			struct observation *o = obs_list_push(l);
			if ((st = observation_set(o->territory, sizeof(o->territory), "territory",
						  terr.buf, err)) ||
			    (st = observation_set(o->indicator, sizeof(o->indicator), "indicator",
						  ind.buf, err)) ||
			    (st = observation_set(o->period, sizeof(o->period), "period", period,
						  err)) ||
			    (st = observation_set(o->unit, sizeof(o->unit), "unit", col[c].unit,
						  err)) ||
			    (st = observation_set(o->source, sizeof(o->source), "source", "file",
						  err)) ||
			    (st = observation_set(o->dataset, sizeof(o->dataset), "dataset",
						  dataset, err)))
				break;
			o->value = v;
			o->status = isnan(v) ? OBS_MISSING : OBS_FINAL;
		}
	}
	if (st)
		error_prefix(err, "--store (use a shorter --name?)");
	strbuf_release(&terr);
	strbuf_release(&ind);
	return st;
}

static enum status store_result(const struct census_args *a, const struct census_file *f,
				const struct census_report *r, struct error *err)
{
	char path[4096], year[5], hex[SHA256_HEX_LEN + 1], when[32];
	struct obs_list l = OBS_LIST_INIT;
	struct strbuf name = STRBUF_INIT, url = STRBUF_INIT;
	struct store *s = NULL;
	enum status st = TERRAIN_OK;
	const char *data = base_name(census_name(f));

	if (a->period) {
		snprintf(year, sizeof(year), "%s", a->period);
	} else if (!year_in_name(data, year) && !year_in_name(base_name(a->file), year)) {
		st = error_set(err, TERRAIN_EUSAGE,
			       "--store needs the census year: no year in the file name \"%s\", "
			       "give --period YEAR",
			       data);
		goto out;
	}
	if (a->name) {
		strbuf_addstr(&name, a->name);
	} else {
		strbuf_add(&name, data, strcspn(data, "."));
	}
	for (size_t i = 0; i < name.len; i++)
		if (!custom_char(name.buf[i]) || name.buf[i] == '.') {
			st = error_set(err, TERRAIN_EUSAGE,
				       "bad --name \"%s\": letters, digits, '_' and '-' only",
				       name.buf);
			goto out;
		}
	if ((st = to_observations(r, name.buf, a->period ? a->period : year, data, &l, err)))
		goto out;
	if ((st = sha256_file(a->file, hex, err)))
		goto out;
	struct stat sb;
	struct tm tm;
	if (stat(a->file, &sb) != 0 || !gmtime_r(&sb.st_mtime, &tm) ||
	    !strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm)) {
		st = error_set(err, TERRAIN_EIO, "%s: %s", a->file, strerror(errno));
		goto out;
	}
	char *real = realpath(a->file, NULL);
	strbuf_addf(&url, "file://%s", real ? real : a->file);
	free(real);
	if (census_kind(f) == CENSUS_ZIP)
		strbuf_addf(&url, "#%s", data);
	if (a->store_path)
		snprintf(path, sizeof(path), "%s", a->store_path);
	else
		store_default_path(path, sizeof(path));
	if (!*path) {
		st = error_set(err, TERRAIN_EUSAGE,
			       "no store: give --store=FILE or set TERRAIN_STORE");
		goto out;
	}
	struct store_payload pl = {"file", data, url.buf, when, hex, (size_t)sb.st_size, NULL};
	struct store_stats stats;
	if ((st = store_open(&s, path, err)) ||
	    (st = store_put(s, &pl, l.v, l.n, NULL, 0, &stats, err)))
		goto out;
	log_note("stored %zu observations in %s (%zu new, %zu changed) as custom:%s", l.n, path,
		 stats.inserted, stats.updated, name.buf);
out:
	store_close(s);
	obs_list_release(&l);
	strbuf_release(&name);
	strbuf_release(&url);
	return st;
}

static double now_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* One worker's table on cache lines of its own: the workers write their
 * tables at every record, and neighbours on one line would slow both. */
struct worker_table {
	_Alignas(64) struct aggregate_table t;
	char pad[64];
};

enum status census_job_run(const struct census_args *a, struct error *err)
{
	struct census_file *f = NULL;
	struct aggregate_spec spec;
	bool spec_ready = false;
	struct worker_table tab[CENSUS_MAX_WORKERS];
	void *states[CENSUS_MAX_WORKERS];
	size_t cols[CENSUS_MAX_COLUMNS], ntab = 0, *order = NULL;
	aggregate_fixed *total = NULL;
	struct census_scan_stats stats;
	double t0 = now_seconds();
	enum status st;

	if ((st = census_open(&f, a->file, a->member, err)))
		goto out;
	size_t nh = census_ncolumns(f);
	const char **header = xcalloc(nh, sizeof(*header));
	for (size_t i = 0; i < nh; i++)
		header[i] = census_column_name(f, i);
	st = aggregate_spec_init(&spec, a->by, a->where, a->set, a->weight, header, nh, err);
	free(header);
	if (st)
		goto out;
	spec_ready = true;
	if (spec.ncolumn > CENSUS_MAX_COLUMNS) {
		st = error_set(err, TERRAIN_EUSAGE, "at most %d columns in one job",
			       CENSUS_MAX_COLUMNS);
		goto out;
	}
	for (size_t i = 0; i < spec.ncolumn; i++)
		if ((st = census_column(f, spec.column[i], spec.why[i], &cols[i], err)))
			goto out;
	ntab = a->workers ? a->workers : CENSUS_MAX_WORKERS;
	if (ntab > CENSUS_MAX_WORKERS)
		ntab = CENSUS_MAX_WORKERS;
	for (size_t i = 0; i < ntab; i++) {
		aggregate_table_init(&tab[i].t, &spec);
		states[i] = &tab[i].t;
	}
	struct census_scan_opts o = {0};
	o.workers = a->workers;
	o.no_fast = a->libcsv;
	if ((st = census_scan(f, cols, spec.ncolumn, &o, row_cb, reset_cb, states, ntab, &stats,
			      err)))
		goto out;
	for (size_t i = 1; i < stats.workers; i++)
		aggregate_merge(&tab[0].t, &tab[i].t);
	if (!stats.records)
		log_warn("%s: no records after the header", census_name(f));
	size_t n = aggregate_order(&tab[0].t, &order);
	aggregate_totals(&tab[0].t, order, n, 0, &total);
	struct census_report r = {&tab[0].t, order, n, total};
	double dt = now_seconds() - t0;
	log_info("%s (%s, '%c'): %llu records (%llu through libcsv), %zu groups, %zu worker%s%s, "
		 "%.2f s, %.0f MB/s",
		 census_name(f), census_kind_name(census_kind(f)), census_delim(f),
		 (unsigned long long)stats.records, (unsigned long long)stats.slow, n,
		 stats.workers, stats.workers > 1 ? "s" : "",
		 stats.reread ? " (a range read again)" : "", dt,
		 dt > 0 ? (double)stats.bytes / 1e6 / dt : 0.0);
	if (a->output)
		st = format_write_file(a->output, render_csv, &r, err);
	else
		report_census_csv(stdout, &r);
	if (!st && a->store)
		st = store_result(a, f, &r, err);
out:
	for (size_t i = 0; i < ntab; i++)
		aggregate_table_release(&tab[i].t);
	free(order);
	free(total);
	if (spec_ready)
		aggregate_spec_release(&spec);
	census_free(f);
	return st;
}
