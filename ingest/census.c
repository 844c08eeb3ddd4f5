#include "census.h"

#include <csv.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zip.h>
#include <zlib.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "../core/strbuf.h"
#include "../core/xalloc.h"

#define DEFAULT_BUFFER	  (4 * 1024 * 1024)
#define DEFAULT_MIN_RANGE (1024 * 1024)
#define PAD		  128 /* bytes after a buffer: 64-byte loads, a virtual line end */

struct census_file {
	char *path;
	char *name; /* path, or "archive.zip/member.csv" */
	enum census_kind kind;
	int fd;
	uint64_t size; /* bytes of the file (plain) */
	zip_t *za;
	zip_uint64_t member;
	char delim;
	char **col;
	size_t ncol;
	uint64_t data_start;	    /* offset of the first record after the header */
	unsigned long header_lines; /* line ends inside and after the header */
};

/* ---- byte sources ------------------------------------------------------ */

struct pipe;

struct source {
	const struct census_file *f;
	uint64_t off; /* plain: where the next pread reads */
	gzFile gz;
	zip_file_t *zf;
	struct pipe *pipe; /* a thread decompresses ahead into it; NULL: read here */
};

static enum status pipe_read(struct pipe *p, char *buf, size_t n, size_t *got, struct error *err);
static void pipe_close(struct pipe *p);

static enum status source_read(struct source *s, char *buf, size_t n, size_t *got,
			       struct error *err)
{
	const struct census_file *f = s->f;
	*got = 0;
	if (s->pipe)
		return pipe_read(s->pipe, buf, n, got, err);
	if (f->kind == CENSUS_PLAIN) {
		ssize_t r;
		do
			r = pread(f->fd, buf, n, (off_t)s->off);
		while (r < 0 && errno == EINTR);
		if (r < 0)
			return error_set(err, TERRAIN_EIO, "%s: cannot read: %s", f->name,
					 strerror(errno));
		s->off += (uint64_t)r;
		*got = (size_t)r;
		return TERRAIN_OK;
	}
	if (f->kind == CENSUS_GZIP) {
		unsigned want = n > (1u << 30) ? 1u << 30 : (unsigned)n;
		int r = gzread(s->gz, buf, want);
		int code = Z_OK;
		const char *msg = gzerror(s->gz, &code);
		if (r < 0 || (r == 0 && code != Z_OK)) {
			const char *colon = strrchr(msg, ':'); /* zlib names the fd first */
			if (colon && colon[1] == ' ')
				msg = colon + 2;
			return error_set(err, TERRAIN_EDATA, "%s: corrupt gzip data: %s", f->name,
					 code == Z_ERRNO ? strerror(errno) : msg);
		}
		*got = (size_t)r;
		return TERRAIN_OK;
	}
	zip_int64_t r = zip_fread(s->zf, buf, n);
	if (r < 0)
		return error_set(err, TERRAIN_EDATA, "%s: corrupt zip member: %s", f->name,
				 zip_file_strerror(s->zf));
	*got = (size_t)r;
	return TERRAIN_OK;
}

static void source_close(struct source *s)
{
	if (s->pipe)
		pipe_close(s->pipe);
	s->pipe = NULL;
	if (s->gz)
		gzclose(s->gz);
	if (s->zf)
		zip_fclose(s->zf);
	s->gz = NULL;
	s->zf = NULL;
}

/* Open a source positioned at off: plain files seek, streams read and drop
 * the bytes before it (only the header's). */
static enum status source_open(const struct census_file *f, uint64_t off, struct source *s,
			       struct error *err)
{
	memset(s, 0, sizeof(*s));
	s->f = f;
	if (f->kind == CENSUS_PLAIN) {
		s->off = off;
		return TERRAIN_OK;
	}
	if (f->kind == CENSUS_GZIP) {
		int fd = dup(f->fd);
		if (fd < 0 || lseek(fd, 0, SEEK_SET) < 0 || !(s->gz = gzdopen(fd, "rb"))) {
			if (fd >= 0)
				close(fd);
			return error_set(err, TERRAIN_EIO, "%s: cannot read: %s", f->name,
					 strerror(errno));
		}
		gzbuffer(s->gz, 256 * 1024);
	} else {
		s->zf = zip_fopen_index(f->za, f->member, 0);
		if (!s->zf)
			return error_set(err, TERRAIN_EDATA, "%s: cannot open the member: %s",
					 f->name, zip_strerror(f->za));
	}
	char drop[4096];
	while (off) {
		size_t got;
		enum status st =
		    source_read(s, drop, off < sizeof(drop) ? off : sizeof(drop), &got, err);
		if (st || !got) {
			source_close(s);
			return st ? st
				  : error_set(err, TERRAIN_EDATA, "%s: shorter than its header",
					      f->name);
		}
		off -= got;
	}
	return TERRAIN_OK;
}

/* ---- a stream decompressed ahead ------------------------------------------ */

/* A gzip stream or a zip member cannot be split, but its decompression can
 * run on one core while the records are read on another: a thread fills
 * PIPE_CHUNKS chunks ahead of the reader.  Data come out in order, and an
 * error of the stream after the data before it. */
#define PIPE_CHUNKS	4
#define PIPE_CHUNK_SIZE (1024 * 1024)

struct pipe {
	pthread_t tid;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct source inner; /* read by the thread only */
	char *chunk[PIPE_CHUNKS];
	size_t len[PIPE_CHUNKS];
	size_t head, tail; /* chunks taken by the reader; chunks filled */
	size_t off;	   /* bytes of chunk head already taken */
	bool eof, stop;
	enum status st; /* the stream's error, once its data are taken */
	struct error err;
};

