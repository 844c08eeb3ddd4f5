/* The command table: each command's name, its lines in the general help,
 * its help and its handler.  --help, terrain help COMMAND, the man page
 * (terrain help --man, make builds terrain.1) and main's dispatch all read
 * it; the README's command table is checked against it by the tests. */
#include <stdio.h>
#include <string.h>

#include "cli.h"

const struct cli_command cli_commands[] = {
    {"init", "  init DIR --territory CODE   write a commented project file DIR/terrain.ini\n",
     "Usage: terrain init DIR --territory CODE [--title TEXT] [--author NAME]\n"
     "                        [--members LIST [--name LABEL]] [--force]\n"
     "\n"
     "Create DIR if needed and write a commented project file DIR/terrain.ini\n"
     "for the territory CODE.  An existing terrain.ini is kept unless --force.\n"
     "\n"
     "  -t, --territory CODE  the territory (com:38185, epci:200040715, ...),\n"
     "                        or custom:NAME with --members\n"
     "      --members LIST    commune codes of a custom territory, separated by\n"
     "                        commas or spaces\n"
     "      --name LABEL      display name of the custom territory\n"
     "      --title TEXT      title of the study\n"
     "      --author NAME     author of the study\n"
     "  -f, --force           overwrite an existing DIR/terrain.ini\n",
     cmd_init},
    {"territory",
     "  territory find TEXT         find territories by name\n"
     "  territory show CODE         a territory: parents, members, populations\n",
     "Usage: terrain territory find TEXT... [--limit N] [--type LIST] [--format FMT]\n"
     "       terrain territory show CODE [--members] [--format FMT]\n"
     "\n"
     "find: accent- and case-insensitive search of communes, arrondissements,\n"
     "EPCI, départements, régions and former communes by name; exact names\n"
     "first, then prefixes, then other matches, larger populations first.\n"
     "  -n, --limit N     at most N hits (default 10, 0 for all)\n"
     "      --type LIST   only these types: com,arm,epci,dep,reg,fr,ze,bv,uu,aav\n"
     "\n"
     "show: the territory's type, parents (EPCI, département, région), member\n"
     "count, the population carried by each COG package 2021-2026, the census\n"
     "populations 2015 and 2021 with the annual growth between them, and the\n"
     "default references.  A former commune's code shows the commune it is now\n"
     "part of.  custom:NAME needs the project file that defines it.\n"
     "  -m, --members     list the members\n"
     "\n"
     "      --format FMT  text (default), csv or json; see README.md for the\n"
     "                    columns and keys\n",
     cmd_territory},
    {"survey",
     "  survey describe FILE        draft a codebook for a survey export\n"
     "  survey check FILE           check a survey file against its codebook\n"
     "  survey analyze FILE         weight a survey and estimate, with margins of error\n",
     "Usage: terrain survey describe FILE [-o CODEBOOK] [--force]\n"
     "       terrain survey check [FILE] [--codebook CB]\n"
     "       terrain survey analyze [FILE] [--codebook CB] [--margins M] [--method M]\n"
     "                              [--trim LOW,HIGH] [--by LIST] [--crosstab A*B,...]\n"
     "                              [-o DIR] [--format FMT] [--lenient]\n"
     "\n"
     "Field surveys exported from LimeSurvey, KoboToolbox, Google Forms,\n"
     "Framaforms or Excel.  The encoding (UTF-8, UTF-8 with BOM, Windows-1252)\n"
     "and the delimiter (';', ',', tab) are detected; lines starting with '#'\n"
     "before the header are skipped.  Without FILE, the file and the options\n"
     "come from the project file's [survey] section; a FILE given here runs\n"
     "with this command line's options only.\n"
     "\n"
     "describe: infer each column's type and categories and write a draft\n"
     "codebook (to stdout, or to CODEBOOK with -o, with a summary).\n"
     "check: every problem of the file against its codebook, with\n"
     "file:line:column, the value found and what was expected; exit 1 if any.\n"
     "analyze: weight the respondents to the margins (raking by default,\n"
     "poststratify on one variable, or none), then estimate every variable\n"
     "overall and by group, with standard errors, 95 % intervals, CV and\n"
     "unweighted n, as R's survey package does; two-way tables with the\n"
     "Rao-Scott test.  With -o DIR, the tables are written there.\n"
     "\n"
     "      --codebook CB        the codebook (see README.md, \"The codebook\")\n"
     "      --margins M          population margins: variable;category;target\n"
     "      --method M           rake (default with margins), poststratify, linear, none\n"
     "      --trim LOW,HIGH      bound the weights to LOW..HIGH times their mean\n"
     "      --by LIST            estimate within the groups of these variables (a*b:\n"
     "                           within the cells of the cross of a and b)\n"
     "      --crosstab A*B,...   two-way tables and tests of independence\n"
     "      --encoding E         auto (default), utf8, cp1252, latin1\n"
     "      --delimiter D        auto (default), ';', ',', tab\n"
     "      --min-n N            flag estimates on fewer respondents (default 30)\n"
     "      --max-cv X           flag a coefficient of variation over X (0.2)\n"
     "      --suppress-below N   hide cells of fewer respondents (5)\n"
     "      --lenient            leave values with problems out instead of failing\n"
     "  -o, --output DIR         write the result tables to DIR (describe: the codebook)\n"
     "      --format FMT         text (default), csv or json for stdout\n",
     cmd_survey},
    {"fetch",
     "  fetch [CODE...]             pull the public sources into the cache and the store\n",
     "Usage: terrain fetch [CODE...] [--offline] [--dry-run] [--source NAME]\n"
     "                     [--store FILE] [--format FMT]\n"
     "\n"
     "Pull the public data of the territories (the codes given, else the\n"
     "project's territory and references) from geo.api.gouv.fr, INSEE Melodi,\n"
     "INSEE BDM, DARES, CAF, France Travail and the SIAE directory, keep each\n"
     "payload in the cache and its observations in the store.  A cached payload\n"
     "makes the request conditional: an unchanged source answers 304 and sends\n"
     "nothing again.  A failed source does not stop the others; the exit\n"
     "status is then 3 (some failed) or 1 (all failed).  France Travail needs\n"
     "FT_CLIENT_ID and FT_CLIENT_SECRET; without them it is skipped.\n"
     "\n"
     "      --offline      use only the cache; name what is missing from it\n"
     "  -n, --dry-run      list the requests, send nothing\n"
     "      --source NAME  only this source (see Sources below)\n"
     "      --store FILE   the store (default: $TERRAIN_STORE, [sources] store,\n"
     "                     then $XDG_DATA_HOME/terrain/terrain.db)\n"
     "      --format FMT   text (default), csv or json summary on stdout\n"
     "\n"
     "The token URL: [sources] francetravail_token, overridden by\n"
     "TERRAIN_FRANCETRAVAIL_TOKEN_URL.\n",
     cmd_fetch},
    {"cache", "  cache list|show|verify|clear  the downloaded payloads\n",
     "Usage: terrain cache list [--format FMT]\n"
     "       terrain cache show KEY\n"
     "       terrain cache verify\n"
     "       terrain cache clear\n"
     "\n"
     "The payloads terrain fetch downloaded (folder: $TERRAIN_CACHE_DIR,\n"
     "[sources] cache, $XDG_CACHE_HOME/terrain, then ~/.cache/terrain).\n"
     "list: one line per entry (key, source, size, fetch time, URL).\n"
     "show: the metadata of the entry whose key starts with KEY.\n"
     "verify: check every body against its sha256; exit 1 if one is corrupt.\n"
     "clear: remove every entry.\n",
     cmd_cache},
    {"indicators",
     "  indicators [--territory C]  the territory's indicators against its references\n",
     "Usage: terrain indicators [--territory CODE] [--refs LIST] [--store FILE]\n"
     "                          [--format FMT]\n"
     "\n"
     "The indicators of the catalogue (datasets/catalogue/indicators.csv) for\n"
     "the territory (CODE, else the project's) and its references (LIST, else\n"
     "the project's or the defaults): census counts summed over the communes\n"
     "(a rate is the ratio of the sums), the localized unemployment rate, and\n"
     "what terrain fetch put in the store (converted to the current COG\n"
     "first), with trends (OLS slope and 95 % interval).  For a ratio, the gap\n"
     "to each reference: points, index (base 100), excess count, and a z test\n"
     "at 5 % (see README.md for the precision assumed for census figures).\n"
     "Indicators without data show as unavailable, with why.\n"
     "  -t, --territory CODE  the territory\n"
     "  -r, --refs LIST       references, separated by commas or spaces\n"
     "      --store FILE      the store (default: $TERRAIN_STORE, [sources] store,\n"
     "                        $XDG_DATA_HOME/terrain/terrain.db); never created\n"
     "      --format FMT      text (default), csv or json\n",
     cmd_indicators},
    {"offer", "  offer import|check          the offer inventory: SIAE from the store, checks\n",
     "Usage: terrain offer import [--territory CODE] [--store FILE] [--output FILE]\n"
     "       terrain offer check FILE\n"
     "\n"
     "The offer inventory: a CSV of the insertion structures (name;siret;type;\n"
     "commune;places;etp;public), see README.md, \"Offer inventory\".\n"
     "import: the SIAE of the territory (CODE, else the project's) that\n"
     "terrain fetch --source siae stored, as rows to complete (the directory\n"
     "gives no capacity).  When FILE exists, its rows are kept as they are and\n"
     "only structures it does not list are added.  Without --output, the\n"
     "inventory goes to stdout.\n"
     "check: read FILE, report its errors with line and column, and sum its\n"
     "places and ETP by type.\n"
     "  -t, --territory CODE  the territory\n"
     "      --store FILE      the store (default: as terrain fetch)\n"
     "  -o, --output FILE     the inventory to create or complete\n",
     cmd_offer},
    {"project",
     "  project size|budget         target public, offer, posts to open; 3-year budget\n",
     "Usage: terrain project size [-c FILE] [--format FMT] [--lang LANG]\n"
     "       terrain project budget [-c FILE] [--format FMT] [--lang LANG]\n"
     "\n"
     "size: the target public of the project file's [target] (a count times\n"
     "shares: indicators, survey proportions, sourced numbers), with the range\n"
     "its terms' 95 % intervals give; the existing offer of [offer] file in\n"
     "the territory, its coverage per 1 000 target persons, the places missing\n"
     "to reach [offer] goal and the insertion posts to open.  See README.md,\n"
     "\"Project sizing\".\n"
     "\n"
     "budget: the three-year budget forecast of the project file's [budget]\n"
     "section: charges (insertion pay at the SMIC, supervision, accompaniment,\n"
     "training, operating costs, depreciation), products (aide au poste, socle\n"
     "and modulated part, prorated by hours / 35; département co-funding for RSA\n"
     "beneficiaries; other public funds; sales), balance, cost per insertion\n"
     "ETP, public funding share, break-even sales, the funding plan, scenarios\n"
     "(occupancy x change of the aid), a sensitivity table and the regulatory\n"
     "warnings (CDDI under 20 h a week or beyond 24 months, ACI sales over 30 %\n"
     "of the charges).  Every value shows where it comes from: a line of the\n"
     "project file, or the parameters table (datasets/params/) with its source\n"
     "and confidence; a year the table has no value for carries the latest one\n"
     "forward, marked with '*'.  See README.md, \"Budget forecast\".\n"
     "\n"
     "      --format FMT  text (default), csv or json\n"
     "      --lang LANG   labels and units in fr or en (default: the project's)\n",
     cmd_project},
    {"census", "  census aggregate FILE       weighted counts by group from a census detail file\n",
     "Usage: terrain census aggregate FILE [--by COLS] [--where EXPR] [--set NAME]\n"
     "                                [--weight COL] [--member NAME] [-o FILE]\n"
     "                                [--store[=DB] [--name NAME] [--period YEAR]]\n"
     "                                [--workers N] [--libcsv]\n"
     "\n"
     "Weighted counts (the sum of IPONDI) by group from an INSEE census detail\n"
     "file (FD_INDCVI: one record per person), as CSV: the group columns, the\n"
     "records (unweighted) and the weight, summed exactly.  FILE is a ';' CSV,\n"
     "a gzip file or the zip archive INSEE ships, read as a stream.  A plain\n"
     "file is read by one worker per core; the result does not depend on it.\n"
     "\n"
     "  -b, --by COLS       group columns, separated by commas; NAME[C1,C2,...]\n"
     "                      puts a whole number in bands: AGEREV[15,25,55,65]\n"
     "                      gives 0-14, 15-24, 25-54, 55-64, 65+\n"
     "  -w, --where EXPR    keep the records that match: COL OP VALUE (OP: = != <\n"
     "                      <= > >=), COL [NOT] IN (V1, V2), with AND, OR, NOT and\n"
     "                      parentheses; 'AGEREV >= 15 AND TACT IN (11, 12)'.\n"
     "                      Unquoted numbers compare as numbers (015 = 15),\n"
     "                      quoted values and words as text (DEPT = '2A')\n"
     "  -s, --set NAME      standard indicators by group:\n"
     "                        activity  the 15-64 (AGEREV): population, active\n"
     "                                  (TACT 11, 12), employed (11), unemployed\n"
     "                                  (12), activity, employment and\n"
     "                                  unemployment rates\n"
     "                        pyramid   5-year age bands (AGEREV) by sex (SEXE)\n"
     "                                  with their share of the group\n"
     "                        diploma   the 15+ out of school (ETUD 2) by highest\n"
     "                                  diploma: A none or brevet, B CAP-BEP,\n"
     "                                  C baccalauréat, D higher (DIPL or DIPL_15)\n"
     "      --weight COL    the weight column (default IPONDI)\n"
     "      --member NAME   the CSV inside a zip archive (default: the only .csv,\n"
     "                      else the FD_*.csv)\n"
     "  -o, --output FILE   write the CSV to FILE (whole or not at all)\n"
     "      --store[=DB]    also put the result in the store (default DB:\n"
     "                      $TERRAIN_STORE, then $XDG_DATA_HOME/terrain/terrain.db)\n"
     "                      as territories custom:NAME.V1.V2 (the --by values)\n"
     "      --name NAME     the custom geography (default: the file's name)\n"
     "      --period YEAR   the census year (default: the year in the file name)\n"
     "  -j, --workers N     at most N workers (default: the cores)\n"
     "      --libcsv        parse every record with libcsv (slower; to check)\n",
     cmd_census},
    {"run",
     "  run                         the project's pipeline: portrait, indicators, survey,\n"
     "                              sizing, budget, note\n",
     "Usage: terrain run [-c FILE] [--output DIR] [--format FMT] [--lang fr|en]\n"
     "                   [--offline]\n"
     "\n"
     "Run the pipeline of the project file (./terrain.ini or -c FILE), each\n"
     "stage's results written to OUTPUT/<territory>/ (OUTPUT: the project's\n"
     "output folder): with [sources], the public data fetched first (--offline:\n"
     "from the cache only; a source that fails gives exit 3 at the end, the\n"
     "run goes on); the portrait against the references (portrait.csv,\n"
     "portrait.json, references.csv); the indicators (indicators.csv, .json);\n"
     "with [survey], the survey weighted and analysed (survey/); with\n"
     "[target], the sizing (sizing.csv, .json); with [budget], the budget\n"
     "forecast (budget.csv, .json); last, the note (note.md, note.html) and\n"
     "manifest.json (the inputs' and outputs' sha256).  The text on stdout\n"
     "shows each stage.\n"
     "  -o, --output DIR  output folder (default: the project's, relative to\n"
     "                    the project file)\n"
     "      --format FMT  text (default), csv or json for stdout\n"
     "      --lang LANG   the note's language: fr (default: the project's) or en\n",
     cmd_run},
    {"report",
     "  report                      the same, quietly: writes the note (note.md, .html)\n",
     "Usage: terrain report [-c FILE] [--output DIR] [--lang fr|en]\n"
     "\n"
     "Run the project's pipeline (portrait, indicators, survey, sizing, budget)\n"
     "and write the synthesis note: DIR/<territory>/note.md (Markdown) and\n"
     "note.html (self-contained, prints as A4), in French or, with --lang en,\n"
     "English.  Prints the paths of the note.  TERRAIN_DATE=YYYY-MM-DD fixes\n"
     "the note's date (reproducible notes).  See README.md, \"The synthesis note\".\n",
     cmd_report},
    {"refresh",
     "  refresh --region CODE       every territory of a région into the store, with history\n",
     "Usage: terrain refresh --region CODE [--levels LIST] [--store FILE]\n"
     "                       [--output DIR] [--threshold PCT]\n"
     "\n"
     "For every territory of the région CODE (84 or reg:84) at the levels of\n"
     "LIST (com, epci, dep; default all three), compute the catalogue's\n"
     "indicators from the bundle and the store, and keep them in the store\n"
     "(source terrain) with their history: a value that changed moves to the\n"
     "history with the dates it was first and last seen.  Writes\n"
     "DIR/indicators.csv (every territory and indicator) and DIR/changes.csv\n"
     "(new values and revisions, those moving by PCT % or more flagged;\n"
     "default 10).  Holds the store's lock: a second run exits with 75.\n"
     "Safe to kill: each batch of territories is one transaction, and the next\n"
     "run completes the store.  Logs carry UTC timestamps (--log-format json\n"
     "for machines); a progress bar only on a terminal.\n"
     "  -r, --region CODE   the région\n"
     "  -l, --levels LIST   com, epci, dep, separated by commas\n"
     "      --store FILE    the store (default: as terrain fetch)\n"
     "  -o, --output DIR    default: OUTPUT/refresh-CODE (OUTPUT: the project's, or out)\n"
     "      --threshold PCT the change that counts as a move (default 10)\n",
     cmd_refresh},
    {"help", "  help [COMMAND]              this help, or a command's\n",
     "Usage: terrain help [COMMAND]\n"
     "       terrain help --man\n"
     "\n"
     "Show the general help or a command's; --man: the manual page terrain(1)\n"
     "in roff (make builds it as terrain.1: man ./terrain.1).\n",
     cmd_help},
};

const size_t cli_ncommands = sizeof(cli_commands) / sizeof(cli_commands[0]);
