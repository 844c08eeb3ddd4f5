/* Tests of ingest/bdm.c on recorded payloads. */
#include "helpers.h"

void suite_bdm(void)
{
	CU_pSuite s = CU_add_suite("bdm", NULL, NULL);
	(void)s;
}
