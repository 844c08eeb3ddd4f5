/* The refresh loop: every territory of a région, its indicators computed
 * and kept in the store with their history, for unattended runs. */
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../analysis/indicators.h"
#include "../core/fileio.h"
#include "../core/log.h"
#include "../core/sha256.h"
#include "../core/store.h"
#include "../core/xalloc.h"
#include "../ingest/catalogue.h"
#include "../ingest/fetch.h"
#include "../report/format.h"
#include "indicators_job.h"
#include "pipeline.h"
#include "refresh.h"

#define BATCH		200 /* territories a transaction: a kill loses at most one batch's work */
#define REFRESH_SOURCE	"terrain"
#define REFRESH_DATASET "indicators"

struct targets {
	struct territory *v;
	size_t n, alloc;
	size_t ncom, nepci, ndep, nreg, nfr;
};

static void add(struct targets *t, const struct territory *x)
{
	ALLOC_GROW(t->v, t->n + 1, t->alloc);
	t->v[t->n++] = *x;
}

/* The territories of région reg at the levels asked: its départements,
 * the EPCI with at least one member commune in it that no région collected
 * before (epci_done, one byte an EPCI: an EPCI across two régions is
 * refreshed once), its communes. */
static void collect(const struct geo *g, size_t reg, const struct refresh_options *o,
		    char *epci_done, struct targets *out)
{
	const char *code = g->reg[reg].code;
	struct territory t;
	if (o->dep)
		for (size_t i = 0; i < g->ndep; i++)
			if (!strcmp(g->dep[i].reg, code)) {
				territory_of_dep(g, i, &t);
				add(out, &t), out->ndep++;
			}
	if (o->epci) {
		char *seen = xcalloc(g->nepci ? g->nepci : 1, 1);
		for (size_t i = 0; i < g->ncom; i++)
			if (g->com[i].kind == GEO_COM && !strcmp(g->com[i].reg, code) &&
			    g->com[i].epci != GEO_NONE)
				seen[g->com[i].epci] = 1;
		for (size_t i = 0; i < g->nepci; i++)
			if (seen[i] && !epci_done[i]) {
				epci_done[i] = 1;
				territory_of_epci(g, i, &t);
				add(out, &t), out->nepci++;
			}
		free(seen);
	}
	if (o->com)
		for (size_t i = 0; i < g->ncom; i++)
			if (g->com[i].kind == GEO_COM && !strcmp(g->com[i].reg, code)) {
				territory_of_commune(g, i, &t);
				add(out, &t), out->ncom++;
			}
}

/* The régions of o (every one with all, else those of o->regions, each
 * "84" or "reg:84", duplicates once) into regs[0..*n), in order; *label
 * gets the run's name: "reg:84", "reg:84+reg:93" or "all". */
static enum status pick_regions(const struct geo *g, const struct refresh_options *o, size_t *regs,
				size_t *n, struct strbuf *label, struct error *err)
{
	*n = 0;
	if (o->all) {
		for (size_t i = 0; i < g->nreg; i++)
			regs[(*n)++] = i;
		strbuf_addstr(label, "all");
		return TERRAIN_OK;
	}
	struct strbuf code = STRBUF_INIT;
	enum status st = TERRAIN_OK;
	for (size_t k = 0; k < o->nregions && !st; k++) {
		struct territory rt;
		strbuf_reset(&code);
		if (!strchr(o->regions[k], ':')) /* "84" is the région 84 */
			strbuf_addstr(&code, "reg:");
		strbuf_addstr(&code, o->regions[k]);
		if ((st = territory_lookup(g, code.buf, NULL, 0, &rt, err)))
			break;
		if (rt.type != TERRITORY_REG) {
			st = error_set(err, TERRAIN_EUSAGE, "--region %s is not a région",
				       o->regions[k]);
			break;
		}
		bool dup = false;
		for (size_t i = 0; i < *n; i++)
			dup |= regs[i] == rt.index;
		if (!dup) {
			regs[(*n)++] = rt.index;
			strbuf_addf(label, "%s%s", label->len ? "+" : "", rt.code);
		}
	}
	if (!st && !*n)
		st =
		    error_set(err, TERRAIN_EUSAGE, "empty --region (expected codes such as 84,93)");
	strbuf_release(&code);
	return st;
}

