#include "note_tracks.h"

#include <ctype.h>
#include <string.h>

#include "note_internal.h"

/* The responses of one theme, as list items. */
static void responses_of(const struct note_input *in, struct strbuf *sb, enum indicator_theme t)
{
	const char *draft = tr(in, "*[À relire]* ", "*[To review]* ");
	size_t shown = 0;
	for (size_t r = 0; in->responses && r < in->responses->n; r++) {
		const struct response *x = &in->responses->v[r];
		if (x->theme != t)
			continue;
		strbuf_addstr(sb, "- ");
		strbuf_addstr(sb, draft);
		strbuf_addstr(sb, tr(in, "Public concerné" NBSP ": ", "Public concerned: "));
		note_md(sb, in->en ? x->public_en : x->public_fr);
		strbuf_addstr(sb, tr(in, " ; réponse" NBSP ": ", "; response: "));
		note_md(sb, in->en ? x->family_en : x->family_fr);
		strbuf_addstr(sb, " (");
		note_md(sb, in->en ? x->schemes_en : x->schemes_fr);
		strbuf_addstr(sb, tr(in, ") ; texte de référence" NBSP ": ", "); legal basis: "));
		/* the legal text as the link's words, Légifrance's address behind
		 * them (the loader takes https addresses without spaces or <>) */
		strbuf_addch(sb, '[');
		note_md(sb, in->en ? x->source_en : x->source_fr);
		strbuf_addf(sb, "](<%s>).\n", x->url);
		shown++;
	}
	if (!shown) {
		strbuf_addstr(sb, "- ");
		strbuf_addstr(sb, draft);
		strbuf_addstr(sb,
			      tr(in,
				 "Aucune réponse type n'est proposée pour ce thème : à construire "
				 "avec les acteurs du territoire.\n",
				 "No standard response is proposed for this theme: to be built "
				 "with the territory's stakeholders.\n"));
	}
}

void note_tracks_section(const struct note_input *in, const struct note_finding *f, size_t n,
			 struct strbuf *sb, int *sec)
{
	bool done[THEME_COUNT] = {false};
	size_t themes = 0;
	note_heading(in, sb, sec, "Pistes d'amélioration", "Areas for improvement");
	for (size_t j = 0; j < n; j++)
		if (f[j].tone == NOTE_UNFAVOURABLE)
			themes++;
	if (!themes) {
		strbuf_addstr(sb,
			      tr(in,
				 "Aucun constat défavorable ne ressort des données publiques "
				 "retenues : les pistes sont à construire à partir de l'enquête de "
				 "terrain et avec les acteurs du territoire.\n\n",
				 "No unfavourable finding stands out in the public data used: "
				 "improvements are to be drawn from the field survey and with the "
				 "territory's stakeholders.\n\n"));
		return;
	}
	strbuf_addstr(sb,
		      tr(in,
			 "Pour chaque thème où un constat est défavorable, le public concerné "
			 "et la famille de réponses, d'après un tableau de réponses par thème "
			 "qui cite pour chaque ligne son texte de référence. Ce sont des "
			 "brouillons, à discuter avec les acteurs du territoire.\n\n",
			 "For each theme with an unfavourable finding, the public concerned and "
			 "the family of responses, from a table of responses by theme that cites "
			 "the legal basis of each row. These are drafts, to be discussed with "
			 "the territory's stakeholders.\n\n"));
	for (size_t j = 0; j < n; j++) {
		enum indicator_theme t = f[j].theme;
		if (f[j].tone != NOTE_UNFAVOURABLE || done[t])
			continue;
		done[t] = true;
		const char *name = catalogue_theme_name(t, in->en);
		strbuf_addstr(sb, "**");
		strbuf_addch(sb, (char)toupper((unsigned char)name[0]));
		note_md(sb, name + 1);
		strbuf_addstr(sb, tr(in, "**, d'après" NBSP ": ", "**, from: "));
		size_t listed = 0;
		for (size_t m = j; m < n; m++) {
			if (f[m].tone != NOTE_UNFAVOURABLE || f[m].theme != t)
				continue;
			if (listed++)
				strbuf_addstr(sb, tr(in, " ; ", "; "));
			note_label_inline(sb, note_label(in, in->ind->v[0][f[m].i].def));
			if (f[m].trend)
				strbuf_addstr(sb, in->ind->v[f[m].k][f[m].i].trend.slope > 0
						      ? tr(in, ", en hausse", ", rising")
						      : tr(in, ", en baisse", ", falling"));
		}
		strbuf_addstr(sb, ".\n\n");
		responses_of(in, sb, t);
		strbuf_addch(sb, '\n');
	}
}
