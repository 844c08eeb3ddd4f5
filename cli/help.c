/* terrain help, --help and the man page, from the command table; "did you
 * mean" for a mistyped command or option. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/sources.h"
#include "../core/strbuf.h"
#include "cli.h"

/* The general help around the commands' summaries. */
const char cli_general_head[] = "Usage: terrain [OPTIONS] COMMAND [ARGS]\n"
				"\n"
				"Territorial diagnosis from public data and field surveys.\n"
				"\n"
				"Commands:\n";

const char cli_general_tail[] =
    "\n"
    "Options (before or after the command):\n"
    "  -c, --config FILE   project file (default: ./terrain.ini when present)\n"
    "      --datadir DIR   datasets folder (default: $TERRAIN_DATADIR, then the\n"
    "                      folder beside the program or its installed copy)\n"
    "      --format FMT    text (default), csv or json, for commands that print data\n"
    "      --log-format F  stderr lines: plain (default), text (UTC timestamps;\n"
    "                      terrain refresh's default) or json (one object a line)\n"
    "  -q, --quiet         errors only on stderr\n"
    "  -v, --verbose       more detail on stderr (twice: debugging)\n"
    "  -h, --help          show help and exit\n"
    "      --version       show the version and exit\n"
    "\n"
    "Territory codes: com:38185 (or 38185), arm:69381, epci:200040715, dep:38,\n"
    "dep:2A, reg:84, fr, custom:NAME (defined in the project file).\n"
    "\n"
    "Exit status: 0 ok, 1 data or runtime error, 2 usage error, 3 partial (fetch,\n"
    "run: some requests failed, the others' data were used), 75 the store is\n"
    "locked by another run (refresh, fetch): try again later.\n"
    "See README.md for the project file, data sources and output formats.\n";

const struct cli_command *cli_command_find(const char *name)
{
	for (size_t i = 0; i < cli_ncommands; i++)
		if (!strcmp(cli_commands[i].name, name))
			return &cli_commands[i];
	return NULL;
}

/* Levenshtein distance, capped: words are short. */
static size_t distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	if (la > 64 || lb > 64)
		return (size_t)-1;
	size_t row[65];
	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t diag = row[0];
		row[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t up = row[j];
			size_t best = diag + (a[i - 1] != b[j - 1]);
			if (row[j] + 1 < best)
				best = row[j] + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag = up;
		}
	}
	return row[lb];
}

const char *cli_nearest(const char *word, const char *const *words, size_t n)
{
	const char *best = NULL;
	size_t bd = 3, len = strlen(word);
	for (size_t i = 0; i < n; i++) {
		size_t d = distance(word, words[i]);
		if (d < bd && d < len) {
			bd = d;
			best = words[i];
		}
	}
	return best;
}

const char *cli_command_nearest(const char *name)
{
	const char *names[64];
	size_t n = 0;
	for (size_t i = 0; i < cli_ncommands && n < 64; i++)
		names[n++] = cli_commands[i].name;
	return cli_nearest(name, names, n);
}

/* terrain fetch --help: the source registry's rows. */
static void fetch_help_sources(struct strbuf *sb)
{
	strbuf_addstr(sb,
		      "\nSources: NAME (for --source, \"enabled\" and the [sources] key of its\n"
		      "base URL) and what it gives; the environment variable that overrides\n"
		      "the base URL, the rate; the default base URL:\n");
	for (size_t k = 0; k < SOURCE_COUNT; k++) {
		const struct source_info *s = &source_table[k];
		strbuf_addf(sb, "  %-14s %s\n      %s, %g requests a minute%s\n      %s\n", s->key,
			    s->help, s->env, s->per_minute,
			    s->oauth ? ", OAuth2 (FT_CLIENT_ID, FT_CLIENT_SECRET)" : "", s->base);
	}
}

/* A command's whole help: its text, then what another table generates. */
static void command_help(const struct cli_command *c, struct strbuf *sb)
{
	strbuf_addstr(sb, c->help);
	if (!strcmp(c->name, "fetch"))
		fetch_help_sources(sb);
}

bool cli_help(const char *command)
{
	if (!command) {
		fputs(cli_general_head, stdout);
		for (size_t i = 0; i < cli_ncommands; i++)
			fputs(cli_commands[i].summary, stdout);
		fputs(cli_general_tail, stdout);
		return true;
	}
	const struct cli_command *c = cli_command_find(command);
	if (c) {
		struct strbuf sb = STRBUF_INIT;
		command_help(c, &sb);
		fputs(sb.buf, stdout);
		strbuf_release(&sb);
	}
	return c != NULL;
}

/* text for roff: a backslash doubled, a line starting with '.' or '\''
 * protected. */
static void roff(FILE *fp, const char *text)
{
	bool bol = true;
	for (const char *p = text; *p; p++) {
		if (bol && (*p == '.' || *p == '\''))
			fputs("\\&", fp);
		if (*p == '\\')
			fputs("\\e", fp);
		else if (*p == '-')
			fputs("\\-", fp);
		else
			fputc(*p, fp);
		bol = *p == '\n';
	}
}

void cli_man(FILE *fp)
{
	fputs(".TH TERRAIN 1 \"\" \"terrain " TERRAIN_VERSION "\" \"User Commands\"\n"
	      ".SH NAME\n"
	      "terrain \\- territorial diagnosis from public data and field surveys\n"
	      ".SH SYNOPSIS\n"
	      ".B terrain\n"
	      "[\\fIOPTIONS\\fR] \\fICOMMAND\\fR [\\fIARGS\\fR]\n"
	      ".SH DESCRIPTION\n"
	      ".nf\n",
	      fp);
	roff(fp, cli_general_head);
	for (size_t i = 0; i < cli_ncommands; i++)
		roff(fp, cli_commands[i].summary);
	roff(fp, cli_general_tail);
	fputs(".fi\n.SH COMMANDS\n", fp);
	for (size_t i = 0; i < cli_ncommands; i++) {
		struct strbuf sb = STRBUF_INIT;
		command_help(&cli_commands[i], &sb);
		fprintf(fp, ".SS %s\n.nf\n", cli_commands[i].name);
		roff(fp, sb.buf);
		strbuf_release(&sb);
		fputs(".fi\n", fp);
	}
	fputs(".SH SEE ALSO\nREADME.md, the user's manual, beside the program's sources.\n", fp);
}

enum status cmd_help(int argc, char **argv, struct cli *cli, struct error *err)
{
	(void)cli;
	if (argc == 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		cli_help("help");
		return TERRAIN_OK;
	}
	if (argc == 2 && !strcmp(argv[1], "--man")) {
		cli_man(stdout);
		return TERRAIN_OK;
	}
	if (argc > 2)
		return error_set(err, TERRAIN_EUSAGE, "help takes at most one command");
	if (!cli_help(argc == 2 ? argv[1] : NULL)) {
		const char *near = cli_command_nearest(argv[1]);
		if (near)
			return error_set(err, TERRAIN_EUSAGE,
					 "no command '%s' (did you mean '%s'?)", argv[1], near);
		return error_set(err, TERRAIN_EUSAGE, "no command '%s'", argv[1]);
	}
	return TERRAIN_OK;
}
