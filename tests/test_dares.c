/* Tests of ingest/dares.c on recorded payloads. */
#include "helpers.h"

void suite_dares(void)
{
	CU_pSuite s = CU_add_suite("dares", NULL, NULL);
	(void)s;
}
