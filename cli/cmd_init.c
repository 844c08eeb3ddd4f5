/* terrain init DIR --territory CODE */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../core/fileio.h"
#include "../core/log.h"
#include "../core/strbuf.h"
#include "../core/xalloc.h"
#include "../pipeline/pipeline.h"
#include "../pipeline/projectfile.h"
#include "cli.h"

enum status cmd_init(int argc, char **argv, struct cli *cli, struct error *err)
{
	static const struct option longopts[] = {
	    {"territory", required_argument, NULL, 't'},
	    {"members", required_argument, NULL, 'M'},
	    {"name", required_argument, NULL, 'N'},
	    {"title", required_argument, NULL, 'T'},
	    {"author", required_argument, NULL, 'A'},
	    {"force", no_argument, NULL, 'f'},
	    CLI_COMMON_LONG_OPTIONS,
	    {NULL, 0, NULL, 0},
	};
	const char *code = NULL, *members = NULL, *title = NULL, *author = "";
	char *label = NULL;
	bool force = false;
	enum status st;
	int opt;
	optind = 0;
	while ((opt = cli_getopt(argc, argv, "t:f" CLI_COMMON_SHORT_OPTIONS, longopts, err)) !=
	       -1) {
		switch (opt) {
		case '?':
			return TERRAIN_EUSAGE;
		case 'h':
			cli_help("init");
			return TERRAIN_OK;
		case 't':
			code = optarg;
			break;
		case 'M':
			members = optarg;
			break;
		case 'N':
			label = optarg;
			break;
		case 'T':
			title = optarg;
			break;
		case 'A':
			author = optarg;
			break;
		case 'f':
			force = true;
			break;
		default:
			cli_common_option(cli, opt, optarg);
		}
	}
	if (optind >= argc)
		return error_set(err, TERRAIN_EUSAGE,
				 "init needs a folder: terrain init DIR "
				 "--territory CODE");
	if (optind + 1 < argc)
		return error_set(err, TERRAIN_EUSAGE,
				 "init takes one folder (found '%s' after '%s')", argv[optind + 1],
				 argv[optind]);
	if (!code)
		return error_set(err, TERRAIN_EUSAGE, "init needs --territory CODE");
	const char *dir = argv[optind];
	struct bundle b = {0};
	struct strbuf named = STRBUF_INIT;
	struct territory_code tc;
	if ((st = cli_load_bundle(cli, &b, err)) ||
	    (st = pipeline_territory_arg(&b.geo, "--territory", code, &named, err)) ||
	    (st = territory_parse(named.buf, &tc, err))) {
		bundle_release(&b);
		strbuf_release(&named);
		return st;
	}
	code = named.buf;
	struct territory_custom custom = {0};
	struct strbuf text = STRBUF_INIT, path = STRBUF_INIT;
	struct territory t, refs[PROJECT_MAX_REFS];
	if ((members || label) && tc.type != TERRITORY_CUSTOM) {
		st = error_set(err, TERRAIN_EUSAGE,
			       "--members and --name go with --territory custom:NAME");
		goto out;
	}
	if (!members && tc.type == TERRITORY_CUSTOM) {
		st = error_set(err, TERRAIN_EUSAGE,
			       "--territory %s needs --members (the communes that make it)", code);
		goto out;
	}
	if (tc.type == TERRITORY_CUSTOM) {
		custom.id = tc.id;
		custom.label = label ? label : tc.id;
		if ((st = projectfile_custom_members(&b.geo, members, &custom, err)))
			goto out;
	}
	if ((st = territory_resolve(&b.geo, &tc, &custom, 1, &t, err)))
		goto out;
	if (t.from != GEO_NONE)
		log_note("%s is a former commune code: the project uses %s %s", code, t.code,
			 t.name);
	size_t nref = territory_references(&b.geo, &t, refs);
	/* without --title, the title is left commented: the note gives its
	 * own in its language */
	projectfile_template(&text, &b.geo, &t, refs, nref, title, author);
	if ((st = projectfile_check_readback(&text, title ? title : "", author, label, err)))
		goto out;

	if ((st = fileio_mkdirs(dir, err)))
		goto out;
	strbuf_addf(&path, "%s/terrain.ini", dir);
	if (!force && fileio_exists(path.buf)) {
		st = error_set(err, TERRAIN_EDATA,
			       "%s already exists (use --force to overwrite it)", path.buf);
		goto out;
	}
	if ((st = fileio_write_atomic(path.buf, text.buf, text.len, err)))
		goto out;
	printf("wrote %s for %s %s\n", path.buf, t.code, t.name);
out:
	free(custom.member);
	bundle_release(&b);
	strbuf_release(&named);
	strbuf_release(&text);
	strbuf_release(&path);
	return st;
}
