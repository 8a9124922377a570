// SPDX-License-Identifier: MIT
/*
 * sgdemo_engine - the virtual copy engine: fill and copy jobs that hold owned
 * tables of their objects, their fences in syncobjs, sync_files and the
 * objects' reservations, implicit sync with vgem, timeouts, many threads,
 * hostile arguments and an unbind with jobs in flight. Every subtest ends
 * with the driver's counters where they started.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include <linux/dma-buf.h>
#include <xf86drm.h>

#include "igt_decls.h"
#include "sgdemo_fence.h"
#include "sgdemo_lib.h"

IGT_TEST_DESCRIPTION("sgdemo's copy engine: jobs, fences, implicit sync, teardown");

#define PAGE 4096ull

static int fd = -1;
static struct igt_sgdemo_counters start;
static int start_dmabufs;

/*
 * Jobs are freed by the scheduler shortly after their fence signals: wait
 * for the last one, then expect every counter where it started.
 */
static void assert_all_released(void)
{
	igt_sgdemo_assert_all_released(&start, start_dmabufs);
}

static void assert_bytes(const uint8_t *p, uint8_t value, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		igt_assert_f(p[i] == value, "byte %zu is %#x, not %#x\n", i, p[i], value);
}

/* Waits for a job's sync_file, expects @status, and closes it. */
static void job_done(int fence, int status)
{
	igt_assert_f(fd_ready(fence, POLLIN, 10000), "job did not complete in 10 s\n");
	igt_assert_eq(sync_file_status(fence), status);
	close(fence);
}

/* Fills of unaligned ranges land where they should, and nowhere else. */
static void test_fill(void)
{
	const uint64_t size = 16 * PAGE;
	static const struct { uint64_t offset, len; uint8_t value; } ranges[] = {
		{ 0, PAGE, 0x11 },
		{ PAGE + 7, 3 * PAGE - 100, 0x22 },
		{ 5 * PAGE - 1, 2, 0x33 },
		{ 8 * PAGE + 4000, 1, 0x44 },
		{ 9 * PAGE, 7 * PAGE, 0x55 },
	};
	uint32_t handle = igt_sgdemo_create(fd, size);
	uint8_t *ptr = igt_sgdemo_mmap(fd, handle, size);
	uint8_t *expect = calloc(1, size);
	unsigned int i;

	igt_assert(expect);
	for (i = 0; i < sizeof(ranges) / sizeof(ranges[0]); i++) {
		job_done(igt_sgdemo_fill(fd, handle, ranges[i].offset, ranges[i].len,
					 ranges[i].value), 1);
		memset(expect + ranges[i].offset, ranges[i].value, ranges[i].len);
	}
	igt_assert(!memcmp(ptr, expect, size));

	free(expect);
	igt_assert_eq(munmap(ptr, size), 0);
	gem_close_handle(fd, handle);
	assert_all_released();
}

/* Copies between objects and within one, at offsets that cross pages. */
static void test_copy(void)
{
	const uint64_t size = 16 * PAGE;
	uint32_t src = igt_sgdemo_create_filled(fd, size, 0x5eed);
	uint32_t dst = igt_sgdemo_create(fd, size);
	uint8_t *s = igt_sgdemo_mmap(fd, src, size);
	uint8_t *d = igt_sgdemo_mmap(fd, dst, size);
	uint8_t *expect = malloc(size);

	igt_assert(expect);
	job_done(igt_sgdemo_copy(fd, dst, 0, src, 0, size, NULL, 0, 0), 1);
	igt_assert(!memcmp(d, s, size));

	job_done(igt_sgdemo_fill(fd, dst, 0, size, 0), 1);
	job_done(igt_sgdemo_copy(fd, dst, 3 * PAGE + 5, src, 123, 5 * PAGE + 17, NULL, 0, 0), 1);
	memset(expect, 0, size);
	memcpy(expect + 3 * PAGE + 5, s + 123, 5 * PAGE + 17);
	igt_assert(!memcmp(d, expect, size));

	/* Within one object: the first half to the second. */
	job_done(igt_sgdemo_copy(fd, src, size / 2, src, 0, size / 2, NULL, 0, 0), 1);
	igt_assert(!memcmp(s, s + size / 2, size / 2));

	free(expect);
	igt_assert_eq(munmap(s, size), 0);
	igt_assert_eq(munmap(d, size), 0);
	gem_close_handle(fd, src);
	gem_close_handle(fd, dst);
	assert_all_released();
}

