/* analysis/aggregate: exact decimals, filters, group keys, sets, merging.
 * Records are written here by hand (GENERATED, not data); expected values
 * are hand sums. */
#include <CUnit/CUnit.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../analysis/aggregate.h"
#include "helpers.h"

static void expect_fixed(const char *s, const char *shown)
{
	aggregate_fixed v;
	CU_ASSERT_TRUE_FATAL(aggregate_parse_fixed(s, strlen(s), &v));
	struct strbuf sb = STRBUF_INIT;
	aggregate_format_fixed(v, &sb);
	CU_ASSERT_STRING_EQUAL(sb.buf, shown);
	strbuf_release(&sb);
}

static void test_aggregate_fixed(void)
{
	expect_fixed("4.86329870295423", "4.86329870295423");
	expect_fixed("015", "15");
	expect_fixed("1,5", "1.5");
	expect_fixed("-0.25", "-0.25");
	expect_fixed("+3", "3");
	expect_fixed("0.000000000000000001", "0.000000000000000001");
	expect_fixed("2.50000000000000000000", "2.5"); /* zeros past 18 decimals are fine */
	expect_fixed("18446744073709551615.5", "18446744073709551615.5");
	static const char *const bad[] = {"",	   "1.",
					  ".",	   "1e5",
					  " 1",	   "1 ",
					  "1,2x",  "--1",
					  "0x1",   "0.0000000000000000001",
					  "1.5.1", "184467440737095516160"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		aggregate_fixed v;
		CU_ASSERT_FALSE(aggregate_parse_fixed(bad[i], strlen(bad[i]), &v));
	}
	aggregate_fixed v;
	CU_ASSERT_TRUE(aggregate_parse_fixed(".5", 2, &v));
	CU_ASSERT_DOUBLE_EQUAL(aggregate_fixed_double(v), 0.5, 1e-15);
	CU_ASSERT_TRUE(aggregate_parse_fixed("4.86329870295423", 16, &v));
	CU_ASSERT_DOUBLE_EQUAL(aggregate_fixed_double(v), 4.86329870295423, 1e-14);
}

/* Records of columns AGEREV, TACT, DEPT, SEXE, IPONDI given as one string
 * per record, fields separated by '|'. */
struct recs {
	const char *const *row;
	size_t n;
};

static enum status run(struct aggregate_spec *s, struct aggregate_table *t, const char *by,
		       const char *where, const char *set, const char *const *rows, size_t n,
		       struct error *err)
{
	static const char *const header[] = {"AGEREV", "TACT", "DEPT", "SEXE",
					     "IPONDI", "ETUD", "DIPL"};
	enum status st = aggregate_spec_init(s, by, where, set, NULL, header, 7, err);
	if (st)
		return st;
	aggregate_table_init(t, s);
	for (size_t i = 0; i < n; i++) {
		/* the record's fields by header position, then by the spec's slots */
		struct text_span byname[7] = {{0}}, f[32];
		const char *p = rows[i];
		for (size_t k = 0; k < 7; k++) {
			size_t len = strcspn(p, "|");
			byname[k] = (struct text_span){p, len};
			p += len + (p[len] == '|');
		}
		for (size_t c = 0; c < s->ncolumn; c++)
			for (size_t k = 0; k < 7; k++)
				if (!strcmp(s->column[c], header[k]))
					f[c] = byname[k];
		const char *why = NULL;
		size_t bad = aggregate_add(t, f, &why);
		if (bad)
			return error_set(err, TERRAIN_EDATA, "record %zu: %s %s", i,
					 s->column[bad - 1], why);
	}
	return TERRAIN_OK;
}

