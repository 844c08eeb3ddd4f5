#include "sampling.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/order.h"
#include "../core/strmap.h"
#include "../core/xalloc.h"

static const char *const lonely_names[] = {
    [SAMPLING_LONELY_FAIL] = "fail",
    [SAMPLING_LONELY_REMOVE] = "remove",
    [SAMPLING_LONELY_ADJUST] = "adjust",
    [SAMPLING_LONELY_AVERAGE] = "average",
};

const char *sampling_lonely_name(enum sampling_lonely l)
{
	return lonely_names[l];
}

bool sampling_lonely_parse(const char *s, enum sampling_lonely *l)
{
	for (size_t i = 0; i < sizeof(lonely_names) / sizeof(lonely_names[0]); i++) {
		if (!strcmp(s, lonely_names[i])) {
			*l = (enum sampling_lonely)i;
			return true;
		}
	}
	return false;
}

void sampling_release(struct sampling *sm)
{
	free(sm->stratum);
	free(sm->psu);
	free(sm->ssu);
	free(sm->psu_first);
	free(sm->ssu_first);
	free(sm->f1);
	free(sm->frac1);
	free(sm->f2);
	free(sm->w);
	memset(sm, 0, sizeof(*sm));
}

/* A design variable's value for unit i as a string (codes compare as
 * strings: "01" and "1" are two strata), into buf or v's own text. */