static void progress(size_t done, size_t total)
{
	int width = 40, fill = total ? (int)(width * done / total) : width;
	fprintf(stderr, "\r[%.*s%*s] %zu/%zu territories", fill,
		"########################################", width - fill, "", done, total);
	if (done == total)
		fputc('\n', stderr);
}

/* indicators.csv's rows of territory t: one per indicator of cat. */
static void export_rows(FILE *fp, const struct territory *t, const struct indicator_value *vals,
			const struct catalogue *cat)
{
	for (size_t i = 0; i < cat->n; i++) {
		const struct indicator_value *v = &vals[i];
		char value[32], cov[24], units[24], flags[96] = "";
		format_csv_number_buf(value, sizeof(value), v->value);
		snprintf(cov, sizeof(cov), "%zu", v->covered);
		snprintf(units, sizeof(units), "%zu", v->units);
		for (unsigned b = 1; b <= INDICATOR_FLAG_LAST; b <<= 1)
			if (v->flags & b)
				snprintf(flags + strlen(flags), sizeof(flags) - strlen(flags),
					 "%s%s", *flags ? "|" : "", indicators_flag_name(b));
		const char *row[] = {t->code,	   t->name ? t->name : "",
				     v->def->id,   value,
				     v->def->unit, v->period,
				     cov,	   units,
				     flags};
		format_csv_row(fp, row, 9);
	}
}

/* changes.csv: the new values and the revisions of this run. */
struct changes {
	FILE *fp; /* open_memstream on buf */
	char *buf;
	size_t len;
	double threshold; /* relative, 0.1 for 10 % */
	size_t added, revised, beyond;
};

static int take_change(const struct store_change *c, void *arg)
{
	struct changes *ch = arg;
	char old[32], new_[32], rel[32] = "";
	bool beyond = false;
	format_csv_number_buf(old, sizeof(old), c->old_value);
	format_csv_number_buf(new_, sizeof(new_), c->new_value);
	if (c->revised) {
		ch->revised++;
		double r =
		    c->old_value != 0 ? (c->new_value - c->old_value) / fabs(c->old_value) : NAN;
		if (!isnan(r))
			snprintf(rel, sizeof(rel), "%.6g", r);
		beyond = isnan(r) || fabs(r) >= ch->threshold;
		ch->beyond += beyond;
	} else {
		ch->added++;
	}
	const char *row[] = {c->revised ? "revised" : "new",
			     c->territory,
			     c->indicator + strlen(REFRESH_SOURCE "."),
			     c->period,
			     old,
			     new_,
			     rel,
			     c->revised ? (beyond ? "yes" : "no") : ""};
	format_csv_row(ch->fp, row, 8);
	return 0;
}

/* The observations of territory t's values, appended to obs at *n. */
static void to_obs(const struct territory *t, const struct indicator_value *vals,
		   const struct catalogue *cat, struct observation *obs, size_t *n)
{
	for (size_t i = 0; i < cat->n; i++) {
		const struct indicator_value *v = &vals[i];
		if (isnan(v->value))
			continue; /* unavailable: nothing to keep */
		struct observation *x = &obs[(*n)++];
		memset(x, 0, sizeof(*x));
		snprintf(x->territory, sizeof(x->territory), "%.31s", t->code);
		snprintf(x->cog, sizeof(x->cog), "%s", GEO_COG_LAST_STR);
		snprintf(x->indicator, sizeof(x->indicator), REFRESH_SOURCE ".%s", v->def->id);
		snprintf(x->period, sizeof(x->period), "%s", v->period[0] ? v->period : "census");
		snprintf(x->unit, sizeof(x->unit), "%s", v->def->unit);
		snprintf(x->source, sizeof(x->source), REFRESH_SOURCE);
		snprintf(x->dataset, sizeof(x->dataset), REFRESH_DATASET);
		x->value = v->value;
		x->status = v->status == OBS_PROVISIONAL ? OBS_PROVISIONAL : OBS_FINAL;
	}
}

/* The batches are computed (and written to indicators.csv) by a second
 * thread while this one stores the previous batch: two slots, filled and
 * emptied in turn, handed over under the mutex. */
struct slot {
	struct indicator_value *vals; /* BATCH x ni */
	struct observation *obs;      /* BATCH x ni */
	size_t end, n;		      /* the batch's last territory + 1, its observations */
	bool full;
};

struct producer {
	const struct indicators_input *in;
	const struct catalogue *cat;
	const struct targets *tg;
	FILE *csv;
	size_t ni;
	struct slot slot[2];
	bool stop; /* the storing thread gave up */
	pthread_mutex_t mu;
	pthread_cond_t cv;
};

