// SPDX-License-Identifier: MIT
/*
 * sgdemo_bench -S: how sgdemo's costs grow.
 *
 * - With object size: each operation on objects of 4 KiB, then four times
 *   bigger at each step, up to a quarter of the guest's memory; time per
 *   operation and per page (a cost linear in pages is flat per page).
 * - With the number of live objects: N objects of 4 KiB held by one file,
 *   1 to 100 000; what it costs to create and close one more, and to look a
 *   handle up: MMAP_OFFSET of a random live handle whose offset exists
 *   already (the handle's lookup, a reference, the offset read back; nothing
 *   is allocated).
 * - With threads: 1, 2, 4 and 8 threads, each on files of its own, running
 *   fill jobs or a fixed round of mixed work; operations per second, all
 *   threads together.
 *
 * A point is the median of its repetitions, each at least the point's time
 * long and at least one operation; a point stops repeating once it has run
 * POINT_BUDGET seconds, so the biggest sizes are measured once or twice.
 * The largest object is mapped up to three times at once (its borrowed
 * table, a job's shared table and the one of the next job while the first
 * is being torn down): the guest loads sgdemo with a DMA budget that allows
 * it (tools/vm/guest/bench.sh).
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "sgdemo.h"
#include "sgdemo_bench.h"
#include "sgdemo_util.h"

#define POINT_BUDGET	3.0	/* seconds a point may repeat for */
#define MAX_SIZES	16
#define MAX_LIVE	100000
#define MAX_THREADS	8
#define CHURN_SIZE	(64 * KiB)
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

static int reps = 5;
static double point_time = 0.1;
static double thread_time = 1.0;

struct point {
	double value;	/* µs per operation, or operations per second */
	int reps;	/* repetitions made */
	long ops;	/* operations timed, all repetitions together */
};

/* µs per call of @fn; @warm: one call first that is not timed. */
static struct point cost(op_fn fn, struct drv *d, struct drv *peer, uint64_t size,
			 void *arg, int warm)
{
	double r[MAX_REPS], start = seconds();
	struct point p = { 0 };

	if (warm)
		fn(d, peer, size, arg);
	while (p.reps < reps) {
		double t0 = seconds(), t;
		long n = 0;

		do {
			fn(d, peer, size, arg);
			n++;
			t = seconds() - t0;
		} while (t < point_time);
		r[p.reps++] = t / n * 1e6;
		p.ops += n;
		if (seconds() - start > POINT_BUDGET)
			break;
	}
	p.value = median(r, p.reps);
	return p;
}

/* Output: JSON on stdout, the same figures on stderr as they come. */
static void point_json(int first, const char *x_name, uint64_t x, struct point *p,
		       const char *unit, uint64_t pages)
{
	printf("%s\n        {\"%s\": %llu, \"%s\": %.3f, \"reps\": %d, \"ops\": %ld", first ? "" : ",",
	       x_name, (unsigned long long)x, unit, p->value, p->reps, p->ops);
	if (pages)
		printf(", \"pages\": %llu, \"us_per_page\": %.5f", (unsigned long long)pages,
		       p->value / pages);
	printf("}");
}

static void series_start(int first, const char *op, const char *unit)
{
	printf("%s\n    {\"op\": \"%s\", \"unit\": \"%s\", \"points\": [", first ? "" : ",", op, unit);
}

/* Size. */

static void op_first_borrow(struct drv *d, struct drv *peer, uint64_t size, void *arg)
{
	uint32_t handle = make(d, size);

	op_sgt_info(d, peer, size, &handle);
	gem_close(d->fd, handle);
}

enum size_op {
	SIZE_CREATE, SIZE_FILL, SIZE_FIRST_BORROW, SIZE_SGT_INFO, SIZE_OWNED, SIZE_PRIME,
	SIZE_JOB, SIZE_OPS
};

static const char *const size_op_name[SIZE_OPS] = {
	[SIZE_CREATE]		= "create + close",
	[SIZE_FILL]		= "create + mmap + fill + close",
	[SIZE_FIRST_BORROW]	= "create + first SGT_INFO + close",
	[SIZE_SGT_INFO]		= "SGT_INFO, borrowed table",
	[SIZE_OWNED]		= "owned acquire + release",
	[SIZE_PRIME]		= "export + import into vgem + close",
	[SIZE_JOB]		= "engine fill job, submit to signal",
};

/*
 * 4 KiB, 16 KiB, ... while below @top, then @top: a quarter of the guest's
 * memory in whole 2 MiB (a huge page), or 16 MiB for a quick run.
 */