static void *pipe_thread(void *arg)
{
	struct pipe *p = arg;
	for (bool more = true; more;) {
		pthread_mutex_lock(&p->mu);
		while (p->tail - p->head == PIPE_CHUNKS && !p->stop)
			pthread_cond_wait(&p->cv, &p->mu);
		bool stop = p->stop;
		size_t k = p->tail % PIPE_CHUNKS;
		pthread_mutex_unlock(&p->mu);
		if (stop)
			break;
		size_t n = 0, got = 0;
		enum status st = TERRAIN_OK;
		struct error err = {0};
		while (n < PIPE_CHUNK_SIZE &&
		       !(st = source_read(&p->inner, p->chunk[k] + n, PIPE_CHUNK_SIZE - n, &got,
					  &err)) &&
		       got)
			n += got;
		pthread_mutex_lock(&p->mu);
		p->len[k] = n;
		if (n)
			p->tail++;
		if (st || n < PIPE_CHUNK_SIZE) {
			p->eof = true;
			p->st = st;
			p->err = err;
			more = false;
		}
		pthread_cond_broadcast(&p->cv);
		pthread_mutex_unlock(&p->mu);
	}
	return NULL;
}

static enum status pipe_read(struct pipe *p, char *buf, size_t n, size_t *got, struct error *err)
{
	pthread_mutex_lock(&p->mu);
	while (p->head == p->tail && !p->eof)
		pthread_cond_wait(&p->cv, &p->mu);
	if (p->head == p->tail) {
		enum status st = p->st;
		if (st && err)
			*err = p->err;
		pthread_mutex_unlock(&p->mu);
		*got = 0;
		return st;
	}
	size_t k = p->head % PIPE_CHUNKS;
	size_t m = p->len[k] - p->off < n ? p->len[k] - p->off : n;
	const char *from = p->chunk[k] + p->off;
	pthread_mutex_unlock(&p->mu);
	memcpy(buf, from, m); /* the thread leaves chunk k alone until it is taken */
	pthread_mutex_lock(&p->mu);
	p->off += m;
	if (p->off == p->len[k]) {
		p->head++;
		p->off = 0;
		pthread_cond_broadcast(&p->cv);
	}
	pthread_mutex_unlock(&p->mu);
	*got = m;
	return TERRAIN_OK;
}

static void pipe_close(struct pipe *p)
{
	pthread_mutex_lock(&p->mu);
	p->stop = true;
	pthread_cond_broadcast(&p->cv);
	pthread_mutex_unlock(&p->mu);
	pthread_join(p->tid, NULL);
	source_close(&p->inner);
	for (size_t k = 0; k < PIPE_CHUNKS; k++)
		free(p->chunk[k]);
	pthread_mutex_destroy(&p->mu);
	pthread_cond_destroy(&p->cv);
	free(p);
}

/* Hand an open stream to a thread; on failure it is read here as before. */
static void pipe_start(struct source *s)
{
	struct pipe *p = xcalloc(1, sizeof(*p));
	p->inner = *s;
	for (size_t k = 0; k < PIPE_CHUNKS; k++)
		p->chunk[k] = xmalloc(PIPE_CHUNK_SIZE);
	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->cv, NULL);
	if (pthread_create(&p->tid, NULL, pipe_thread, p) != 0) {
		for (size_t k = 0; k < PIPE_CHUNKS; k++)
			free(p->chunk[k]);
		pthread_mutex_destroy(&p->mu);
		pthread_cond_destroy(&p->cv);
		free(p);
		return;
	}
	memset(s, 0, sizeof(*s));
	s->f = p->inner.f;
	s->pipe = p;
}

/* ---- opening: kind, zip member, header --------------------------------- */

static bool has_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && !strcasecmp(s + n - m, suffix);
}

static enum status pick_member(struct census_file *f, const char *member, struct error *err)
{
	zip_int64_t n = zip_get_num_entries(f->za, 0);
	struct strbuf list = STRBUF_INIT;
	zip_int64_t found = -1;
	size_t ncand = 0;
	enum status st = TERRAIN_OK;
	for (int pass = 0; pass < 2 && found < 0 && !member; pass++) {
		ncand = 0;
		for (zip_int64_t i = 0; i < n; i++) {
			const char *name = zip_get_name(f->za, (zip_uint64_t)i, 0);
			if (!name || !has_suffix(name, ".csv"))
				continue;
			const char *base = strrchr(name, '/') ? strrchr(name, '/') + 1 : name;
			if (pass == 1 && strncasecmp(base, "FD_", 3))
				continue;
			ncand++;
			found = i;
		}
		if (ncand > 1)
			found = -1;
	}
	if (member)
		found = zip_name_locate(f->za, member, 0);
	if (found < 0) {
		for (zip_int64_t i = 0; i < n; i++) {
			const char *name = zip_get_name(f->za, (zip_uint64_t)i, 0);
			strbuf_addf(&list, "%s\"%s\"", list.len ? ", " : "", name ? name : "?");
		}
		if (member)
			st = error_set(err, TERRAIN_EDATA,
				       "%s: no member \"%s\" in the archive (%s)", f->path, member,
				       list.len ? list.buf : "it is empty");
		else
			st =
			    error_set(err, TERRAIN_EDATA,
				      "%s: cannot tell which member is the data (%s); name it with "
				      "--member",
				      f->path, list.len ? list.buf : "the archive is empty");
		goto out;
	}
	f->member = (zip_uint64_t)found;
	free(f->name);
	struct strbuf name = STRBUF_INIT;
	strbuf_addf(&name, "%s/%s", f->path, zip_get_name(f->za, f->member, 0));
	f->name = strbuf_detach(&name);
out:
	strbuf_release(&list);
	return st;
}

struct header_parse {
	struct census_file *f;
	size_t alloc;
	int rows;
};

static void header_field(void *s, size_t len, void *data)
{
	struct header_parse *h = data;
	ALLOC_GROW(h->f->col, h->f->ncol + 1, h->alloc);
	h->f->col[h->f->ncol++] = len ? xstrndup(s, len) : xstrdup("");
}

static void header_row(int c, void *data)
{
	(void)c;
	((struct header_parse *)data)->rows++;
}

/* The header: the first record, whose end is the first line end outside
 * quotes. */
