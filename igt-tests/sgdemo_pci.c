// SPDX-License-Identifier: MIT
/*
 * sgdemo_pci - sgdemo on QEMU's edu PCI device, beside the platform device:
 * its tables behind an IOMMU, copies by edu's own DMA engine, dma-bufs
 * shared across the two devices and vgem, and the device removed from its
 * bus with everything in use, then found again by a rescan. Every subtest
 * needs the PCI device (QEMU's -device edu) and skips without it; each
 * ends with the driver's counters where they started.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
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

IGT_TEST_DESCRIPTION("sgdemo on QEMU's edu PCI device: IOMMU, device copies, sharing, removal");

#define PAGE 4096ull

static struct igt_sgdemo_counters start;
static int start_dmabufs;
static bool had_pci;

static void assert_all_released(void)
{
	igt_sgdemo_assert_all_released(&start, start_dmabufs);
}

/* The PCI sgdemo device's render node, or a skip. */
static int require_pci(void)
{
	int pci = igt_sgdemo_open_device(true, SGDEMO_RENDER);

	igt_require_f(pci >= 0, "no sgdemo device on PCI (QEMU: -device edu)\n");
	return pci;
}

static int open_platform(void)
{
	int dev = igt_sgdemo_open_device(false, SGDEMO_RENDER);

	igt_assert_f(dev >= 0, "no sgdemo platform device\n");
	return dev;
}

static void write_file(const char *path, const char *value)
{
	int f = open(path, O_WRONLY);

	igt_assert_f(f >= 0, "cannot open %s: %s\n", path, strerror(errno));
	igt_assert_eq(write(f, value, strlen(value)), (long long)strlen(value));
	close(f);
}

/* Rescans PCI; waits up to 10 s for sgdemo's device there. */
static int pci_rescan(void)
{
	int i, pci = -1;

	write_file("/sys/bus/pci/rescan", "1");
	for (i = 0; i < 100 && pci < 0; i++) {
		pci = igt_sgdemo_open_device(true, SGDEMO_RENDER);
		if (pci < 0)
			usleep(100000);
	}
	return pci;
}

/* DMA_BUF_IOCTL_SYNC with @flags. */
static void dmabuf_sync(int dmabuf, uint64_t flags)
{
	struct dma_buf_sync sync = { .flags = flags };

	igt_assert_eq(ioctl(dmabuf, DMA_BUF_IOCTL_SYNC, &sync), 0);
}

static int submit(int dev, struct drm_sgdemo_submit *args)
{
	args->flags |= SGDEMO_SUBMIT_FENCE_OUT;
	return __sgdemo_submit(dev, args);
}

/* A device copy of @size bytes, and its sync_file. */
static int device_copy(int dev, uint32_t dst, uint64_t dst_offset, uint32_t src,
		       uint64_t src_offset, uint64_t size)
{
	struct drm_sgdemo_submit args = {
		.op = SGDEMO_OP_DEVICE_COPY,
		.dst_handle = dst,
		.src_handle = src,
		.dst_offset = dst_offset,
		.src_offset = src_offset,
		.size = size,
	};

	igt_assert_eq(submit(dev, &args), 0);
	igt_assert(args.out_fence_fd >= 0);
	return args.out_fence_fd;
}