static int size_ladder(uint64_t *sizes, int quick)
{
	uint64_t top = (uint64_t)sysconf(_SC_PHYS_PAGES) * sysconf(_SC_PAGESIZE) / 4;
	uint64_t size;
	int n = 0;

	top = quick ? 16 * MiB : top & ~(2 * MiB - 1);
	for (size = 4 * KiB; size < top && n < MAX_SIZES - 1; size *= 4)
		sizes[n++] = size;
	sizes[n++] = top;
	return n;
}

/*
 * Every operation at every size. The operations on an existing object run
 * on one whose pages its borrowed table pins (the first SGT_INFO): they pay
 * for tables and mappings, not for allocating pages, which the create +
 * first SGT_INFO + close and the fill series show.
 */
static void by_size(struct drv *s, struct drv *v, int quick)
{
	static struct point p[SIZE_OPS][MAX_SIZES];
	struct drm_sgdemo_sgt_info info[MAX_SIZES];
	uint64_t sizes[MAX_SIZES];
	double faults[MAX_SIZES];
	int n = size_ladder(sizes, quick), i, op;

	for (i = 0; i < n; i++) {
		uint64_t size = sizes[i];
		int warm = size <= 16 * MiB;
		struct rusage before, after;
		struct job_arg ja;
		uint32_t h;

		p[SIZE_CREATE][i] = cost(op_create_close, s, s, size, NULL, warm);
		/* Page faults per fill, and how the object's pages lie (huge or not). */
		getrusage(RUSAGE_SELF, &before);
		p[SIZE_FILL][i] = cost(op_fill, s, s, size, NULL, warm);
		getrusage(RUSAGE_SELF, &after);
		faults[i] = (double)(after.ru_minflt - before.ru_minflt) / (p[SIZE_FILL][i].ops + warm);
		p[SIZE_FIRST_BORROW][i] = cost(op_first_borrow, s, s, size, NULL, warm);
		h = make(s, size);
		info[i] = (struct drm_sgdemo_sgt_info){ .handle = h };
		if (__sgdemo_sgt_info(s->fd, &info[i]))
			die("SGT_INFO");
		p[SIZE_SGT_INFO][i] = cost(op_sgt_info, s, s, size, &h, warm);
		p[SIZE_OWNED][i] = cost(op_owned, s, s, size, &h, warm);
		p[SIZE_PRIME][i] = cost(op_prime, s, v, size, &h, warm);
		ja.dst = h;
		ja.src = 0;
		p[SIZE_JOB][i] = cost(op_engine_fill, s, s, size, &ja, warm);
		gem_close(s->fd, h);
		for (op = 0; op < SIZE_OPS; op++)
			fprintf(stderr, "bench: size %9llu KiB  %-36s %12.1f us  %9.4f us/page\n",
				(unsigned long long)(size / KiB), size_op_name[op], p[op][i].value,
				p[op][i].value / (size / 4096));
		fprintf(stderr, "bench: size %9llu KiB  %.1f faults per fill; %u page runs, "
			"%u segments\n", (unsigned long long)(size / KiB), faults[i],
			info[i].page_runs, info[i].orig_nents);
	}
	printf(",\n  \"size_facts\": [");
	for (i = 0; i < n; i++)
		printf("%s\n    {\"size\": %llu, \"fill_faults\": %.1f, \"page_runs\": %u, "
		       "\"segments\": %u}", i ? "," : "", (unsigned long long)sizes[i], faults[i],
		       info[i].page_runs, info[i].orig_nents);
	printf("\n  ]");
	printf(",\n  \"size\": [");
	for (op = 0; op < SIZE_OPS; op++) {
		series_start(!op, size_op_name[op], "us");
		for (i = 0; i < n; i++)
			point_json(!i, "size", sizes[i], &p[op][i], "us", sizes[i] / 4096);
		printf("\n      ]}");
	}
	printf("\n  ]");
}

/* Live objects. */

struct live {
	uint32_t *handles;
	long n;
	uint64_t rng;
};

/* The handle lookup: MMAP_OFFSET of a random live object (its offset exists). */
static void op_lookup(struct drv *d, struct drv *peer, uint64_t size, void *arg)
{
	struct live *l = arg;
	uint64_t offset;

	if (__sgdemo_mmap_offset(d->fd, l->handles[rnd(&l->rng) % l->n], &offset))
		die("MMAP_OFFSET");
}

/*
 * 1, 3, 10, 30, ... 100 000 objects of 4 KiB (1 000 for a quick run), each
 * given its mmap offset as it is made, all in the file of @s. Also the mean
 * cost of making the objects added since the last point.
 */
