#include "sizing_report.h"

#include <jansson.h>
#include <math.h>

#include "../core/strbuf.h"

static const char *const type_names[SIZING_NTYPES] = {"ACI", "EI", "AI", "ETTI", "EITI", "other"};
static const char *const type_names_fr[SIZING_NTYPES] = {"ACI",	 "EI",	 "AI",
							 "ETTI", "EITI", "autre"};

/* The French or the English text; en must be in scope. */
#define L(fr_, en_) (en ? (en_) : (fr_))

/* x with dec decimals, a decimal comma in French. */
static void decimal(struct strbuf *sb, double x, int dec, bool en)
{
	size_t from = sb->len;
	format_decimal(sb, x, dec);
	for (size_t i = from; !en && i < sb->len; i++)
		if (sb->buf[i] == '.')
			sb->buf[i] = ',';
}

/* A count (grouped thousands) or a share (as %) with its range. */
static void one(struct strbuf *sb, double x, bool share, int dec, bool en)
{
	if (share) {
		decimal(sb, x * 100, dec, en);
		strbuf_addstr(sb, " %");
	} else if (dec == 0) {
		format_count(sb, x);
	} else {
		decimal(sb, x, dec, en);
	}
}

static void range_text(struct strbuf *sb, const struct sizing_range *v, bool share, int dec,
		       bool en)
{
	if (isnan(v->central)) {
		strbuf_addstr(sb, L("n.d.", "n/a"));
		return;
	}
	one(sb, v->central, share, dec, en);
	if (v->low != v->central || v->high != v->central) {
		strbuf_addstr(sb, " [");
		one(sb, v->low, share, dec, en);
		strbuf_addstr(sb, L(" ; ", ", "));
		one(sb, v->high, share, dec, en);
		strbuf_addstr(sb, "]");
	}
}

static const char *plural(size_t n)
{
	return n > 1 ? "s" : "";
}