static enum status read_header(struct census_file *f, struct error *err)
{
	struct source src;
	enum status st = source_open(f, 0, &src, err);
	if (st)
		return st;
	/* grown as the header needs, up to its cap: most are a few hundred
	 * bytes, and a megabyte a file opened was most of the work of opening
	 * small files (make fuzz) */
	size_t cap = 65536;
	char *buf = xmalloc(cap + 1);
	size_t len = 0, end = 0;
	bool inq = false, eof = false, found = false;
	struct csv_parser p;
	bool csv_ready = false;
	while (!found && !eof && len < CENSUS_MAX_HEADER) {
		size_t got;
		if (len == cap) {
			cap = 2 * cap < CENSUS_MAX_HEADER ? 2 * cap : CENSUS_MAX_HEADER;
			buf = xrealloc(buf, cap + 1);
		}
		if ((st = source_read(&src, buf + len, cap - len, &got, err)))
			goto out;
		eof = got == 0;
		for (size_t i = len; i < len + got; i++) {
			if (buf[i] == '"')
				inq = !inq;
			else if (buf[i] == '\n' && !inq) {
				end = i + 1;
				found = true;
				break;
			}
		}
		len += got;
	}
	if (!len) {
		st = error_set(err, TERRAIN_EDATA, "%s: empty file (expected a header line)",
			       f->name);
		goto out;
	}
	if (!found && !eof) {
		st = error_set(err, TERRAIN_EDATA, "%s:1: header line longer than %d bytes",
			       f->name, CENSUS_MAX_HEADER);
		goto out;
	}
	if (!found) {
		if (inq) {
			st = error_set(err, TERRAIN_EDATA, "%s:1: unterminated quoted field",
				       f->name);
			goto out;
		}
		end = len;
	}
	size_t start = len >= 3 && !memcmp(buf, "\xEF\xBB\xBF", 3) ? 3 : 0;
	size_t semi = 0, tab = 0, comma = 0;
	inq = false;
	for (size_t i = start; i < end; i++) {
		if (buf[i] == '"')
			inq = !inq;
		else if (!inq)
			semi += buf[i] == ';', tab += buf[i] == '\t', comma += buf[i] == ',';
	}
	f->delim = semi ? ';' : tab >= comma && tab ? '\t' : comma ? ',' : ';';
	f->header_lines = 0;
	for (size_t i = start; i < end; i++)
		f->header_lines += buf[i] == '\n';
	if (!found)
		f->header_lines++;
	f->data_start = end;

	if (csv_init(&p, CSV_STRICT) != 0) {
		st = error_set(err, TERRAIN_EIO, "cannot start the CSV parser");
		goto out;
	}
	csv_ready = true;
	csv_set_delim(&p, (unsigned char)f->delim);
	struct header_parse h = {f, 0, 0};
	if (csv_parse(&p, buf + start, end - start, header_field, header_row, &h) != end - start ||
	    csv_fini(&p, header_field, header_row, &h) != 0) {
		st = error_set(err, TERRAIN_EDATA, "%s:1: malformed header (libcsv: %s)", f->name,
			       csv_strerror(csv_error(&p)));
		goto out;
	}
	if (!f->ncol || (f->ncol == 1 && !f->col[0][0])) {
		st = error_set(err, TERRAIN_EDATA, "%s:1: empty header line", f->name);
		goto out;
	}
out:
	if (csv_ready)
		csv_free(&p);
	free(buf);
	source_close(&src);
	return st;
}

static enum status open_zip(struct census_file *f, const char *member, struct error *err)
{
	int code = 0;
	f->za = zip_open(f->path, ZIP_RDONLY | ZIP_CHECKCONS, &code);
	if (!f->za) {
		zip_error_t ze;
		zip_error_init_with_code(&ze, code);
		enum status st =
		    error_set(err, TERRAIN_EDATA,
			      "%s: not a readable zip archive (truncated or corrupt?): %s", f->path,
			      zip_error_strerror(&ze));
		zip_error_fini(&ze);
		return st;
	}
	return pick_member(f, member, err);
}