/* Waits for a job that must succeed; returns how long that took, in ms. */
static long job_done(int fence)
{
	struct timespec t0, t1;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	igt_assert_f(fd_ready(fence, POLLIN, 20000), "job did not complete in 20 s\n");
	clock_gettime(CLOCK_MONOTONIC, &t1);
	igt_assert_eq(sync_file_status(fence), 1);
	close(fence);
	return (t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000;
}

/* True when the PCI device's DMA goes through a translating IOMMU domain. */
static bool pci_translated(int pci)
{
	char path[PATH_MAX], group[PATH_MAX + 32], type[32] = "";
	FILE *f;

	igt_assert(igt_sgdemo_device_path(pci, path, sizeof(path)));
	snprintf(group, sizeof(group), "%s/iommu_group/type", path);
	f = fopen(group, "r");
	if (!f)
		return false;
	if (!fgets(type, sizeof(type), f))
		type[0] = 0;
	fclose(f);
	return !strncmp(type, "DMA", 3);
}

/*
 * An object of @size whose pages lie in more than one run: 2 MiB and 64 KiB,
 * so that after the first 2 MiB (one huge page, where the device's tmpfs
 * has them) come small pages, touched even ones first, then odd ones, so
 * that neighbours are not neighbours in memory whichever way the allocator
 * hands out pages. Tried on new objects (the old ones kept, to move the
 * allocator on) until the table has more than one CPU segment.
 */
static uint32_t scattered_object(int dev, uint64_t size, uint32_t *spare, int nspare,
				 struct drm_sgdemo_sgt_info *info)
{
	const uint64_t npages = size / PAGE;
	uint32_t handle = 0;
	uint64_t i, k;
	int n;

	for (n = 0; n < nspare; n++) {
		uint8_t *p;

		handle = igt_sgdemo_create(dev, size);
		p = igt_sgdemo_mmap(dev, handle, size);
		for (k = 0; k < 2; k++)
			for (i = k; i < npages; i += 2)
				p[i * PAGE] = i;
		igt_assert_eq(munmap(p, size), 0);
		*info = (struct drm_sgdemo_sgt_info){ .handle = handle };
		igt_assert_eq(__sgdemo_sgt_info(dev, info), 0);
		spare[n] = handle;
		if (info->orig_nents > 1)
			return handle;
		igt_info("an object of one run of pages; another one\n");
	}
	igt_assert_f(false, "%d objects of %llu KiB, each one run of pages\n", nspare,
		     (unsigned long long)size >> 10);
	return 0;
}

/* The DMA segment lengths of a table (as root); asserts they add up to @size. */
static void assert_segments(int dev, const struct drm_sgdemo_sgt_info *facts, uint64_t size)
{
	uint64_t *seg = calloc(facts->nents, sizeof(*seg)), sum = 0;
	struct drm_sgdemo_sgt_info info = {
		.handle = facts->handle,
		.id = facts->id,
		.count = facts->nents,
		.segments_ptr = (uintptr_t)seg,
	};
	unsigned int i;

	igt_assert(seg);
	igt_assert_eq(__sgdemo_sgt_info(dev, &info), 0);
	igt_assert_eq(info.count, facts->nents);
	for (i = 0; i < info.count; i++) {
		igt_assert(seg[i] > 0);
		sum += seg[i];
	}
	igt_assert_eq(sum, size);
	free(seg);
}

#define SPARE 8

/*
 * Behind the IOMMU the PCI device's DMA segments merge: fewer than the
 * CPU's. dma-direct, for the platform device, maps each CPU segment as one.
 */
static void test_info_iommu_merge(void)
{
	const uint64_t size = (2ull << 20) + 16 * PAGE;
	int pci = require_pci(), plat = open_platform();
	struct drm_sgdemo_sgt_info info, owned;
	uint32_t spare[SPARE] = { 0 }, plat_spare[SPARE] = { 0 }, handle, id;
	int i;

	igt_require_f(pci_translated(pci), "the PCI device is behind no translating IOMMU\n");

	handle = scattered_object(pci, size, spare, SPARE, &info);
	igt_info("PCI: %u DMA segments of %u CPU segments, %u runs of pages\n", info.nents,
		 info.orig_nents, info.page_runs);
	igt_assert_eq(info.size, size);
	igt_assert_lt(info.nents, info.orig_nents);
	igt_assert_lte(info.page_runs, info.orig_nents);
	assert_segments(pci, &info, size);
	/* An owned table of it is mapped as the borrowed one. */
	id = igt_sgdemo_sgt_acquire(pci, handle);
	owned = (struct drm_sgdemo_sgt_info){ .id = id };
	igt_assert_eq(__sgdemo_sgt_info(pci, &owned), 0);
	igt_assert_eq(owned.orig_nents, info.orig_nents);
	igt_assert_lt(owned.nents, owned.orig_nents);
	assert_segments(pci, &owned, size);
	igt_sgdemo_sgt_release(pci, id);

	handle = scattered_object(plat, size, plat_spare, SPARE, &info);
	igt_info("platform: %u DMA segments of %u CPU segments, %u runs of pages\n", info.nents,
		 info.orig_nents, info.page_runs);
	igt_assert_eq(info.nents, info.orig_nents);
	assert_segments(plat, &info, size);
	id = igt_sgdemo_sgt_acquire(plat, handle);
	owned = (struct drm_sgdemo_sgt_info){ .id = id };
	igt_assert_eq(__sgdemo_sgt_info(plat, &owned), 0);
	igt_assert_eq(owned.nents, owned.orig_nents);
	igt_sgdemo_sgt_release(plat, id);

	for (i = 0; i < SPARE; i++) {
		if (spare[i])
			gem_close_handle(pci, spare[i]);
		if (plat_spare[i])
			gem_close_handle(plat, plat_spare[i]);
	}
	close(pci);
	close(plat);
	assert_all_released();
}

/*
 * Copies through edu's DMA engine land where they should and nowhere else,
 * and take edu's time (100 ms a transfer); ones too large, or on the
 * platform device, are refused.
 */
static void test_device_copy(void)
{
	const uint64_t size = 4 * PAGE;
	int pci = require_pci(), plat = open_platform();
	uint32_t src = igt_sgdemo_create_filled(pci, size, 0xd5c0);
	uint32_t dst = igt_sgdemo_create_filled(pci, size, 0xd5d0);
	uint8_t *s = igt_sgdemo_mmap(pci, src, size), *d = igt_sgdemo_mmap(pci, dst, size);
	uint8_t *expect = malloc(size);
	struct drm_sgdemo_submit args;
	uint32_t ids[2], p_src, p_dst;
	int fds = open_fds();
	long ms;

	igt_assert(expect);
	memcpy(expect, d, size);
	/* Owned tables held meanwhile: the job maps its own shared ones beside. */
	ids[0] = igt_sgdemo_sgt_acquire(pci, src);
	ids[1] = igt_sgdemo_sgt_acquire(pci, dst);

	/* Both ranges across a page boundary, the largest size. */
	ms = job_done(device_copy(pci, dst, 2 * PAGE - 100, src, PAGE - 1000,
				  SGDEMO_DEVICE_COPY_MAX));
	memcpy(expect + 2 * PAGE - 100, s + PAGE - 1000, SGDEMO_DEVICE_COPY_MAX);
	igt_assert(!memcmp(d, expect, size));
	igt_info("a device copy of %u bytes took %ld ms\n", SGDEMO_DEVICE_COPY_MAX, ms);
	igt_assert_f(ms >= 150, "%ld ms: edu takes 100 ms a transfer, two at least\n", ms);

	/* Without owned tables, one byte, then within one object. */
	igt_sgdemo_sgt_release(pci, ids[0]);
	igt_sgdemo_sgt_release(pci, ids[1]);
	job_done(device_copy(pci, dst, size - 1, src, 0, 1));
	expect[size - 1] = s[0];
	job_done(device_copy(pci, dst, 0, dst, PAGE + 17, 1000));
	memmove(expect, expect + PAGE + 17, 1000);
	igt_assert(!memcmp(d, expect, size));
	igt_assert(check_pattern(s, size, 0xd5c0));

	/* Too large, or no DMA engine: refused, nothing queued. */
	args = (struct drm_sgdemo_submit){ .op = SGDEMO_OP_DEVICE_COPY, .dst_handle = dst,
					   .src_handle = src,
					   .size = SGDEMO_DEVICE_COPY_MAX + 1 };
	igt_assert_eq(submit(pci, &args), -EINVAL);
	args = (struct drm_sgdemo_submit){ .op = SGDEMO_OP_DEVICE_COPY, .dst_handle = dst,
					   .src_handle = src };
	igt_assert_eq(submit(pci, &args), -EINVAL);
	p_src = igt_sgdemo_create_filled(plat, size, 1);
	p_dst = igt_sgdemo_create(plat, size);
	args = (struct drm_sgdemo_submit){ .op = SGDEMO_OP_DEVICE_COPY, .dst_handle = p_dst,
					   .src_handle = p_src, .size = SGDEMO_DEVICE_COPY_MAX };
	igt_assert_eq(submit(plat, &args), -EOPNOTSUPP);
	igt_assert_eq(open_fds(), fds);
	igt_assert(!memcmp(d, expect, size));

	free(expect);
	igt_assert_eq(munmap(s, size), 0);
	igt_assert_eq(munmap(d, size), 0);
	close(pci);
	close(plat);
	assert_all_released();
}

/* Maps the first @size bytes of @dmabuf for reading. */
static uint8_t *dmabuf_map(int dmabuf, uint64_t size)
{
	void *ptr = mmap(NULL, size, PROT_READ, MAP_SHARED, dmabuf, 0);

	igt_assert(ptr != MAP_FAILED);
	return ptr;
}

/*
 * The CPU reads a dma-buf a device wrote: bracketed, so that whatever the
 * devices' mappings need is done. Returns a copy of its first @size bytes.
 */
static uint8_t *dmabuf_read(int dmabuf, uint64_t size)
{
	uint8_t *copy = malloc(size);
	void *ptr = dmabuf_map(dmabuf, size);

	igt_assert(copy);
	dmabuf_sync(dmabuf, DMA_BUF_SYNC_START | DMA_BUF_SYNC_READ);
	memcpy(copy, ptr, size);
	dmabuf_sync(dmabuf, DMA_BUF_SYNC_END | DMA_BUF_SYNC_READ);
	igt_assert_eq(munmap(ptr, size), 0);
	return copy;
}

static void assert_bytes(const uint8_t *p, uint8_t value, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		igt_assert_f(p[i] == value, "byte %zu is %#x, not %#x\n", i, p[i], value);
}

/*
 * dma-bufs across the two sgdemo devices and vgem: each device writes what
 * the other exported, with its engine and with edu's, and the exporter's
 * side reads it. Each import is charged on the importer's budget, its
 * mapping of the exporter's object on the exporter's.
 */
static void test_cross_device_prime(void)
{
	const uint64_t size = 4 * PAGE;
	int pci = require_pci(), plat = open_platform();
	char pci_name[64];
	struct igt_sgdemo_dma pci0, plat0, pci1, plat1;
	uint32_t a, b, c, d, ia, ic, iv;
	struct vgem_buffer vb;
	int dmabuf;
	uint8_t *bytes, *src;

	igt_sgdemo_device_name(pci, pci_name, sizeof(pci_name));
	igt_sgdemo_dma_read(pci, &pci0);
	igt_sgdemo_dma_read(plat, &plat0);

	/* Platform exports, PCI imports, fills and copies into it with edu. */
	a = igt_sgdemo_create_filled(plat, size, 0xa1a1);
	b = igt_sgdemo_create_filled(pci, size, 0xb2b2);
	dmabuf = prime_export(plat, a);
	ia = prime_import(pci, dmabuf);
	igt_sgdemo_dma_read(pci, &pci1);
	igt_sgdemo_dma_read(plat, &plat1);
	igt_assert_eq(pci1.mapped, pci0.mapped + size);
	igt_assert_eq(plat1.mapped, plat0.mapped + size);
	job_done(igt_sgdemo_fill(pci, ia, PAGE, PAGE, 0x5a));
	job_done(device_copy(pci, ia, 2 * PAGE + 8, b, 16, SGDEMO_DEVICE_COPY_MAX));
	bytes = dmabuf_read(dmabuf, size);
	src = igt_sgdemo_mmap(pci, b, size);
	igt_assert(check_pattern(bytes, PAGE, 0xa1a1));
	assert_bytes(bytes + PAGE, 0x5a, PAGE);
	igt_assert(!memcmp(bytes + 2 * PAGE + 8, src + 16, SGDEMO_DEVICE_COPY_MAX));
	free(bytes);
	gem_close_handle(pci, ia);
	close(dmabuf);

	/* PCI exports, the platform device imports and writes it. */
	c = igt_sgdemo_create_filled(pci, size, 0xc3c3);
	d = igt_sgdemo_create_filled(plat, size, 0xd4d4);
	dmabuf = prime_export(pci, c);
	ic = prime_import(plat, dmabuf);
	igt_sgdemo_wait_jobs_freed(&start);
	igt_sgdemo_dma_read(pci, &pci1);
	igt_sgdemo_dma_read(plat, &plat1);
	igt_assert_eq(pci1.mapped, pci0.mapped + size);
	igt_assert_eq(plat1.mapped, plat0.mapped + size);
	job_done(igt_sgdemo_fill(plat, ic, 0, PAGE, 0xa5));
	job_done(igt_sgdemo_copy(plat, ic, PAGE, d, 0, PAGE, NULL, 0, 0));
	/* And edu reads what the platform device wrote into its own object. */
	job_done(device_copy(pci, c, 3 * PAGE, c, 0, SGDEMO_DEVICE_COPY_MAX));
	bytes = dmabuf_read(dmabuf, size);
	assert_bytes(bytes, 0xa5, PAGE);
	igt_assert(check_pattern(bytes + PAGE, PAGE, 0xd4d4));
	assert_bytes(bytes + 3 * PAGE, 0xa5, SGDEMO_DEVICE_COPY_MAX);
	free(bytes);
	gem_close_handle(plat, ic);
	close(dmabuf);

	/* vgem's buffer, written by edu. */
	vgem_buffer_create(&vb, 1024, 4, 0xe5e5);
	iv = vgem_buffer_import(&vb, pci);
	job_done(device_copy(pci, iv, 100, b, 200, SGDEMO_DEVICE_COPY_MAX));
	igt_assert(!memcmp((uint8_t *)vb.ptr + 100, src + 200, SGDEMO_DEVICE_COPY_MAX));
	igt_assert(check_pattern(vb.ptr, 100, 0xe5e5));
	gem_close_handle(pci, iv);
	vgem_buffer_destroy(&vb);

	igt_assert_eq(munmap(src, size), 0);
	close(pci);
	close(plat);
	assert_all_released();
	igt_assert(igt_sgdemo_dma_read_name(pci_name, &pci1));
	igt_assert_eq(pci1.mapped, pci0.mapped);
}

/*
 * The PCI device's budget ends in ENOSPC, like any device's, although edu
 * addresses only 28 bits: objects of 4 MiB mapped eight times each (a
 * pinned eighth of what is charged) until a mapping fails, which must be
 * with ENOSPC, with no room for another object left under the budget.
 */
static void test_budget_enospc(void)
{
	const uint64_t size = 4ull << 20;
	int pci = require_pci(), n, ret = 0;
	struct igt_sgdemo_dma dma0, dma;
	uint32_t handle, id;
	long tables = 0;

	igt_sgdemo_dma_read(pci, &dma0);
	igt_info("budget %llu MiB, %s\n", (unsigned long long)dma0.budget >> 20,
		 dma0.bounces ? "bounces" : "no bouncing");
	while (!ret) {
		handle = igt_sgdemo_create(pci, size);
		for (n = 0; n < 8 && !ret; n++) {
			ret = __sgdemo_sgt_acquire(pci, handle, 0, &id);
			tables += !ret;
		}
	}
	igt_sgdemo_dma_read(pci, &dma);
	igt_info("%ld tables of %llu MiB, then %s with %llu of %llu bytes mapped\n", tables,
		 (unsigned long long)size >> 20, strerror(-ret), (unsigned long long)dma.mapped,
		 (unsigned long long)dma.budget);
	igt_assert_f(ret == -ENOSPC, "a mapping failed with %s, not ENOSPC, %llu of %llu bytes mapped\n",
		     strerror(-ret), (unsigned long long)dma.mapped,
		     (unsigned long long)dma.budget);
	igt_assert_lte(dma.mapped, dma.budget);
	igt_assert_lt(dma.budget - dma.mapped, size);
	close(pci);
	assert_all_released();
}

/*
 * The PCI device removed from its bus with everything in use: every DMA
 * mapping made for it ends before the removal returns (and nothing else
 * does), its files, objects, mappings and dma-bufs stay, its gated jobs
 * fail, its ioctls say ENODEV; closing frees it all, and a rescan brings a
 * new device that works.
 */
static void test_remove_with_everything(void)
{
	const uint64_t size = 16 * PAGE;
	const long pages = size / PAGE;
	int pci = require_pci();
	char name[64], path[PATH_MAX], remove[PATH_MAX + 16];
	struct igt_sgdemo_counters before, after;
	struct drm_sgdemo_submit args;
	struct drm_sgdemo_sgt_info info;
	struct igt_sgdemo_dma dma0, dma, dma1;
	uint32_t a, b, c, d, e, ids[2], syncobj, vgem_handle, plat_c, h = 0;
	int timeline, dmabuf, vgem, plat, jobs[3], i;
	uint64_t vgem_charge;
	struct vgem_buffer vb;
	uint64_t sz = PAGE, off;
	uint8_t *ptr, *bytes, *again;

	igt_sgdemo_device_name(pci, name, sizeof(name));
	igt_assert(igt_sgdemo_device_path(pci, path, sizeof(path)));
	snprintf(remove, sizeof(remove), "%s/remove", path);
	igt_sgdemo_dma_read(pci, &dma0);

	/* Owned tables of a, mapped by the CPU too. */
	a = igt_sgdemo_create_filled(pci, size, 0x7a7a);
	ptr = igt_sgdemo_mmap(pci, a, size);
	ids[0] = igt_sgdemo_sgt_acquire(pci, a);
	ids[1] = igt_sgdemo_sgt_acquire(pci, a);
	/* b's borrowed table. */
	b = igt_sgdemo_create_filled(pci, size, 0x7b7b);
	info = (struct drm_sgdemo_sgt_info){ .handle = b };
	igt_assert_eq(__sgdemo_sgt_info(pci, &info), 0);
	/*
	 * c exported, imported by vgem (which maps it only on older kernels)
	 * and by the platform device, whose mapping of c is charged on our
	 * budget as exporter but is the platform device's: it outlives us.
	 */
	c = igt_sgdemo_create_filled(pci, size, 0x7c7c);
	dmabuf = prime_export(pci, c);
	vgem = drm_open_driver(DRIVER_VGEM);
	igt_sgdemo_dma_read(pci, &dma);
	vgem_handle = prime_import(vgem, dmabuf);
	igt_sgdemo_dma_read(pci, &dma1);
	vgem_charge = dma1.mapped - dma.mapped;
	igt_assert_f(vgem_charge == 0 || vgem_charge == size, "vgem's import charged %llu\n",
		     (unsigned long long)vgem_charge);
	plat = open_platform();
	plat_c = prime_import(plat, dmabuf);
	/* d, vgem's buffer imported. */
	vgem_buffer_create(&vb, 1024, pages, 0x7d7d);
	d = vgem_buffer_import(&vb, pci);
	/* Jobs behind a fence only the test signals: shared tables of a and e. */
	e = igt_sgdemo_create(pci, size);
	timeline = timeline_open();
	syncobj = syncobj_of(pci, timeline_fence(timeline, 1));
	for (i = 0; i < 3; i++)
		jobs[i] = igt_sgdemo_copy(pci, e, 0, a, 0, size, &syncobj, 1, 60000);
	igt_assert(!fd_ready(jobs[0], POLLIN, 100));

	/*
	 * Charged on the device: a's two owned tables and the jobs' shared
	 * one, e's shared one, b's borrowed table, the import d; and the
	 * importers' mappings of c: the platform device's, vgem's if it maps.
	 */
	igt_sgdemo_dma_read(pci, &dma);
	igt_assert_eq(dma.mapped - dma0.mapped, 7 * size + vgem_charge);
	igt_sgdemo_counters_read(&before);

	write_file(remove, "1");

	/*
	 * Before the write returned: every mapping made for the device, and
	 * nothing else: not the importers' of c.
	 */
	igt_sgdemo_counters_read(&after);
	igt_assert_eq(after.dma_mapped_pages, before.dma_mapped_pages - 6 * pages);
	igt_assert_eq(after.dma_faults, before.dma_faults);
	igt_assert_eq(after.objects, before.objects);
	igt_assert(!igt_sgdemo_dma_read_name(name, &dma));
	igt_assert(access(path, F_OK));

	/* The gated jobs fail. */
	for (i = 0; i < 3; i++) {
		igt_assert_f(fd_ready(jobs[i], POLLIN, 10000), "job %d did not end\n", i);
		igt_assert_eq(sync_file_status(jobs[i]), -ENODEV);
		close(jobs[i]);
	}
	/* The device is gone for every ioctl. */
	igt_assert_eq(__sgdemo_create(pci, &sz, 0, &h), -ENODEV);
	igt_assert_eq(__sgdemo_sgt_acquire(pci, a, 0, &h), -ENODEV);
	igt_assert_eq(__sgdemo_sgt_release(pci, ids[0]), -ENODEV);
	info = (struct drm_sgdemo_sgt_info){ .handle = b };
	igt_assert_eq(__sgdemo_sgt_info(pci, &info), -ENODEV);
	igt_assert_eq(__sgdemo_mmap_offset(pci, c, &off), -ENODEV);
	igt_assert_eq(__sgdemo_sgt_acquire(pci, d, 0, &h), -ENODEV);
	args = (struct drm_sgdemo_submit){ .op = SGDEMO_OP_FILL, .dst_handle = a, .size = PAGE };
	igt_assert_eq(__sgdemo_submit(pci, &args), -ENODEV);
	/*
	 * The CPU mappings of the removed device's objects fault with SIGBUS,
	 * the GEM one and a new one of the dma-buf. What was handed out still
	 * holds its pages: the platform device's import of c reads them, and
	 * vgem's buffer, imported by the removed device, is untouched.
	 */
	igt_assert(igt_sgdemo_access_sigbus(ptr, false));
	bytes = igt_sgdemo_read_owned(plat, plat_c, size);
	igt_assert(check_pattern(bytes, size, 0x7c7c));
	again = dmabuf_map(dmabuf, size);
	igt_assert(igt_sgdemo_access_sigbus(again, false));
	igt_assert_eq(munmap(again, size), 0);
	igt_assert(check_pattern(vb.ptr, vb.size, 0x7d7d));
	/* The platform device's import of c still writes c. */
	job_done(igt_sgdemo_fill(plat, plat_c, 0, PAGE, 0xc7));
	again = igt_sgdemo_read_owned(plat, plat_c, size);
	assert_bytes(again, 0xc7, PAGE);
	igt_assert(!memcmp(again + PAGE, bytes + PAGE, size - PAGE));
	free(again);
	free(bytes);
	gem_close_handle(plat, plat_c);
	close(plat);

	/* Closing frees it all; vgem's mapping of c goes with vgem's import. */
	igt_assert_eq(munmap(ptr, size), 0);
	gem_close_handle(vgem, vgem_handle);
	drm_close_driver(vgem);
	close(dmabuf);
	close(timeline);
	close(pci);
	vgem_buffer_destroy(&vb);
	assert_all_released();

	/* A rescan finds edu again: a new device, which works. */
	pci = pci_rescan();
	igt_assert_f(pci >= 0, "no sgdemo device on PCI after a rescan\n");
	igt_assert(igt_sgdemo_dma_read_name(name, &dma));
	igt_assert_eq(dma.mapped, 0);
	a = igt_sgdemo_create_filled(pci, size, 0x7e7e);
	e = igt_sgdemo_create(pci, size);
	job_done(igt_sgdemo_fill(pci, e, 0, size, 0x3c));
	job_done(device_copy(pci, e, 0, a, 0, SGDEMO_DEVICE_COPY_MAX));
	ptr = igt_sgdemo_mmap(pci, e, size);
	igt_assert(check_pattern(ptr, SGDEMO_DEVICE_COPY_MAX, 0x7e7e));
	assert_bytes(ptr + SGDEMO_DEVICE_COPY_MAX, 0x3c, size - SGDEMO_DEVICE_COPY_MAX);
	igt_assert_eq(munmap(ptr, size), 0);
	close(pci);
	assert_all_released();
}

igt_main
{
	igt_fixture {
		int pci;

		igt_sgdemo_ensure_bound();
		close(igt_sgdemo_open(SGDEMO_RENDER));
		pci = igt_sgdemo_open_device(true, SGDEMO_RENDER);
		had_pci = pci >= 0;
		if (had_pci)
			close(pci);
		igt_sgdemo_counters_read(&start);
		start_dmabufs = dmabuf_count();
	}

	igt_describe("Behind the IOMMU the PCI device's DMA segments merge; the platform device's do not.");
	igt_subtest("info-iommu-merge")
		test_info_iommu_merge();

	igt_describe("edu's DMA engine copies up to 2 KiB exactly; larger, or on the platform device, refused.");
	igt_subtest("device-copy")
		test_device_copy();

	igt_describe("dma-bufs between the platform device, the PCI device and vgem, written by edu.");
	igt_subtest("cross-device-prime")
		test_cross_device_prime();

	igt_describe("The PCI device's budget ends in ENOSPC, not in the DMA layer's ENOMEM.");
	igt_subtest("budget-enospc")
		test_budget_enospc();

	igt_describe("PCI removal with tables, imports, exports, mmaps and gated jobs: mappings end, the rest stays; rescan.");
	igt_subtest("remove-with-everything")
		test_remove_with_everything();

	igt_fixture {
		int pci = igt_sgdemo_open_device(true, SGDEMO_RENDER);

		/* A removal whose subtest failed before its rescan. */
		if (had_pci && pci < 0)
			pci = pci_rescan();
		if (pci >= 0)
			close(pci);
	}
}
