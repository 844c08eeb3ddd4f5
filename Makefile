# terrain: territorial diagnosis from public data and field surveys.
#
#   make            build ./terrain
#   make run        install what is missing, build, run the main job on the bundled data
#   make check      install what is missing, build and run the test suite
#   make sanitize   clean ASan + UBSan build of everything, then the test suite
#   make install    install the binary, its man page and its datasets under PREFIX
#                   (default /usr/local; an absolute path)
#   make deps       install the Debian packages the build needs (as root)
#   make bench      time `terrain census aggregate` against mlr, gawk, datamash and
#                   DuckDB on a generated 5-million-record FD_INDCVI-shaped file; `terrain refresh`
#                   of a région, of --all (SQLite, and PostgreSQL side by side in a throwaway
#                   server, or TERRAIN_BENCH_PG_URL); the load of the bundled tables
#                   (territory show, indicators, a small région); then terrain serve under load
#                   (make bench-serve: 50 clients on a portrait for 10 s, the p99)
#   make browser-check  open the golden territories' notes (fr and en) in headless
#                   Chromium (installs it as root): no console message, no empty
#                   body, a full-page screenshot of each under build/browser-check/;
#                   then a whole study in terrain serve (tests/browser/study.cjs,
#                   puppeteer-core from package-lock.json by npm ci), screenshots
#                   under build/browser-check/serve/
#   make fuzz       every parser under libFuzzer for FUZZ_SECONDS (60) each (clang,
#                   installed as root); make fuzz-long: an hour each
#   make format     clang-format every source file (make format-check: fail if one
#                   would change)
#   make layers     fail on an #include that points up the layers
#                   (core <- ingest <- analysis <- report <- pipeline <- web <- cli)
#
# Extra compiler flags go in EXTRA_CFLAGS (CI uses EXTRA_CFLAGS=-Werror), so that a
# CFLAGS of your own does not drop the warning set.

VERSION = 0.1.0
PREFIX ?= /usr/local
DESTDIR ?=

# Debian packages: compiler and tools, then one -dev package per library, then
# what the charts are drawn with (gnuplot is run as a program, not linked), and
# the PostgreSQL server the tests start (tests/pgserver.c).
DEB_PACKAGES = gcc make libc6-dev pkg-config libcsv-dev libinih-dev libjansson-dev libgsl-dev \
	libcurl4-openssl-dev libxml2-dev libsqlite3-dev libssl-dev libcunit1-dev libmicrohttpd-dev \
	libzip-dev zlib1g-dev gnuplot-nox fonts-dejavu-core libxlsxwriter-dev \
	libcmark-gfm-dev libcmark-gfm-extensions-dev libproj-dev proj-data libcairo2-dev libpq-dev \
	postgresql
# libcmark-gfm.pc links its extensions library too (-lcmark-gfm-extensions).
PKGS = inih jansson gsl libcurl libxml-2.0 sqlite3 libcrypto libzip zlib xlsxwriter libcmark-gfm \
	libpq libmicrohttpd
# the maps' libraries: their headers only, report/maplib.c loads them with
# dlopen() when a map is drawn (linked, they slow every command's start-up)
MAP_PKGS = proj cairo

WARNINGS = -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
	-Wformat=2 -Wwrite-strings -Wvla -Wcast-qual
CFLAGS ?= -O2 -g
ALL_CFLAGS = -std=c11 -D_DEFAULT_SOURCE -pthread $(WARNINGS) $(CFLAGS) $(EXTRA_CFLAGS) \
	$(shell pkg-config --cflags $(PKGS) $(MAP_PKGS)) -DTERRAIN_VERSION='"$(VERSION)"' -MMD -MP
LDLIBS = $(shell pkg-config --libs $(PKGS)) -lcsv -lm -ldl -pthread
TEST_LDLIBS = $(shell pkg-config --libs cunit libmicrohttpd)

# BUILD holds objects, the library and the test runner; BIN is the program.
BUILD ?= build
BIN ?= terrain
MAN = terrain.1