static void text(FILE *fp, const struct sizing_result *r, bool en)
{
	struct strbuf sb = STRBUF_INIT;
	fprintf(fp, en ? "Target public: %s\n" : "Public cible : %s\n", r->label);
	for (size_t i = 0; i < r->nterms; i++) {
		const struct sizing_term *t = &r->term[i];
		strbuf_reset(&sb);
		range_text(&sb, &t->v, t->share, t->share ? 1 : 0, en);
		fprintf(fp, "  %s %-40s %-26s %s\n", i ? "x" : " ", t->label, sb.buf, t->origin);
	}
	strbuf_reset(&sb);
	range_text(&sb, &r->target, false, 0, en);
	fprintf(fp, "  = %-40s %s\n", L("public cible (personnes)", "target public (persons)"),
		sb.buf);
	fprintf(fp, "  %s\n",
		L("fourchette : le produit des bornes des termes (intervalle à 95 % de chacun)",
		  "range: the product of the terms' bounds (95 % intervals of each term)"));
	if (!r->has_offer) {
		fprintf(fp, "\n%s\n",
			L("Offre existante : pas de fichier [offer] dans le projet (terrain offer "
			  "import en prépare un)",
			  "Existing offer: no [offer] file in the project (terrain offer import "
			  "drafts one)"));
		goto out;
	}
	fprintf(fp,
		en ? "\nExisting offer (%s): %zu structure%s in the territory\n"
		   : "\nOffre existante (%s) : %zu structure%s sur le territoire\n",
		r->offer_file, r->offer.structures, plural(r->offer.structures));
	for (int k = 0; k < SIZING_NTYPES; k++)
		if (r->offer.by_type[k]) {
			strbuf_reset(&sb);
			decimal(&sb, r->offer.places_by_type[k], 1, en);
			fprintf(fp, "  %-6s %3zu structure%-2s %s places\n",
				L(type_names_fr[k], type_names[k]), r->offer.by_type[k],
				plural(r->offer.by_type[k]), sb.buf);
		}
	strbuf_reset(&sb);
	decimal(&sb, r->offer.capacity, 1, en);
	fprintf(fp, en ? "  capacity: %s places\n" : "  capacité : %s places\n", sb.buf);
	if (r->offer.from_etp && en)
		fprintf(
		    fp, "  %zu structure%s give%s ETP and no places: 1 ETP counted as 1 place\n",
		    r->offer.from_etp, plural(r->offer.from_etp), r->offer.from_etp > 1 ? "" : "s");
	else if (r->offer.from_etp)
		fprintf(fp,
			"  %zu structure%s donne%s des ETP et pas de places : 1 ETP compté pour 1 "
			"place\n",
			r->offer.from_etp, plural(r->offer.from_etp),
			r->offer.from_etp > 1 ? "nt" : "");
	if (r->offer.unknown_capacity && en)
		fprintf(fp,
			"  %zu structure%s without places or ETP not counted: the capacity and the "
			"coverage are lower bounds\n",
			r->offer.unknown_capacity, plural(r->offer.unknown_capacity));
	else if (r->offer.unknown_capacity)
		fprintf(fp,
			"  %zu structure%s sans places ni ETP non comptée%s : la capacité et la "
			"couverture sont des minimums\n",
			r->offer.unknown_capacity, plural(r->offer.unknown_capacity),
			plural(r->offer.unknown_capacity));
	strbuf_reset(&sb);
	range_text(&sb, &r->coverage, false, 1, en);
	fprintf(fp,
		en ? "  coverage: %s places per 1 000 target persons\n"
		   : "  couverture : %s places pour 1 000 personnes du public cible\n",
		sb.buf);
	for (size_t k = 0; k < r->nref; k++) {
		const struct sizing_ref *rf = &r->ref[k];
		strbuf_reset(&sb);
		range_text(&sb, &rf->coverage, false, 1, en);
		strbuf_addstr(&sb, L(" places pour 1 000 pour un public cible de ",
				     " places per 1 000 for a target public of "));
		range_text(&sb, &rf->target, false, 0, en);
		fprintf(fp,
			en ? "  %s (%s): %s, %.10g places in %zu structure%s%s\n"
			   : "  %s (%s) : %s, %.10g places dans %zu structure%s%s\n",
			rf->name, rf->code, sb.buf, rf->offer.capacity, rf->offer.structures,
			plural(rf->offer.structures),
			rf->offer.unknown_capacity
			    ? L(" (certaines sans capacité)", " (some without capacity)")
			    : "");
	}
	if (r->nref)
		fprintf(fp, "  %s\n",
			L("(public cible d'une référence : la même définition, ses propres "
			  "indicateurs et les autres parts du territoire)",
			  "(a reference's target public: the same definition, its own indicators "
			  "and the territory's other shares)"));
	if (!r->has_goal) {
		fprintf(fp, "\n%s\n",
			L("Écart : pas d'objectif de couverture dans [offer] (goal = "
			  "PLACES_POUR_1000 RAISON)",
			  "Gap: no coverage goal in [offer] (goal = PLACES_PER_1000 REASON)"));
		goto out;
	}
	strbuf_reset(&sb);
	decimal(&sb, r->goal, 1, en);
	fprintf(
	    fp,
	    en ? "\nGap to the goal of %s places per 1 000 target persons (%s)\n"
	       : "\nÉcart à l'objectif de %s places pour 1 000 personnes du public cible (%s)\n",
	    sb.buf, r->goal_origin);
	strbuf_reset(&sb);
	range_text(&sb, &r->deficit.posts, false, 1, en);
	fprintf(fp, en ? "  places missing: %s\n" : "  places manquantes : %s\n", sb.buf);
	fprintf(fp,
		en ? "  proposal: open %.0f insertion posts (ETP), the central deficit rounded up; "
		     "1 place = 1 post\n"
		   : "  proposition : ouvrir %.0f postes d'insertion (ETP), le déficit central "
		     "arrondi à l'unité supérieure ; 1 place = 1 poste\n",
		r->deficit.posts_to_open);
out:
	strbuf_release(&sb);
}

static void num(struct strbuf *sb, double x)
{
	strbuf_reset(sb);
	format_csv_number(sb, x);
}