static void *produce(void *arg)
{
	struct producer *p = arg;
	size_t b = 0;
	for (size_t start = 0; start < p->tg->n; start += BATCH, b++) {
		struct slot *sl = &p->slot[b % 2];
		pthread_mutex_lock(&p->mu);
		while (sl->full && !p->stop)
			pthread_cond_wait(&p->cv, &p->mu);
		bool stop = p->stop;
		pthread_mutex_unlock(&p->mu);
		if (stop)
			break;
		sl->end = start + BATCH < p->tg->n ? start + BATCH : p->tg->n;
		sl->n = 0;
		for (size_t k = start; k < sl->end; k++) {
			struct indicator_value *v = &sl->vals[(k - start) * p->ni];
			memset(v, 0, p->ni * sizeof(*v));
			indicators_compute(p->in, p->cat, &p->tg->v[k], v);
			to_obs(&p->tg->v[k], v, p->cat, sl->obs, &sl->n);
			export_rows(p->csv, &p->tg->v[k], v, p->cat);
		}
		pthread_mutex_lock(&p->mu);
		sl->full = true;
		pthread_cond_broadcast(&p->cv);
		pthread_mutex_unlock(&p->mu);
	}
	return NULL;
}

/* Wait for slot sl to be full; hand it back empty (stop: and tell the
 * computing thread to give up). */
static void slot_wait(struct producer *p, struct slot *sl)
{
	pthread_mutex_lock(&p->mu);
	while (!sl->full)
		pthread_cond_wait(&p->cv, &p->mu);
	pthread_mutex_unlock(&p->mu);
}

static void slot_release(struct producer *p, struct slot *sl, bool stop)
{
	pthread_mutex_lock(&p->mu);
	sl->full = false;
	p->stop |= stop;
	pthread_cond_broadcast(&p->cv);
	pthread_mutex_unlock(&p->mu);
}

/* UTC now, to the second ("2026-11-29T02:14:00Z") or, with micro, to the
 * microsecond. */
static void utc_now(char *buf, size_t cap, bool micro)
{
	struct timespec now;
	struct tm tm;
	clock_gettime(CLOCK_REALTIME, &now);
	gmtime_r(&now.tv_sec, &tm);
	size_t wl = strftime(buf, cap, "%Y-%m-%dT%H:%M:%S", &tm);
	if (micro)
		snprintf(buf + wl, cap - wl, ".%06ldZ", now.tv_nsec / 1000);
	else
		snprintf(buf + wl, cap - wl, "Z");
}

static const char *const change_head[] = {"change",	     "territory",	"indicator",
					  "period",	     "old_value",	"new_value",
					  "relative_change", "beyond_threshold"};
static const char *const export_head[] = {"territory", "name",	  "indicator", "value", "unit",
					  "period",    "covered", "units",     "flags"};

enum status refresh_run(const struct refresh_options *o, struct error *err)
{
	enum status st = TERRAIN_OK;
	struct project p = {0};
	struct bundle b = {0};
	struct catalogue cat = {0};
	struct indicators_stored stored = {0};
	struct fetch_config cfg = {0};
	struct store *s = NULL;
	struct targets tg = {0};
	size_t *regs = NULL, nregs = 0;
	char *epci_done = NULL;
	struct strbuf path = STRBUF_INIT, dir = STRBUF_INIT, label = STRBUF_INIT;
	struct strbuf url = STRBUF_INIT, csv_tmp = STRBUF_INIT;
	FILE *csv = NULL;
	struct changes ch = {NULL, NULL, 0, o->threshold / 100, 0, 0, 0};
	bool loaded = false;
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (log_get_format() == LOG_PLAIN)
		log_set_format(LOG_TEXT); /* an unattended run: timestamps */

