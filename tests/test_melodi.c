/* Tests of ingest/melodi.c on recorded payloads. */
#include "helpers.h"

void suite_melodi(void)
{
	CU_pSuite s = CU_add_suite("melodi", NULL, NULL);
	(void)s;
}
