// SPDX-License-Identifier: MIT
/*
 * sgdemo_churn [THREADS] [SECONDS] [SEED] - concurrent churn of sgdemo objects.
 *
 * THREADS (at least 4 by default) work on their own files, in random order:
 * create, mmap and write and read back, export to another sgdemo file and to
 * vgem and close the imports, acquire, read and release owned tables, borrow
 * table facts, close handles under live owned tables, and run fill and copy
 * jobs on the copy engine (closing the handle right after some submissions,
 * waiting for each job's sync_file). Bounded in time
 * and in operations. Every call must succeed and every read must see what
 * was written; closing the files at the end must free everything (the
 * harness checks the driver's counters afterwards).
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "sgdemo.h"
#include "sgdemo_fence.h"
#include "sgdemo_util.h"

#define SLOTS 8
#define MAX_OPS 100000

struct slot {
	uint32_t handle;	/* 0: none */
	uint32_t id;		/* owned table, 0: none; may outlive the handle */
	uint64_t size;
	uint32_t stamp;		/* what the first word of the object holds */
};

static int shared_fd, vgem_fd;
static double deadline;
static atomic_long total_ops;
static atomic_int failures;

#define FAIL(...) do { fprintf(stderr, "churn: " __VA_ARGS__); atomic_fetch_add(&failures, 1); } while (0)

/* A shared mapping of the object, or NULL with errno set (by libsgdemo's call). */
static void *map(int fd, uint32_t handle, uint64_t size)
{
	void *ptr;

	if (__sgdemo_mmap(fd, handle, size, PROT_READ | PROT_WRITE, MAP_SHARED, &ptr))
		return NULL;
	return ptr;
}

/* Closes the slot's handle, if any. */
static void close_handle(int fd, struct slot *sl)
{
	int ret = sl->handle ? __sgdemo_gem_close(fd, sl->handle) : 0;

	if (ret)
		FAIL("close: %s\n", strerror(-ret));
	sl->handle = 0;
}

static void release_owned(int fd, struct slot *sl)
{
	int ret = sl->id ? __sgdemo_sgt_release(fd, sl->id) : 0;

	if (ret)
		FAIL("release %u: %s\n", sl->id, strerror(-ret));
	sl->id = 0;
}

/* Shares the object through a dma-buf with @peer, then closes the import. */
static void share(int fd, struct slot *sl, int peer)
{
	uint32_t imported;
	int dmabuf, ret;

	ret = __sgdemo_prime_handle_to_fd(fd, sl->handle, DRM_CLOEXEC | DRM_RDWR, &dmabuf);
	if (ret) {
		FAIL("export: %s\n", strerror(-ret));
		return;
	}
	ret = __sgdemo_prime_fd_to_handle(peer, dmabuf, &imported);
	if (ret) {
		FAIL("import: %s\n", strerror(-ret));
	} else {
		ret = __sgdemo_gem_close(peer, imported);
		if (ret)
			FAIL("close import: %s\n", strerror(-ret));
	}
	close(dmabuf);
}

/* Waits for a job's sync_file; a failed or lost job is a failure. */
static void job_wait(int fence, const char *what)
{
	int status = sync_file_wait(fence, 20000);

	if (status == 0)
		FAIL("%s job: no signal in 20 s\n", what);
	else if (status != 1)
		FAIL("%s job: status %d\n", what, status);
	close(fence);
}

static void fill_job(int fd, struct slot *sl, uint8_t byte, int then_close)
{
	struct drm_sgdemo_submit job = {
		.op = SGDEMO_OP_FILL, .flags = SGDEMO_SUBMIT_FENCE_OUT,
		.dst_handle = sl->handle, .size = sl->size, .fill = byte,
	};
	int ret = __sgdemo_submit(fd, &job);

	if (ret) {
		FAIL("fill submit: %s\n", strerror(-ret));
		return;
	}
	/* The job holds the object; an owned table, if any, holds it after. */
	if (then_close)
		close_handle(fd, sl);
	job_wait(job.out_fence_fd, "fill");
	sl->stamp = byte * 0x01010101u;
}

static void copy_job(int fd, struct slot *sl)
{
	struct drm_sgdemo_submit job = {
		.op = SGDEMO_OP_COPY, .flags = SGDEMO_SUBMIT_FENCE_OUT,
		.dst_handle = sl->handle, .src_handle = sl->handle,
		.dst_offset = sl->size - 4096, .size = 4096,
	};
	uint32_t *ptr;
	int ret = __sgdemo_submit(fd, &job);

	if (ret) {
		FAIL("copy submit: %s\n", strerror(-ret));
		return;
	}
	job_wait(job.out_fence_fd, "copy");
	ptr = map(fd, sl->handle, sl->size);
	if (!ptr) {
		FAIL("mmap: %s\n", strerror(errno));
		return;
	}
	if (ptr[sl->size / 4 - 1024] != ptr[0])
		FAIL("copy job: %#x at the last page, %#x at the first\n",
		     ptr[sl->size / 4 - 1024], ptr[0]);
	munmap(ptr, sl->size);
}

