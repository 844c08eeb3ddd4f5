/* The test runner: one CUnit suite per module.  The exit status counts the
 * failed tests and suites (CU_basic_run_tests() returns success even when
 * tests fail). */
#include <CUnit/Basic.h>
#include <gsl/gsl_errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "../core/log.h"
#include "../core/strbuf.h"
#include "helpers.h"

int main(int argc, char **argv)
{
	log_set_level(LOG_ERROR); /* notes of the code under test would clutter the report */
	gsl_set_error_handler_off();
	/* never read or write the user's own store and cache: the defaults
	 * point into a temporary folder, and a test that wants one says so */
	struct strbuf home = STRBUF_INIT;
	strbuf_addf(&home, "%s/xdg", test_tmpdir());
	setenv("XDG_DATA_HOME", home.buf, 1);
	setenv("XDG_CACHE_HOME", home.buf, 1);
	unsetenv("TERRAIN_STORE");
	unsetenv("TERRAIN_CACHE_DIR");
	strbuf_release(&home);
	if (CU_initialize_registry() != CUE_SUCCESS) {
		fprintf(stderr, "run_tests: %s\n", CU_get_error_msg());
		return 1;
	}
	suite_strbuf();
	suite_error();
	suite_text();
	suite_redact();
	suite_fuzz();
	suite_fileio();
	suite_csvread();
	suite_value();
	suite_survey();
	suite_design();
	suite_territory();
	suite_geo();
	suite_comtable();
	suite_bundle();
	suite_project();
	suite_portrait();
	suite_trend();
	suite_gap();
	suite_catalogue();
	suite_params();
	suite_budget();
	suite_indicators();
	suite_sizing();
	suite_plan();
	suite_note();
	suite_map();
	suite_refresh();
	suite_search();
	suite_format();
	suite_report();
	suite_chart();
	suite_typo();
	suite_xlsx();
	suite_odt();
	suite_http();
	suite_cache();
	suite_store();
	suite_store_pg();
	suite_melodi();
	suite_bdm();
	suite_dares();
	suite_caf();
	suite_siae();
	suite_geoapi();
	suite_francetravail();
	suite_fetch();
	suite_aggregate();
	suite_census();
	suite_sources();
	suite_cli();
	suite_order();
	suite_inclusion();
	suite_webstudy();
	suite_web();
	suite_webpages();
	if (CU_get_error() != CUE_SUCCESS) {
		fprintf(stderr, "run_tests: cannot register the tests: %s\n", CU_get_error_msg());
		CU_cleanup_registry();
		return 1;
	}
	CU_basic_set_mode(CU_BRM_VERBOSE);
	/* run_tests SUITE...: only those suites (while working on one) */
	unsigned failed = 0, run = 0;
	for (int i = 1; i < argc || (i == 1 && argc == 1); i++) {
		CU_pSuite s = argc > 1 ? CU_get_suite(argv[i]) : NULL;
		if (argc > 1 && !s) {
			fprintf(stderr, "run_tests: no suite '%s'\n", argv[i]);
			CU_cleanup_registry();
			return 2;
		}
		if (s)
			CU_basic_run_suite(s);
		else
			CU_basic_run_tests();
		failed += CU_get_number_of_tests_failed() + CU_get_number_of_suites_failed();
		run += CU_get_number_of_tests_run();
	}
	CU_cleanup_registry();
	printf("\n%u tests run, %u failed\n", run, failed);
	return failed ? 1 : 0;
}
