/* Tests of ingest/siae.c on recorded payloads. */
#include "helpers.h"

void suite_siae(void)
{
	CU_pSuite s = CU_add_suite("siae", NULL, NULL);
	(void)s;
}
