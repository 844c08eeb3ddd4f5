/* French (and English) typography for the synthesis note: numbers,
 * percentages, gaps in points, dates and sums of money, as a reader of
 * a French administrative note expects them.
 *
 * French: decimal comma; thousands grouped by a NARROW NO-BREAK SPACE
 * (U+202F) ("10 527", "1 284 948,5"); a NO-BREAK SPACE (U+00A0) before
 * "%" and "€" ("13,8 %", "12 345 €"); negative numbers take the MINUS
 * SIGN U+2212 ("−1,2"), which does not break from its digits and is as
 * wide as "+".  English: decimal point, thousands by ',', "13.8%",
 * "€12,345", negative numbers with the ASCII hyphen-minus ("-1.2"), which
 * spreadsheets and search read back.
 *
 * Every function appends to sb (borrowed) and cannot fail.  NAN and the
 * infinities print "n.d." (non disponible) in French, "n/a" in English.
 * decimals is clamped to [0, 15]; values are rounded as printf rounds
 * (to the nearest, an exact binary tie to the even digit: 2.5 -> "2"), and
 * a result that rounds to zero carries no sign ("0,0", never "−0,0"). */
#ifndef TERRAIN_TYPO_H
#define TERRAIN_TYPO_H

#include <stdbool.h>

#include "../core/strbuf.h"

struct territory;

/* v with the given decimals: "10 527", "13,8"; en "10,527", "13.8". */
void typo_number(struct strbuf *sb, double v, int decimals, bool fr);

/* v already in percent (13.8 for 13.8 %): "13,8 %"; en "13.8%". */
void typo_percent(struct strbuf *sb, double v, int decimals, bool fr);

/* A difference in percentage points, signed unless it rounds to zero,
 * with a NO-BREAK SPACE before the word in French: "+4,0 points",
 * "−0,5 point", "0,0 point"; en "+4.0 points", "-1 point".  French makes
 * "point" singular below 2 in absolute value (as printed), English only
 * for exactly 1. */
void typo_points(struct strbuf *sb, double v, int decimals, bool fr);

/* A calendar date with plain spaces: "29 novembre 2026", "1er décembre
 * 2026" (the ordinal only for the first of the month); en "29 November
 * 2026".  An impossible date (month outside 1-12, day
 * outside the month, year outside 1-9999) prints "n.d." / "n/a". */
void typo_date(struct strbuf *sb, int y, int m, int d, bool fr);

/* A sum in euros: "12 345 €", "12 345,50 €", "−300 €"; en "€12,345",
 * "-€300". */
void typo_money(struct strbuf *sb, double v, int decimals, bool fr);

/* The words of an indicator's unit (the catalogue's key: "%", "persons",
 * "households", "per 1 000", "per 100", "euros a year") in a language,
 * with its typography: "pour 1 000" (U+00A0 after "pour", U+202F between
 * the thousands), "€ par an" (U+00A0), "personnes", "ménages"; en "per
 * 1,000", "€ a year", "persons", "households"; "%" in both.  Without the
 * space that separates them from a number (typo_percent puts "%" itself).
 * NULL for a key the function does not know.  Static strings. */
const char *typo_unit(const char *unit, bool fr);

/* A value in its catalogue unit, as the note writes it: "13,8 %" (a
 * percentage: typo_percent), "156 140" (a count of persons or households
 * goes without its unit), "4,2 pour 1 000", "23 000 € par an" (U+00A0
 * before the unit's words); NAN: "n.d." without unit.  An unknown unit is
 * left out. */
void typo_value(struct strbuf *sb, double v, const char *unit, int decimals, bool fr);

/* A gap between two values of one indicator (v = the territory's minus
 * the reference's), signed: in points for a percentage ("+4,0 points",
 * typo_points), else in the indicator's unit ("+2,6 pour 1 000",
 * "−1 200 € par an", "+3 120" for a count); the note's words for the
 * same gap are "2,6 pour 1 000 de plus". */
void typo_gap(struct strbuf *sb, double v, const char *unit, int decimals, bool fr);

/* The kind of a territory (type: enum territory_type) in a few words, as
 * the note writes it after a name: "commune", "intercommunalité" (en
 * "EPCI"), "département", "région" (the same in English), "zone d'emploi"
 * (en "employment zone", INSEE's English terms for the zones), "territoire"
 * (en "territory") for any other.  A static string. */
const char *typo_type_word(int type, bool en);

/* A territory's name as the note writes it: its own ("Roubaix", "Nord"),
 * or one of INSEE's zones' as typo_zone_name ("zone d'emploi de
 * Roubaix-Tourcoing"; with article "la zone d'emploi..."). */
void typo_territory_name(const struct territory *t, bool en, bool article, struct strbuf *out);

/* French prepositions and articles before a territory's name, from INSEE's
 * type de nom en clair (t->tncc: the COG gives the article and the "de"
 * form; "en" against "dans le" is usage, written here as a rule):
 *   TYPO_IN    à Grenoble, au Havre, aux Mureaux, en Isère... see typo.c
 *   TYPO_THAN  the same after "plus" / "moins": qu'à, qu'au, que dans
 *   TYPO_OF    de Grenoble, du Havre, des Mureaux, d'Isère... du Nord
 * Returns the words to write before the name (a static string) and in
 * *skip the bytes of the name to leave out ("Le " of "Le Havre" once it
 * became "au ").  Write prefix, then t->name + *skip. */
enum typo_place_form {
	TYPO_IN,
	TYPO_THAN,
	TYPO_OF
};
struct territory;
const char *typo_place(const struct territory *t, enum typo_place_form form, size_t *skip);

/* One of INSEE's zones (level: enum geo_zonage) named as INSEE writes it,
 * appended to out: "zone d'emploi de Grenoble", "bassin de vie du Havre",
 * "unité urbaine d'Annecy", "aire d'attraction de Grenoble" (name: the
 * commune it is named after, tncc that commune's type de nom en clair);
 * with article: "la zone d'emploi...", "le bassin de vie...", "l'unité
 * urbaine...".  en: INSEE's English terms, "Grenoble employment zone",
 * "living area", "urban unit", "functional area" ("the ..."). */
void typo_zone_name(int level, const char *name, int tncc, bool en, bool article,
		    struct strbuf *out);

#endif
