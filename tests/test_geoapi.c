/* Tests of ingest/geoapi.c on recorded payloads. */
#include "helpers.h"

void suite_geoapi(void)
{
	CU_pSuite s = CU_add_suite("geoapi", NULL, NULL);
	(void)s;
}
