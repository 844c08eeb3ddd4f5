/* Tests of ingest/francetravail.c on recorded payloads. */
#include "helpers.h"

void suite_francetravail(void)
{
	CU_pSuite s = CU_add_suite("francetravail", NULL, NULL);
	(void)s;
}