/* Imported vgem buffers as source and as destination. */
static void test_copy_vgem(void)
{
	struct vgem_buffer vb;
	uint32_t imported, ours;
	uint8_t *p;

	vgem_buffer_create(&vb, 1024, 16, 0xfeed);
	imported = vgem_buffer_import(&vb, fd);
	ours = igt_sgdemo_create(fd, vb.size);
	p = igt_sgdemo_mmap(fd, ours, vb.size);

	job_done(igt_sgdemo_copy(fd, ours, 0, imported, 0, vb.size, NULL, 0, 0), 1);
	igt_assert(check_pattern(p, vb.size, 0xfeed));

	fill_pattern(p, vb.size, 0xbeef);
	job_done(igt_sgdemo_copy(fd, imported, 0, ours, 0, vb.size, NULL, 0, 0), 1);
	igt_assert(check_pattern(vb.ptr, vb.size, 0xbeef));

	job_done(igt_sgdemo_fill(fd, imported, PAGE + 1, PAGE, 0x7c), 1);
	assert_bytes((uint8_t *)vb.ptr + PAGE + 1, 0x7c, PAGE);

	igt_assert_eq(munmap(p, vb.size), 0);
	gem_close_handle(fd, ours);
	gem_close_handle(fd, imported);
	vgem_buffer_destroy(&vb);
	assert_all_released();
}

/*
 * Submit a gated copy, then close every handle, mapping and dma-buf of its
 * objects: the job's owned tables keep them. vgem's import of the
 * destination is how the test reads the result afterwards.
 */
static void test_close_everything(void)
{
	const uint64_t size = 64 * PAGE;
	uint32_t src = igt_sgdemo_create_filled(fd, size, 0xc105e);
	uint32_t dst = igt_sgdemo_create(fd, size);
	void *sp = igt_sgdemo_mmap(fd, src, size);
	void *dp = igt_sgdemo_mmap(fd, dst, size);
	int src_buf = prime_export(fd, src);
	int dst_buf = prime_export(fd, dst);
	int vgem = drm_open_driver(DRIVER_VGEM);
	uint32_t vgem_dst = prime_import(vgem, dst_buf);
	struct igt_sgdemo_counters now;
	struct vgem_gate gate;
	uint32_t syncobj;
	int fence, out;
	void *ptr;

	vgem_gate_create(&gate);
	syncobj = vgem_gate_syncobj(&gate, fd);
	fence = igt_sgdemo_copy(fd, dst, 0, src, 0, size, &syncobj, 1, 0);
	drmSyncobjDestroy(fd, syncobj);

	igt_assert_eq(munmap(sp, size), 0);
	igt_assert_eq(munmap(dp, size), 0);
	close(src_buf);
	close(dst_buf);
	gem_close_handle(fd, src);
	gem_close_handle(fd, dst);

	/* The job holds both objects, through an owned table of each. */
	igt_sgdemo_counters_read(&now);
	igt_assert_eq(now.objects, start.objects + 2);
	igt_assert_eq(now.owned_tables, start.owned_tables + 2);
	igt_assert_eq(now.jobs, start.jobs + 1);
	igt_assert(!fd_ready(fence, POLLIN, 0));

	vgem_gate_open(&gate);
	job_done(fence, 1);

	out = prime_export(vgem, vgem_dst);
	ptr = mmap(NULL, size, PROT_READ, MAP_SHARED, out, 0);
	igt_assert(ptr != MAP_FAILED);
	igt_assert(check_pattern(ptr, size, 0xc105e));
	igt_assert_eq(munmap(ptr, size), 0);
	close(out);
	gem_close_handle(vgem, vgem_dst);
	drm_close_driver(vgem);
	vgem_gate_destroy(&gate);
	assert_all_released();
}

/*
 * Close the whole DRM file right after a large submission: large, yet its
 * three mappings (source, destination, vgem's) fit in the DMA budget behind
 * the default 64 MiB bounce pool (half of it).
 */
static void test_close_file(void)
{
	const uint64_t size = 2048 * PAGE;
	int dev = igt_sgdemo_open(SGDEMO_RENDER);
	uint32_t src = igt_sgdemo_create_filled(dev, size, 0xf11e);
	uint32_t dst = igt_sgdemo_create(dev, size);
	int dst_buf = prime_export(dev, dst);
	int vgem = drm_open_driver(DRIVER_VGEM);
	uint32_t vgem_dst = prime_import(vgem, dst_buf);
	int fence = igt_sgdemo_copy(dev, dst, 0, src, 0, size, NULL, 0, 0);
	int out;
	void *ptr;

	close(dst_buf);
	close(dev);
	job_done(fence, 1);

	out = prime_export(vgem, vgem_dst);
	ptr = mmap(NULL, size, PROT_READ, MAP_SHARED, out, 0);
	igt_assert(ptr != MAP_FAILED);
	igt_assert(check_pattern(ptr, size, 0xf11e));
	igt_assert_eq(munmap(ptr, size), 0);
	close(out);
	gem_close_handle(vgem, vgem_dst);
	drm_close_driver(vgem);
	assert_all_released();
}

