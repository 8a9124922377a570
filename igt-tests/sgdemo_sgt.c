// SPDX-License-Identifier: MIT
/*
 * sgdemo_sgt - borrowed and owned scatter-gather tables: what they report,
 * how long they live, and that every way of ending them frees everything.
 * Every subtest ends with the driver's counters where they started, and
 * checks that itself: a failed assertion in a closing fixture turns no
 * subtest red.
 */
#define _GNU_SOURCE	/* setresuid() */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <xf86drm.h>

#include "igt_decls.h"
#include "sgdemo_lib.h"

IGT_TEST_DESCRIPTION("Borrowed and owned sg_tables of sgdemo objects");

#define PAGE 4096ull
/* An address in the kernel's half: never writable from an ioctl. */
#define KERNEL_PTR ((void *)0xffff888000000000ull)

static int fd = -1;
static struct igt_sgdemo_counters start;

/* Reads the whole of owned table @id and checks it holds @seed's pattern. */
static void assert_owned_contents(int dev, uint32_t id, uint64_t size, uint32_t seed)
{
	void *buf = malloc(size);

	igt_assert(buf);
	memset(buf, 0, size);
	igt_assert_eq(__sgdemo_sgt_read(dev, id, 0, 0, size, buf), 0);
	igt_assert(check_pattern(buf, size, seed));
	free(buf);
}

static struct drm_sgdemo_sgt_info info_of(int dev, uint32_t handle, uint32_t id)
{
	struct drm_sgdemo_sgt_info info = { .handle = handle, .id = id };

	igt_assert_eq(__sgdemo_sgt_info(dev, &info), 0);
	return info;
}

/* Checks a table's facts against the object's size and its segment lengths. */
static void assert_table_facts(int dev, uint32_t handle, uint32_t id, uint64_t size)
{
	struct drm_sgdemo_sgt_info info = info_of(dev, handle, id), again;
	uint64_t *lengths, sum = 0;
	uint32_t i;

	igt_assert_eq_u64(info.size, size);
	igt_assert(info.nents >= 1 && info.nents <= size / PAGE);
	igt_assert(info.orig_nents >= 1 && info.orig_nents <= size / PAGE);
	igt_assert(info.nents <= info.orig_nents);
	igt_assert_eq(info.count, info.nents);
	/* Our own pages: no table has fewer segments than contiguous runs. */
	igt_assert(info.page_runs >= 1 && info.page_runs <= info.orig_nents);
	igt_assert_eq(info.pad, 0);

	/* Too small an array: nothing written, the count is still returned. */
	lengths = calloc(info.nents + 1, sizeof(*lengths));
	igt_assert(lengths);
	again = (struct drm_sgdemo_sgt_info){ .handle = handle, .id = id,
		.count = info.nents - 1, .segments_ptr = (uintptr_t)lengths };
	igt_assert_eq(__sgdemo_sgt_info(dev, &again), 0);
	igt_assert_eq(again.count, info.nents);
	if (info.nents > 1)
		igt_assert_eq_u64(lengths[0], 0);

	/* Large enough: every length written, and no more. */
	again = (struct drm_sgdemo_sgt_info){ .handle = handle, .id = id,
		.count = info.nents + 1, .segments_ptr = (uintptr_t)lengths };
	lengths[info.nents] = 0xdeadbeef;
	igt_assert_eq(__sgdemo_sgt_info(dev, &again), 0);
	igt_assert_eq(again.count, info.nents);
	for (i = 0; i < info.nents; i++) {
		igt_assert(lengths[i] > 0 && lengths[i] % PAGE == 0);
		sum += lengths[i];
	}
	igt_assert_eq_u64(sum, size);
	igt_assert_eq_u64(lengths[info.nents], 0xdeadbeef);

	/* Stable: asking again reports the same table. */
	igt_assert_eq(again.nents, info.nents);
	igt_assert_eq(again.orig_nents, info.orig_nents);
	igt_assert_eq(again.page_runs, info.page_runs);
	igt_assert_eq_u64(again.size, info.size);
	free(lengths);
}