	if ((st = pipeline_load_project(o->config, &p, &loaded, err)) ||
	    (st = pipeline_load_bundle(o->datadir, &b, err)))
		goto out;
	regs = xcalloc(b.geo.nreg ? b.geo.nreg : 1, sizeof(*regs));
	if ((st = pick_regions(&b.geo, o, regs, &nregs, &label, err)))
		goto out;
	if ((st = fetch_config_load(&cfg, loaded ? &p : NULL, "", o->store, err)) ||
	    (st = store_open(&s, cfg.store_path, err)) || (st = store_lock(s, err)))
		goto out;
	strbuf_addf(&path, "%s/catalogue/indicators.csv", b.dir);
	const struct indicators_published *filosofi;
	if ((st = catalogue_load(path.buf, &cat, err)) ||
	    (st = indicators_job_read_stored(s, store_where(s), &b.geo, &cat, &stored, err)) ||
	    (st = bundle_filosofi(&b, &filosofi, err)))
		goto out;
	struct indicators_input in = {&b.geo, &b.census, &b.pop_cog, &b.series, &stored, filosofi};
	epci_done = xcalloc(b.geo.nepci ? b.geo.nepci : 1, 1);
	for (size_t k = 0; k < nregs; k++)
		collect(&b.geo, regs[k], o, epci_done, &tg);
	struct territory t;
	for (size_t k = 0; o->reg && k < nregs; k++) {
		territory_of_reg(&b.geo, regs[k], &t);
		add(&tg, &t), tg.nreg++;
	}
	if (o->fr) {
		territory_of_france(&t);
		add(&tg, &t), tg.nfr++;
	}
	log_info("refresh %s: %zu territories", label.buf, tg.n);

	/* the output folder first: indicators.csv is written batch by batch */
	if (o->output)
		strbuf_addstr(&dir, o->output);
	else if (nregs == 1 && !o->all)
		strbuf_addf(&dir, "%s/refresh-%s", loaded ? p.output : "out",
			    b.geo.reg[regs[0]].code);
	else {
		strbuf_addf(&dir, "%s/refresh-", loaded ? p.output : "out");
		for (size_t k = 0; k < nregs && !o->all; k++)
			strbuf_addf(&dir, "%s%s", k ? "-" : "", b.geo.reg[regs[k]].code);
		if (o->all)
			strbuf_addstr(&dir, "all");
	}
	strbuf_reset(&path);
	strbuf_addf(&path, "%s/indicators.csv", dir.buf);
	if ((st = fileio_mkdirs(dir.buf, err)) ||
	    (st = fileio_temp_create(path.buf, &csv_tmp, err)))
		goto out;
	if (!(csv = fopen(csv_tmp.buf, "w"))) {
		st = error_set(err, TERRAIN_EIO, "%s: cannot write: %s", csv_tmp.buf,
			       strerror(errno));
		goto out;
	}
	format_csv_row(csv, export_head, 9);

	/* the run: every value it stores is first seen, or replaced, then, to
	 * the microsecond (two runs in one second must not share a payload) */
	char when[40], digest[65], ended[40];
	utc_now(when, sizeof(when), true);
	strbuf_addf(&url, "terrain:refresh/%s", label.buf);
	struct strbuf key = STRBUF_INIT;
	strbuf_addf(&key, "%s %s %s", url.buf, o->levels, when);
	sha256_hex(key.buf, key.len, digest);
	strbuf_reset(&key);
	strbuf_addf(&key, "refresh %s", label.buf);
	int64_t run = 0;
	st = store_run_begin(s, key.buf, when, &run, err);
	strbuf_release(&key);
	if (st)
		goto out;
	struct store_payload pl = {REFRESH_SOURCE, REFRESH_DATASET, url.buf, when, digest, 0, NULL};