static void by_live_objects(struct drv *s, int quick)
{
	static const long counts[] = { 1, 3, 10, 30, 100, 300, 1000, 3000, 10000, 30000, 100000 };
	const int ncounts = quick ? 7 : ARRAY_SIZE(counts);
	struct point create[ARRAY_SIZE(counts)], lookup[ARRAY_SIZE(counts)];
	struct point grow[ARRAY_SIZE(counts)];
	struct live l = { calloc(MAX_LIVE, sizeof(uint32_t)), 0, 0x9e3779b97f4a7c15ull };
	double t0, close_us;
	long prev = 0;
	int i;

	if (!l.handles)
		die("calloc");
	for (i = 0; i < ncounts; i++) {
		uint64_t offset;

		t0 = seconds();
		while (l.n < counts[i]) {
			l.handles[l.n] = make(s, 4 * KiB);
			if (__sgdemo_mmap_offset(s->fd, l.handles[l.n], &offset))
				die("MMAP_OFFSET");
			l.n++;
		}
		grow[i] = (struct point){ (seconds() - t0) / (l.n - prev) * 1e6, 1, l.n - prev };
		prev = l.n;
		create[i] = cost(op_create_close, s, s, 4 * KiB, NULL, 1);
		lookup[i] = cost(op_lookup, s, s, 4 * KiB, &l, 1);
		fprintf(stderr, "bench: %6ld live objects: create + close one more %8.1f us, "
			"lookup %6.1f us, making them %8.1f us each\n", l.n, create[i].value,
			lookup[i].value, grow[i].value);
	}
	t0 = seconds();
	while (l.n)
		gem_close(s->fd, l.handles[--l.n]);
	close_us = (seconds() - t0) / prev * 1e6;
	fprintf(stderr, "bench: closing %ld objects: %.1f us each\n", prev, close_us);
	free(l.handles);

	printf(",\n  \"objects\": {\"object_size\": %llu, \"lookup\": \"DRM_IOCTL_SGDEMO_MMAP_OFFSET"
	       " of a random live handle\", \"close_all\": {\"objects\": %ld, \"us\": %.3f},"
	       "\n   \"series\": [", (unsigned long long)(4 * KiB), prev, close_us);
	series_start(1, "create + close one more", "us");
	for (i = 0; i < ncounts; i++)
		point_json(!i, "live", counts[i], &create[i], "us", 0);
	printf("\n      ]}");
	series_start(0, "handle lookup (MMAP_OFFSET)", "us");
	for (i = 0; i < ncounts; i++)
		point_json(!i, "live", counts[i], &lookup[i], "us", 0);
	printf("\n      ]}");
	series_start(0, "create + MMAP_OFFSET of the objects kept (mean since the last point)",
		     "us");
	for (i = 0; i < ncounts; i++)
		point_json(!i, "live", counts[i], &grow[i], "us", 0);
	printf("\n      ]}\n  ]}");
}

/* Threads. */

enum work { WORK_JOB_SMALL, WORK_JOB_BIG, WORK_CHURN, WORKS };

static const struct {
	const char *name, *unit;
	uint64_t size;
} works[WORKS] = {
	[WORK_JOB_SMALL]	= { "fill jobs 4 KiB, submit to signal", "jobs/s", 4 * KiB },
	[WORK_JOB_BIG]		= { "fill jobs 4 MiB, submit to signal", "jobs/s", 4 * MiB },
	[WORK_CHURN]		= { "churn rounds 64 KiB", "rounds/s", CHURN_SIZE },
};

struct worker {
	pthread_t tid;
	struct drv s, v;	/* files of its own */
	enum work work;
	pthread_barrier_t *start;
	long ops;
	double secs;
};

/*
 * One round of mixed work on a new object, the operations sgdemo_churn
 * mixes at random done once each in a fixed order: create, mmap and write
 * it, its borrowed table, an owned table, export to vgem, a fill job, close.
 */
static void churn_round(struct drv *s, struct drv *v)
{
	uint32_t h = make(s, CHURN_SIZE);
	struct job_arg ja = { h, 0 };
	uint8_t *p = map(s, h, CHURN_SIZE);

	memset(p, 0x33, CHURN_SIZE);
	munmap(p, CHURN_SIZE);
	op_sgt_info(s, s, CHURN_SIZE, &h);
	op_owned(s, s, CHURN_SIZE, &h);
	op_prime(s, v, CHURN_SIZE, &h);
	op_engine_fill(s, s, CHURN_SIZE, &ja);
	gem_close(s->fd, h);
}

