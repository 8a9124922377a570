// SPDX-License-Identifier: MIT
/*
 * sgdemo_bench - sgdemo against vgem, side by side, in one guest.
 *
 * Every operation the two drivers share is measured on both in the same run,
 * alternating sgdemo and vgem within each repetition; the figure of an
 * operation is the median of its repetitions. Rates are "bigger is better"
 * (ops/s, GB/s), so each ratio is sgdemo over vgem and above 1.0 means
 * sgdemo is faster. Also measured: sgdemo's table ioctls, the memset limit
 * of the same guest (anonymous memory), and how the segments of a 64 MiB
 * object's table compare with its physically contiguous runs (SGT_INFO).
 * With -S, instead, how sgdemo's costs grow with object size, live objects
 * and threads (sgdemo_scaling.c).
 *
 * Usage: sgdemo_bench [-r REPS] [-t SECONDS] [-s] [-S] [-T N] [-D BUS]
 *   -r  repetitions of each measurement (default 7; -S: 5)
 *   -t  least time one measurement runs (default 0.3 s; -S: 0.1 s a point)
 *   -s  smoke run: 64 MiB cases at 8 MiB, one repetition, short times; with
 *       -S, small sizes, counts and times only
 *   -S  the scaling run: cost against object size, live objects, threads
 *   -T  only N creates and closes per driver, marked for ftrace
 *   -D  only what a DMA setup changes (owned tables, fill and copy jobs, big
 *       at 8 MiB), on the sgdemo device on BUS (platform or pci)
 * Writes JSON on stdout; progress on stderr. Exit 1 when a call fails or a
 * result does not read back.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "sgdemo.h"
#include "sgdemo_bench.h"
#include "sgdemo_fence.h"
#include "sgdemo_util.h"

static int reps = 7;
static double min_time = 0.3;
static uint64_t big = 64 * MiB;

/* Failed calls are libsgdemo's __sgdemo_*(), which leave errno as it was set. */
void die(const char *what)
{
	fprintf(stderr, "bench: %s: %s\n", what, strerror(errno));
	exit(1);
}

static int create_sgdemo(int fd, uint64_t size, uint32_t *handle)
{
	return __sgdemo_create(fd, &size, 0, handle);
}

/* vgem creates dumb buffers only: rows of 4 KiB. */
static int create_vgem(int fd, uint64_t size, uint32_t *handle)
{
	return __sgdemo_dumb_create(fd, 1024, (size + 4095) / 4096, 32, handle, NULL);
}

void gem_close(int fd, uint32_t handle)
{
	if (__sgdemo_gem_close(fd, handle))
		die("GEM_CLOSE");
}

uint32_t make(struct drv *d, uint64_t size)
{
	uint32_t handle;

	if (d->create(d->fd, size, &handle))
		die("create");
	return handle;
}

uint8_t *map(struct drv *d, uint32_t handle, uint64_t size)
{
	uint64_t offset;
	void *p;

	if (d->map(d->fd, handle, &offset))
		die("map offset");
	p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, d->fd, offset);
	if (p == MAP_FAILED)
		die("mmap");
	return p;
}

/*
 * A measurement: @fn does one operation; it runs until min_time has passed
 * (at least twice). Returns operations per second.
 */