	size_t ni = cat.n ? cat.n : 1;
	struct producer pr = {&in,
			      &cat,
			      &tg,
			      csv,
			      ni,
			      {{0}},
			      false,
			      PTHREAD_MUTEX_INITIALIZER,
			      PTHREAD_COND_INITIALIZER};
	for (int k = 0; k < 2; k++) {
		pr.slot[k].vals = xcalloc(BATCH * ni, sizeof(*pr.slot[k].vals));
		pr.slot[k].obs = xcalloc(BATCH * ni, sizeof(*pr.slot[k].obs));
	}
	const char *delay = getenv("TERRAIN_REFRESH_BATCH_DELAY_MS");
	long delay_ms = delay ? strtol(delay, NULL, 10) : 0;
	if (delay_ms < 0 || delay_ms > 60000)
		delay_ms = 0;
	bool tty = isatty(2) && log_get_level() >= LOG_WARN && log_get_format() != LOG_JSON;
	size_t stored_n = 0, inserted = 0, updated = 0, unchanged = 0;
	pthread_t worker;
	int perr = pthread_create(&worker, NULL, produce, &pr);
	if (perr) {
		st = error_set(err, TERRAIN_EIO, "cannot start a thread: %s", strerror(perr));
		goto slots;
	}
	size_t batch = 0;
	for (size_t start = 0; start < tg.n; start += BATCH, batch++) {
		struct slot *sl = &pr.slot[batch % 2];
		slot_wait(&pr, sl);
		struct store_stats ss;
		if ((st = store_put(s, &pl, sl->obs, sl->n, NULL, 0, &ss, err))) {
			slot_release(&pr, sl, true);
			break;
		}
		if (delay_ms) /* the kill and lock tests: a run that lasts */
			nanosleep(&(struct timespec){delay_ms / 1000, (delay_ms % 1000) * 1000000L},
				  NULL);
		stored_n += sl->n;
		inserted += ss.inserted;
		updated += ss.updated;
		unchanged += ss.unchanged;
		if (tty)
			progress(sl->end, tg.n);
		slot_release(&pr, sl, false);
	}
	pthread_join(worker, NULL);
	slots:
	for (int k = 0; k < 2; k++) {
		free(pr.slot[k].vals);
		free(pr.slot[k].obs);
	}
	if (st)
		goto out;
	utc_now(ended, sizeof(ended), false);
	if ((st = store_run_end(s, run, ended, err)))
		goto out;
	int closed = ferror(csv) | fclose(csv); /* a failed flush on the way counts too */
	csv = NULL;
	if (closed != 0) {
		st = error_set(err, TERRAIN_EIO, "%s: cannot write: %s", csv_tmp.buf,
			       strerror(errno));
		goto out;
	}
	if ((st = fileio_temp_commit(csv_tmp.buf, path.buf, err)))
		goto out;
	strbuf_reset(&csv_tmp);

	/* changes.csv: the changes of every run not reported yet, this one's
	 * and those of a run that stored its values but died before its report;
	 * they are marked reported only once the file is in place */
	if (!(ch.fp = open_memstream(&ch.buf, &ch.len))) {
		st = error_set(err, TERRAIN_EIO, "cannot buffer changes.csv: %s", strerror(errno));
		goto out;
	}
	format_csv_row(ch.fp, change_head, 8);
	st = store_each_change(s, REFRESH_SOURCE, run, take_change, &ch, err);
	if (fclose(ch.fp) != 0 && !st)
		st = error_set(err, TERRAIN_EIO, "cannot buffer changes.csv: %s", strerror(errno));
	ch.fp = NULL;
	if (st)
		goto out;
	strbuf_reset(&path);
	strbuf_addf(&path, "%s/changes.csv", dir.buf);
	if (getenv("TERRAIN_TEST_FAIL_AFTER_COMMIT")) /* tests only: a kill before the report */
		_exit(70);
	if ((st = fileio_write_atomic(path.buf, ch.buf, ch.len, err)) ||
	    (st = store_run_reported(s, run, err)))
		goto out;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	struct strbuf more = STRBUF_INIT;
	if (tg.nreg)
		strbuf_addf(&more, ", %zu région%s", tg.nreg, tg.nreg == 1 ? "" : "s");
	if (tg.nfr)
		strbuf_addstr(&more, ", France");
	log_note("refresh %s: %zu territories (%zu commune%s, %zu EPCI, %zu département%s%s), %zu "
		 "values: %zu new, %zu revised (%zu beyond %g %%), %zu unchanged; %zu change%s "
		 "reported; %s/indicators.csv and changes.csv; %.1f s",
		 label.buf, tg.n, tg.ncom, tg.ncom == 1 ? "" : "s", tg.nepci, tg.ndep,
		 tg.ndep == 1 ? "" : "s", more.buf, stored_n, inserted, updated, ch.beyond,
		 o->threshold, unchanged, ch.added + ch.revised,
		 ch.added + ch.revised == 1 ? "" : "s", dir.buf,
		 (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
	strbuf_release(&more);
out:
	if (csv)
		fclose(csv);
	if (csv_tmp.len)
		fileio_temp_discard(csv_tmp.buf);
	free(tg.v);
	free(regs);
	free(epci_done);
	if (ch.fp)
		fclose(ch.fp);
	free(ch.buf);
	strbuf_release(&path);
	strbuf_release(&dir);
	strbuf_release(&label);
	strbuf_release(&url);
	strbuf_release(&csv_tmp);
	store_close(s); /* and its lock */
	fetch_config_release(&cfg);
	indicators_stored_release(&stored);
	catalogue_release(&cat);
	bundle_release(&b);
	project_release(&p);
	return st;
}
