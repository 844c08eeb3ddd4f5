/* The project file's action plan, evaluation grid, target jobs and
 * training action read into a struct plan (analysis/plan.h), every problem
 * naming FILE:LINE and what was expected.
 *
 *   [plan]
 *   goal = Lever les freins numériques à l'emploi    ; the general objective
 *   objectives = O1: Former 40 personnes par an       ; operational ones,
 *       O2: Porter la couverture de l'offre à 30      ; "ID: text" a line
 *
 *   [action:A1]                                       ; ID: letters, digits, _ -
 *   label = Atelier numérique
 *   objectives = O1                                   ; ids of [plan]
 *   start = 1                                         ; months: 1 is the first
 *   end = 12                                          ; month of the budget's
 *   lead = Le chantier d'insertion                    ; first year, 36 its last
 *   partners = CCAS, France Travail
 *   budget = Formation des salariés en insertion      ; budget lines, one a line,
 *       Outillage et matériaux                        ; by the budget's labels
 *   outputs = 40 personnes formées par an
 *
 *   [evaluation]                                      ; one indicator a line:
 *   indicator = O1 | survey:freins=numerique | -10 points | enquête de sortie | année 3
 *     ; OBJECTIVE | BASELINE | TARGET | MEASURED BY | WHEN; BASELINE is
 *     ; indicator:ID, survey:VARIABLE=CODE, sizing:target, sizing:coverage,
 *     ; positioning:SKILL (the positioning file's mean level) or skill:SKILL
 *     ; (a skill's level, from the positioning file or the survey);
 *     ; TARGET a value ("30"), a change ("-2 points", "+50") or a relative
 *     ; change ("-10 %")
 *
 *   [job:K1801]                                       ; a ROME 4.0 code
 *   source = Fiche ROME K1801, compétences            ; where the skills come from
 *   skills = numerique: 3                             ; "skill: required level",
 *       francais_ecrit: 2                             ; one a line
 *
 *   [training]
 *   positioning = positionnement.csv                  ; one row a person, one
 *                                                     ; column a skill (an "id"
 *                                                     ; column is skipped); may
 *                                                     ; be left out when the
 *                                                     ; survey's codebook maps
 *                                                     ; questions to the skills
 *                                                     ; (its skill column)
 *   rate = 20                                         ; hours per level of gap
 *   threshold = 0.5                                   ; gaps above it get a module
 *   labels = numerique: Usages du numérique           ; "skill: label", one a line:
 *       calcul: Calcul professionnel                  ; how the note names it
 */
#ifndef TERRAIN_PLANCFG_H
#define TERRAIN_PLANCFG_H

#include "../analysis/plan.h"
#include "../core/error.h"
#include "../core/project.h"

/* Does the project have any of the five sections? */
bool plancfg_present(const struct project *p);

/* Read p's sections into *out (zeroed first).  rome is the bundled ROME
 * table (datasets/rome/rome.csv: code;label), read only when the project
 * has a [job:CODE].  The positioning file is read and summarised into
 * out->measure.  Errors (TERRAIN_EDATA), each "FILE:LINE: ...": an
 * objective, action or ROME code that does not exist, a bad month, a bad
 * indicator line, a bad target, a skill level that is not a number, a
 * job without [training], a positioning value that is not a number
 * (FILE:LINE:COL of the positioning file), a skill label that is not
 * "skill: label", given twice or for a skill no job requires. */
enum status plancfg_read(const struct project *p, const char *rome, struct plan *out,
			 struct error *err);

/* The bundled actors table (datasets/actors/actors.csv: level, actor_fr,
 * actor_en, competence_fr, competence_en, code, article, url) into
 * out->actor.  Errors name the file, the line and the column. */
enum status plancfg_read_actors(const char *path, struct plan *out, struct error *err);

#endif
