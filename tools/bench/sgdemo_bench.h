/* SPDX-License-Identifier: MIT */
/*
 * What sgdemo_bench.c (sgdemo against vgem) and sgdemo_scaling.c (how the
 * costs grow, -S) share: the driver under test, the calls that must not
 * fail, and the operations both measure.
 */
#ifndef SGDEMO_BENCH_H
#define SGDEMO_BENCH_H

#include <stdint.h>

#define KiB	(1024ull)
#define MiB	(1024 * KiB)
#define MAX_REPS	32

/* One driver under test: how it creates, maps and closes objects. */
struct drv {
	const char *name;
	int fd;
	int (*create)(int fd, uint64_t size, uint32_t *handle);
	int (*map)(int fd, uint32_t handle, uint64_t *offset);
};

/* One operation of a measurement; @arg is the operation's own. */
typedef void (*op_fn)(struct drv *d, struct drv *peer, uint64_t size, void *arg);

/* Copy engine jobs: the objects they write and read. */
struct job_arg {
	uint32_t dst, src;
};

/* Prints why a call failed (errno) and exits 1. */
void die(const char *what);
/* A new object of @size on @d; its handle. */
uint32_t make(struct drv *d, uint64_t size);
/* A shared read-write mapping of the whole object. */
uint8_t *map(struct drv *d, uint32_t handle, uint64_t size);
void gem_close(int fd, uint32_t handle);
/* The median of @n values (sorts them). */
double median(double *v, int n);

/*
 * The operations; @arg: none, the handle (uint32_t *) for op_prime,
 * op_sgt_info and op_owned, a struct job_arg for op_engine_fill.
 */
void op_create_close(struct drv *d, struct drv *peer, uint64_t size, void *arg);
void op_fill(struct drv *d, struct drv *peer, uint64_t size, void *arg);
void op_prime(struct drv *d, struct drv *peer, uint64_t size, void *arg);
void op_sgt_info(struct drv *d, struct drv *peer, uint64_t size, void *arg);
void op_owned(struct drv *d, struct drv *peer, uint64_t size, void *arg);
void op_engine_fill(struct drv *d, struct drv *peer, uint64_t size, void *arg);

/*
 * -S: the scaling run (sgdemo_scaling.c) on @s, importing into @v; @reps
 * and @point_time of each point, 0 for the defaults; @quick: a short run
 * that proves the path. Writes JSON on stdout. Returns the exit status.
 */
int scaling(struct drv *s, struct drv *v, int reps, double point_time, int quick);

#endif /* SGDEMO_BENCH_H */