/* The table as "k1/k2=rows:weight;..." in order. */
static void dump(const struct aggregate_table *t, struct strbuf *out)
{
	size_t *order;
	size_t n = aggregate_order(t, &order);
	const struct aggregate_column *col;
	size_t ncol = aggregate_columns(t->spec, &col);
	aggregate_fixed *tot;
	aggregate_totals(t, order, n, 0, &tot);
	strbuf_reset(out);
	for (size_t k = 0; k < n; k++) {
		for (size_t i = 0; i < t->spec->npart; i++) {
			struct text_span v = aggregate_key_part(t, order[k], i);
			strbuf_addf(out, "%s%.*s", i ? "/" : "", (int)v.len, v.s);
		}
		for (size_t c = 0; c < ncol; c++) {
			bool exact;
			aggregate_fixed fx;
			double v = aggregate_value(t, order[k], &col[c], tot[k], &exact, &fx);
			strbuf_addch(out, c ? ':' : '=');
			if (exact)
				aggregate_format_fixed(fx, out);
			else if (isnan(v))
				strbuf_addstr(out, "nan");
			else
				strbuf_addf(out, "%.4f", v);
		}
		strbuf_addch(out, ';');
	}
	free(order);
	free(tot);
}

static const char *const people[] = {
    "015|11|38|1|1.5|2|13",  "030|12|38|2|2.25|2|17", "064|11|38|1|0.125|2|01",
    "065|21|69|2|3|2|14",    "016|22|69|1|4|1|12",    "040|12|69|2|1|2|ZZ",
    "007|23|2A|1|0.5|1|ZZ",  "090|21|2A|2|0.5|2|ZZ",  "100|25|2A|2|10|2|03",
    "012|23|971|1|2.5|1|ZZ",
};
#define NPEOPLE (sizeof(people) / sizeof(people[0]))

static void expect(const char *by, const char *where, const char *set, const char *want)
{
	struct aggregate_spec s;
	struct aggregate_table t;
	struct error err = {0};
	struct strbuf out = STRBUF_INIT;
	enum status st = run(&s, &t, by, where, set, people, NPEOPLE, &err);
	CU_ASSERT_EQUAL_FATAL(st, TERRAIN_OK);
	dump(&t, &out);
	CU_ASSERT_STRING_EQUAL(out.buf, want);
	if (strcmp(out.buf, want))
		fprintf(stderr, "\n%s | %s | %s:\n got  %s\n want %s\n", by, where, set, out.buf,
			want);
	strbuf_release(&out);
	aggregate_table_release(&t);
	aggregate_spec_release(&s);
}

static void test_aggregate_filters(void)
{
	expect("DEPT", NULL, NULL,
	       "2A=3:11;38=3:3.875;69=3:8;971=1:2.5;"); /* natural order: 2A before 38 */
	expect("DEPT", "AGEREV >= 15 AND TACT IN (11, 12)", NULL, "38=3:3.875;69=1:1;");
	expect("DEPT", "DEPT = '2A' OR DEPT = 971", NULL, "2A=3:11;971=1:2.5;");
	expect("DEPT", "NOT (AGEREV < 65) AND TACT NOT IN (21)", NULL, "2A=1:10;");
	expect("SEXE", "DIPL = ZZ", NULL, "1=2:3;2=2:1.5;");
	expect("SEXE", "DIPL > 12", NULL, "1=1:1.5;2=2:5.25;"); /* ZZ is not a number */
	expect("SEXE", "DIPL != 12", NULL, "1=4:4.625;2=5:16.75;");
	expect("SEXE", "DEPT <> \"38\" and AGEREV <= 7", NULL, "1=1:0.5;"); /* keywords: any case */
	expect("SEXE", "IPONDI = 0.5", NULL, "1=1:0.5;2=1:0.5;");
	expect("", NULL, NULL, "=10:25.375;");
}

/* Shares and rates by hand: see the table of people above (python3 for the
 * divisions). */