/*
 * A: fill X, held back by a gate. B: copy X to Y, ordered after A by
 * implicit sync (B reads what A writes). C, from another file: copy Y to Z,
 * ordered after B by an explicit syncobj. Nothing runs before the gate
 * opens; then each sees its predecessor's bytes.
 */
static void test_fence_order(void)
{
	const uint64_t size = 8 * PAGE;
	int other = igt_sgdemo_open(SGDEMO_RENDER);
	uint32_t x = igt_sgdemo_create_filled(fd, size, 1);
	uint32_t y = igt_sgdemo_create_filled(fd, size, 2);
	uint32_t z = igt_sgdemo_create_filled(other, size, 3);
	int y_buf = prime_export(fd, y);
	uint32_t y_other = prime_import(other, y_buf);
	uint32_t gate_sync, b_sync, b_other;
	struct drm_sgdemo_submit a = {
		.op = SGDEMO_OP_FILL,
		.flags = SGDEMO_SUBMIT_FENCE_OUT,
		.dst_handle = x,
		.size = size,
		.fill = 0xa5,
	};
	struct drm_sgdemo_submit b = {
		.op = SGDEMO_OP_COPY,
		.flags = SGDEMO_SUBMIT_FENCE_OUT,
		.dst_handle = y,
		.src_handle = x,
		.size = size,
	};
	struct vgem_gate gate;
	int fence_c, b_file;
	uint8_t *zp;

	vgem_gate_create(&gate);
	gate_sync = vgem_gate_syncobj(&gate, fd);
	a.in_syncobjs = (uintptr_t)&gate_sync;
	a.num_in_syncobjs = 1;
	igt_assert_eq(__sgdemo_submit(fd, &a), 0);

	igt_assert_eq(drmSyncobjCreate(fd, 0, &b_sync), 0);
	b.out_syncobj = b_sync;
	igt_assert_eq(__sgdemo_submit(fd, &b), 0);

	/* B's fence, carried to the other file by a sync_file. */
	igt_assert_eq(drmSyncobjExportSyncFile(fd, b_sync, &b_file), 0);
	igt_assert_eq(drmSyncobjCreate(other, 0, &b_other), 0);
	igt_assert_eq(drmSyncobjImportSyncFile(other, b_other, b_file), 0);
	fence_c = igt_sgdemo_copy(other, z, 0, y_other, 0, size, &b_other, 1, 0);

	usleep(100000);
	igt_assert(!fd_ready(a.out_fence_fd, POLLIN, 0));
	igt_assert(!fd_ready(b.out_fence_fd, POLLIN, 0));
	igt_assert(!fd_ready(fence_c, POLLIN, 0));

	vgem_gate_open(&gate);
	job_done(fence_c, 1);
	igt_assert_eq(sync_file_status(a.out_fence_fd), 1);
	igt_assert_eq(sync_file_status(b.out_fence_fd), 1);
	igt_assert_eq(drmSyncobjWait(fd, &b_sync, 1, 0, 0, NULL), 0);
	zp = igt_sgdemo_mmap(other, z, size);
	assert_bytes(zp, 0xa5, size);

	igt_assert_eq(munmap(zp, size), 0);
	close(a.out_fence_fd);
	close(b.out_fence_fd);
	close(b_file);
	close(y_buf);
	drmSyncobjDestroy(fd, gate_sync);
	drmSyncobjDestroy(fd, b_sync);
	close(other);
	gem_close_handle(fd, x);
	gem_close_handle(fd, y);
	vgem_gate_destroy(&gate);
	assert_all_released();
}

/*
 * Implicit sync both ways with vgem. Our job copies from a vgem buffer that
 * vgem is still writing (a vgem write fence): it waits for it, and copies
 * what the writer wrote before its fence signalled (the test writes the
 * source under the fence), not what was there at submission. vgem imports
 * the destination: its dma-buf, poll and EXPORT_SYNC_FILE wait for our job,
 * and a CPU read through vgem after DMA_BUF_IOCTL_SYNC sees the copy.
 */