static void *worker_run(void *arg)
{
	struct worker *w = arg;
	uint64_t size = works[w->work].size;
	struct job_arg ja = { 0, 0 };
	double t0, t;

	/* Pages pinned by the borrowed table, and one job not timed. */
	if (w->work != WORK_CHURN) {
		ja.dst = make(&w->s, size);
		op_sgt_info(&w->s, &w->s, size, &ja.dst);
		op_engine_fill(&w->s, &w->s, size, &ja);
	}
	pthread_barrier_wait(w->start);
	t0 = seconds();
	do {
		if (w->work == WORK_CHURN)
			churn_round(&w->s, &w->v);
		else
			op_engine_fill(&w->s, &w->s, size, &ja);
		w->ops++;
		t = seconds() - t0;
	} while (t < thread_time);
	w->secs = t;
	if (ja.dst)
		gem_close(w->s.fd, ja.dst);
	return NULL;
}

/* Operations per second of @n threads doing @work, all of them together. */
static double threads_rate(struct worker *w, int n, enum work work)
{
	pthread_barrier_t start;
	double total = 0;
	int i;

	pthread_barrier_init(&start, NULL, n);
	for (i = 0; i < n; i++) {
		w[i].work = work;
		w[i].start = &start;
		w[i].ops = 0;
		if (pthread_create(&w[i].tid, NULL, worker_run, &w[i]))
			die("pthread_create");
	}
	for (i = 0; i < n; i++) {
		pthread_join(w[i].tid, NULL);
		total += w[i].ops / w[i].secs;
	}
	pthread_barrier_destroy(&start);
	return total;
}

static void by_threads(struct drv *s, struct drv *v, int quick)
{
	static const int counts[] = { 1, 2, 4, 8 };
	const int ncounts = quick ? 2 : 4;
	struct worker w[MAX_THREADS];
	struct point p[WORKS][ARRAY_SIZE(counts)];
	int i, j, k;

	for (i = 0; i < MAX_THREADS; i++) {
		w[i].s = *s;
		w[i].v = *v;
		w[i].s.fd = __sgdemo_open_driver("sgdemo", SGDEMO_RENDER);
		w[i].v.fd = __sgdemo_open_driver("vgem", SGDEMO_RENDER);
		if (w[i].s.fd < 0 || w[i].v.fd < 0)
			die("open a render node for a thread");
	}
	/*
	 * The thread counts take turns within each repetition: a spell of load
	 * on the host falls on all of them rather than on one point.
	 */
	for (j = 0; j < WORKS; j++) {
		double r[ARRAY_SIZE(counts)][MAX_REPS];

		threads_rate(w, 1, j);	/* not counted: code runs slowly the first time */
		for (k = 0; k < reps; k++)
			for (i = 0; i < ncounts; i++)
				r[i][k] = threads_rate(w, counts[i], j);
		for (i = 0; i < ncounts; i++) {
			p[j][i] = (struct point){ median(r[i], reps), reps, 0 };
			fprintf(stderr, "bench: %d threads  %-36s %10.1f %s\n", counts[i],
				works[j].name, p[j][i].value, works[j].unit);
		}
	}
	for (i = 0; i < MAX_THREADS; i++) {
		close(w[i].s.fd);
		close(w[i].v.fd);
	}
	printf(",\n  \"threads\": [");
	for (j = 0; j < WORKS; j++) {
		series_start(!j, works[j].name, works[j].unit);
		for (i = 0; i < ncounts; i++)
			point_json(!i, "threads", counts[i], &p[j][i], "value", 0);
		printf("\n      ]}");
	}
	printf("\n  ]");
}

int scaling(struct drv *s, struct drv *v, int want_reps, double want_time, int quick)
{
	struct utsname u;
	double t0 = seconds();

	if (quick) {
		reps = 1;
		point_time = 0.02;
		thread_time = 0.1;
	}
	if (want_reps)
		reps = want_reps;
	if (want_time) {
		point_time = want_time;
		thread_time = 10 * want_time;
	}
	uname(&u);
	printf("{\n  \"kernel\": \"%s\", \"reps\": %d, \"point_time\": %.3f, \"thread_time\": %.3f,"
	       "\n  \"cpus\": %ld, \"memory_mib\": %ld, \"quick\": %d", u.release, reps, point_time,
	       thread_time, sysconf(_SC_NPROCESSORS_ONLN),
	       sysconf(_SC_PHYS_PAGES) * sysconf(_SC_PAGESIZE) / (long)MiB, quick);
	by_size(s, v, quick);
	by_live_objects(s, quick);
	by_threads(s, v, quick);
	printf(",\n  \"seconds\": %.1f\n}\n", seconds() - t0);
	fprintf(stderr, "bench: scaling done in %.0f s\n", seconds() - t0);
	close(s->fd);
	close(v->fd);
	return 0;
}