static void test_aggregate_bands_and_sets(void)
{
	expect("AGEREV[15,65]", NULL, NULL, "0-14=2:3;15-64=5:8.875;65+=3:13.5;");
	expect("DEPT", NULL, "activity",
	       "38=3:3.875:3.875:1.625:2.25:100.0000:41.9355:58.0645;"
	       "69=2:5:1:0:1:20.0000:0.0000:100.0000;");
	expect(NULL, NULL, "pyramid",
	       "5-9/1=1:0.5:1.9704;10-14/1=1:2.5:9.8522;15-19/1=2:5.5:21.6749;"
	       "30-34/2=1:2.25:8.8670;40-44/2=1:1:3.9409;60-64/1=1:0.125:0.4926;"
	       "65-69/2=1:3:11.8227;90-94/2=1:0.5:1.9704;95+/2=1:10:39.4089;");
	expect("SEXE", NULL, "diploma",
	       "1/A=1:0.125:7.6923;1/B=1:1.5:92.3077;2/A=1:10:59.7015;2/C=1:3:17.9104;"
	       "2/D=1:2.25:13.4328;2/ZZ=2:1.5:8.9552;");
	/* a field that is not a whole number in a banded column */
	static const char *const odd[] = {"01x|11|38|1|1|2|13"};
	struct aggregate_spec s;
	struct aggregate_table t;
	struct error err = {0};
	CU_ASSERT_EQUAL(run(&s, &t, "AGEREV[15]", NULL, NULL, odd, 1, &err), TERRAIN_EDATA);
	CU_ASSERT_STRING_EQUAL(err.msg, "record 0: AGEREV is not a whole number (for bands)");
	aggregate_table_release(&t);
	aggregate_spec_release(&s);
}

/* Partial tables merged in any order give the same bits as one table:
 * 20 000 weights with 14 decimals, split in 1 to 7 parts. */
static void test_aggregate_merge_is_exact(void)
{
	static const char *const header[] = {"G", "IPONDI"};
	struct aggregate_spec s;
	struct error err = {0};
	CU_ASSERT_EQUAL_FATAL(aggregate_spec_init(&s, "G", NULL, NULL, NULL, header, 2, &err),
			      TERRAIN_OK);
	enum {
		N = 20000
	};
	char(*w)[32] = calloc(N, sizeof(*w));
	uint64_t seed = 1;
	for (size_t i = 0; i < N; i++) {
		seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
		snprintf(w[i], sizeof(w[i]), "%u.%014llu", (unsigned)(seed >> 60),
			 (unsigned long long)((seed >> 8) % 100000000000000ULL));
	}
	struct strbuf ref = STRBUF_INIT, got = STRBUF_INIT;
	for (size_t parts = 1; parts <= 7; parts++) {
		struct aggregate_table t[7];
		for (size_t k = 0; k < parts; k++)
			aggregate_table_init(&t[k], &s);
		for (size_t i = 0; i < N; i++) {
			struct text_span f[2] = {{w[i], strlen(w[i])}, {i % 3 ? "a" : "b", 1}};
			const char *why;
			/* slot 0 is the weight, slot 1 the group */
			CU_ASSERT_EQUAL(aggregate_add(&t[(i * 7919) % parts], f, &why), 0);
		}
		for (size_t k = parts; k-- > 1;) /* merge backwards */
			aggregate_merge(&t[0], &t[k]);
		dump(&t[0], parts == 1 ? &ref : &got);
		if (parts > 1)
			CU_ASSERT_STRING_EQUAL(got.buf, ref.buf);
		for (size_t k = 0; k < parts; k++)
			aggregate_table_release(&t[k]);
	}
	strbuf_release(&ref);
	strbuf_release(&got);
	free(w);
	aggregate_spec_release(&s);
}

static void expect_error(const char *by, const char *where, const char *set, const char *msg)
{
	struct aggregate_spec s;
	struct error err = {0};
	static const char *const header[] = {"AGEREV", "DIPL_15"};
	CU_ASSERT_EQUAL(aggregate_spec_init(&s, by, where, set, NULL, header, 2, &err),
			TERRAIN_EUSAGE);
	CU_ASSERT_STRING_EQUAL(err.msg, msg);
}

/* A filter nested or chained past its limits is refused, never a stack
 * overflow: the parser, the evaluation and the release recurse (100 000
 * nested parentheses or NOTs crashed `census aggregate`). */