static void test_implicit_vgem(void)
{
	struct vgem_buffer src;
	uint32_t imported, dst, vgem_dst, vgem_fence;
	struct dma_buf_sync sync = { .flags = DMA_BUF_SYNC_START | DMA_BUF_SYNC_READ };
	int dst_buf, vgem_buf, fence, reader;
	void *ptr;

	vgem_buffer_create(&src, 1024, 8, 0x1111);
	imported = vgem_buffer_import(&src, fd);
	dst = igt_sgdemo_create_filled(fd, src.size, 0x2222);
	dst_buf = prime_export(fd, dst);
	vgem_dst = prime_import(src.vgem, dst_buf);
	close(dst_buf);

	vgem_fence = vgem_fence_attach(src.vgem, src.handle, true);
	fence = igt_sgdemo_copy(fd, dst, 0, imported, 0, src.size, NULL, 0, 0);

	/* vgem's view of the destination: its own dma-buf of it. */
	vgem_buf = prime_export(src.vgem, vgem_dst);
	reader = dmabuf_export_sync_file(vgem_buf, DMA_BUF_SYNC_READ);
	usleep(100000);
	igt_assert(!fd_ready(fence, POLLIN, 0));
	igt_assert(!fd_ready(reader, POLLIN, 0));
	igt_assert(!fd_ready(vgem_buf, POLLIN, 0));

	/* vgem's write, finished before its fence signals. */
	fill_pattern(src.ptr, src.size, 0x3333);
	vgem_fence_signal(src.vgem, vgem_fence);
	job_done(fence, 1);
	igt_assert(fd_ready(reader, POLLIN, 1000));
	igt_assert(fd_ready(vgem_buf, POLLIN, 1000));

	ptr = mmap(NULL, src.size, PROT_READ, MAP_SHARED, vgem_buf, 0);
	igt_assert(ptr != MAP_FAILED);
	igt_assert_eq(ioctl(vgem_buf, DMA_BUF_IOCTL_SYNC, &sync), 0);
	igt_assert(check_pattern(ptr, src.size, 0x3333));
	sync.flags = DMA_BUF_SYNC_END | DMA_BUF_SYNC_READ;
	igt_assert_eq(ioctl(vgem_buf, DMA_BUF_IOCTL_SYNC, &sync), 0);
	igt_assert_eq(munmap(ptr, src.size), 0);

	close(reader);
	close(vgem_buf);
	gem_close_handle(src.vgem, vgem_dst);
	gem_close_handle(fd, dst);
	gem_close_handle(fd, imported);
	vgem_buffer_destroy(&src);
	assert_all_released();
}

/*
 * Fences imported into our dma-buf with DMA_BUF_IOCTL_IMPORT_SYNC_FILE are
 * implicit dependencies by their usage. A reader's fence on X holds back a
 * fill of X (which must not write under a reader) but not a copy from X; a
 * writer's fence on X holds back the copy from X, which then copies what
 * the writer wrote. The fences are the debugfs timeline's: they do not
 * signal until the test says so.
 */
static void test_import_sync_file(void)
{
	const uint64_t size = 4 * PAGE;
	uint32_t x = igt_sgdemo_create_filled(fd, size, 0x51);
	uint32_t y = igt_sgdemo_create(fd, size);
	uint8_t *xp = igt_sgdemo_mmap(fd, x, size);
	uint8_t *yp = igt_sgdemo_mmap(fd, y, size);
	int dmabuf = prime_export(fd, x);
	int timeline = timeline_open();
	int fence, job;

	fence = timeline_fence(timeline, 1);
	dmabuf_import_sync_file(dmabuf, DMA_BUF_SYNC_READ, fence);
	close(fence);
	/* Reading X beside the reader runs at once (2 s: -ETIMEDOUT if not). */
	job_done(igt_sgdemo_copy(fd, y, 0, x, 0, size, NULL, 0, 2000), 1);
	igt_assert(check_pattern(yp, size, 0x51));
	/* Writing X waits for the reader, which still sees its bytes. */
	job = igt_sgdemo_fill(fd, x, 0, size, 0xee);
	igt_assert_f(!fd_ready(job, POLLIN, 200), "the fill ran under a reader\n");
	igt_assert(check_pattern(xp, size, 0x51));
	timeline_inc(timeline, 1);
	job_done(job, 1);
	assert_bytes(xp, 0xee, size);

	fence = timeline_fence(timeline, 2);
	dmabuf_import_sync_file(dmabuf, DMA_BUF_SYNC_WRITE, fence);
	close(fence);
	/* Reading X waits for the writer, and copies what it wrote. */
	job = igt_sgdemo_copy(fd, y, 0, x, 0, size, NULL, 0, 0);
	igt_assert_f(!fd_ready(job, POLLIN, 200), "the copy ran under a writer\n");
	fill_pattern(xp, size, 0x52);
	timeline_inc(timeline, 1);
	job_done(job, 1);
	igt_assert(check_pattern(yp, size, 0x52));

	close(timeline);
	close(dmabuf);
	igt_assert_eq(munmap(xp, size), 0);
	igt_assert_eq(munmap(yp, size), 0);
	gem_close_handle(fd, x);
	gem_close_handle(fd, y);
	assert_all_released();
}