static const char *key_of(const struct survey_var *v, size_t i, char *buf, size_t cap)
{
	if (survey_is_categorical(v->type))
		return v->cat[(size_t)v->value[i]].code;
	if (v->type == SURVEY_TEXT)
		return v->text[i];
	snprintf(buf, cap, "%.17g", v->value[i]);
	return buf;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Number the distinct (group, key) pairs of the units in (group, key)
 * order, so that the ids of a group are consecutive; first (count + 1 per
 * group, owned) gives each group's first id.  key NULL: every unit its own
 * id.  The distinct keys are found with a hash map and only they are sorted
 * as strings; the units are then ordered by (group, key's rank) in linear
 * time. */
static size_t number_units(size_t n, const size_t *group, size_t ngroup, const char *const *key,
			   size_t *id, size_t **first)
{
	struct strmap map = STRMAP_INIT;
	size_t nkey = 0, alloc = 0;
	const char **distinct = NULL;
	size_t *kid = xmalloc((n ? n : 1) * sizeof(size_t));
	for (size_t i = 0; i < n; i++) {
		if (!key) {
			kid[i] = i;
			continue;
		}
		size_t k = strmap_get(&map, key[i]);
		if (k == STRMAP_NONE) {
			k = nkey;
			ALLOC_GROW(distinct, nkey + 1, alloc);
			distinct[nkey++] = key[i];
			strmap_put(&map, key[i], k);
		}
		kid[i] = k;
	}
	if (key) {
		/* each key's rank among the distinct keys, as strcmp orders them */
		const char **sorted = xmalloc((nkey ? nkey : 1) * sizeof(*sorted));
		memcpy(sorted, distinct, nkey * sizeof(*sorted));
		qsort(sorted, nkey, sizeof(*sorted), cmp_str);
		size_t *rank = xmalloc((nkey ? nkey : 1) * sizeof(size_t));
		for (size_t r = 0; r < nkey; r++)
			rank[strmap_get(&map, sorted[r])] = r;
		for (size_t i = 0; i < n; i++)
			kid[i] = rank[kid[i]];
		free(sorted);
		free(rank);
	} else {
		nkey = n;
	}
	uint64_t *pair = xmalloc((n ? n : 1) * sizeof(uint64_t));
	for (size_t i = 0; i < n; i++)
		pair[i] = (uint64_t)(group ? group[i] : 0) * (uint64_t)nkey + kid[i];
	size_t *at = xmalloc((n ? n : 1) * sizeof(size_t));
	order_keys(pair, n, at);
	size_t count = 0;
	*first = xcalloc(ngroup + 1, sizeof(size_t));
	for (size_t j = 0; j < n; j++) {
		size_t u = at[j];
		if (!j || pair[u] != pair[at[j - 1]]) {
			count++;
			(*first)[(group ? group[u] : 0) + 1] = count;
		}
		id[u] = count - 1;
	}
	/* groups with no unit cannot occur; carry the ends forward anyway */
	for (size_t g = 1; g <= ngroup; g++)
		if ((*first)[g] < (*first)[g - 1])
			(*first)[g] = (*first)[g - 1];
	strmap_release(&map);
	free(distinct);
	free(kid);
	free(pair);
	free(at);
	return count;
}

/* Each unit's value of a design variable as a string: categories' codes
 * and texts borrowed from the survey, numbers written once into one owned
 * block (no allocation per respondent). */
struct keyset {
	const char **k; /* one per unit */
	char *block;	/* the numbers' text, or NULL */
};

#define KEY_CAP 32 /* "%.17g" of any double, with its NUL */

/* An error names the unit's line when it has no value. */
static enum status keys(const struct survey *s, const struct survey_var *v, struct keyset *out,
			struct error *err)
{
	enum status st = TERRAIN_OK;
	bool number = !survey_is_categorical(v->type) && v->type != SURVEY_TEXT;
	out->k = xcalloc(s->n ? s->n : 1, sizeof(char *));
	out->block = number ? xmallocarray(s->n ? s->n : 1, KEY_CAP) : NULL;
	for (size_t i = 0; i < s->n && !st; i++) {
		if (v->status[i] != SURVEY_PRESENT)
			st = error_set(err, TERRAIN_EDATA,
				       "%s:%lu: no value of \"%s\" (the design's %s) for this "
				       "respondent (expected one for everybody)",
				       s->file, s->line[i], v->name, survey_role_name(v->role));
		else if (number)
			out->k[i] = key_of(v, i, out->block + i * KEY_CAP, KEY_CAP);
		else
			out->k[i] = key_of(v, i, NULL, 0);
	}
	return st;
}

static void keyset_release(struct keyset *ks)
{
	free(ks->k);
	free(ks->block);
}

/* The population size of each group (stratum or PSU) from an fpc variable:
 * constant within the group, counts (every value >= 1) or fractions (every
 * value <= 1, N = n / f), never fewer than the n sampled. */
static enum status population(const struct survey *s, const struct survey_var *v,
			      const size_t *group, size_t ngroup, const size_t *first,
			      const char *what, double *N, struct error *err)
{
	size_t *unit = xmalloc(ngroup * sizeof(size_t));
	bool fraction = true, count = true;
	enum status st = TERRAIN_OK;
	for (size_t g = 0; g < ngroup; g++)
		unit[g] = (size_t)-1;
	for (size_t i = 0; i < s->n && !st; i++) {
		double x = v->value[i];
		if (v->status[i] != SURVEY_PRESENT || !(x > 0)) {
			st = error_set(err, TERRAIN_EDATA,
				       "%s:%lu: %s \"%s\" (the design's %s) for this respondent "
				       "(expected a population size, or a sampling fraction "
				       "over 0 and at most 1)",
				       s->file, s->line[i],
				       v->status[i] != SURVEY_PRESENT ? "no value of"
								      : "a bad value of",
				       v->name, survey_role_name(v->role));
			break;
		}
		fraction = fraction && x <= 1;
		count = count && x >= 1;
		size_t g = group[i];
		if (unit[g] == (size_t)-1)
			unit[g] = i;
		else if (v->value[unit[g]] != x)
			st = error_set(err, TERRAIN_EDATA,
				       "%s:%lu: \"%s\" is %.15g here and %.15g on line %lu of the "
				       "same %s (expected one value for each %s)",
				       s->file, s->line[i], v->name, x, v->value[unit[g]],
				       s->line[unit[g]], what, what);
	}
	if (!st && !fraction && !count)
		st = error_set(err, TERRAIN_EDATA,
			       "%s: \"%s\" mixes population sizes and sampling fractions "
			       "(expected every value >= 1, or every value <= 1)",
			       s->file, v->name);
	for (size_t g = 0; g < ngroup && !st; g++) {
		double n = (double)(first[g + 1] - first[g]), x = v->value[unit[g]];
		N[g] = fraction ? n / x : x;
		if (N[g] < n * (1 - 1e-12))
			st = error_set(err, TERRAIN_EDATA,
				       "%s:%lu: \"%s\" gives a population of %.15g for this %s, "
				       "fewer than the %.0f units sampled in it (expected at "
				       "least as many)",
				       s->file, s->line[unit[g]], v->name, N[g], what, n);
	}
	free(unit);
	return st;
}

/* The first unit of each id (for messages). */
static size_t *first_units(const size_t *id, size_t n, size_t nid)
{
	size_t *u = xmalloc((nid ? nid : 1) * sizeof(size_t));
	for (size_t j = 0; j < nid; j++)
		u[j] = (size_t)-1;
	for (size_t i = 0; i < n; i++)
		if (u[id[i]] == (size_t)-1)
			u[id[i]] = i;
	return u;
}

static enum status lonely_check(const struct survey *s, const struct sampling *sm,
				struct error *err)
{
	enum status st = TERRAIN_OK;
	if (sm->lonely != SAMPLING_LONELY_FAIL)
		return st;
	const struct survey_var *sv = survey_role_var(s, SURVEY_ROLE_STRATUM);
	const struct survey_var *cv = survey_role_var(s, SURVEY_ROLE_CLUSTER);
	size_t *su = first_units(sm->stratum, sm->n, sm->nstrata);
	char buf[40];
	for (size_t h = 0; h < sm->nstrata && !st; h++) {
		if (sm->psu_first[h + 1] - sm->psu_first[h] != 1 || sm->f1[h] < 1e-7)
			continue;
		size_t i = su[h];
		if (sv)
			st = error_set(err, TERRAIN_EDATA,
				       "%s:%lu: stratum \"%s\" of \"%s\" has a single %s (expected "
				       "two or more, or lonely_psu = remove, adjust or average)",
				       s->file, s->line[i], key_of(sv, i, buf, sizeof(buf)),
				       sv->name, cv ? "cluster" : "respondent");
		else
			st = error_set(err, TERRAIN_EDATA,
				       "%s: the design has a single %s (expected two or more)",
				       s->file, cv ? "cluster" : "respondent");
	}
	free(su);
	if (st || !sm->two_stage)
		return st;
	size_t *pu = first_units(sm->psu, sm->n, sm->npsu);
	for (size_t p = 0; p < sm->npsu && !st; p++) {
		if (sm->ssu_first[p + 1] - sm->ssu_first[p] != 1 || sm->f2[p] < 1e-7)
			continue;
		size_t i = pu[p];
		st = error_set(err, TERRAIN_EDATA,
			       "%s:%lu: cluster \"%s\" of \"%s\" has a single second-stage unit "
			       "(expected two or more, or lonely_psu = remove, adjust or average)",
			       s->file, s->line[i], key_of(cv, i, buf, sizeof(buf)), cv->name);
	}
	free(pu);
	return st;
}

enum status sampling_build(const struct survey *s, enum sampling_lonely l, struct sampling *out,
			   struct error *err)
{
	const struct survey_var *sv = survey_role_var(s, SURVEY_ROLE_STRATUM);
	const struct survey_var *cv = survey_role_var(s, SURVEY_ROLE_CLUSTER);
	const struct survey_var *c2 = survey_role_var(s, SURVEY_ROLE_CLUSTER2);
	const struct survey_var *fv = survey_role_var(s, SURVEY_ROLE_FPC);
	const struct survey_var *f2v = survey_role_var(s, SURVEY_ROLE_FPC2);
	size_t n = s->n;
	struct keyset sk = {0}, ck = {0}, c2k = {0};
	double *N1 = NULL, *M = NULL;
	size_t *first = NULL;
	enum status st = TERRAIN_OK;
	memset(out, 0, sizeof(*out));
	out->n = n;
	out->lonely = l;
	out->has_strata = sv;
	out->has_clusters = cv;
	out->has_fpc = fv;
	if (c2 && !cv)
		return error_set(err, TERRAIN_EDATA,
				 "%s:%lu: \"%s\" is a cluster2 but no variable is a cluster "
				 "(expected the first-stage cluster too)",
				 s->codebook, c2->line, c2->name);
	if (f2v && (!fv || !c2))
		return error_set(err, TERRAIN_EDATA,
				 "%s:%lu: \"%s\" is an fpc2 but no variable is %s (expected both "
				 "fpc and cluster2 with it)",
				 s->codebook, f2v->line, f2v->name, !fv ? "an fpc" : "a cluster2");
	if (c2 && fv && !f2v)
		return error_set(err, TERRAIN_EDATA,
				 "%s:%lu: \"%s\" is a cluster2 and \"%s\" an fpc, but no variable "
				 "is an fpc2 (expected the second stage's population too, as "
				 "svydesign's fpc = ~%s + ...)",
				 s->codebook, c2->line, c2->name, fv->name, fv->name);
	out->two_stage = c2 && f2v;
	out->stratum = xcalloc(n ? n : 1, sizeof(size_t));
	out->psu = xmalloc((n ? n : 1) * sizeof(size_t));
	if ((sv && (st = keys(s, sv, &sk, err))) || (cv && (st = keys(s, cv, &ck, err))) ||
	    (out->two_stage && (st = keys(s, c2, &c2k, err))))
		goto out;
	out->nstrata = sv ? number_units(n, NULL, 1, sk.k, out->stratum, &first) : 1;
	free(first);
	first = NULL;
	out->npsu = number_units(n, out->stratum, out->nstrata, ck.k, out->psu, &out->psu_first);
	if (!n)
		out->nstrata = 0;
	out->f1 = xmalloc((out->nstrata ? out->nstrata : 1) * sizeof(double));
	out->frac1 = xmalloc((out->nstrata ? out->nstrata : 1) * sizeof(double));
	N1 = xmalloc((out->nstrata ? out->nstrata : 1) * sizeof(double));
	for (size_t h = 0; h < out->nstrata; h++) {
		N1[h] = INFINITY;
		out->f1[h] = 1;
		out->frac1[h] = 0;
	}
	if (fv) {
		if ((st = population(s, fv, out->stratum, out->nstrata, out->psu_first, "stratum",
				     N1, err)))
			goto out;
		for (size_t h = 0; h < out->nstrata; h++) {
			double nh = (double)(out->psu_first[h + 1] - out->psu_first[h]);
			out->f1[h] = (N1[h] - nh) / N1[h];
			out->frac1[h] = nh / N1[h];
		}
	}
	if (out->two_stage) {
		out->ssu = xmalloc((n ? n : 1) * sizeof(size_t));
		out->nssu = number_units(n, out->psu, out->npsu, c2k.k, out->ssu, &out->ssu_first);
		out->f2 = xmalloc((out->npsu ? out->npsu : 1) * sizeof(double));
		M = xmalloc((out->npsu ? out->npsu : 1) * sizeof(double));
		if ((st = population(s, f2v, out->psu, out->npsu, out->ssu_first, "cluster", M,
				     err)))
			goto out;
		for (size_t p = 0; p < out->npsu; p++) {
			double m = (double)(out->ssu_first[p + 1] - out->ssu_first[p]);
			out->f2[p] = (M[p] - m) / M[p];
		}
	}
	if (fv && !survey_weight_var(s)) {
		/* svydesign's weights when only the fpc are given */
		out->w = xmalloc((n ? n : 1) * sizeof(double));
		for (size_t i = 0; i < n; i++) {
			size_t h = out->stratum[i], p = out->psu[i];
			double nh = (double)(out->psu_first[h + 1] - out->psu_first[h]);
			out->w[i] = N1[h] / nh;
			if (out->two_stage)
				out->w[i] *=
				    M[p] / (double)(out->ssu_first[p + 1] - out->ssu_first[p]);
		}
	}
	st = lonely_check(s, out, err);
out:
	keyset_release(&sk);
	keyset_release(&ck);
	keyset_release(&c2k);
	free(first);
	free(N1);
	free(M);
	if (st)
		sampling_release(out);
	return st;
}

/* R's onestrat(): the variance of the m PSU totals t (m x k) of one
 * stratum with correction f, added into acc; false when the stratum gives
 * NA (a lonely PSU under "average"). */
static bool onestrat(const double *t, size_t m, size_t k, double f, enum sampling_lonely l,
		     double *mean, double *acc)
{
	if (f < 1e-7)
		return true;
	if (m == 1) {
		if (l == SAMPLING_LONELY_AVERAGE)
			return false;
		if (l == SAMPLING_LONELY_ADJUST)
			for (size_t a = 0; a < k; a++)
				for (size_t b = 0; b < k; b++)
					acc[a * k + b] += f * t[a] * t[b];
		return true; /* remove: centred on itself, nothing */
	}
	for (size_t a = 0; a < k; a++) {
		mean[a] = 0;
		for (size_t j = 0; j < m; j++)
			mean[a] += t[j * k + a];
		mean[a] /= (double)m;
	}
	double scale = f * (double)m / (double)(m - 1);
	for (size_t j = 0; j < m; j++)
		for (size_t a = 0; a < k; a++) {
			double da = t[j * k + a] - mean[a];
			if (da == 0)
				continue;
			for (size_t b = 0; b < k; b++)
				acc[a * k + b] += scale * da * (t[j * k + b] - mean[b]);
		}
	return true;
}

void sampling_covariance(const struct sampling *sm, const double *z, size_t k,
			 const unsigned char *present, double *v)
{
	size_t n = sm->n;
	double *t = xcalloc((sm->npsu ? sm->npsu : 1) * k, sizeof(double));
	double *mean = xmalloc(k * sizeof(double));
	unsigned char *hin = xcalloc(sm->nstrata ? sm->nstrata : 1, 1);
	unsigned char *pin = xcalloc(sm->npsu ? sm->npsu : 1, 1);
	for (size_t i = 0; i < n; i++) {
		for (size_t j = 0; j < k; j++)
			t[sm->psu[i] * k + j] += z[i * k + j];
		if (!present || present[i])
			hin[sm->stratum[i]] = pin[sm->psu[i]] = 1;
	}
	memset(v, 0, k * k * sizeof(double));
	size_t nstrat = 0, nok = 0;
	for (size_t h = 0; h < sm->nstrata; h++) {
		if (!hin[h])
			continue;
		size_t p0 = sm->psu_first[h], m = sm->psu_first[h + 1] - p0;
		nstrat++;
		nok += onestrat(t + p0 * k, m, k, sm->f1[h], sm->lonely, mean, v);
	}
	for (size_t j = 0; j < k * k; j++)
		v[j] = nstrat ? v[j] * (double)nstrat / (double)nok : 0;
	if (sm->two_stage) {
		/* each PSU's own variance over its second-stage units, times n_h / N_h */
		double *t2 = xcalloc((sm->nssu ? sm->nssu : 1) * k, sizeof(double));
		double *acc = xmalloc(k * k * sizeof(double));
		for (size_t i = 0; i < n; i++)
			for (size_t j = 0; j < k; j++)
				t2[sm->ssu[i] * k + j] += z[i * k + j];
		for (size_t h = 0; h < sm->nstrata; h++)
			for (size_t p = sm->psu_first[h]; p < sm->psu_first[h + 1]; p++) {
				if (!pin[p])
					continue;
				size_t s0 = sm->ssu_first[p], m = sm->ssu_first[p + 1] - s0;
				memset(acc, 0, k * k * sizeof(double));
				bool ok =
				    onestrat(t2 + s0 * k, m, k, sm->f2[p], sm->lonely, mean, acc);
				for (size_t j = 0; j < k * k; j++)
					v[j] += ok ? acc[j] * sm->frac1[h] : NAN;
			}
		free(t2);
		free(acc);
	}
	free(t);
	free(mean);
	free(hin);
	free(pin);
}

double sampling_df(const struct sampling *sm, const double *w, const unsigned char *in)
{
	unsigned char *hin = xcalloc(sm->nstrata ? sm->nstrata : 1, 1);
	unsigned char *pin = xcalloc(sm->npsu ? sm->npsu : 1, 1);
	size_t nh = 0, np = 0;
	for (size_t i = 0; i < sm->n; i++) {
		if ((in && !in[i]) || w[i] == 0)
			continue;
		nh += !hin[sm->stratum[i]];
		np += !pin[sm->psu[i]];
		hin[sm->stratum[i]] = pin[sm->psu[i]] = 1;
	}
	free(hin);
	free(pin);
	return np ? (double)np - (double)nh : NAN;
}
