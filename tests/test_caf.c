/* Tests of ingest/caf.c on recorded payloads. */
#include "helpers.h"

void suite_caf(void)
{
	CU_pSuite s = CU_add_suite("caf", NULL, NULL);
	(void)s;
}