static void test_borrowed_facts(void)
{
	const uint64_t size = 257 * PAGE;
	uint32_t handle = igt_sgdemo_create(fd, size);

	assert_table_facts(fd, handle, 0, size);
	/* Borrowing caches the table and pins the pages, once. */
	igt_sgdemo_assert_delta(&start, 1, size / PAGE, 0, 1, 0);
	assert_table_facts(fd, handle, 0, size);
	igt_sgdemo_assert_delta(&start, 1, size / PAGE, 0, 1, 0);

	gem_close_handle(fd, handle);
	igt_sgdemo_assert_counters(&start);
}

static void test_owned_facts(void)
{
	const uint64_t size = 64 * PAGE;
	uint32_t handle = igt_sgdemo_create(fd, size);
	uint32_t id = igt_sgdemo_sgt_acquire(fd, handle);

	assert_table_facts(fd, 0, id, size);
	/* An owned table is not the borrowed one and does not create it. */
	igt_sgdemo_assert_delta(&start, 1, size / PAGE, 1, 0, 0);

	igt_sgdemo_sgt_release(fd, id);
	gem_close_handle(fd, handle);
	igt_sgdemo_assert_counters(&start);
}

static void test_outlives_handle_and_mmap(void)
{
	const uint64_t size = 32 * PAGE;
	uint32_t handle = igt_sgdemo_create_filled(fd, size, 0x0bed);
	uint32_t id = igt_sgdemo_sgt_acquire(fd, handle);
	void *ptr = igt_sgdemo_mmap(fd, handle, size);

	/* The handle goes; the mapping and the owned table keep the object. */
	gem_close_handle(fd, handle);
	igt_sgdemo_assert_delta(&start, 1, size / PAGE, 1, 0, 0);
	assert_owned_contents(fd, id, size, 0x0bed);

	/* The mapping goes: only the owned table is left. */
	igt_assert_eq(munmap(ptr, size), 0);
	igt_sgdemo_assert_delta(&start, 1, size / PAGE, 1, 0, 0);
	assert_owned_contents(fd, id, size, 0x0bed);

	/* A partial read, across a page boundary. */
	{
		uint32_t words[3];

		igt_assert_eq(__sgdemo_sgt_read(fd, id, 0, PAGE - 4, sizeof(words), words), 0);
		igt_assert_eq_u64(words[0], 0x0bedu ^ (uint32_t)((PAGE / 4 - 1) * 2654435761u));
		igt_assert_eq_u64(words[2], 0x0bedu ^ (uint32_t)((PAGE / 4 + 1) * 2654435761u));
	}

	igt_sgdemo_sgt_release(fd, id);
	igt_sgdemo_assert_counters(&start);
}

static void test_many_owned(void)
{
	const uint64_t size = 8 * PAGE;
	uint32_t order[8] = { 3, 0, 7, 5, 1, 6, 2, 4 }, ids[8];
	uint32_t handle = igt_sgdemo_create_filled(fd, size, 0x3a3a);
	int i;

	for (i = 0; i < 8; i++)
		ids[i] = igt_sgdemo_sgt_acquire(fd, handle);
	for (i = 1; i < 8; i++)
		igt_assert(ids[i] != ids[0]);
	gem_close_handle(fd, handle);
	igt_sgdemo_assert_delta(&start, 1, 8 * size / PAGE, 8, 0, 0);

	for (i = 0; i < 8; i++) {
		assert_owned_contents(fd, ids[order[i]], size, 0x3a3a);
		igt_sgdemo_sgt_release(fd, ids[order[i]]);
		/* The object lives until the last table goes. */
		igt_sgdemo_assert_delta(&start, i < 7, (7 - i) * size / PAGE, 7 - i, 0, 0);
	}
}

static void test_close_file(void)
{
	int other = igt_sgdemo_open(SGDEMO_RENDER);
	uint32_t a = igt_sgdemo_create(other, 4 * PAGE), b = igt_sgdemo_create(other, 2 * PAGE);
	int i;

	for (i = 0; i < 3; i++) {
		igt_sgdemo_sgt_acquire(other, a);
		igt_sgdemo_sgt_acquire(other, b);
	}
	info_of(other, a, 0);
	igt_sgdemo_assert_delta(&start, 2, 3 * 6 + 4, 6, 1, 0);

	close(other);
	igt_sgdemo_assert_counters(&start);
}