LIB_SRC = $(wildcard core/*.c ingest/*.c analysis/*.c report/*.c pipeline/*.c web/*.c) \
	$(filter-out cli/main.c, $(wildcard cli/*.c))
TEST_SRC = $(wildcard tests/*.c) tests/fuzz/targets.c
# terrain serve's stylesheet and script, compiled in (web/embed.sh)
WEB_STATIC = web/static/terrain.css web/static/terrain.js
LIB_OBJ = $(LIB_SRC:%.c=$(BUILD)/%.o) $(BUILD)/web/static_data.o
TEST_OBJ = $(TEST_SRC:%.c=$(BUILD)/%.o)
LIB = $(BUILD)/libterrain.a
RUNNER = $(BUILD)/run_tests

SAN_FLAGS = -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer

# make bench: the data are generated under BENCH_DIR (not committed) from the
# documented schema in SHARED (../shared, as the other data of the project).
BENCH_DIR ?= bench/data
BENCH_ROWS ?= 5000000
SHARED ?= ../shared
BENCH_FILE = $(BENCH_DIR)/FD_INDCVI_bench_$(BENCH_ROWS).csv
BENCH_PACKAGES = miller gawk datamash time

.PHONY: all run check test sanitize install deps format clean bench bench-serve browser-check \
	fuzz fuzz-long layers format-check

all: $(BIN) $(MAN)

# The man page, from the command table (cli/commands.c): man ./terrain.1
$(MAN): $(BIN)
	$(dir $(BIN))$(notdir $(BIN)) help --man > $@.tmp
	mv $@.tmp $@

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(BUILD)/web/static_data.c: web/embed.sh $(WEB_STATIC)
	@mkdir -p $(dir $@)
	sh web/embed.sh $(WEB_STATIC) > $@.tmp
	mv $@.tmp $@

$(BUILD)/web/static_data.o: $(BUILD)/web/static_data.c
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(LIB): $(LIB_OBJ)
	rm -f $@
	$(AR) rcs $@ $^

$(BIN): $(BUILD)/cli/main.o $(LIB)
	$(CC) $(CFLAGS) $(EXTRA_CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(TEST_OBJ): ALL_CFLAGS += $(shell pkg-config --cflags cunit libmicrohttpd)

$(RUNNER): $(TEST_OBJ) $(LIB)
	$(CC) $(CFLAGS) $(EXTRA_CFLAGS) $(LDFLAGS) -o $@ $^ $(TEST_LDLIBS) $(LDLIBS)

# The main job on the bundled default: the Grenoble example project, then the
# budget forecast of its invented ACI project.
run: deps
	$(MAKE) $(BIN)
	./$(BIN) run -c datasets/examples/grenoble/terrain.ini --output out

# The suite runs from the source tree; the CLI tests run $(BIN).
test: $(BIN) $(RUNNER)
	TERRAIN_BIN=$(CURDIR)/$(BIN) TERRAIN_DATADIR=$(CURDIR)/datasets ./$(RUNNER)

check: deps
	@sh tests/layers.sh .
	$(MAKE) test
	@if command -v chromium >/dev/null 2>&1; then $(MAKE) browser-check; \
	else echo "make check: chromium is not installed: browser-check skipped (make browser-check installs it)"; fi

# The golden territories' notes, French and English, in headless Chromium:
# no console message, a body with text, a full-page screenshot of each in
# BROWSER_DIR.  The example (Grenoble), then projects made by terrain init:
# Roubaix, Bellegarde-en-Marche (Creuse, 355 inhabitants in the COG 2026),
# Marseille 3e arrondissement, Saint-Denis (La Réunion).
BROWSER_DIR = $(BUILD)/browser-check
BROWSER_TERRITORIES = 59512 23020 arm:13203 97411
browser-check: $(BIN) $(BUILD)/odtcheck
	@command -v chromium >/dev/null 2>&1 || $(MAKE) deps DEB_PACKAGES=chromium
	@command -v npm >/dev/null 2>&1 || $(MAKE) deps DEB_PACKAGES="nodejs npm"
	rm -rf $(BROWSER_DIR)
	tests/browser-check.sh ./$(BIN) $(BROWSER_DIR) datasets/examples/grenoble/terrain.ini \
		$(BROWSER_TERRITORIES)
	npm ci --no-audit --no-fund --silent
	node tests/browser/study.cjs ./$(BIN) $(BROWSER_DIR)/serve $(BUILD)/odtcheck

# the ODT downloaded from terrain serve, opened with libzip (tests/browser/study.cjs)
$(BUILD)/odtcheck: tests/browser/odtcheck.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(LDFLAGS) $(shell pkg-config --libs libzip)

sanitize: deps
	rm -rf $(BUILD)/san
	$(MAKE) test BUILD=$(BUILD)/san BIN=$(BUILD)/san/terrain CFLAGS="$(SAN_FLAGS)" \
		LDFLAGS="-fsanitize=address,undefined"

# make fuzz: every parser of untrusted input under libFuzzer (clang, ASan,
# UBSan) for FUZZ_SECONDS each (tests/fuzz/run.sh); make fuzz-long: a night.
# The library is built again with clang under $(BUILD)/fuzz; the inputs that
# fail are kept under tests/fuzz/regressions/, which make check replays.
FUZZ_SECONDS ?= 60
FUZZ_TARGETS = melodi bdm dares dares_ze caf geoapi francetravail francetravail_token siae \
	csv codebook project number contours census census_gzip census_zip where margins survey_check \
	survey_describe offer cache_entry date retry_after
FUZZ_BUILD = $(BUILD)/fuzz
FUZZ_FLAGS = -O1 -g -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer
fuzz:
	@$(MAKE) --no-print-directory deps DEB_PACKAGES="clang libclang-rt-14-dev"
	$(MAKE) $(FUZZ_BUILD)/fuzzer BUILD=$(FUZZ_BUILD) CC=clang CFLAGS="$(FUZZ_FLAGS)"
	tests/fuzz/run.sh $(FUZZ_BUILD)/fuzzer $(FUZZ_SECONDS) $(FUZZ_BUILD) $(FUZZ_TARGETS)

fuzz-long:
	$(MAKE) fuzz FUZZ_SECONDS=3600

$(BUILD)/fuzzer: $(BUILD)/tests/fuzz/targets.o $(BUILD)/tests/fuzz/libfuzzer.o $(LIB)
	$(CC) $(CFLAGS) -fsanitize=fuzzer,address,undefined -o $@ $^ $(LDLIBS)

# The tools to compare with are installed here, not by make check: apt as
# root (else the command is printed and the missing tools are skipped), and
# DuckDB from npm into BENCH_DIR when node is present.
bench: $(BIN) $(BENCH_FILE)
	-@$(MAKE) --no-print-directory deps DEB_PACKAGES="$(BENCH_PACKAGES)"
	@if command -v node >/dev/null && command -v npm >/dev/null; then \
		[ -d $(BENCH_DIR)/node_modules/@duckdb/node-api ] || \
		(cd $(BENCH_DIR) && npm install --no-save --no-audit --no-fund --silent \
			@duckdb/node-api) || echo "make bench: npm install @duckdb/node-api failed"; \
	else echo "make bench: no node: DuckDB is skipped"; fi
	bash bench/run.sh ./$(BIN) $(BENCH_FILE) $(BENCH_DIR)
	bash bench/refresh_pg.sh ./$(BIN) $(BENCH_DIR)
	bash bench/load.sh ./$(BIN) $(BENCH_DIR)
	bash bench/survey.sh ./$(BIN) $(BENCH_DIR)
	$(MAKE) --no-print-directory bench-serve

# terrain serve under load: 50 clients on a study's portrait for 10 s on
# loopback (bench/serve.sh, the client bench/serve_load.c, libcurl multi)
bench-serve: $(BIN) $(BUILD)/serve_load
	@mkdir -p $(BENCH_DIR)
	bash bench/serve.sh ./$(BIN) $(BUILD)/serve_load $(BENCH_DIR)

$(BUILD)/serve_load: bench/serve_load.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(LDFLAGS) $(shell pkg-config --libs libcurl)

$(BENCH_FILE): bench/gen_indcvi.py
	@mkdir -p $(BENCH_DIR)
	python3 bench/gen_indcvi.py --rows $(BENCH_ROWS) --shared $(SHARED) --out $@.tmp
	mv $@.tmp $@

# An empty or relative PREFIX would install under / or the current folder
# (and rm -rf /share/terrain/datasets): refused before anything is built.
ifneq ($(filter install,$(MAKECMDGOALS)),)
ifeq ($(filter /%,$(PREFIX)),)
$(error make install: PREFIX must be an absolute path (got '$(PREFIX)'))
endif
endif

install: $(BIN) $(MAN)
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/terrain \
		$(DESTDIR)$(PREFIX)/share/man/man1
	install -m 755 $(BIN) $(DESTDIR)$(PREFIX)/bin/terrain
	install -m 644 $(MAN) $(DESTDIR)$(PREFIX)/share/man/man1/terrain.1
	sed 's|@BINDIR@|$(PREFIX)/bin|' contrib/terrain-observatory > $(DESTDIR)$(PREFIX)/bin/terrain-observatory
	chmod 755 $(DESTDIR)$(PREFIX)/bin/terrain-observatory
	rm -rf $(DESTDIR)$(PREFIX)/share/terrain/datasets
	mkdir -p $(DESTDIR)$(PREFIX)/share/terrain/datasets
	cp -R datasets/geo datasets/census datasets/bdm datasets/filosofi datasets/contours datasets/catalogue datasets/params datasets/responses datasets/examples datasets/sources.csv \
		datasets/README.md $(DESTDIR)$(PREFIX)/share/terrain/datasets/

# Install the missing Debian packages; without root, print the command and fail.
deps:
	@missing=""; \
	for p in $(DEB_PACKAGES); do \
		dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'install ok installed' \
			|| missing="$$missing $$p"; \
	done; \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if [ "$$(id -u)" != 0 ]; then \
		echo "make deps: missing Debian packages:$$missing" >&2; \
		echo "make deps: run as root: apt-get update && apt-get install -y$$missing" >&2; \
		exit 1; \
	fi; \
	echo "make deps: installing$$missing"; \
	apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y \
		--no-install-recommends $$missing

format:
	clang-format -i $(LIB_SRC) cli/main.c $(TEST_SRC) $(wildcard */*.h)

# CI: fail on a file clang-format would change.
format-check:
	clang-format --dry-run -Werror $(LIB_SRC) cli/main.c $(TEST_SRC) $(wildcard */*.h)

clean:
	rm -rf $(BUILD) $(BIN) $(MAN)

layers:
	@sh tests/layers.sh .

-include $(LIB_OBJ:.o=.d) $(TEST_OBJ:.o=.d) $(BUILD)/cli/main.d $(BUILD)/tests/fuzz/libfuzzer.d
