/* odtcheck FILE: does FILE open with libzip as an OpenDocument text?  Its
 * first member is "mimetype", stored, holding
 * application/vnd.oasis.opendocument.text, and it has a content.xml.
 * Prints "FILE: ok (N members)" and exits 0, else the reason and 1.  Built
 * by make browser-check for tests/browser/study.cjs (the ODT downloaded
 * from terrain serve). */
#include <stdio.h>
#include <string.h>
#include <zip.h>

int main(int argc, char **argv)
{
	static const char want[] = "application/vnd.oasis.opendocument.text";
	char buf[sizeof(want)] = {0};
	int errcode = 0;
	if (argc != 2) {
		fprintf(stderr, "usage: odtcheck FILE\n");
		return 2;
	}
	zip_t *z = zip_open(argv[1], ZIP_RDONLY | ZIP_CHECKCONS, &errcode);
	if (!z) {
		zip_error_t e;
		zip_error_init_with_code(&e, errcode);
		fprintf(stderr, "%s: cannot open: %s\n", argv[1], zip_error_strerror(&e));
		zip_error_fini(&e);
		return 1;
	}
	const char *bad = NULL;
	zip_stat_t st;
	zip_file_t *f = NULL;
	if (zip_get_num_entries(z, 0) < 2 || strcmp(zip_get_name(z, 0, 0), "mimetype"))
		bad = "the first member is not mimetype";
	else if (zip_stat_index(z, 0, 0, &st) || st.comp_method != ZIP_CM_STORE)
		bad = "mimetype is not stored";
	else if (!(f = zip_fopen_index(z, 0, 0)) ||
		 zip_fread(f, buf, sizeof(buf) - 1) != (zip_int64_t)sizeof(want) - 1 ||
		 memcmp(buf, want, sizeof(want) - 1))
		bad = "mimetype is not application/vnd.oasis.opendocument.text";
	else if (zip_name_locate(z, "content.xml", 0) < 0)
		bad = "no content.xml";
	if (f)
		zip_fclose(f);
	if (bad)
		fprintf(stderr, "%s: %s\n", argv[1], bad);
	else
		printf("%s: ok (%lld members)\n", argv[1], (long long)zip_get_num_entries(z, 0));
	zip_discard(z);
	return bad ? 1 : 0;
}