static void test_release_errors(void)
{
	int other = igt_sgdemo_open(SGDEMO_RENDER);
	uint32_t handle = igt_sgdemo_create(fd, PAGE);
	uint32_t id = igt_sgdemo_sgt_acquire(fd, handle);
	struct drm_sgdemo_sgt_info info = { .id = id };
	uint32_t word;

	/* Another file does not see this file's ids. */
	igt_assert_eq(__sgdemo_sgt_release(other, id), -ENOENT);
	igt_assert_eq(__sgdemo_sgt_read(other, id, 0, 0, sizeof(word), &word), -ENOENT);
	igt_assert_eq(__sgdemo_sgt_info(other, &info), -ENOENT);

	igt_sgdemo_sgt_release(fd, id);
	igt_assert_eq(__sgdemo_sgt_release(fd, id), -ENOENT);
	igt_assert_eq(__sgdemo_sgt_read(fd, id, 0, 0, sizeof(word), &word), -ENOENT);
	info = (struct drm_sgdemo_sgt_info){ .id = id };
	igt_assert_eq(__sgdemo_sgt_info(fd, &info), -ENOENT);

	close(other);
	gem_close_handle(fd, handle);
	igt_sgdemo_assert_counters(&start);
}

/*
 * Ids are never 0, also after a file asked to release id 0 while it held
 * tables: an allocating xarray (XA_FLAGS_ALLOC1) keeps index 0 busy with a
 * reserved entry, and erasing index 0 frees it for the next allocation.
 */
static void test_release_zero(void)
{
	uint32_t handle = igt_sgdemo_create(fd, PAGE);
	uint32_t first = igt_sgdemo_sgt_acquire(fd, handle), ids[3];
	int i;

	igt_assert_eq(__sgdemo_sgt_release(fd, 0), -ENOENT);
	for (i = 0; i < 3; i++) {
		ids[i] = 0;
		igt_assert_eq(__sgdemo_sgt_acquire(fd, handle, 0, &ids[i]), 0);
		igt_assert_f(ids[i] != 0 && ids[i] != first, "acquire %d gave id %u\n", i, ids[i]);
		igt_assert_eq(__sgdemo_sgt_release(fd, 0), -ENOENT);
	}
	igt_assert_eq(__sgdemo_sgt_release(fd, 0), -ENOENT);
	igt_sgdemo_assert_delta(&start, 1, 4, 4, 0, 0);
	for (i = 0; i < 3; i++)
		igt_sgdemo_sgt_release(fd, ids[i]);
	igt_sgdemo_sgt_release(fd, first);
	gem_close_handle(fd, handle);
	igt_sgdemo_assert_counters(&start);
}

/*
 * SGT_INFO in a child that gave up root (and so CAP_SYS_ADMIN) on the
 * parent's file: 0 when it reads the same size and counts as root, page_runs
 * 0, and -EPERM for the segment lengths; 1 otherwise.
 */
static int info_unprivileged(uint32_t handle, const struct drm_sgdemo_sgt_info *root)
{
	uint64_t lengths[64];
	struct drm_sgdemo_sgt_info info = { .handle = handle };

	if (setresgid(65534, 65534, 65534) || setresuid(65534, 65534, 65534))
		return 1;
	if (__sgdemo_sgt_info(fd, &info) || info.size != root->size ||
	    info.nents != root->nents || info.orig_nents != root->orig_nents ||
	    info.page_runs != 0)
		return 1;
	info = (struct drm_sgdemo_sgt_info) {
		.handle = handle, .count = 64, .segments_ptr = (uintptr_t)lengths,
	};
	return __sgdemo_sgt_info(fd, &info) == -EPERM ? 0 : 1;
}