static void test_aggregate_filter_limits(void)
{
	struct strbuf w = STRBUF_INIT;
	struct aggregate_spec s;
	struct error err = {0};
	static const char *const header[] = {"AGEREV", "DIPL_15"};
	/* 64 levels are taken, 65 are not, and nor are 100 000 */
	for (int i = 0; i < 64; i++)
		strbuf_addch(&w, '(');
	strbuf_addstr(&w, "AGEREV = 1");
	for (int i = 0; i < 64; i++)
		strbuf_addch(&w, ')');
	CU_ASSERT_EQUAL_FATAL(aggregate_spec_init(&s, NULL, w.buf, NULL, NULL, header, 2, &err),
			      TERRAIN_OK);
	aggregate_spec_release(&s);
	strbuf_reset(&w);
	for (int i = 0; i < 100000; i++)
		strbuf_addch(&w, '(');
	strbuf_addstr(&w, "AGEREV = 1");
	expect_error(NULL, w.buf, NULL,
		     "bad --where: more than 64 levels of parentheses and NOT (at character 65)");
	strbuf_reset(&w);
	for (int i = 0; i < 100000; i++)
		strbuf_addstr(&w, i % 2 ? "(" : "NOT ");
	strbuf_addstr(&w, "AGEREV = 1");
	expect_error(NULL, w.buf, NULL,
		     "bad --where: more than 64 levels of parentheses and NOT (at character 161)");
	/* 1 000 comparisons are taken, the 1 001st is not */
	strbuf_reset(&w);
	for (int i = 0; i < 1000; i++)
		strbuf_addf(&w, "%sAGEREV = %d", i ? " OR " : "", i);
	CU_ASSERT_EQUAL_FATAL(aggregate_spec_init(&s, NULL, w.buf, NULL, NULL, header, 2, &err),
			      TERRAIN_OK);
	aggregate_spec_release(&s);
	size_t at = w.len + 6; /* after " AND ", 1-based */
	strbuf_addstr(&w, " AND AGEREV = 0");
	struct strbuf want = STRBUF_INIT;
	strbuf_addf(&want, "bad --where: more than 1000 comparisons (at character %zu)", at);
	expect_error(NULL, w.buf, NULL, want.buf);
	strbuf_release(&want);
	strbuf_release(&w);
}

static void test_aggregate_errors(void)
{
	expect_error(NULL, "AGEREV >=", NULL,
		     "bad --where \"AGEREV >=\": expected a value at the end");
	expect_error(NULL, "AGEREV >= 15 AND", NULL,
		     "bad --where \"AGEREV >= 15 AND\": expected a column name or '(' at the end");
	expect_error(
	    NULL, "AGEREV ~ 3", NULL,
	    "bad --where \"AGEREV ~ 3\": expected a comparison (=, !=, <, <=, >, >=) or IN "
	    "at character 8, found \"~\"");
	expect_error(NULL, "TACT IN (11 12)", NULL,
		     "bad --where \"TACT IN (11 12)\": expected ',' or ')' at character 13, found "
		     "\"12\"");
	expect_error(NULL, "(AGEREV = 1", NULL,
		     "bad --where \"(AGEREV = 1\": expected ')' at the end");
	expect_error(
	    NULL, "AGEREV = 1 TACT = 2", NULL,
	    "bad --where \"AGEREV = 1 TACT = 2\": expected AND, OR or the end at character "
	    "12, found \"TACT\"");
	expect_error("AGEREV[15,10]", NULL, NULL,
		     "bad bands in --by \"AGEREV[15,10]\": expected whole numbers above 0 in "
		     "increasing order, as AGEREV[15,25,55,65]");
	expect_error("AGEREV[]", NULL, NULL,
		     "bad bands in --by \"AGEREV[]\": expected whole numbers above 0 in increasing "
		     "order, as AGEREV[15,25,55,65]");
	expect_error("DEPT,,SEXE", NULL, NULL,
		     "bad --by item \"\": expected a column name, or NAME[C1,C2,...] for bands");
	expect_error(NULL, NULL, "poverty",
		     "unknown --set \"poverty\" (expected activity, pyramid "
		     "or diploma)");
}

void suite_aggregate(void)
{
	CU_pSuite s = CU_add_suite("aggregate", NULL, NULL);
	ADD_TEST(s, test_aggregate_fixed);
	ADD_TEST(s, test_aggregate_filters);
	ADD_TEST(s, test_aggregate_bands_and_sets);
	ADD_TEST(s, test_aggregate_errors);
	ADD_TEST(s, test_aggregate_filter_limits);
	ADD_TEST(s, test_aggregate_merge_is_exact);
}