static double rate(op_fn fn, struct drv *d, struct drv *peer, uint64_t size, void *arg)
{
	double t0 = seconds(), t;
	long n = 0;

	do {
		fn(d, peer, size, arg);
		n++;
		t = seconds() - t0;
	} while (t < min_time || n < 2);
	return n / t;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

double median(double *v, int n)
{
	qsort(v, n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* Operations. */

void op_create_close(struct drv *d, struct drv *peer, uint64_t size, void *arg)
{
	gem_close(d->fd, make(d, size));
}

void op_fill(struct drv *d, struct drv *peer, uint64_t size, void *arg)
{
	uint32_t handle = make(d, size);
	uint8_t *p = map(d, handle, size);

	memset(p, 0x5a, size);
	if (p[size - 1] != 0x5a)
		die("fill reads back");
	munmap(p, size);
	gem_close(d->fd, handle);
}

/* Export to a dma-buf and import into @peer (the same file for self-import). */
void op_prime(struct drv *d, struct drv *peer, uint64_t size, void *arg)
{
	uint32_t handle = *(uint32_t *)arg, imported;
	int dmabuf;

	if (__sgdemo_prime_handle_to_fd(d->fd, handle, DRM_CLOEXEC | DRM_RDWR, &dmabuf))
		die("export");
	if (__sgdemo_prime_fd_to_handle(peer->fd, dmabuf, &imported))
		die("import");
	close(dmabuf);
	if (peer != d)
		gem_close(peer->fd, imported);
}

/*
 * A new buffer of @d, exported and imported into @peer (which maps the
 * attachment: a table of every page), then the dma-buf's first CPU map: one
 * read per page. Everything closed again.
 */
static void op_cross(struct drv *d, struct drv *peer, uint64_t size, void *arg)
{
	uint32_t handle = make(d, size), imported;
	volatile uint8_t *p;
	uint64_t i, sum = 0;
	int dmabuf;

	if (__sgdemo_prime_handle_to_fd(d->fd, handle, DRM_CLOEXEC | DRM_RDWR, &dmabuf))
		die("export");
	if (__sgdemo_prime_fd_to_handle(peer->fd, dmabuf, &imported))
		die("import into the peer");
	p = mmap(NULL, size, PROT_READ, MAP_SHARED, dmabuf, 0);
	if (p == MAP_FAILED)
		die("mmap of the dma-buf");
	for (i = 0; i < size; i += 4096)
		sum += p[i];
	if (sum)
		die("a new buffer reads back zero");
	munmap((void *)p, size);
	gem_close(peer->fd, imported);
	close(dmabuf);
	gem_close(d->fd, handle);
}

void op_sgt_info(struct drv *d, struct drv *peer, uint64_t size, void *arg)
{
	struct drm_sgdemo_sgt_info info = { .handle = *(uint32_t *)arg };

	if (__sgdemo_sgt_info(d->fd, &info) || info.size != size)
		die("SGT_INFO");
}

void op_owned(struct drv *d, struct drv *peer, uint64_t size, void *arg)
{
	uint32_t id;

	if (__sgdemo_sgt_acquire(d->fd, *(uint32_t *)arg, 0, &id))
		die("SGT_ACQUIRE");
	if (__sgdemo_sgt_release(d->fd, id))
		die("SGT_RELEASE");
}

struct read_arg {
	uint32_t id;
	uint8_t *dst;
};

static void op_sgt_read(struct drv *d, struct drv *peer, uint64_t size, void *arg)
{
	struct read_arg *ra = arg;

	if (__sgdemo_sgt_read(d->fd, ra->id, 0, 0, size, ra->dst))
		die("SGT_READ");
}

/* Copy engine jobs: submit, then wait for the job's sync_file. */
static void engine_job(struct drv *d, struct drm_sgdemo_submit *job)
{
	job->flags = SGDEMO_SUBMIT_FENCE_OUT;
	if (__sgdemo_submit(d->fd, job))
		die("SUBMIT");
	if (!fd_ready(job->out_fence_fd, POLLIN, 30000))
		die("job fence");
	close(job->out_fence_fd);
}

void op_engine_fill(struct drv *d, struct drv *peer, uint64_t size, void *arg)
{
	struct job_arg *ja = arg;
	struct drm_sgdemo_submit job = {
		.op = SGDEMO_OP_FILL, .dst_handle = ja->dst, .size = size, .fill = 0x5a,
	};

	engine_job(d, &job);
}

static void op_engine_copy(struct drv *d, struct drv *peer, uint64_t size, void *arg)
{
	struct job_arg *ja = arg;
	struct drm_sgdemo_submit job = {
		.op = SGDEMO_OP_COPY, .dst_handle = ja->dst, .src_handle = ja->src, .size = size,
	};

	engine_job(d, &job);
}

/* What the engine's copy competes with: memcpy between two mappings. */
static void op_mapped_copy(struct drv *d, struct drv *peer, uint64_t size, void *arg)
{
	uint8_t **maps = arg;

	memcpy(maps[0], maps[1], size);
}

/* The limit: memset into new anonymous memory (faults included), and warm. */
static void op_anon_fresh(struct drv *d, struct drv *peer, uint64_t size, void *arg)
{
	uint8_t *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
			  -1, 0);

	if (p == MAP_FAILED)
		die("anonymous mmap");
	memset(p, 0x5a, size);
	if (p[size - 1] != 0x5a)
		die("memset reads back");
	munmap(p, size);
}

static void op_anon_warm(struct drv *d, struct drv *peer, uint64_t size, void *arg)
{
	uint8_t *p = arg;

	memset(p, p[0] + 1, size);
}

/* Output. */

static int first_field = 1;

static void field_start(void)
{
	printf("%s\n    ", first_field ? "" : ",");
	first_field = 0;
}

/*
 * A shared operation: both drivers, alternating, medians and their ratio.
 * Returns sgdemo's median.
 */
static double shared(const char *name, const char *unit, op_fn fn, uint64_t size,
		   struct drv *s, struct drv *v, struct drv *sp, struct drv *vp,
		   void *sarg, void *varg)
{
	double rs[MAX_REPS], rv[MAX_REPS], scale = strcmp(unit, "GB/s") ? 1 : size / 1e9;
	double ms, mv;
	int i;

	/* A first round, not counted: under TCG, code runs slowly the first time. */
	rate(fn, s, sp, size, sarg);
	rate(fn, v, vp, size, varg);
	/* Each goes first every other time: neither gains from its place. */
	for (i = 0; i < reps; i++) {
		if (i % 2) {
			rv[i] = rate(fn, v, vp, size, varg) * scale;
			rs[i] = rate(fn, s, sp, size, sarg) * scale;
		} else {
			rs[i] = rate(fn, s, sp, size, sarg) * scale;
			rv[i] = rate(fn, v, vp, size, varg) * scale;
		}
	}
	ms = median(rs, reps);
	mv = median(rv, reps);
	fprintf(stderr, "bench: %-34s sgdemo %12.2f  vgem %12.2f %-5s  ratio %.2f\n",
		name, ms, mv, unit, ms / mv);
	field_start();
	printf("{\"op\": \"%s\", \"unit\": \"%s\", \"size\": %llu, \"sgdemo\": %.4f, "
	       "\"vgem\": %.4f, \"ratio\": %.4f}", name, unit, (unsigned long long)size,
	       ms, mv, ms / mv);
	return ms;
}

/* One driver alone (sgdemo's tables, the memset limit). */
static double alone(const char *name, const char *unit, op_fn fn, uint64_t size,
		    struct drv *d, struct drv *peer, void *arg)
{
	double r[MAX_REPS], scale = strcmp(unit, "GB/s") ? 1 : size / 1e9, m;
	int i;

	rate(fn, d, peer, size, arg);
	for (i = 0; i < reps; i++)
		r[i] = rate(fn, d, peer, size, arg) * scale;
	m = median(r, reps);
	fprintf(stderr, "bench: %-34s %12.2f %s\n", name, m, unit);
	field_start();
	printf("{\"op\": \"%s\", \"unit\": \"%s\", \"size\": %llu, \"value\": %.4f}",
	       name, unit, (unsigned long long)size, m);
	return m;
}

/* Page faults one call of @fn takes (minor faults of this process). */
static long faults(op_fn fn, struct drv *d, uint64_t size)
{
	struct rusage before, after;

	getrusage(RUSAGE_SELF, &before);
	fn(d, d, size, NULL);
	getrusage(RUSAGE_SELF, &after);
	return after.ru_minflt - before.ru_minflt;
}

/*
 * The borrowed table of a filled object against the physically contiguous
 * runs of its pages (SGT_INFO counts them page by page, without saying
 * where they are).
 */
static void segments(struct drv *s)
{
	uint32_t handle = make(s, big);
	uint8_t *p = map(s, handle, big);
	struct drm_sgdemo_sgt_info info = { .handle = handle };

	memset(p, 1, big);
	if (__sgdemo_sgt_info(s->fd, &info))
		die("SGT_INFO");
	fprintf(stderr, "bench: %llu MiB object: %u contiguous runs, table %u segments "
		"(%u DMA-mapped)\n", (unsigned long long)(big / MiB), info.page_runs,
		info.orig_nents, info.nents);
	printf(",\n  \"segments\": {\"size\": %llu, \"pages\": %llu, \"contiguous_runs\": %u, "
	       "\"orig_nents\": %u, \"nents\": %u}", (unsigned long long)big,
	       (unsigned long long)(big / 4096), info.page_runs, info.orig_nents, info.nents);
	munmap(p, big);
	gem_close(s->fd, handle);
}

/*
 * -T: nothing but @n creates and closes of 4 KiB objects on each driver, each
 * driver's run between two lines in the trace marker, for the guest to trace
 * with ftrace's function_graph.
 */
static int trace_create_close(struct drv *s, struct drv *v, int n)
{
	int marker = open("/sys/kernel/debug/tracing/trace_marker", O_WRONLY);
	struct drv *d[] = { s, v };
	int i, j;

	if (marker < 0)
		marker = open("/sys/kernel/tracing/trace_marker", O_WRONLY);
	if (marker < 0)
		die("open trace_marker");
	for (j = 0; j < 2; j++) {
		for (i = 0; i < n / 10; i++)	/* warm up, untraced in effect */
			op_create_close(d[j], d[j], 4 * KiB, NULL);
		dprintf(marker, "bench-begin %s\n", d[j]->name);
		for (i = 0; i < n; i++)
			op_create_close(d[j], d[j], 4 * KiB, NULL);
		dprintf(marker, "bench-end %s\n", d[j]->name);
	}
	close(marker);
	return 0;
}

/*
 * -D BUS: only what a DMA setup changes, on the sgdemo device on BUS, for
 * the table of setups side by side (tools/vm/bench.sh runs it once a
 * setup): owned tables are mapped, jobs sync what they touch. Each setup
 * boots a guest of its own, so the run ends with a reference no setup
 * changes (memset into touched anonymous memory): tools/vm/bench.py
 * compares the setups through it, which takes out how busy the host was.
 */
static int dma_setup_ops(struct drv *s)
{
	struct job_arg ja = { make(s, big), make(s, big) };
	uint32_t h = make(s, 2 * MiB);
	struct utsname u;
	uint8_t *warm;

	uname(&u);
	printf("{\n  \"kernel\": \"%s\", \"reps\": %d, \"min_time\": %.3f, \"big\": %llu,\n"
	       "  \"dma\": [", u.release, reps, min_time, (unsigned long long)big);
	alone("owned acquire + release 2 MiB", "ops/s", op_owned, 2 * MiB, s, s, &h);
	alone("engine fill job 4 KiB", "ops/s", op_engine_fill, 4 * KiB, s, s, &ja);
	alone("engine fill job big", "GB/s", op_engine_fill, big, s, s, &ja);
	alone("engine copy job big", "GB/s", op_engine_copy, big, s, s, &ja);
	warm = mmap(NULL, big, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (warm == MAP_FAILED)
		die("anonymous mmap");
	memset(warm, 0, big);
	alone("reference: memset, touched anonymous memory big", "GB/s", op_anon_warm, big, s,
	      s, warm);
	munmap(warm, big);
	printf("\n  ]\n}\n");
	gem_close(s->fd, h);
	gem_close(s->fd, ja.dst);
	gem_close(s->fd, ja.src);
	close(s->fd);
	return 0;
}

int main(int argc, char **argv)
{
	struct drv s = { "sgdemo", -1, create_sgdemo, __sgdemo_mmap_offset };
	struct drv v = { "vgem", -1, create_vgem, __sgdemo_dumb_map_offset };
	uint32_t sh, vh, acq_handle;
	struct read_arg ra;
	struct utsname u;
	double fill, fresh, owned, prime;
	const char *dma_bus = NULL;
	uint8_t *warm;
	int opt, trace = 0, scaling_run = 0, smoke = 0, reps_given = 0, time_given = 0;

	while ((opt = getopt(argc, argv, "r:t:sST:D:")) != -1) {
		switch (opt) {
		case 'S':
			scaling_run = 1;
			break;
		case 'D':
			dma_bus = optarg;
			big = 8 * MiB;	/* within the DMA budget behind a bounce pool */
			break;
		case 'T':
			trace = atoi(optarg);
			break;
		case 'r':
			reps = atoi(optarg);
			reps_given = 1;
			break;
		case 't':
			min_time = atof(optarg);
			time_given = 1;
			break;
		case 's':
			smoke = 1;
			reps = 1;
			min_time = 0.02;
			big = 8 * MiB;
			break;
		default:
			fprintf(stderr, "usage: %s [-r REPS] [-t SECONDS] [-s] [-S] [-T N] [-D BUS]\n",
				argv[0]);
			return 2;
		}
	}
	if (reps < 1 || reps > MAX_REPS || min_time <= 0) {
		fprintf(stderr, "bench: 1 <= REPS <= %d, SECONDS > 0\n", MAX_REPS);
		return 2;
	}
	s.fd = __sgdemo_open_on_bus("sgdemo", SGDEMO_RENDER, dma_bus);
	if (dma_bus) {
		if (s.fd < 0) {
			fprintf(stderr, "bench: no sgdemo device on bus %s\n", dma_bus);
			return 1;
		}
		return dma_setup_ops(&s);
	}
	v.fd = __sgdemo_open_driver("vgem", SGDEMO_PRIMARY);
	if (s.fd < 0 || v.fd < 0) {
		fprintf(stderr, "bench: no %s device\n", s.fd < 0 ? "sgdemo" : "vgem");
		return 1;
	}
	if (trace > 0)
		return trace_create_close(&s, &v, trace);
	if (scaling_run)
		return scaling(&s, &v, reps_given ? reps : 0, time_given ? min_time : 0, smoke);
	uname(&u);
	printf("{\n  \"kernel\": \"%s\", \"reps\": %d, \"min_time\": %.3f, \"big\": %llu,\n"
	       "  \"cpus\": %ld, \"memory_mib\": %ld,\n  \"shared\": [", u.release, reps,
	       min_time, (unsigned long long)big, sysconf(_SC_NPROCESSORS_ONLN),
	       sysconf(_SC_PHYS_PAGES) * sysconf(_SC_PAGESIZE) / (long)MiB);

	shared("create + close 4 KiB", "ops/s", op_create_close, 4 * KiB, &s, &v, &s, &v,
	       NULL, NULL);
	shared("create + close 2 MiB", "ops/s", op_create_close, 2 * MiB, &s, &v, &s, &v,
	       NULL, NULL);
	shared("create + mmap + fill + close 2 MiB", "GB/s", op_fill, 2 * MiB, &s, &v, &s, &v,
	       NULL, NULL);
	shared("create + mmap + fill + close big", "GB/s", op_fill, big, &s, &v, &s, &v,
	       NULL, NULL);
	sh = make(&s, 2 * MiB);
	vh = make(&v, 2 * MiB);
	shared("PRIME export + self-import 2 MiB", "ops/s", op_prime, 2 * MiB, &s, &v, &s, &v,
	       &sh, &vh);
	prime = shared("PRIME export + import into the other + close 2 MiB", "ops/s", op_prime,
		       2 * MiB, &s, &v, &v, &s, &sh, &vh);
	shared("cross-import + first map big", "ops/s", op_cross, big, &s, &v, &v, &s,
	       NULL, NULL);
	gem_close(v.fd, vh);
	printf("\n  ],\n  \"sgdemo\": [");
	first_field = 1;

	alone("SGT_INFO, borrowed 2 MiB", "ops/s", op_sgt_info, 2 * MiB, &s, &s, &sh);
	owned = alone("owned acquire + release 2 MiB", "ops/s", op_owned, 2 * MiB, &s, &s, &sh);
	gem_close(s.fd, sh);

	acq_handle = make(&s, big);
	memset(map(&s, acq_handle, big), 7, big);
	if (__sgdemo_sgt_acquire(s.fd, acq_handle, 0, &ra.id))
		die("SGT_ACQUIRE");
	ra.dst = malloc(big);
	if (!ra.dst)
		die("malloc");
	alone("SGT_READ through an owned table big", "GB/s", op_sgt_read, big, &s, &s, &ra);
	if (ra.dst[big - 1] != 7)
		die("SGT_READ reads back");
	gem_close(s.fd, acq_handle);	/* the owned table keeps the object */
	if (__sgdemo_sgt_release(s.fd, ra.id))
		die("SGT_RELEASE");
	free(ra.dst);

	{
		struct job_arg ja = { make(&s, big), make(&s, big) };
		uint8_t *maps[2] = { map(&s, ja.dst, big), map(&s, ja.src, big) };

		memset(maps[1], 3, big);
		alone("engine fill job, submit to signal 4 KiB", "ops/s", op_engine_fill,
		      4 * KiB, &s, &s, &ja);
		alone("engine fill job, submit to signal big", "GB/s", op_engine_fill, big, &s,
		      &s, &ja);
		alone("engine copy job, submit to signal big", "GB/s", op_engine_copy, big, &s,
		      &s, &ja);
		if (maps[0][big - 1] != 3)
			die("engine copy reads back");
		alone("memcpy between two mappings big", "GB/s", op_mapped_copy, big, &s, &s,
		      maps);
		munmap(maps[0], big);
		munmap(maps[1], big);
		gem_close(s.fd, ja.dst);
		gem_close(s.fd, ja.src);
	}
	printf("\n  ],\n  \"limit\": [");
	first_field = 1;
	fresh = alone("memset, new anonymous memory big", "GB/s", op_anon_fresh, big, &s,
		      &s, NULL);
	warm = mmap(NULL, big, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (warm == MAP_FAILED)
		die("anonymous mmap");
	memset(warm, 0, big);
	alone("memset, touched anonymous memory big", "GB/s", op_anon_warm, big, &s, &s, warm);
	munmap(warm, big);
	printf("\n  ]");
	segments(&s);
	/* The big fill of sgdemo, again, next to the fresh-memory limit. */
	{
		double r[MAX_REPS];
		int i;

		for (i = 0; i < reps; i++)
			r[i] = rate(op_fill, &s, &s, big, NULL) * big / 1e9;
		fill = median(r, reps);
	}
	{
		long fs = faults(op_fill, &s, big), fv = faults(op_fill, &v, big);
		long fa = faults(op_anon_fresh, &s, big);

		fprintf(stderr, "bench: page faults of one big fill: sgdemo %ld, vgem %ld, "
			"anonymous memory %ld\n", fs, fv, fa);
		printf(",\n  \"faults\": {\"sgdemo\": %ld, \"vgem\": %ld, \"anonymous\": %ld}",
		       fs, fv, fa);
	}
	printf(",\n  \"fill_over_limit\": %.4f,\n  \"owned_over_prime\": %.4f\n}\n",
	       fill / fresh, owned / prime);
	fprintf(stderr, "bench: fill/limit %.2f, owned acquire+release / export+import+close %.2f\n",
		fill / fresh, owned / prime);
	close(s.fd);
	close(v.fd);
	return 0;
}