/*
 * A job whose dependency never signals gives up after its timeout: its
 * fence signals -ETIMEDOUT and it writes nothing. A job that depends on it
 * fails with the same error.
 */
static void test_timeout(void)
{
	const uint64_t size = 2 * PAGE;
	uint32_t src = igt_sgdemo_create_filled(fd, size, 0x7);
	uint32_t dst = igt_sgdemo_create_filled(fd, size, 0x8);
	uint32_t gate_sync, failed_sync;
	struct vgem_gate gate;
	struct timespec t0, t1;
	int fence, after, ms;
	void *ptr;

	vgem_gate_create(&gate);
	gate_sync = vgem_gate_syncobj(&gate, fd);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	fence = igt_sgdemo_copy(fd, dst, 0, src, 0, size, &gate_sync, 1, 200);
	job_done(dup(fence), -ETIMEDOUT);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ms = (t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000;
	igt_info("timed out after %d ms (asked for 200)\n", ms);
	igt_assert(ms >= 200);

	failed_sync = syncobj_of(fd, dup(fence));
	after = igt_sgdemo_copy(fd, dst, 0, src, 0, size, &failed_sync, 1, 0);
	job_done(after, -ETIMEDOUT);

	ptr = igt_sgdemo_mmap(fd, dst, size);
	igt_assert(check_pattern(ptr, size, 0x8));
	igt_assert_eq(munmap(ptr, size), 0);

	close(fence);
	drmSyncobjDestroy(fd, gate_sync);
	drmSyncobjDestroy(fd, failed_sync);
	gem_close_handle(fd, src);
	gem_close_handle(fd, dst);
	vgem_gate_destroy(&gate);
	assert_all_released();
}

/*
 * The debugfs timeline holds a job back for longer than any vgem fence
 * lasts (10 s), lets it run when it advances, and fails what it still holds
 * with -ECANCELED when its file is closed.
 */
static void test_timeline_gate(void)
{
	const uint64_t size = 2 * PAGE;
	uint32_t src = igt_sgdemo_create_filled(fd, size, 0x31);
	uint32_t dst = igt_sgdemo_create_filled(fd, size, 0x32);
	uint32_t gate, cancelled;
	int timeline, fence, orphan;
	void *ptr;

	timeline = timeline_open();
	gate = syncobj_of(fd, timeline_fence(timeline, 1));
	cancelled = syncobj_of(fd, timeline_fence(timeline, 2));
	fence = igt_sgdemo_copy(fd, dst, 0, src, 0, size, &gate, 1, 60000);
	igt_assert_f(!fd_ready(fence, POLLIN, 11000), "the job ran with its gate shut\n");

	timeline_inc(timeline, 1);
	job_done(fence, 1);
	ptr = igt_sgdemo_mmap(fd, dst, size);
	igt_assert(check_pattern(ptr, size, 0x31));
	igt_assert_eq(munmap(ptr, size), 0);

	orphan = igt_sgdemo_copy(fd, dst, 0, src, 0, size, &cancelled, 1, 60000);
	igt_assert(!fd_ready(orphan, POLLIN, 100));
	close(timeline);
	job_done(orphan, -ECANCELED);

	drmSyncobjDestroy(fd, gate);
	drmSyncobjDestroy(fd, cancelled);
	gem_close_handle(fd, src);
	gem_close_handle(fd, dst);
	assert_all_released();
}

#define THREADS 4
#define JOBS_PER_THREAD 64

struct thread_arg {
	int fd;
	int index;
	int errors;
};

/* Each thread fills and copies its own objects, then checks them. */
static void *submit_thread(void *data)
{
	struct thread_arg *arg = data;
	const uint64_t size = 4 * PAGE;
	uint32_t a = igt_sgdemo_create(arg->fd, size);
	uint32_t b = igt_sgdemo_create(arg->fd, size);
	uint8_t *bp = igt_sgdemo_mmap(arg->fd, b, size);
	int fences[JOBS_PER_THREAD];
	uint8_t last = 0;
	int i;

	for (i = 0; i < JOBS_PER_THREAD; i++) {
		struct drm_sgdemo_submit args = {
			.flags = SGDEMO_SUBMIT_FENCE_OUT,
			.size = size,
		};

		if (i % 2 == 0) {
			last = (uint8_t)(arg->index * JOBS_PER_THREAD + i);
			args.op = SGDEMO_OP_FILL;
			args.dst_handle = a;
			args.fill = last;
		} else {
			args.op = SGDEMO_OP_COPY;
			args.dst_handle = b;
			args.src_handle = a;
		}
		fences[i] = -1;
		if (__sgdemo_submit(arg->fd, &args))
			arg->errors++;
		else
			fences[i] = args.out_fence_fd;
	}
	for (i = 0; i < JOBS_PER_THREAD; i++) {
		if (fences[i] < 0)
			continue;
		if (!fd_ready(fences[i], POLLIN, 20000) || sync_file_status(fences[i]) != 1)
			arg->errors++;
		close(fences[i]);
	}
	for (i = 0; i < (int)size; i++)
		if (bp[i] != last) {
			arg->errors++;
			break;
		}
	munmap(bp, size);
	gem_close_handle(arg->fd, a);
	gem_close_handle(arg->fd, b);
	return NULL;
}

/* Four threads, two sharing a file, submit and check 64 jobs each. */
static void test_threads(void)
{
	struct thread_arg args[THREADS];
	pthread_t threads[THREADS];
	int files[THREADS];
	int i;

	for (i = 0; i < THREADS; i++) {
		files[i] = i == 1 ? files[0] : igt_sgdemo_open(SGDEMO_RENDER);
		args[i] = (struct thread_arg){ .fd = files[i], .index = i };
		igt_assert_eq(pthread_create(&threads[i], NULL, submit_thread, &args[i]), 0);
	}
	for (i = 0; i < THREADS; i++) {
		igt_assert_eq(pthread_join(threads[i], NULL), 0);
		igt_assert_f(!args[i].errors, "thread %d: %d errors\n", i, args[i].errors);
	}
	for (i = 0; i < THREADS; i++)
		if (i != 1)
			close(files[i]);
	assert_all_released();
}

/*
 * Bends a good copy submission into malformed case @i; returns the errno it
 * must fail with, or 0 past the last case.
 */
static int bend_submit(int i, struct drm_sgdemo_submit *s, uint32_t *handles, uint32_t empty)
{
	const uint64_t size = s->size;

	switch (i) {
	case 0: s->op = 0; return -EINVAL;
	case 1: s->op = 3; return -EINVAL;
	case 2: s->flags = 2; return -EINVAL;
	case 3: s->flags = 0x80000000; return -EINVAL;
	case 4: s->pad = 1; return -EINVAL;
	case 5: s->size = 0; return -EINVAL;
	case 6: s->size = size + 1; return -EINVAL;
	case 7: s->dst_offset = 1; return -EINVAL;
	case 8: s->src_offset = size; return -EINVAL;
	case 9: s->dst_offset = ~0ull; return -EINVAL;
	case 10: s->src_offset = ~0ull - 1; return -EINVAL;
	case 11: s->size = ~0ull; return -EINVAL;
	case 12: /* overlapping ranges of one object */
		s->src_handle = s->dst_handle;
		s->size = PAGE;
		s->src_offset = PAGE / 2;
		return -EINVAL;
	case 13: s->fill = 1; return -EINVAL;
	case 14: s->src_handle = 0; return -EINVAL;
	case 15: s->op = SGDEMO_OP_FILL; return -EINVAL;
	case 16: s->op = SGDEMO_OP_FILL; s->src_handle = 0; s->src_offset = 1; return -EINVAL;
	case 17: s->op = SGDEMO_OP_FILL; s->src_handle = 0; s->fill = 0x100; return -EINVAL;
	case 18: s->timeout_ms = SGDEMO_SUBMIT_MAX_TIMEOUT_MS + 1; return -EINVAL;
	case 19: s->num_in_syncobjs = 1; return -EINVAL;
	case 20: s->in_syncobjs = 8; return -EINVAL;
	case 21:
		s->in_syncobjs = (uintptr_t)handles;
		s->num_in_syncobjs = SGDEMO_SUBMIT_MAX_IN_SYNCOBJS + 1;
		return -EINVAL;
	case 22: s->in_syncobjs = 8; s->num_in_syncobjs = 1; return -EFAULT;
	case 23: /* an in-syncobj without a fence */
		handles[3] = empty;
		s->in_syncobjs = (uintptr_t)handles;
		s->num_in_syncobjs = 4;
		return -EINVAL;
	case 24:
		handles[3] = 0xdead;
		s->in_syncobjs = (uintptr_t)handles;
		s->num_in_syncobjs = 4;
		return -ENOENT;
	case 25: s->out_syncobj = 0xdead; return -ENOENT;
	case 26: s->dst_handle = 0xdead; return -ENOENT;
	case 27: s->src_handle = 0xdead; return -ENOENT;
	case 28: s->op = SGDEMO_OP_FILL; s->src_handle = 0; s->dst_handle = 0; return -ENOENT;
	case 29: /* a fill whose end wraps past 2^64 to inside the object */
		s->op = SGDEMO_OP_FILL;
		s->src_handle = 0;
		s->dst_offset = 0ull - PAGE;
		s->size = 2 * PAGE;
		return -EINVAL;
	case 30: /* and to exactly 0 */
		s->op = SGDEMO_OP_FILL;
		s->src_handle = 0;
		s->dst_offset = 0ull - size;
		return -EINVAL;
	default: return 0;
	}
}

/* Every malformed submission fails cleanly and leaves nothing behind. */
static void test_submit_invalid(void)
{
	const uint64_t size = 2 * PAGE;
	uint32_t a = igt_sgdemo_create(fd, size);
	uint32_t b = igt_sgdemo_create(fd, size);
	uint32_t empty, signalled, handles[SGDEMO_SUBMIT_MAX_IN_SYNCOBJS + 1];
	struct drm_sgdemo_submit good = {
		.op = SGDEMO_OP_COPY, .dst_handle = a, .src_handle = b, .size = size,
	};
	struct drm_sgdemo_submit args;
	int fds_before, i, error, ret;

	igt_assert_eq(drmSyncobjCreate(fd, 0, &empty), 0);
	igt_assert_eq(drmSyncobjCreate(fd, DRM_SYNCOBJ_CREATE_SIGNALED, &signalled), 0);
	fds_before = open_fds();

	for (i = 0; ; i++) {
		int j;

		for (j = 0; j < SGDEMO_SUBMIT_MAX_IN_SYNCOBJS + 1; j++)
			handles[j] = signalled;
		args = good;
		args.flags |= SGDEMO_SUBMIT_FENCE_OUT;
		args.out_fence_fd = 12345;
		error = bend_submit(i, &args, handles, empty);
		if (!error)
			break;
		ret = __sgdemo_submit(fd, &args);
		igt_assert_f(ret == error, "case %d: %s, not %s\n", i, strerror(-ret),
			     strerror(-error));
		igt_assert_eq(args.out_fence_fd, 12345);
		igt_assert_eq(open_fds(), fds_before);
		igt_sgdemo_assert_delta(&start, 2, 0, 0, 0, 0);
	}
	igt_info("%d malformed submissions refused\n", i);

	/* The good submission, with the limits at their maximum, works. */
	for (i = 0; i < SGDEMO_SUBMIT_MAX_IN_SYNCOBJS; i++)
		handles[i] = signalled;
	args = good;
	args.flags = SGDEMO_SUBMIT_FENCE_OUT;
	args.in_syncobjs = (uintptr_t)handles;
	args.num_in_syncobjs = SGDEMO_SUBMIT_MAX_IN_SYNCOBJS;
	args.timeout_ms = SGDEMO_SUBMIT_MAX_TIMEOUT_MS;
	args.out_syncobj = empty;
	igt_assert_eq(__sgdemo_submit(fd, &args), 0);
	job_done(args.out_fence_fd, 1);
	igt_assert_eq(drmSyncobjWait(fd, &empty, 1, 0, 0, NULL), 0);
	/* Without FENCE_OUT there is no descriptor. */
	args = good;
	args.out_fence_fd = 12345;
	igt_assert_eq(__sgdemo_submit(fd, &args), 0);
	igt_assert_eq(args.out_fence_fd, -1);

	drmSyncobjDestroy(fd, empty);
	drmSyncobjDestroy(fd, signalled);
	gem_close_handle(fd, a);
	gem_close_handle(fd, b);
	assert_all_released();
}

/*
 * Unbind with jobs in flight: gated jobs fail with -ENODEV, the others
 * complete or fail; every fence signals and nothing leaks.
 */
static void test_unbind(void)
{
	const uint64_t size = 1024 * PAGE;
	int dev = igt_sgdemo_open(SGDEMO_PRIMARY);
	uint32_t src = igt_sgdemo_create_filled(dev, size, 0x0b1d);
	uint32_t dst = igt_sgdemo_create(dev, size);
	int fences[8], gated[4], i, status;
	struct drm_sgdemo_submit args;
	struct vgem_gate gate;
	uint32_t gate_sync;
	uint64_t sz = PAGE;
	uint32_t h;

	vgem_gate_create(&gate);
	gate_sync = vgem_gate_syncobj(&gate, dev);
	for (i = 0; i < 4; i++)
		gated[i] = igt_sgdemo_copy(dev, dst, 0, src, 0, size, &gate_sync, 1, 0);
	for (i = 0; i < 8; i++)
		fences[i] = igt_sgdemo_copy(dev, src, 0, dst, 0, size, NULL, 0, 0);

	igt_sgdemo_unbind(dev);

	for (i = 0; i < 4; i++)
		job_done(gated[i], -ENODEV);
	for (i = 0; i < 8; i++) {
		igt_assert(fd_ready(fences[i], POLLIN, 10000));
		status = sync_file_status(fences[i]);
		igt_assert_f(status == 1 || status == -ENODEV, "job %d: status %d\n", i, status);
		close(fences[i]);
	}
	/* No new job once the device is gone. */
	args = (struct drm_sgdemo_submit){ .op = SGDEMO_OP_FILL, .dst_handle = dst, .size = sz };
	igt_assert_eq(__sgdemo_submit(dev, &args), -ENODEV);
	igt_assert_eq(__sgdemo_create(dev, &sz, 0, &h), -ENODEV);

	close(dev);
	vgem_gate_destroy(&gate);
	igt_sgdemo_assert_counters(&start);

	igt_sgdemo_bind();
	close(fd);
	fd = igt_sgdemo_open(SGDEMO_PRIMARY);
	h = igt_sgdemo_create(fd, PAGE);
	job_done(igt_sgdemo_fill(fd, h, 0, PAGE, 1), 1);
	gem_close_handle(fd, h);
	assert_all_released();
}

igt_main
{
	igt_fixture {
		fd = igt_sgdemo_open_counted(SGDEMO_PRIMARY, &start, &start_dmabufs);
	}

	igt_describe("Fills of unaligned ranges write those bytes and no others.");
	igt_subtest("fill")
		test_fill();

	igt_describe("Copies between objects and within one, across pages.");
	igt_subtest("copy")
		test_copy();

	igt_describe("Imported vgem buffers as copy source, copy and fill destination.");
	igt_subtest("copy-vgem")
		test_copy_vgem();

	igt_describe("Every handle, mapping and dma-buf closed after submit; the job completes.");
	igt_subtest("close-everything-after-submit")
		test_close_everything();

	igt_describe("The DRM file closed right after a 16 MiB copy; the copy completes.");
	igt_subtest("close-file-after-submit")
		test_close_file();

	igt_describe("Jobs run in the order their implicit and explicit fences give.");
	igt_subtest("fence-order")
		test_fence_order();

	igt_describe("Implicit sync with vgem: we wait for its fence, it waits for ours.");
	igt_subtest("implicit-sync-vgem")
		test_implicit_vgem();

	igt_describe("Fences imported into our dma-buf order jobs by usage: readers hold back writers.");
	igt_subtest("import-sync-file-orders-submit")
		test_import_sync_file();

	igt_describe("A job whose dependency never signals fails with -ETIMEDOUT.");
	igt_subtest("timeout")
		test_timeout();

	igt_describe("The debugfs timeline gates a job past vgem's 10 s, and cancels it on close.");
	igt_subtest("timeline-gate")
		test_timeline_gate();

	igt_describe("Four threads, two of them sharing a file, submit 64 jobs each.");
	igt_subtest("threads")
		test_threads();

	igt_describe("Malformed submissions fail with the right errno and leave nothing.");
	igt_subtest("submit-invalid")
		test_submit_invalid();

	igt_describe("Unbind with jobs in flight: every fence signals, nothing leaks.");
	igt_subtest("unbind-with-jobs-in-flight")
		test_unbind();

	igt_fixture {
		close(fd);
	}
}