/* How the pages lie in physical memory is for CAP_SYS_ADMIN only. */
static void test_info_unprivileged(void)
{
	uint32_t handle = igt_sgdemo_create(fd, 64 * PAGE);
	struct drm_sgdemo_sgt_info root = { .handle = handle };
	int status;
	pid_t pid;

	igt_assert_eq(__sgdemo_sgt_info(fd, &root), 0);
	igt_assert(root.page_runs > 0);
	pid = fork();
	igt_assert(pid >= 0);
	if (!pid)
		_exit(info_unprivileged(handle, &root));
	igt_assert_eq(waitpid(pid, &status, 0), pid);
	igt_assert_f(WIFEXITED(status) && WEXITSTATUS(status) == 0,
		     "an unprivileged caller saw the physical layout, or not its counts\n");
	gem_close_handle(fd, handle);
	igt_sgdemo_assert_counters(&start);
}

static void test_info_invalid(void)
{
	uint32_t handle = igt_sgdemo_create(fd, 4 * PAGE);
	uint32_t id = igt_sgdemo_sgt_acquire(fd, handle);
	void *unmapped = mmap(NULL, PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	struct drm_sgdemo_sgt_info info;

	igt_assert(unmapped != MAP_FAILED);
	igt_assert_eq(munmap(unmapped, PAGE), 0);

	info = (struct drm_sgdemo_sgt_info){ 0 };
	igt_assert_eq(__sgdemo_sgt_info(fd, &info), -EINVAL);
	info = (struct drm_sgdemo_sgt_info){ .handle = handle, .id = id };
	igt_assert_eq(__sgdemo_sgt_info(fd, &info), -EINVAL);
	info = (struct drm_sgdemo_sgt_info){ .id = id, .flags = 1 };
	igt_assert_eq(__sgdemo_sgt_info(fd, &info), -EINVAL);
	info = (struct drm_sgdemo_sgt_info){ .handle = handle, .pad = 1 };
	igt_assert_eq(__sgdemo_sgt_info(fd, &info), -EINVAL);
	info = (struct drm_sgdemo_sgt_info){ .handle = handle + 100 };
	igt_assert_eq(__sgdemo_sgt_info(fd, &info), -ENOENT);
	info = (struct drm_sgdemo_sgt_info){ .id = UINT32_MAX };
	igt_assert_eq(__sgdemo_sgt_info(fd, &info), -ENOENT);

	/* A huge count with no array is just a question. */
	info = (struct drm_sgdemo_sgt_info){ .id = id, .count = UINT32_MAX };
	igt_assert_eq(__sgdemo_sgt_info(fd, &info), 0);
	igt_assert(info.count >= 1);
	/* Arrays that cannot be written. */
	info = (struct drm_sgdemo_sgt_info){ .id = id, .count = UINT32_MAX,
		.segments_ptr = (uintptr_t)unmapped };
	igt_assert_eq(__sgdemo_sgt_info(fd, &info), -EFAULT);
	info = (struct drm_sgdemo_sgt_info){ .id = id, .count = 64,
		.segments_ptr = (uintptr_t)KERNEL_PTR };
	igt_assert_eq(__sgdemo_sgt_info(fd, &info), -EFAULT);

	igt_sgdemo_assert_delta(&start, 1, 4, 1, 0, 0);
	igt_sgdemo_sgt_release(fd, id);
	gem_close_handle(fd, handle);
	igt_sgdemo_assert_counters(&start);
}

static void test_acquire_invalid(void)
{
	uint32_t handle = igt_sgdemo_create(fd, PAGE), id = 0;
	struct drm_sgdemo_sgt_acquire raw = { .handle = handle, .pad = 3, .id = 0xdeadbeef };
	struct drm_sgdemo_sgt_release rel;

	/* A failed call writes nothing back. */
	igt_assert_eq(drmIoctl(fd, DRM_IOCTL_SGDEMO_SGT_ACQUIRE, &raw), -1);
	igt_assert_eq(errno, EINVAL);
	igt_assert_eq_u64(raw.id, 0xdeadbeef);

	igt_assert_eq(__sgdemo_sgt_acquire(fd, handle, 1, &id), -EINVAL);
	igt_assert_eq(__sgdemo_sgt_acquire(fd, handle, 0x80000000u, &id), -EINVAL);
	/* The typed wrappers keep pad zero: set it by hand. */
	raw = (struct drm_sgdemo_sgt_acquire){ .handle = handle, .pad = 1 };
	igt_assert_eq(__sgdemo_ioctl(fd, DRM_IOCTL_SGDEMO_SGT_ACQUIRE, &raw), -EINVAL);
	igt_assert_eq(__sgdemo_sgt_acquire(fd, 0, 0, &id), -ENOENT);
	igt_assert_eq(__sgdemo_sgt_acquire(fd, handle + 100, 0, &id), -ENOENT);
	igt_assert_eq(__sgdemo_sgt_acquire(fd, UINT32_MAX, 0, &id), -ENOENT);
	igt_assert_eq(id, 0);
	igt_sgdemo_assert_delta(&start, 1, 0, 0, 0, 0);

	igt_assert_eq(__sgdemo_sgt_release(fd, 0), -ENOENT);
	igt_assert_eq(__sgdemo_sgt_release(fd, UINT32_MAX), -ENOENT);
	id = igt_sgdemo_sgt_acquire(fd, handle);
	rel = (struct drm_sgdemo_sgt_release){ .id = id, .pad = 1 };
	igt_assert_eq(__sgdemo_ioctl(fd, DRM_IOCTL_SGDEMO_SGT_RELEASE, &rel), -EINVAL);
	igt_sgdemo_assert_delta(&start, 1, 1, 1, 0, 0);
	igt_sgdemo_sgt_release(fd, id);

	gem_close_handle(fd, handle);
	igt_sgdemo_assert_counters(&start);
}

static void test_read_invalid(void)
{
	const uint64_t size = 4 * PAGE;
	uint32_t handle = igt_sgdemo_create_filled(fd, size, 0x7777);
	uint32_t id = igt_sgdemo_sgt_acquire(fd, handle);
	void *unmapped = mmap(NULL, PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char buf[64];

	igt_assert(unmapped != MAP_FAILED);
	igt_assert_eq(munmap(unmapped, PAGE), 0);

	igt_assert_eq(__sgdemo_sgt_read(fd, id, 1, 0, 8, buf), -EINVAL);
	igt_assert_eq(__sgdemo_sgt_read(fd, 0, 0, 0, 8, buf), -ENOENT);
	igt_assert_eq(__sgdemo_sgt_read(fd, id + 100, 0, 0, 8, buf), -ENOENT);
	/* Ranges that overflow or end past the object. */
	igt_assert_eq(__sgdemo_sgt_read(fd, id, 0, UINT64_MAX, 2, buf), -EINVAL);
	igt_assert_eq(__sgdemo_sgt_read(fd, id, 0, 8, UINT64_MAX, buf), -EINVAL);
	igt_assert_eq(__sgdemo_sgt_read(fd, id, 0, size, 1, buf), -EINVAL);
	igt_assert_eq(__sgdemo_sgt_read(fd, id, 0, size - 4, 8, buf), -EINVAL);
	igt_assert_eq(__sgdemo_sgt_read(fd, id, 0, 0, size + 1, buf), -EINVAL);
	/* Destinations that cannot be written. */
	igt_assert_eq(__sgdemo_sgt_read(fd, id, 0, 0, 8, NULL), -EFAULT);
	igt_assert_eq(__sgdemo_sgt_read(fd, id, 0, 0, 8, unmapped), -EFAULT);
	igt_assert_eq(__sgdemo_sgt_read(fd, id, 0, 0, size, KERNEL_PTR), -EFAULT);
	/* Nothing to read is fine; the last byte is readable. */
	igt_assert_eq(__sgdemo_sgt_read(fd, id, 0, size, 0, NULL), 0);
	igt_assert_eq(__sgdemo_sgt_read(fd, id, 0, size - 1, 1, buf), 0);

	igt_sgdemo_assert_delta(&start, 1, 4, 1, 0, 0);
	igt_sgdemo_sgt_release(fd, id);
	gem_close_handle(fd, handle);
	igt_sgdemo_assert_counters(&start);
}

/* A vgem buffer imported into sgdemo, held only by an owned table. */
static void test_owned_on_import(void)
{
	struct drm_sgdemo_sgt_info info;
	struct vgem_buffer vb;
	uint32_t handle, id;

	vgem_buffer_create(&vb, 1024, 16, 0x1e1e);
	handle = vgem_buffer_import(&vb, fd);
	id = igt_sgdemo_sgt_acquire(fd, handle);
	/* The import's table is the attachment's: no pin or table of ours. */
	igt_sgdemo_assert_delta(&start, 1, 0, 1, 0, 0);

	info = info_of(fd, 0, id);
	igt_assert_eq_u64(info.size, vb.size);
	/* The exporter's pages are not ours to look at. */
	igt_assert_eq(info.page_runs, 0);

	/* Everything else goes: vgem's handle, mapping and fd, ours too. */
	gem_close_handle(fd, handle);
	vgem_buffer_destroy(&vb);
	igt_sgdemo_assert_delta(&start, 1, 0, 1, 0, 0);

	assert_owned_contents(fd, id, vb.size, 0x1e1e);
	igt_sgdemo_sgt_release(fd, id);
	igt_sgdemo_assert_counters(&start);
}

/* Exported to vgem, then held only by an owned table. */
static void test_owned_on_export(void)
{
	const uint64_t size = 16 * PAGE;
	uint32_t handle = igt_sgdemo_create_filled(fd, size, 0xe0e0);
	uint32_t id, vgem_handle;
	int vgem, dmabuf;
	void *ptr;

	vgem = drm_open_driver(DRIVER_VGEM);
	dmabuf = prime_export(fd, handle);
	vgem_handle = prime_import(vgem, dmabuf);
	ptr = igt_sgdemo_mmap(fd, handle, size);
	id = igt_sgdemo_sgt_acquire(fd, handle);
	igt_sgdemo_assert_delta(&start, 1, 2 * size / PAGE, 1, 0, 1);

	igt_assert_eq(munmap(ptr, size), 0);
	close(dmabuf);
	gem_close_handle(fd, handle);
	gem_close_handle(vgem, vgem_handle);
	drm_close_driver(vgem);
	/* vgem's attachment is gone; the owned table holds the object. */
	igt_sgdemo_assert_delta(&start, 1, size / PAGE, 1, 0, 0);

	assert_owned_contents(fd, id, size, 0xe0e0);
	igt_sgdemo_sgt_release(fd, id);
	igt_sgdemo_assert_counters(&start);
}

/*
 * Unbind the device under live owned tables and exports, then release them.
 * One table's object has no handle left, only a CPU mapping: after the
 * unbind the mapping still reads its bytes, and once it goes the table
 * alone keeps the object until the file closes.
 */
static void test_unbind(void)
{
	const uint64_t size = 8 * PAGE;
	int dev = igt_sgdemo_open(SGDEMO_PRIMARY);
	uint32_t handle = igt_sgdemo_create_filled(dev, size, 0xdead);
	uint32_t other = igt_sgdemo_create_filled(dev, size, 0xbeef);
	uint32_t id, id_other, vgem_handle, h, word;
	int vgem, dmabuf;
	uint64_t sz = PAGE;
	void *ptr, *other_ptr;

	vgem = drm_open_driver(DRIVER_VGEM);
	id = igt_sgdemo_sgt_acquire(dev, handle);
	id_other = igt_sgdemo_sgt_acquire(dev, other);
	other_ptr = igt_sgdemo_mmap(dev, other, size);
	gem_close_handle(dev, other);
	dmabuf = prime_export(dev, handle);
	vgem_handle = prime_import(vgem, dmabuf);
	/* Pins: one per owned table, one for vgem's attachment. */
	igt_sgdemo_assert_delta(&start, 2, 3 * size / PAGE, 2, 0, 1);

	igt_sgdemo_unbind(dev);

	/* The device is gone for new work, on every id and handle... */
	igt_assert_eq(__sgdemo_sgt_release(dev, id), -ENODEV);
	igt_assert_eq(__sgdemo_sgt_read(dev, id_other, 0, 0, sizeof(word), &word), -ENODEV);
	igt_assert_eq(__sgdemo_sgt_release(dev, id_other), -ENODEV);
	igt_assert_eq(__sgdemo_create(dev, &sz, 0, &h), -ENODEV);
	/*
	 * ...but what was handed out still holds the pages (the counters
	 * below), though no CPU mapping serves a fault any more.
	 */
	ptr = mmap(NULL, size, PROT_READ, MAP_SHARED, dmabuf, 0);
	igt_assert(ptr != MAP_FAILED);
	igt_assert(igt_sgdemo_access_sigbus(ptr, false));
	igt_assert_eq(munmap(ptr, size), 0);
	igt_assert(igt_sgdemo_access_sigbus(other_ptr, false));
	igt_assert_eq(munmap(other_ptr, size), 0);
	igt_sgdemo_assert_delta(&start, 2, 3 * size / PAGE, 2, 0, 1);

	/* Importer first: the owned tables alone hold both objects then. */
	gem_close_handle(vgem, vgem_handle);
	drm_close_driver(vgem);
	close(dmabuf);
	igt_sgdemo_assert_delta(&start, 2, 2 * size / PAGE, 2, 0, 0);
	/* The file with its tables, and with them the objects. */
	close(dev);
	igt_sgdemo_assert_counters(&start);

	/* Bind again; the fixture's file belonged to the old device. */
	igt_sgdemo_bind();
	close(fd);
	fd = igt_sgdemo_open(SGDEMO_PRIMARY);
	h = igt_sgdemo_create(fd, PAGE);
	igt_sgdemo_sgt_release(fd, igt_sgdemo_sgt_acquire(fd, h));
	igt_sgdemo_assert_delta(&start, 1, 0, 0, 0, 0);
	gem_close_handle(fd, h);
	igt_sgdemo_assert_counters(&start);
}

#define RACE_ROUNDS 200
#define RACE_IDS 8

/*
 * struct race - one round of the race on one object
 * @fd: the file, closed by one of the threads
 * @handle: the object's handle in @fd
 * @ids: owned tables of the object in @fd
 * @released: how many times each id was released successfully
 * @closed: how many GEM_CLOSEs of the handle succeeded
 * @delay_us: how long the closing thread lets the others run first
 * @barrier: the threads start together
 * @bad: a result no interleaving explains
 */
struct race {
	int fd;
	uint32_t handle;
	uint32_t ids[RACE_IDS];
	int released[RACE_IDS];
	int closed;
	int delay_us;
	pthread_barrier_t barrier;
	int bad;
};

struct race_thread {
	struct race *race;
	int role;
};

/* A release, a GEM_CLOSE or a file close, as one thread of the race does. */
static void *race_thread(void *data)
{
	struct race_thread *t = data;
	struct race *r = t->race;
	int i, ret;

	pthread_barrier_wait(&r->barrier);
	switch (t->role) {
	case 0: /* releases every id, first to last */
	case 1: /* and last to first */
		for (i = 0; i < RACE_IDS; i++) {
			int k = t->role ? RACE_IDS - 1 - i : i;

			ret = __sgdemo_sgt_release(r->fd, r->ids[k]);
			if (!ret)
				__atomic_add_fetch(&r->released[k], 1, __ATOMIC_SEQ_CST);
			else if (ret != -ENOENT && ret != -EBADF)
				__atomic_add_fetch(&r->bad, 1, __ATOMIC_SEQ_CST);
		}
		break;
	case 2: /* closes the handle, twice */
		for (i = 0; i < 2; i++) {
			ret = __sgdemo_gem_close(r->fd, r->handle);
			if (!ret)
				__atomic_add_fetch(&r->closed, 1, __ATOMIC_SEQ_CST);
			else if (ret != -EINVAL && ret != -EBADF)
				__atomic_add_fetch(&r->bad, 1, __ATOMIC_SEQ_CST);
		}
		break;
	default: /* closes the file, after a moment that varies by round */
		usleep(r->delay_us);
		close(r->fd);
		break;
	}
	return NULL;
}

/*
 * SGT_RELEASE from two threads, GEM_CLOSE and the file's close, all at once
 * on one object with eight owned tables: each id is released at most once,
 * the handle closed at most once, nothing else fails, and when the dust
 * settles the object, its pins and its tables are gone.
 */
static void test_release_close_race(void)
{
	struct race_thread threads[4];
	pthread_t tids[4];
	int round, i;

	for (round = 0; round < RACE_ROUNDS; round++) {
		struct race r = {
			.fd = igt_sgdemo_open(SGDEMO_RENDER),
			.delay_us = round % 8 * 20,
		};

		r.handle = igt_sgdemo_create(r.fd, 4 * PAGE);
		for (i = 0; i < RACE_IDS; i++)
			r.ids[i] = igt_sgdemo_sgt_acquire(r.fd, r.handle);
		igt_assert_eq(pthread_barrier_init(&r.barrier, NULL, 4), 0);
		for (i = 0; i < 4; i++) {
			threads[i] = (struct race_thread){ .race = &r, .role = i };
			igt_assert_eq(pthread_create(&tids[i], NULL, race_thread, &threads[i]), 0);
		}
		for (i = 0; i < 4; i++)
			igt_assert_eq(pthread_join(tids[i], NULL), 0);
		pthread_barrier_destroy(&r.barrier);

		igt_assert_f(!r.bad, "round %d: %d unexpected errors\n", round, r.bad);
		igt_assert_lte(r.closed, 1);
		for (i = 0; i < RACE_IDS; i++)
			igt_assert_f(r.released[i] <= 1, "round %d: id %u released %d times\n",
				     round, r.ids[i], r.released[i]);
		igt_sgdemo_assert_counters(&start);
	}
}

igt_main
{
	igt_fixture {
		igt_sgdemo_ensure_bound();
		fd = igt_sgdemo_open(SGDEMO_PRIMARY);
		igt_sgdemo_counters_read(&start);
	}

	igt_describe("The borrowed table's facts are stable; its segment lengths add up to the size.");
	igt_subtest("borrowed-facts")
		test_borrowed_facts();

	igt_describe("An owned table reports the same facts and is a table of its own.");
	igt_subtest("owned-facts")
		test_owned_facts();

	igt_describe("An owned table keeps object and contents after GEM_CLOSE and munmap.");
	igt_subtest("owned-outlives-handle-and-mmap")
		test_outlives_handle_and_mmap();

	igt_describe("Many owned tables on one object, released in any order.");
	igt_subtest("many-owned-any-order")
		test_many_owned();

	igt_describe("Closing the file releases every owned table it holds.");
	igt_subtest("close-file-releases")
		test_close_file();

	igt_describe("Releasing an id twice, or another file's id, fails with ENOENT.");
	igt_subtest("release-twice-and-foreign")
		test_release_errors();

	igt_describe("Releasing id 0 while tables are held fails, and no later id is 0.");
	igt_subtest("release-id-zero")
		test_release_zero();

	igt_describe("Without CAP_SYS_ADMIN, SGT_INFO gives sizes and counts, not the layout.");
	igt_subtest("info-unprivileged")
		test_info_unprivileged();

	igt_describe("SGT_INFO rejects bad flags, padding, handles, ids and arrays cleanly.");
	igt_subtest("info-invalid")
		test_info_invalid();

	igt_describe("SGT_ACQUIRE and SGT_RELEASE reject bad flags, padding, handles and ids.");
	igt_subtest("acquire-release-invalid")
		test_acquire_invalid();

	igt_describe("SGT_READ rejects bad flags, ids, overflowing ranges and bad pointers.");
	igt_subtest("read-invalid")
		test_read_invalid();

	igt_describe("An owned table on a vgem buffer imported into sgdemo outlives everything else.");
	igt_subtest("owned-on-import")
		test_owned_on_import();

	igt_describe("An owned table on a buffer exported to vgem outlives everything else.");
	igt_subtest("owned-on-export")
		test_owned_on_export();

	igt_describe("SGT_RELEASE, GEM_CLOSE and closing the file race on one object; nothing leaks.");
	igt_subtest("release-close-race")
		test_release_close_race();

	igt_describe("Unbinding the device under owned tables and exports, then releasing them.");
	igt_subtest("unbind-with-owned-tables")
		test_unbind();

	igt_fixture {
		close(fd);
	}
}