static void one_op(int fd, struct slot *sl, uint64_t *s)
{
	struct drm_sgdemo_sgt_info info;
	uint32_t word, *ptr;
	int ret;

	switch (rnd(s) % 11) {
	case 0:	/* (re)create; the old object's owned table goes first */
		release_owned(fd, sl);
		close_handle(fd, sl);
		sl->size = 4096 * (1 + rnd(s) % 64);
		ret = __sgdemo_create(fd, &sl->size, 0, &sl->handle);
		if (ret) {
			FAIL("create: %s\n", strerror(-ret));
			return;
		}
		sl->stamp = 0;
		return;
	case 1:	/* write through a mapping, read back through another */
		if (!sl->handle)
			return;
		ptr = map(fd, sl->handle, sl->size);
		if (!ptr) {
			FAIL("mmap: %s\n", strerror(errno));
			return;
		}
		sl->stamp = (uint32_t)rnd(s);
		ptr[0] = sl->stamp;
		ptr[sl->size / 4 - 1] = ~sl->stamp;
		munmap(ptr, sl->size);
		ptr = map(fd, sl->handle, sl->size);
		if (!ptr || ptr[0] != sl->stamp || ptr[sl->size / 4 - 1] != ~sl->stamp)
			FAIL("read back through a second mapping\n");
		if (ptr)
			munmap(ptr, sl->size);
		return;
	case 2:
		if (sl->handle)
			share(fd, sl, shared_fd);
		return;
	case 3:
		if (sl->handle && vgem_fd >= 0)
			share(fd, sl, vgem_fd);
		return;
	case 4:	/* acquire an owned table (one per slot) */
		if (!sl->handle || sl->id)
			return;
		ret = __sgdemo_sgt_acquire(fd, sl->handle, 0, &sl->id);
		if (ret)
			FAIL("acquire: %s\n", strerror(-ret));
		return;
	case 5:
		release_owned(fd, sl);
		return;
	case 6:	/* the borrowed table's facts */
		if (!sl->handle)
			return;
		info = (struct drm_sgdemo_sgt_info){ .handle = sl->handle };
		ret = __sgdemo_sgt_info(fd, &info);
		if (ret || info.size != sl->size)
			FAIL("info: %s\n", strerror(-ret));
		return;
	case 7:	/* read through the owned table, even with the handle gone */
		if (!sl->id)
			return;
		ret = __sgdemo_sgt_read(fd, sl->id, 0, 0, 4, &word);
		if (ret)
			FAIL("read: %s\n", strerror(-ret));
		else if (word != sl->stamp)
			FAIL("read %#x through the owned table, wrote %#x\n", word, sl->stamp);
		return;
	case 8:	/* a fill job, the handle perhaps closed right after submitting */
		if (!sl->handle)
			return;
		fill_job(fd, sl, (uint8_t)rnd(s), rnd(s) % 4 == 0);
		return;
	case 9:	/* a copy job within the object: the first page to the last */
		if (!sl->handle || sl->size < 2 * 4096)
			return;
		copy_job(fd, sl);
		return;
	default: /* close the handle; an owned table keeps the object */
		close_handle(fd, sl);
		return;
	}
}

static void *worker(void *arg)
{
	uint64_t s = (uintptr_t)arg;
	struct slot pool[SLOTS] = { 0 };
	int fd;

	fd = __sgdemo_open_driver("sgdemo", SGDEMO_RENDER);
	if (fd < 0) {
		FAIL("no sgdemo render node\n");
		return NULL;
	}
	while (seconds() < deadline && atomic_fetch_add(&total_ops, 1) < MAX_OPS) {
		struct slot *sl = &pool[rnd(&s) % SLOTS];

		/* A slot whose object went keeps its owned table, but stamps start over. */
		if (!sl->handle && sl->id && rnd(&s) % 2)
			release_owned(fd, sl);
		one_op(fd, sl, &s);
	}
	/* Closing the file releases handles and owned tables alike. */
	close(fd);
	return NULL;
}

int main(int argc, char **argv)
{
	int threads = argc > 1 ? atoi(argv[1]) : 4;
	double budget = argc > 2 ? atof(argv[2]) : 20;
	uint64_t seed = argc > 3 ? strtoull(argv[3], NULL, 0) : (uint64_t)time(NULL) | 1;
	pthread_t tids[64];
	int i;

	if (threads < 1 || threads > 64)
		return 2;
	shared_fd = __sgdemo_open_driver("sgdemo", SGDEMO_PRIMARY);
	vgem_fd = __sgdemo_open_driver("vgem", SGDEMO_PRIMARY);
	if (shared_fd < 0) {
		fprintf(stderr, "churn: no sgdemo device\n");
		return 1;
	}
	deadline = seconds() + budget;
	for (i = 0; i < threads; i++)
		pthread_create(&tids[i], NULL, worker, (void *)(uintptr_t)(seed + 7919 * i));
	for (i = 0; i < threads; i++)
		pthread_join(tids[i], NULL);
	close(shared_fd);
	if (vgem_fd >= 0)
		close(vgem_fd);
	printf("churn: %d threads, %ld operations in %.0f s, seed %llu, %d failures\n",
	       threads, (long)atomic_load(&total_ops), budget, (unsigned long long)seed,
	       atomic_load(&failures));
	return atomic_load(&failures) ? 1 : 0;
}