enum status census_open(struct census_file **out, const char *path, const char *member,
			struct error *err)
{
	struct census_file *f = xcalloc(1, sizeof(*f));
	enum status st = TERRAIN_OK;
	struct stat sb;
	unsigned char magic[4] = {0};
	f->path = xstrdup(path);
	f->name = xstrdup(path);
	f->fd = open(path, O_RDONLY | O_CLOEXEC);
	if (f->fd < 0) {
		st = error_set(err, TERRAIN_EIO, "%s: cannot open: %s", path, strerror(errno));
		goto out;
	}
	if (fstat(f->fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
		st = error_set(err, TERRAIN_EIO, "%s: not a regular file", path);
		goto out;
	}
	f->size = (uint64_t)sb.st_size;
	ssize_t got = pread(f->fd, magic, sizeof(magic), 0);
	if (got < 0) {
		st = error_set(err, TERRAIN_EIO, "%s: cannot read: %s", path, strerror(errno));
		goto out;
	}
	if (got >= 2 && magic[0] == 0x1f && magic[1] == 0x8b)
		f->kind = CENSUS_GZIP;
	else if (got >= 4 && magic[0] == 'P' && magic[1] == 'K' &&
		 ((magic[2] == 3 && magic[3] == 4) || (magic[2] == 5 && magic[3] == 6)))
		f->kind = CENSUS_ZIP;
	else
		f->kind = CENSUS_PLAIN;
	if (f->kind == CENSUS_PLAIN)
		posix_fadvise(f->fd, 0, 0, POSIX_FADV_SEQUENTIAL);
	if (f->kind == CENSUS_ZIP && (st = open_zip(f, member, err)))
		goto out;
	if (member && f->kind != CENSUS_ZIP) {
		st = error_set(err, TERRAIN_EUSAGE, "%s: --member is for zip archives", path);
		goto out;
	}
	st = read_header(f, err);
out:
	if (st) {
		census_free(f);
		f = NULL;
	}
	*out = f;
	return st;
}

void census_free(struct census_file *f)
{
	if (!f)
		return;
	if (f->za)
		zip_discard(f->za);
	if (f->fd >= 0)
		close(f->fd);
	for (size_t i = 0; i < f->ncol; i++)
		free(f->col[i]);
	free(f->col);
	free(f->path);
	free(f->name);
	free(f);
}

const char *census_name(const struct census_file *f)
{
	return f->name;
}

enum census_kind census_kind(const struct census_file *f)
{
	return f->kind;
}

const char *census_kind_name(enum census_kind k)
{
	return k == CENSUS_GZIP ? "gzip" : k == CENSUS_ZIP ? "zip" : "plain";
}

char census_delim(const struct census_file *f)
{
	return f->delim;
}

size_t census_ncolumns(const struct census_file *f)
{
	return f->ncol;
}

const char *census_column_name(const struct census_file *f, size_t i)
{
	return i < f->ncol ? f->col[i] : NULL;
}

enum status census_column(const struct census_file *f, const char *name, const char *why,
			  size_t *idx, struct error *err)
{
	for (size_t i = 0; i < f->ncol; i++) {
		if (!strcmp(f->col[i], name)) {
			*idx = i;
			return TERRAIN_OK;
		}
	}
	return error_set(err, TERRAIN_EDATA, "%s:1: column \"%s\" is missing (needed by %s)",
			 f->name, name, why);
}

/* ---- scanning ------------------------------------------------------------ */

enum {
	R_DONE,	 /* the region is consumed */
	R_STOP,	 /* the next record starts past the worker's range */
	R_QUOTE, /* the record at pos has a quote: libcsv's */
	R_MORE,	 /* the record at pos goes on past the region */
	R_ERROR,
};

struct scan {
	struct census_file *f;
	size_t need[CENSUS_MAX_COLUMNS + 1]; /* file columns asked for, ascending, then SIZE_MAX */
	size_t slot[CENSUS_MAX_COLUMNS];     /* need[i]'s place in the caller's order */
	size_t nneed;
	int *colslot; /* per file column: its slot, or -1 */
	census_row_fn fn;
	size_t cap, chunk;
	size_t page;
	bool map;  /* map windows instead of reading (plain files) */
	bool pipe; /* decompress streams on a thread of their own */
	bool fast;
	bool avx2;	      /* the machine has AVX2 and POPCNT */
	atomic_size_t failed; /* the lowest index of a failed worker, else SIZE_MAX */
};

struct worker {
	struct scan *sc;
	size_t index;
	void *state;
	uint64_t start, end; /* records starting in [start, end) */
	struct source src;
	bool src_open, eof, virtual_nl;
	bool aborted;	  /* stopped because an earlier range failed */
	char *heap;	  /* the read buffer (cap bytes and PAD) */
	const char *data; /* heap, or the mapped window */
	void *map;	  /* the mapped window, or NULL */
	size_t map_len;
	bool mapped;	  /* reads by mapping windows (plain files) */
	size_t len, pos;  /* data[0..len) holds bytes; pos: the next record */
	uint64_t buf_off; /* file (or stream) offset of data[0] */
	uint64_t stop;	  /* where the first record past the range starts */
	unsigned long lines;
	uint64_t records, slow, bytes;
	struct text_span fields[CENSUS_MAX_COLUMNS];
	/* libcsv, for records with quotes */
	struct csv_parser csv;
	bool csv_ready;
	char *sbuf;
	size_t slen, sfield, srows;
	size_t soff[CENSUS_MAX_COLUMNS], sflen[CENSUS_MAX_COLUMNS];
	/* the first error: line relative to the range, column 1-based (0: none) */
	enum status st;
	unsigned long eline;
	size_t ecol;
	char emsg[ERROR_MSG_MAX];
};

static void worker_fail(struct worker *w, enum status st, unsigned long line, size_t col,
			const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static void worker_fail(struct worker *w, enum status st, unsigned long line, size_t col,
			const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(w->emsg, sizeof(w->emsg), fmt, ap);
	va_end(ap);
	w->st = st;
	w->eline = line;
	w->ecol = col;
	size_t cur = atomic_load(&w->sc->failed);
	while (w->index < cur && !atomic_compare_exchange_weak(&w->sc->failed, &cur, w->index))
		;
}

/* A consumer's rejection of slot k (1-based). */
static void reject(struct worker *w, unsigned long line, size_t k, const char *why)
{
	const struct census_file *f = w->sc->f;
	size_t col = SIZE_MAX;
	for (size_t i = 0; i < w->sc->nneed; i++)
		if (w->sc->slot[i] == k - 1)
			col = w->sc->need[i];
	struct strbuf q = STRBUF_INIT;
	strbuf_add(&q, w->fields[k - 1].s, w->fields[k - 1].len);
	struct strbuf shown = STRBUF_INIT;
	text_quote(q.buf, 64, &shown);
	worker_fail(w, TERRAIN_EDATA, line, col + 1, "\"%s\" %s (column \"%s\")", shown.buf,
		    why ? why : "is not valid", col < f->ncol ? f->col[col] : "?");
	strbuf_release(&q);
	strbuf_release(&shown);
}

static bool width_ok(struct worker *w, unsigned long line, size_t nfields)
{
	size_t ncol = w->sc->f->ncol;
	if (nfields == ncol)
		return true;
	worker_fail(w, TERRAIN_EDATA, line, 0, "expected %zu fields (as the header), found %zu",
		    ncol, nfields);
	return false;
}

static bool deliver(struct worker *w, unsigned long line)
{
	const char *why = NULL;
	size_t k = w->sc->fn(w->state, w->fields, &why);
	w->records++;
	if (k) {
		reject(w, line, k, why);
		return false;
	}
	return true;
}

typedef void (*masks_fn)(const char *p, char delim, uint64_t *s, uint64_t *n, uint64_t *q);
typedef unsigned (*select_fn)(uint64_t x, size_t r);

/* The position of the r-th set bit of x (r >= 1, x has at least r). */
static inline unsigned select_bit(uint64_t x, size_t r)
{
	while (--r)
		x &= x - 1;
	return (unsigned)__builtin_ctzll(x);
}

/* The delimiters, line ends and quotes of 64 bytes at p, as bit masks. */
#if defined(__SSE2__)
static inline void block_masks(const char *p, char delim, uint64_t *s, uint64_t *n, uint64_t *q)
{
	const __m128i vd = _mm_set1_epi8(delim), vn = _mm_set1_epi8('\n'), vq = _mm_set1_epi8('"');
	uint64_t ms = 0, mn = 0, mq = 0;
	for (int k = 0; k < 4; k++) {
		__m128i x = _mm_loadu_si128((const __m128i *)(const void *)(p + 16 * k));
		ms |= (uint64_t)(uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(x, vd)) << (16 * k);
		mn |= (uint64_t)(uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(x, vn)) << (16 * k);
		mq |= (uint64_t)(uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(x, vq)) << (16 * k);
	}
	*s = ms;
	*n = mn;
	*q = mq;
}
#else
static inline void block_masks(const char *p, char delim, uint64_t *s, uint64_t *n, uint64_t *q)
{
	uint64_t ms = 0, mn = 0, mq = 0;
	for (int i = 0; i < 64; i++) {
		ms |= (uint64_t)(p[i] == delim) << i;
		mn |= (uint64_t)(p[i] == '\n') << i;
		mq |= (uint64_t)(p[i] == '"') << i;
	}
	*s = ms;
	*n = mn;
	*q = mq;
}
#endif

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define HAVE_AVX2_PATH 1
/* The same with 32-byte compares, for the machines that have AVX2 (checked
 * at run time; the build stays baseline x86-64). */
__attribute__((target("avx2"), always_inline)) static inline void
block_masks_avx2(const char *p, char delim, uint64_t *s, uint64_t *n, uint64_t *q)
{
	const __m256i vd = _mm256_set1_epi8(delim), vn = _mm256_set1_epi8('\n'),
		      vq = _mm256_set1_epi8('"');
	__m256i lo = _mm256_loadu_si256((const __m256i *)(const void *)p);
	__m256i hi = _mm256_loadu_si256((const __m256i *)(const void *)(p + 32));
	*s = (uint64_t)(uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(lo, vd)) |
	     (uint64_t)(uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(hi, vd)) << 32;
	*n = (uint64_t)(uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(lo, vn)) |
	     (uint64_t)(uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(hi, vn)) << 32;
	*q = (uint64_t)(uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(lo, vq)) |
	     (uint64_t)(uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(hi, vq)) << 32;
}

__attribute__((target("bmi,bmi2"), always_inline)) static inline unsigned
select_bit_bmi2(uint64_t x, size_t r)
{
	return (unsigned)_tzcnt_u64(_pdep_u64(1ULL << (r - 1), x));
}
#endif

/* Bits above bit b (b in 0..63). */
static inline uint64_t above(unsigned b)
{
	return b >= 63 ? 0 : ~0ULL << (b + 1);
}

/* The fast path: records from pos up to lim (just past a line end), 64
 * bytes at a time.  S, N and Q hold the delimiters, line ends and quotes of
 * the block not yet consumed.  Between the columns asked for, whole runs of
 * delimiters are counted with popcount instead of being visited; after the
 * last one, only the line end is looked for (and the delimiters before it
 * counted, for the width check). */
__attribute__((always_inline)) static inline int fast_run_body(struct worker *w, size_t lim,
							       masks_fn masks, select_fn select)
{
	const struct scan *sc = w->sc;
	const char *buf = w->data;
	const char delim = sc->f->delim;
	const size_t *need = sc->need;
	const size_t *slot = sc->slot;
	const uint64_t end_rel = w->end - w->buf_off; /* records must start before it */
	size_t line0 = w->pos, fstart = line0, field = 0, j = 0, want = need[0];
	bool quoted = false;

	for (size_t base = line0 & ~(size_t)63; base < lim; base += 64) {
		uint64_t S, N, Q;
		masks(buf + base, delim, &S, &N, &Q);
		uint64_t valid = lim - base >= 64 ? ~0ULL : (1ULL << (lim - base)) - 1;
		if (base < line0)
			valid &= ~0ULL << (line0 - base);
		S &= valid;
		N &= valid;
		Q &= valid;
		for (;;) {
			uint64_t nl = N & (0 - N); /* the first line end, or 0 */
			uint64_t before = nl ? nl - 1 : ~0ULL;
			if (Q & before)
				quoted = true;
			if (quoted) {
				w->pos = line0;
				return R_QUOTE;
			}
			uint64_t sb = S & before;
			if (want != SIZE_MAX) {
				if (want > field) {
					size_t c = (size_t)__builtin_popcountll(sb);
					size_t r = want - field;
					if (c < r) {
						field += c;
						if (!nl)
							break;
						goto line_end; /* too few fields: the width check
								  says so */
					}
					unsigned b = select(sb, r);
					field = want;
					fstart = base + b + 1;
					S &= above(b);
					continue;
				}
				uint64_t d = sb | nl;
				if (!d)
					break; /* the field goes on in the next block */
				unsigned b = (unsigned)__builtin_ctzll(d);
				size_t fend = base + b;
				bool at_nl = !(sb & (1ULL << b));
				if (at_nl && fend > fstart && buf[fend - 1] == '\r')
					fend--;
				w->fields[slot[j]].s = buf + fstart;
				w->fields[slot[j]].len = fend - fstart;
				want = need[++j];
				if (!at_nl) {
					S &= above(b);
					field++;
					fstart = base + b + 1;
					continue;
				}
			} else {
				if (!nl) {
					field += (size_t)__builtin_popcountll(S);
					break;
				}
				field += (size_t)__builtin_popcountll(sb);
			}
		line_end:;
			unsigned b = (unsigned)__builtin_ctzll(nl);
			size_t le = base + b;
			w->lines++;
			size_t n = le - line0;
			if (n > 1 || (n == 1 && buf[line0] != '\r')) {
				if (!width_ok(w, w->lines, field + 1) || !deliver(w, w->lines))
					return R_ERROR;
			}
			line0 = le + 1;
			fstart = line0;
			field = 0;
			j = 0;
			want = need[0];
			N &= N - 1;
			S &= above(b);
			Q &= above(b);
			if (line0 >= end_rel) {
				w->pos = line0;
				w->stop = w->buf_off + line0;
				return R_STOP;
			}
		}
	}
	w->pos = line0;
	return R_DONE;
}

static int fast_run_baseline(struct worker *w, size_t lim)
{
	return fast_run_body(w, lim, block_masks, select_bit);
}

#ifdef HAVE_AVX2_PATH
__attribute__((target("avx2,popcnt,bmi,bmi2"))) static int fast_run_avx2(struct worker *w,
									 size_t lim)
{
	return fast_run_body(w, lim, block_masks_avx2, select_bit_bmi2);
}
#endif

static int fast_run(struct worker *w, size_t lim)
{
#ifdef HAVE_AVX2_PATH
	if (w->sc->avx2)
		return fast_run_avx2(w, lim);
#endif
	return fast_run_baseline(w, lim);
}

static void slow_field(void *s, size_t len, void *data)
{
	struct worker *w = data;
	size_t i = w->sfield++;
	if (w->srows || i >= w->sc->f->ncol || w->sc->colslot[i] < 0)
		return;
	size_t k = (size_t)w->sc->colslot[i];
	if (len)
		memcpy(w->sbuf + w->slen, s, len);
	w->soff[k] = w->slen;
	w->sflen[k] = len;
	w->slen += len;
}

static void slow_row(int c, void *data)
{
	(void)c;
	((struct worker *)data)->srows++;
}

/* One record through libcsv: its end is the first line end outside quotes
 * (a doubled quote toggles twice). */
static int slow_record(struct worker *w, size_t lim)
{
	const char *buf = w->data;
	size_t p = w->pos, i;
	bool inq = false;
	unsigned long nl = 0;
	for (i = p; i < lim; i++) {
		if (buf[i] == '"')
			inq = !inq;
		else if (buf[i] == '\n') {
			nl++;
			if (!inq)
				break;
		}
	}
	if (i >= lim)
		return R_MORE;
	size_t rend = i + 1;
	unsigned long line = w->lines + 1;
	w->sfield = w->slen = w->srows = 0;
	size_t done = csv_parse(&w->csv, buf + p, rend - p, slow_field, slow_row, w);
	if (done != rend - p) {
		worker_fail(w, TERRAIN_EDATA, line, w->sfield + 1,
			    "malformed quoted field (libcsv: %s)",
			    csv_strerror(csv_error(&w->csv)));
		return R_ERROR;
	}
	w->slow++;
	if (w->srows > 1) {
		worker_fail(w, TERRAIN_EDATA, line, 0,
			    "a carriage return alone inside a record (line ends are LF or CRLF)");
		return R_ERROR;
	}
	if (w->srows == 1) {
		for (size_t k = 0; k < w->sc->nneed; k++) {
			w->fields[k].s = w->sbuf + w->soff[k];
			w->fields[k].len = w->sflen[k];
		}
		if (!width_ok(w, line, w->sfield) || !deliver(w, line))
			return R_ERROR;
	}
	w->lines += nl;
	w->pos = rend;
	return R_DONE;
}

static int scan_region(struct worker *w, size_t lim)
{
	while (w->pos < lim) {
		if (w->buf_off + w->pos >= w->end) {
			w->stop = w->buf_off + w->pos;
			return R_STOP;
		}
		int r = w->sc->fast ? fast_run(w, lim) : R_QUOTE;
		if (r != R_QUOTE)
			return r;
		r = slow_record(w, lim);
		if (r != R_DONE)
			return r;
	}
	return R_DONE;
}

/* Keep the unread tail, then read until the buffer is full or the input
 * ends. */
static enum status fill(struct worker *w, struct error *err)
{
	if (w->pos) {
		memmove(w->heap, w->heap + w->pos, w->len - w->pos);
		w->buf_off += w->pos;
		w->len -= w->pos;
		w->pos = 0;
	}
	while (w->len < w->sc->cap && !w->eof) {
		size_t want = w->sc->cap - w->len, got;
		if (w->sc->chunk && want > w->sc->chunk)
			want = w->sc->chunk;
		enum status st = source_read(&w->src, w->heap + w->len, want, &got, err);
		if (st)
			return st;
		w->eof = got == 0;
		w->len += got;
		w->bytes += got;
	}
	return TERRAIN_OK;
}

static const char *last_line_end(const char *buf, size_t len)
{
	while (len--)
		if (buf[len] == '\n')
			return buf + len;
	return NULL;
}

/* Map the window of the file that starts at the next record (plain files):
 * no copy, and the page cache's pages are shared.  Windows are unmapped as
 * the worker moves on, so the resident memory stays at one window. */
static enum status map_next(struct worker *w, struct error *err)
{
	const struct census_file *f = w->sc->f;
	uint64_t at = w->buf_off + w->pos;
	if (w->map) {
		munmap(w->map, w->map_len);
		w->map = NULL;
	}
	/* a window holds at least cap bytes from the record on */
	uint64_t start = at & ~(uint64_t)(w->sc->page - 1), span = w->sc->cap + w->sc->page;
	size_t len = at >= f->size ? 0 : (size_t)(f->size - start < span ? f->size - start : span);
	w->buf_off = start;
	w->pos = (size_t)(at - start);
	w->len = len;
	w->eof = start + len >= f->size;
	w->data = w->heap;
	if (!len) {
		w->pos = 0;
		w->buf_off = at;
		return TERRAIN_OK;
	}
	void *p = mmap(NULL, len, PROT_READ, MAP_PRIVATE | MAP_POPULATE, f->fd, (off_t)start);
	if (p == MAP_FAILED)
		return error_set(err, TERRAIN_EIO, "%s: cannot map: %s", f->name, strerror(errno));
	w->map = p;
	w->map_len = len;
	w->data = p;
	w->bytes += len - w->pos;
	return TERRAIN_OK;
}

/* The rest of a mapped file, which lacks its last line end, into the heap
 * buffer, where one can be added. */
static void tail_to_heap(struct worker *w)
{
	size_t n = w->len - w->pos;
	memcpy(w->heap, w->data + w->pos, n);
	w->buf_off += w->pos;
	w->pos = 0;
	w->len = n;
	w->data = w->heap;
	munmap(w->map, w->map_len);
	w->map = NULL;
	w->mapped = false;
}

static void worker_run(struct worker *w)
{
	struct error err;
	enum status st = TERRAIN_OK;
	w->buf_off = w->start;
	w->stop = w->start;
	if (!w->mapped && (st = source_open(w->sc->f, w->start, &w->src, &err))) {
		worker_fail(w, st, 0, 0, "%s", err.msg);
		return;
	}
	if (w->sc->pipe)
		pipe_start(&w->src);
	w->src_open = !w->mapped;
	if (w->start >= w->end)
		return;
	for (;;) {
		if (atomic_load(&w->sc->failed) < w->index) {
			w->aborted = true; /* an earlier range failed: read again if it recovers */
			return;
		}
		if ((st = w->mapped ? map_next(w, &err) : fill(w, &err))) {
			worker_fail(w, st, 0, 0, "%s", err.msg);
			return;
		}
		if (w->pos >= w->len) {
			w->stop = w->buf_off + w->pos;
			return;
		}
		size_t lim;
		if (w->eof && w->data[w->len - 1] != '\n' && w->mapped &&
		    w->len - w->pos < w->sc->cap)
			tail_to_heap(w);
		if (w->eof && w->data[w->len - 1] != '\n' && !w->mapped) {
			w->heap[w->len++] = '\n'; /* the last line's missing end */
			w->virtual_nl = true;
			lim = w->len;
		} else if (w->eof && w->data[w->len - 1] == '\n') {
			lim = w->len;
		} else {
			const char *nl = last_line_end(w->data + w->pos, w->len - w->pos);
			if (!nl) {
				worker_fail(w, TERRAIN_EDATA, w->lines + 1, 0,
					    "line longer than %zu bytes", w->sc->cap);
				return;
			}
			lim = (size_t)(nl - w->data) + 1;
		}
		size_t pos0 = w->pos;
		int r = scan_region(w, lim);
		if (r == R_ERROR || r == R_STOP)
			return;
		if (r == R_MORE && w->eof && lim == w->len) {
			worker_fail(w, TERRAIN_EDATA, w->lines + 1, 0,
				    "unterminated quoted field (the file ends inside it)");
			return;
		}
		if (r == R_MORE && w->pos == pos0 && w->pos < (w->mapped ? w->sc->page : 1) &&
		    w->len >= w->sc->cap) {
			worker_fail(w, TERRAIN_EDATA, w->lines + 1, 0,
				    "record longer than %zu bytes", w->sc->cap);
			return;
		}
		if (w->eof && w->pos >= w->len) {
			w->stop = w->buf_off + w->pos - (w->virtual_nl ? 1 : 0);
			return;
		}
	}
}

static void *worker_thread(void *arg)
{
	worker_run(arg);
	return NULL;
}

static void worker_init(struct worker *w, struct scan *sc, size_t index, void *state,
			uint64_t start, uint64_t end)
{
	memset(w, 0, sizeof(*w));
	w->sc = sc;
	w->index = index;
	w->state = state;
	w->start = start;
	w->end = end;
	w->heap = xmalloc(sc->cap + PAD);
	w->sbuf = xmalloc(sc->cap + PAD);
	memset(w->heap + sc->cap, 0, PAD);
	w->data = w->heap;
	w->mapped = sc->map;
	if (csv_init(&w->csv, CSV_STRICT) == 0) {
		w->csv_ready = true;
		csv_set_delim(&w->csv, (unsigned char)sc->f->delim);
	}
}

static void worker_release(struct worker *w)
{
	if (w->src_open)
		source_close(&w->src);
	if (w->csv_ready)
		csv_free(&w->csv);
	if (w->map)
		munmap(w->map, w->map_len);
	w->map = NULL;
	free(w->heap);
	free(w->sbuf);
	w->heap = w->sbuf = NULL;
	w->src_open = w->csv_ready = false;
}

/* The first record start at or after off (a line start), for a split. */
static enum status line_start_after(const struct census_file *f, uint64_t off, uint64_t *out,
				    struct error *err)
{
	if (off <= f->data_start) {
		*out = f->data_start;
		return TERRAIN_OK;
	}
	char buf[65536];
	uint64_t pos = off - 1;
	while (pos < f->size) {
		ssize_t r = pread(f->fd, buf, sizeof(buf), (off_t)pos);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return error_set(err, TERRAIN_EIO, "%s: cannot read: %s", f->name,
					 strerror(errno));
		if (r == 0)
			break;
		const char *nl = memchr(buf, '\n', (size_t)r);
		if (nl) {
			*out = pos + (uint64_t)(nl - buf) + 1;
			return TERRAIN_OK;
		}
		pos += (uint64_t)r;
	}
	*out = f->size;
	return TERRAIN_OK;
}

static size_t online_cpus(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	return n > 0 ? (size_t)n : 1;
}

enum status census_scan(struct census_file *f, const size_t *cols, size_t ncols,
			const struct census_scan_opts *opts, census_row_fn fn,
			census_reset_fn reset, void *const *states, size_t nstates,
			struct census_scan_stats *stats, struct error *err)
{
	static const struct census_scan_opts defaults = {0};
	const struct census_scan_opts *o = opts ? opts : &defaults;
	struct scan sc = {0};
	struct worker w[CENSUS_MAX_WORKERS];
	size_t nw = 0;
	enum status st = TERRAIN_OK;

	if (ncols > CENSUS_MAX_COLUMNS)
		return error_set(err, TERRAIN_EUSAGE, "at most %d columns at once",
				 CENSUS_MAX_COLUMNS);
	sc.f = f;
	sc.fn = fn;
	sc.fast = !o->no_fast;
#ifdef HAVE_AVX2_PATH
	__builtin_cpu_init();
	sc.avx2 = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("popcnt") &&
		  __builtin_cpu_supports("bmi") && __builtin_cpu_supports("bmi2") &&
		  !getenv("TERRAIN_NO_AVX2");
#endif
	sc.cap = o->buffer ? o->buffer : DEFAULT_BUFFER;
	sc.chunk = o->chunk;
	sc.page = (size_t)sysconf(_SC_PAGESIZE);
	sc.map = f->kind == CENSUS_PLAIN && !o->no_mmap;
	if (sc.map) /* a window is whole pages */
		sc.cap = (sc.cap + sc.page - 1) / sc.page * sc.page;
	atomic_init(&sc.failed, SIZE_MAX);
	sc.colslot = xmalloc(f->ncol * sizeof(*sc.colslot));
	for (size_t i = 0; i < f->ncol; i++)
		sc.colslot[i] = -1;
	for (size_t k = 0; k < ncols; k++) {
		if (cols[k] >= f->ncol || sc.colslot[cols[k]] >= 0) {
			free(sc.colslot);
			return error_set(err, TERRAIN_EUSAGE,
					 "column %zu asked for twice or absent", cols[k]);
		}
		sc.colslot[cols[k]] = (int)k;
	}
	for (size_t i = 0; i < f->ncol; i++) {
		if (sc.colslot[i] >= 0) {
			sc.need[sc.nneed] = i;
			sc.slot[sc.nneed++] = (size_t)sc.colslot[i];
		}
	}
	sc.need[sc.nneed] = SIZE_MAX;

	/* how many workers, and where their ranges start */
	uint64_t end = f->kind == CENSUS_PLAIN ? f->size : UINT64_MAX;
	size_t want = o->workers ? o->workers : online_cpus();
	if (want > nstates)
		want = nstates;
	if (want > CENSUS_MAX_WORKERS)
		want = CENSUS_MAX_WORKERS;
	sc.pipe = f->kind != CENSUS_PLAIN && want > 1;
	if (f->kind != CENSUS_PLAIN || !want)
		want = 1;
	if (!o->split && f->kind == CENSUS_PLAIN) {
		uint64_t min_range = o->min_range ? o->min_range : DEFAULT_MIN_RANGE;
		uint64_t data = f->size > f->data_start ? f->size - f->data_start : 0;
		if (data / min_range < want)
			want = data / min_range ? (size_t)(data / min_range) : 1;
	}
	uint64_t starts[CENSUS_MAX_WORKERS + 1];
	starts[0] = f->data_start;
	for (size_t i = 1; i < want && !st; i++) {
		uint64_t nominal = o->split ? o->split[i - 1]
					    : f->data_start + (f->size - f->data_start) * i / want;
		st = line_start_after(f, nominal, &starts[i], err);
		if (starts[i] < starts[i - 1])
			starts[i] = starts[i - 1];
	}
	starts[want] = end;
	if (st)
		goto out;

	for (nw = 0; nw < want; nw++)
		worker_init(&w[nw], &sc, nw, states[nw], starts[nw], starts[nw + 1]);
	pthread_t tid[CENSUS_MAX_WORKERS];
	bool started[CENSUS_MAX_WORKERS] = {false};
	for (size_t i = 1; i < nw; i++)
		started[i] = pthread_create(&tid[i], NULL, worker_thread, &w[i]) == 0;
	worker_run(&w[0]);
	for (size_t i = 1; i < nw; i++) {
		if (started[i])
			pthread_join(tid[i], NULL);
		else
			worker_run(&w[i]);
	}

	/* In file order: a range whose start was not where the previous one
	 * really ended (a quoted line break at the split) is read again. */
	unsigned long line_off = f->header_lines;
	bool reread = false;
	for (size_t i = 0; i < nw; i++) {
		if (i > 0 && (w[i].aborted || w[i - 1].stop != w[i].start)) {
			void *state = w[i].state;
			uint64_t e = w[i].end, s = w[i - 1].stop;
			worker_release(&w[i]);
			if (reset)
				reset(state);
			worker_init(&w[i], &sc, i, state, s < e ? s : e, e);
			atomic_store(&sc.failed, SIZE_MAX);
			worker_run(&w[i]);
			reread = true;
		}
		if (w[i].st) {
			st = w[i].st;
			if (w[i].eline && w[i].ecol)
				error_set(err, st, "%s:%lu:%zu: %s", f->name, line_off + w[i].eline,
					  w[i].ecol, w[i].emsg);
			else if (w[i].eline)
				error_set(err, st, "%s:%lu: %s", f->name, line_off + w[i].eline,
					  w[i].emsg);
			else
				error_set(err, st, "%s", w[i].emsg);
			goto out;
		}
		line_off += w[i].lines;
	}
	if (stats) {
		memset(stats, 0, sizeof(*stats));
		for (size_t i = 0; i < nw; i++) {
			stats->records += w[i].records;
			stats->slow += w[i].slow;
			stats->bytes += w[i].bytes;
		}
		if (f->kind == CENSUS_PLAIN) /* windows and ranges overlap a little */
			stats->bytes = f->size - f->data_start;
		stats->workers = nw;
		stats->reread = reread;
	}
out:
	for (size_t i = 0; i < nw; i++)
		worker_release(&w[i]);
	free(sc.colslot);
	return st;
}
