/* terrain serve: the options, then the web front (web/server.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/fileio.h"
#include "../core/text.h"
#include "../web/server.h"
#include "cli.h"

/* The token: the first line of path, without its end of line. */
static enum status read_token(const char *path, char *out, size_t size, struct error *err)
{
	char *data;
	size_t len;
	enum status st = fileio_read_capped(path, 4096, &data, &len, err);
	if (st)
		return st;
	size_t n = strcspn(data, "\r\n");
	if (!n || n >= size) {
		free(data);
		return error_set(err, TERRAIN_EUSAGE, "%s: expected a token on its first line",
				 path);
	}
	memcpy(out, data, n);
	out[n] = 0;
	free(data);
	return TERRAIN_OK;
}

enum status cmd_serve(int argc, char **argv, struct cli *cli, struct error *err)
{
	static const struct option longopts[] = {
	    {"port", required_argument, NULL, 'p'},
	    {"bind", required_argument, NULL, 'b'},
	    {"workspace", required_argument, NULL, 'w'},
	    {"token", required_argument, NULL, 'T'},
	    {"threads", required_argument, NULL, 'j'},
	    CLI_COMMON_LONG_OPTIONS,
	    {NULL, 0, NULL, 0},
	};
	struct web_options wo = {0};
	char token[256];
	long v;
	enum status st;
	int opt;
	wo.port = 8080;
	optind = 0;
	while ((opt = cli_getopt(argc, argv, "p:b:w:j:" CLI_COMMON_SHORT_OPTIONS, longopts, err)) !=
	       -1) {
		switch (opt) {
		case '?':
			return TERRAIN_EUSAGE;
		case 'h':
			cli_help("serve");
			return TERRAIN_OK;
		case 'p':
			if (!text_parse_long(optarg, 0, 65535, &v))
				return error_set(err, TERRAIN_EUSAGE,
						 "bad --port '%s' (expected 0 to 65535)", optarg);
			wo.port = (unsigned)v;
			break;
		case 'j':
			if (!text_parse_long(optarg, 1, 256, &v))
				return error_set(err, TERRAIN_EUSAGE,
						 "bad --threads '%s' (expected 1 to 256)", optarg);
			wo.threads = (unsigned)v;
			break;
		case 'b':
			wo.bind = optarg;
			break;
		case 'w':
			if (!*optarg)
				return error_set(err, TERRAIN_EUSAGE,
						 "empty --workspace (expected a folder)");
			wo.workspace = optarg;
			break;
		case 'T':
			if ((st = read_token(optarg, token, sizeof(token), err)))
				return st;
			wo.token = token;
			break;
		default:
			cli_common_option(cli, opt, optarg);
		}
	}
	if (optind < argc)
		return error_set(err, TERRAIN_EUSAGE, "serve takes no arguments (found '%s')",
				 argv[optind]);
	wo.datadir = cli->datadir;
	return web_serve(&wo, err);
}
