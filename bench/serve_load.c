/* serve_load URL CLIENTS SECONDS: CLIENTS concurrent clients (libcurl
 * multi, one connection each, kept alive) asking URL over and over for
 * SECONDS; every answer must be 200 with a body.  Prints the count, the
 * rate and the latency's percentiles (p50, p90, p99, max, in ms); exits 1
 * on any error.  Built and run by make bench (bench/serve.sh). */
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

struct client {
	CURL *h;
	double start;
	size_t bytes;
};

static size_t on_data(char *p, size_t size, size_t n, void *cl)
{
	(void)p;
	((struct client *)cl)->bytes += size * n;
	return size * n;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static double pct(const double *v, size_t n, double p)
{
	size_t i = (size_t)(p / 100.0 * (double)(n - 1) + 0.5);
	return v[i < n ? i : n - 1];
}

int main(int argc, char **argv)
{
	if (argc != 4) {
		fprintf(stderr, "usage: serve_load URL CLIENTS SECONDS\n");
		return 2;
	}
	const char *url = argv[1];
	int nclients = atoi(argv[2]);
	double seconds = atof(argv[3]);
	if (nclients < 1 || nclients > 1000 || seconds <= 0) {
		fprintf(stderr, "serve_load: bad CLIENTS or SECONDS\n");
		return 2;
	}
	curl_global_init(CURL_GLOBAL_DEFAULT);
	CURLM *m = curl_multi_init();
	curl_multi_setopt(m, CURLMOPT_MAX_HOST_CONNECTIONS, (long)nclients);
	struct client *c = calloc((size_t)nclients, sizeof(*c));
	size_t alloc = 1 << 16, n = 0, errors = 0;
	double *lat = malloc(alloc * sizeof(*lat));
	double t0 = now_ms(), end = t0 + seconds * 1e3;
	for (int i = 0; i < nclients; i++) {
		c[i].h = curl_easy_init();
		curl_easy_setopt(c[i].h, CURLOPT_URL, url);
		curl_easy_setopt(c[i].h, CURLOPT_WRITEFUNCTION, on_data);
		curl_easy_setopt(c[i].h, CURLOPT_WRITEDATA, &c[i]);
		curl_easy_setopt(c[i].h, CURLOPT_PRIVATE, &c[i]);
		curl_easy_setopt(c[i].h, CURLOPT_TIMEOUT, 30L);
		c[i].start = now_ms();
		curl_multi_add_handle(m, c[i].h);
	}
	int running = nclients;
	while (running) {
		curl_multi_perform(m, &running);
		CURLMsg *msg;
		int left;
		while ((msg = curl_multi_info_read(m, &left))) {
			if (msg->msg != CURLMSG_DONE)
				continue;
			struct client *cl;
			long code = 0;
			curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&cl);
			curl_easy_getinfo(msg->easy_handle, CURLINFO_RESPONSE_CODE, &code);
			double t = now_ms();
			if (msg->data.result != CURLE_OK || code != 200 || !cl->bytes) {
				if (errors++ < 5)
					fprintf(stderr, "serve_load: %s (HTTP %ld, %zu bytes)\n",
						curl_easy_strerror(msg->data.result), code,
						cl->bytes);
			}
			if (n == alloc) {
				alloc *= 2;
				lat = realloc(lat, alloc * sizeof(*lat));
			}
			lat[n++] = t - cl->start;
			curl_multi_remove_handle(m, cl->h);
			if (t < end) {
				cl->start = now_ms();
				cl->bytes = 0;
				curl_multi_add_handle(m, cl->h);
				running++;
			}
		}
		if (running)
			curl_multi_poll(m, NULL, 0, 100, NULL);
	}
	double took = (now_ms() - t0) / 1e3;
	qsort(lat, n, sizeof(*lat), cmp);
	if (n)
		printf(
		    "%d clients, %.1f s: %zu requests (%.0f/s), %zu errors; latency ms: p50 %.1f, "
		    "p90 %.1f, p99 %.1f, max %.1f\n",
		    nclients, took, n, (double)n / took, errors, pct(lat, n, 50), pct(lat, n, 90),
		    pct(lat, n, 99), lat[n - 1]);
	for (int i = 0; i < nclients; i++)
		curl_easy_cleanup(c[i].h);
	curl_multi_cleanup(m);
	curl_global_cleanup();
	free(c);
	free(lat);
	return errors || !n ? 1 : 0;
}