/* One row per figure: what, central, low, high, unit, origin. */
static void csv(FILE *fp, const struct sizing_result *r, bool en)
{
	static const char *const head_en[] = {"item", "label", "value", "low",
					      "high", "unit",  "origin"};
	static const char *const head_fr[] = {"identifiant", "libellé", "valeur", "basse",
					      "haute",	     "unité",	"origine"};
	struct strbuf v = STRBUF_INIT, lo = STRBUF_INIT, hi = STRBUF_INIT;
	format_csv_row(fp, en ? head_en : head_fr, 7);
	const char *persons = L("personnes", "persons"), *per1000 = L("pour 1 000", "per 1 000");
#define ROW(item, label, range, unit, origin)                                           \
	do {                                                                            \
		num(&v, (range).central);                                               \
		num(&lo, (range).low);                                                  \
		num(&hi, (range).high);                                                 \
		const char *row[] = {item, label, v.buf, lo.buf, hi.buf, unit, origin}; \
		format_csv_row(fp, row, 7);                                             \
	} while (0)
	for (size_t i = 0; i < r->nterms; i++)
		ROW(i ? "share" : "base", r->term[i].label, r->term[i].v,
		    r->term[i].share ? L("part", "share") : persons, r->term[i].origin);
	ROW("target", r->label, r->target, persons,
	    L("produit des termes", "product of the terms"));
	if (r->has_offer) {
		struct sizing_range cap = {r->offer.capacity, r->offer.capacity, r->offer.capacity};
		ROW("capacity", L("offre existante", "existing offer"), cap, "places",
		    r->offer_file);
		ROW("coverage",
		    L("places pour 1 000 personnes du public cible",
		      "places per 1 000 target persons"),
		    r->coverage, per1000, "");
		for (size_t k = 0; k < r->nref; k++) {
			ROW("reference_target", r->ref[k].code, r->ref[k].target, persons,
			    r->ref[k].name);
			ROW("reference_coverage", r->ref[k].code, r->ref[k].coverage, per1000,
			    r->ref[k].name);
		}
	}
	if (r->has_goal) {
		struct sizing_range g = {r->goal, r->goal, r->goal};
		struct sizing_range p = {r->deficit.posts_to_open, r->deficit.posts_to_open,
					 r->deficit.posts_to_open};
		ROW("goal", L("objectif de couverture", "coverage goal"), g, per1000,
		    r->goal_origin);
		ROW("deficit", L("places manquantes", "places missing"), r->deficit.posts, "places",
		    "");
		ROW("posts_to_open", L("postes d'insertion à ouvrir", "insertion posts to open"), p,
		    "ETP",
		    L("déficit central arrondi à l'unité supérieure, 1 place = 1 poste",
		      "central deficit rounded up, 1 place = 1 post"));
	}
#undef ROW
	strbuf_release(&v);
	strbuf_release(&lo);
	strbuf_release(&hi);
}

static json_t *range_json(const struct sizing_range *v)
{
	return json_pack("{s:o,s:o,s:o}", "value", format_json_number(v->central), "low",
			 format_json_number(v->low), "high", format_json_number(v->high));
}

static void json(FILE *fp, const struct sizing_result *r)
{
	json_t *root = json_object(), *terms = json_array();
	for (size_t i = 0; i < r->nterms; i++) {
		json_t *t = range_json(&r->term[i].v);
		json_object_set_new(t, "label", json_string(r->term[i].label));
		json_object_set_new(t, "share", json_boolean(r->term[i].share));
		json_object_set_new(t, "origin", json_string(r->term[i].origin));
		json_array_append_new(terms, t);
	}
	json_object_set_new(root, "label", json_string(r->label));
	json_object_set_new(root, "terms", terms);
	json_object_set_new(root, "target", range_json(&r->target));
	if (r->has_offer) {
		json_t *o = json_object(), *bt = json_object();
		for (int k = 0; k < SIZING_NTYPES; k++)
			if (r->offer.by_type[k])
				json_object_set_new(
				    bt, type_names[k],
				    json_pack("{s:I,s:o}", "structures",
					      (json_int_t)r->offer.by_type[k], "places",
					      format_json_number(r->offer.places_by_type[k])));
		json_object_set_new(o, "file", json_string(r->offer_file));
		json_object_set_new(o, "structures", json_integer((json_int_t)r->offer.structures));
		json_object_set_new(o, "by_type", bt);
		json_object_set_new(o, "capacity", format_json_number(r->offer.capacity));
		json_object_set_new(o, "capacity_from_etp",
				    json_integer((json_int_t)r->offer.from_etp));
		json_object_set_new(o, "unknown_capacity",
				    json_integer((json_int_t)r->offer.unknown_capacity));
		json_object_set_new(o, "coverage", range_json(&r->coverage));
		json_t *refs = json_array();
		for (size_t k = 0; k < r->nref; k++) {
			const struct sizing_ref *rf = &r->ref[k];
			json_array_append_new(
			    refs, json_pack("{s:s,s:s,s:o,s:o,s:I,s:o}", "territory", rf->code,
					    "name", rf->name, "target", range_json(&rf->target),
					    "capacity", format_json_number(rf->offer.capacity),
					    "structures", (json_int_t)rf->offer.structures,
					    "coverage", range_json(&rf->coverage)));
		}
		json_object_set_new(o, "references", refs);
		json_object_set_new(root, "offer", o);
	}
	if (r->has_goal) {
		json_t *g = json_object();
		json_object_set_new(g, "goal", format_json_number(r->goal));
		json_object_set_new(g, "origin", json_string(r->goal_origin));
		json_object_set_new(g, "places_missing", range_json(&r->deficit.posts));
		json_object_set_new(g, "posts_to_open",
				    format_json_number(r->deficit.posts_to_open));
		json_object_set_new(root, "gap", g);
	}
	format_json_write(fp, root);
}

void report_sizing(FILE *fp, enum report_format fmt, const struct sizing_result *r, bool en)
{
	if (fmt == REPORT_CSV)
		csv(fp, r, en);
	else if (fmt == REPORT_JSON)
		json(fp, r);
	else
		text(fp, r, en);
}
