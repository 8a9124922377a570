// SPDX-License-Identifier: MIT
/*
 * sgdemo_mmap - CPU mappings show the right pages of the object wherever
 * they start in it and whatever was done to them since: dma-buf mappings
 * made k pages into the object, GEM mappings that start k pages in (the DRM
 * core only maps the file from an object's first page, so those are what
 * is left of a mapping after munmap() of its head), the parts left after
 * munmap() of a tail or a middle, and a part moved by mremap(). Each
 * proof reads and writes through the mapping under test and checks against
 * a second, whole mapping of the same object, every page of which holds a
 * pattern of its own. Every subtest ends with the driver's counters where
 * they started, and checks that itself.
 *
 * The vgem-* subtests run the same proofs on vgem's dumb buffers, whose
 * mappings are the DRM shmem helpers' own (drm_gem_shmem_vm_ops): on
 * Debian's kernels they fail, the helpers' fault handler counting pages from
 * the mapping's start (igt-tests/expected-failures.txt); the debug kernel of
 * `make check-debug` carries the fix (patches/), and there they must pass.
 */
#define _GNU_SOURCE	/* mremap() */
#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>

#include <xf86drm.h>

#include "igt_decls.h"
#include "sgdemo_lib.h"

IGT_TEST_DESCRIPTION("CPU mappings of sgdemo objects at every offset");

#define PAGE 4096ull
#define WORDS_PER_PAGE (PAGE / sizeof(uint32_t))
/* 16 pages; 4 MiB, two huge folios where the kernel gives objects those. */
#define SMALL_PAGES 16ull
#define LARGE_PAGES 1024ull

static int fd = -1, vgem = -1;
/* shmem_enabled before the vgem subtests changed it; empty: unchanged. */
static char shmem_was[32];
static struct igt_sgdemo_counters start;
static int start_dmabufs;
/* Each fill gets a tag of its own, so that no stale byte passes for new. */
static uint32_t next_tag = 1;

/* Word @w of object page @page under @tag: it names its page and its tag. */
static uint32_t word_of(uint32_t tag, uint64_t page, uint64_t w)
{
	return (tag & 0xff) << 24 | (uint32_t)(page & 0x3fff) << 10 | (uint32_t)w;
}

/* Writes @tag's pattern into @n pages at @ptr, which show object pages @first on. */
static void fill_pages(void *ptr, uint64_t first, uint64_t n, uint32_t tag)
{
	uint32_t *p = ptr;

	for (uint64_t i = 0; i < n; i++)
		for (uint64_t w = 0; w < WORDS_PER_PAGE; w++)
			p[i * WORDS_PER_PAGE + w] = word_of(tag, first + i, w);
}

/* Fills @pages pages at @ptr once; returns the minor faults that took. */
static long fill_faults(void *ptr, uint64_t pages)
{
	struct rusage before, after;

	igt_assert_eq(getrusage(RUSAGE_SELF, &before), 0);
	fill_pages(ptr, 0, pages, next_tag++);
	igt_assert_eq(getrusage(RUSAGE_SELF, &after), 0);
	return after.ru_minflt - before.ru_minflt;
}

/* Checks that @n pages at @ptr show object pages @first on, under @tag. */
static void check_pages(const void *ptr, uint64_t first, uint64_t n, uint32_t tag,
			const char *what)
{
	const uint32_t *p = ptr;

	for (uint64_t i = 0; i < n; i++) {
		for (uint64_t w = 0; w < WORDS_PER_PAGE; w++) {
			uint32_t got = p[i * WORDS_PER_PAGE + w];

			igt_assert_f(got == word_of(tag, first + i, w),
				     "%s: page %" PRIu64 " (object page %" PRIu64 ") word %" PRIu64
				     " is %#x: object page %u, tag %u; expected tag %u\n",
				     what, i, first + i, w, got, (got >> 10) & 0x3fff, got >> 24,
				     tag & 0xff);
		}
	}
}

/*
 * Proves that @n pages at @ptr are object pages @first to @first + n - 1:
 * what the whole mapping @whole (of @pages pages) wrote is read there, and
 * what is written there lands in exactly those pages of @whole. With
 * @write_first the pages at @ptr are first touched by a write, otherwise by
 * a read.
 */
static void prove(void *whole, uint64_t pages, void *ptr, uint64_t first, uint64_t n,
		  bool write_first, const char *what)
{
	uint32_t old = next_tag++, new = next_tag++;
	char *w = whole;

	fill_pages(whole, 0, pages, old);
	if (!write_first)
		check_pages(ptr, first, n, old, what);
	fill_pages(ptr, first, n, new);
	check_pages(w, 0, first, old, "the whole mapping, below");
	check_pages(w + first * PAGE, first, n, new, "the whole mapping, written");
	check_pages(w + (first + n) * PAGE, first + n, pages - first - n, old,
		    "the whole mapping, above");
	check_pages(ptr, first, n, new, what);
}

#define SHMEM_ENABLED "/sys/kernel/mm/transparent_hugepage/shmem_enabled"

/*
 * vgem's objects live on the kernel's shm mount, whose huge-page policy is
 * shmem_enabled: with "within_size" its 4 MiB objects get huge folios, and
 * the vgem-*-4mib subtests go through the shmem helpers' PMD path as well.
 * A kernel without THP has no such file, and vgem keeps small pages.
 */
static void shmem_huge_within_size(void)
{
	char line[128], *open, *close;
	FILE *f = fopen(SHMEM_ENABLED, "r");

	if (!f)
		return;
	igt_assert(fgets(line, sizeof(line), f));
	fclose(f);
	/* "always within_size advise [never] deny force": the bracketed one. */
	open = strchr(line, '[');
	close = open ? strchr(open, ']') : NULL;
	igt_assert(close && close - open - 1 < (long)sizeof(shmem_was));
	memcpy(shmem_was, open + 1, close - open - 1);
	igt_sgdemo_write_sysfs(SHMEM_ENABLED, "within_size");
}

static void shmem_huge_restore(void)
{
	if (shmem_was[0])
		igt_sgdemo_write_sysfs(SHMEM_ENABLED, shmem_was);
}

/* The driver whose objects a subtest maps: sgdemo, or with @vgem, vgem. */
struct target {
	const char *prefix;	/* of the subtests' names */
	bool vgem;
};

static const struct target sgdemo_target = { "", false }, vgem_target = { "vgem-", true };

static int target_fd(const struct target *t)
{
	return t->vgem ? vgem : fd;
}

/* A new object of @pages pages: sgdemo's own, or a vgem dumb buffer. */
static uint32_t obj_create(const struct target *t, uint64_t pages)
{
	uint32_t handle;
	uint64_t size;

	if (!t->vgem)
		return igt_sgdemo_create(fd, pages * PAGE);
	/* One row of 32-bit pixels, a page's worth for each page. */
	igt_assert_eq(__sgdemo_dumb_create(vgem, pages * PAGE / 4, 1, 32, &handle, &size), 0);
	igt_assert_eq(size, pages * PAGE);
	return handle;
}

/* The fake offset of sgdemo object @handle of file @dev, for mmap(). */
static uint64_t sgdemo_offset(int dev, uint32_t handle)
{
	uint64_t offset;

	igt_assert_eq(__sgdemo_mmap_offset(dev, handle, &offset), 0);
	return offset;
}

/* The fake offset of object @handle of @t's file, for mmap(). */
static uint64_t obj_offset(const struct target *t, uint32_t handle)
{
	uint64_t offset;

	if (!t->vgem)
		return sgdemo_offset(fd, handle);
	igt_assert_eq(__sgdemo_dumb_map_offset(vgem, handle, &offset), 0);
	return offset;
}

/* Closes object @handle, the subtest's last; then nothing of it is left. */
static void obj_close(const struct target *t, uint32_t handle)
{
	gem_close_handle(target_fd(t), handle);
	igt_sgdemo_assert_all_released(&start, start_dmabufs);
}

/* Maps the first @n pages of the object at fake offset @offset of file @dev, untouched. */
static void *map_gem(int dev, uint64_t offset, uint64_t n)
{
	void *ptr;

	ptr = mmap(NULL, n * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, dev, offset);
	igt_assert_f(ptr != MAP_FAILED, "mmap of %" PRIu64 " pages: %s\n", n, strerror(errno));
	return ptr;
}

/*
 * A GEM mapping of object pages @first to @pages - 1, untouched. The DRM
 * core maps the file only from an object's first page (its fake offset
 * exactly; anything else is EINVAL), so this maps all @pages and unmaps the
 * first @first again: the VMA left starts @first pages into the object.
 */
static void *map_gem_at(int dev, uint64_t offset, uint64_t first, uint64_t pages)
{
	char *ptr = map_gem(dev, offset, pages);

	if (first)
		igt_assert_eq(munmap(ptr, first * PAGE), 0);
	return ptr + first * PAGE;
}

/* Maps @n pages of dma-buf @dmabuf from page @first on. */
static void *map_dmabuf_at(int dmabuf, uint64_t first, uint64_t n)
{
	void *ptr = mmap(NULL, n * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, dmabuf, first * PAGE);

	igt_assert_f(ptr != MAP_FAILED, "dma-buf mmap of pages %" PRIu64 "+%" PRIu64 ": %s\n",
		     first, n, strerror(errno));
	return ptr;
}

/* The offsets k worth mapping at in an object of @pages pages, 0-terminated. */
static void offsets_for(uint64_t pages, uint64_t k[6])
{
	if (pages == LARGE_PAGES) {
		/* Around the 2 MiB boundary, where a huge folio ends. */
		k[0] = 1, k[1] = 511, k[2] = 512, k[3] = 513, k[4] = pages - 1;
	} else {
		k[0] = 1, k[1] = 3, k[2] = pages / 2, k[3] = pages - 1, k[4] = 0;
	}
	k[5] = 0;
}

static void test_gem_offset(const struct target *t, uint64_t pages)
{
	int dev = target_fd(t);
	uint32_t handle = obj_create(t, pages);
	uint64_t offset = obj_offset(t, handle), k[6];
	void *whole = map_gem(dev, offset, pages);

	igt_info("the first fill of the whole mapping took %ld faults for %" PRIu64 " pages\n",
		 fill_faults(whole, pages), pages);

	/* mmap() of the file k pages into the object: the DRM core refuses. */
	igt_assert(mmap(NULL, PAGE, PROT_READ, MAP_SHARED, dev, offset + PAGE) == MAP_FAILED);
	igt_assert_eq(errno, EINVAL);

	offsets_for(pages, k);
	for (int i = 0; k[i]; i++) {
		void *ptr = map_gem_at(dev, offset, k[i], pages);

		prove(whole, pages, ptr, k[i], pages - k[i], i & 1, "GEM mapping at +k");
		igt_assert_eq(munmap(ptr, (pages - k[i]) * PAGE), 0);
	}
	igt_assert_eq(munmap(whole, pages * PAGE), 0);
	obj_close(t, handle);
}

/*
 * The dma-buf is exported and mapped before the object was ever given a
 * fake offset (the whole mapping asks for it only afterwards): the mapping
 * must find its pages all the same.
 */
static void test_dmabuf_offset(const struct target *t, uint64_t pages)
{
	uint32_t handle = obj_create(t, pages);
	int dmabuf = prime_export(target_fd(t), handle);
	void *first_ptr, *whole;
	uint64_t k[6];

	offsets_for(pages, k);
	first_ptr = map_dmabuf_at(dmabuf, k[0], pages - k[0]);
	whole = map_gem(target_fd(t), obj_offset(t, handle), pages);
	prove(whole, pages, first_ptr, k[0], pages - k[0], false, "dma-buf mapping at +k");
	igt_assert_eq(munmap(first_ptr, (pages - k[0]) * PAGE), 0);

	for (int i = 1; k[i]; i++) {
		void *ptr = map_dmabuf_at(dmabuf, k[i], pages - k[i]);

		prove(whole, pages, ptr, k[i], pages - k[i], i & 1, "dma-buf mapping at +k");
		igt_assert_eq(munmap(ptr, (pages - k[i]) * PAGE), 0);
	}
	igt_assert_eq(munmap(whole, pages * PAGE), 0);
	close(dmabuf);
	obj_close(t, handle);
}

enum cut { CUT_HEAD, CUT_TAIL, CUT_MIDDLE };

/*
 * munmap() of a part of a whole mapping that was never touched, then every
 * page left is faulted, by reads in one part and writes in the other.
 */
static void test_munmap(const struct target *t, uint64_t pages, enum cut cut)
{
	uint32_t handle = obj_create(t, pages);
	uint64_t offset = obj_offset(t, handle);
	void *whole = map_gem(target_fd(t), offset, pages);
	char *ptr = map_gem(target_fd(t), offset, pages);
	/* Where the cut is, and how long: across a huge folio's end on 4 MiB. */
	uint64_t at, len;

	if (pages == LARGE_PAGES)
		at = cut == CUT_HEAD ? 0 : 511, len = cut == CUT_HEAD ? 513 : 3;
	else
		at = cut == CUT_HEAD ? 0 : 5, len = 3;
	if (cut == CUT_TAIL)
		at = pages - len;

	igt_assert_eq(munmap(ptr + at * PAGE, len * PAGE), 0);
	if (at)
		prove(whole, pages, ptr, 0, at, false, "below the cut");
	if (at + len < pages)
		prove(whole, pages, ptr + (at + len) * PAGE, at + len, pages - at - len, true,
		      "above the cut");
	if (at)
		igt_assert_eq(munmap(ptr, at * PAGE), 0);
	if (at + len < pages)
		igt_assert_eq(munmap(ptr + (at + len) * PAGE, (pages - at - len) * PAGE), 0);

	igt_assert_eq(munmap(whole, pages * PAGE), 0);
	obj_close(t, handle);
}

static void test_munmap_all(const struct target *t, uint64_t pages)
{
	test_munmap(t, pages, CUT_HEAD);
	test_munmap(t, pages, CUT_TAIL);
	test_munmap(t, pages, CUT_MIDDLE);
}

/*
 * mremap() moves a part out of the middle of a mapping, one page of which
 * had been faulted already (its entry moves with it), the others not.
 */
static void test_mremap(const struct target *t, uint64_t pages)
{
	uint32_t handle = obj_create(t, pages);
	uint64_t offset = obj_offset(t, handle);
	void *whole = map_gem(target_fd(t), offset, pages);
	char *ptr = map_gem(target_fd(t), offset, pages);
	uint64_t at = pages == LARGE_PAGES ? 510 : 2, len = pages == LARGE_PAGES ? 5 : 4;
	volatile uint32_t *touch = (uint32_t *)(ptr + (at + 1) * PAGE);
	void *target, *moved;

	(void)*touch;
	/* A place for it, far from the rest. */
	target = mmap(NULL, len * PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	igt_assert(target != MAP_FAILED);
	moved = mremap(ptr + at * PAGE, len * PAGE, len * PAGE, MREMAP_MAYMOVE | MREMAP_FIXED,
		       target);
	igt_assert_f(moved == target, "mremap: %s\n", strerror(errno));

	prove(whole, pages, moved, at, len, false, "the moved part");
	prove(whole, pages, ptr, 0, at, true, "below the moved part");
	prove(whole, pages, ptr + (at + len) * PAGE, at + len, pages - at - len, false,
	      "above the moved part");

	igt_assert_eq(munmap(moved, len * PAGE), 0);
	igt_assert_eq(munmap(ptr, at * PAGE), 0);
	igt_assert_eq(munmap(ptr + (at + len) * PAGE, (pages - at - len) * PAGE), 0);
	igt_assert_eq(munmap(whole, pages * PAGE), 0);
	obj_close(t, handle);
}

/* No mapping reaches past the object's end: mmap() and mremap() refuse. */
static void test_past_end(void)
{
	const uint64_t pages = SMALL_PAGES;
	uint32_t handle = igt_sgdemo_create(fd, pages * PAGE);
	int dmabuf = prime_export(fd, handle);
	uint64_t offset = sgdemo_offset(fd, handle);
	void *ptr;

	/* One page too many: through the file, and from page 3 on through the dma-buf. */
	ptr = mmap(NULL, (pages + 1) * PAGE, PROT_READ, MAP_SHARED, fd, offset);
	igt_assert(ptr == MAP_FAILED);
	igt_assert_eq(errno, EINVAL);
	ptr = mmap(NULL, (pages - 2) * PAGE, PROT_READ, MAP_SHARED, dmabuf, 3 * PAGE);
	igt_assert(ptr == MAP_FAILED);
	igt_assert_eq(errno, EINVAL);

	/* A mapping of the last pages cannot grow past the end either. */
	ptr = map_gem_at(fd, offset, pages - 2, pages);
	igt_assert(mremap(ptr, 2 * PAGE, 3 * PAGE, MREMAP_MAYMOVE) == MAP_FAILED);
	igt_assert_eq(errno, EFAULT);
	igt_assert_eq(munmap(ptr, 2 * PAGE), 0);

	close(dmabuf);
	gem_close_handle(fd, handle);
	igt_sgdemo_assert_all_released(&start, start_dmabufs);
}

/* CREATE_DUMB with any flag set creates nothing and leaks nothing. */
static void test_dumb_flags(void)
{
	for (unsigned int bit = 0; bit < 32; bit++) {
		struct drm_mode_create_dumb args = {
			.width = 256, .height = 16, .bpp = 32, .flags = 1u << bit,
		};

		igt_assert_eq(__sgdemo_ioctl(fd, DRM_IOCTL_MODE_CREATE_DUMB, &args), -EINVAL);
		igt_assert_eq(args.handle, 0);
		igt_assert_eq(args.size, 0);
	}
	igt_sgdemo_assert_counters(&start);
}

/*
 * Mappings made at +k and never touched, and a whole one already faulted,
 * then the device is unbound: every fault after the unplug gets SIGBUS,
 * reading or writing, through the DRM file and the dma-buf alike, and the
 * GEM mapping's pages that were mapped before are unmapped by the unplug
 * (docs/mmap.md). The mappings still hold the object until they go.
 */
static void test_fault_after_unbind(void)
{
	const uint64_t pages = SMALL_PAGES, k = 3;
	int dev = igt_sgdemo_open(SGDEMO_PRIMARY);
	uint32_t handle = igt_sgdemo_create(dev, pages * PAGE);
	char *whole = igt_sgdemo_mmap(dev, handle, pages * PAGE);
	char *gem = map_gem_at(dev, sgdemo_offset(dev, handle), k, pages);
	int dmabuf = prime_export(dev, handle);
	char *dma = map_dmabuf_at(dmabuf, k + 1, pages - k - 1);
	uint32_t h;
	uint64_t i;

	fill_pages(whole, 0, pages, next_tag++);
	gem_close_handle(dev, handle);
	igt_sgdemo_unbind(dev);

	for (i = 0; i < pages - k - 1; i++) {
		igt_assert_f(igt_sgdemo_access_sigbus(gem + i * PAGE, i & 1),
			     "GEM mapping at +k, page %" PRIu64 ": no SIGBUS after unbind\n", i);
		igt_assert_f(igt_sgdemo_access_sigbus(dma + i * PAGE, i & 1),
			     "dma-buf mapping at +k, page %" PRIu64 ": no SIGBUS after unbind\n", i);
		igt_assert_f(igt_sgdemo_access_sigbus(whole + i * PAGE, false),
			     "whole GEM mapping, page %" PRIu64 ": still mapped after unbind\n", i);
	}
	igt_assert_eq(munmap(gem, (pages - k) * PAGE), 0);
	igt_assert_eq(munmap(dma, (pages - k - 1) * PAGE), 0);
	igt_assert_eq(munmap(whole, pages * PAGE), 0);
	close(dmabuf);
	close(dev);
	igt_sgdemo_assert_all_released(&start, start_dmabufs);

	/* Bind again; the fixture's file belonged to the old device. */
	igt_sgdemo_bind();
	close(fd);
	fd = igt_sgdemo_open(SGDEMO_PRIMARY);
	h = igt_sgdemo_create(fd, PAGE);
	gem_close_handle(fd, h);
	igt_sgdemo_assert_counters(&start);
}

/*
 * Where the kernel has transparent huge pages, a new object's pages come in
 * 2 MiB folios (docs/mmap.md, "Huge pages"), and a fault maps a whole
 * folio: with a PMD where the kernel can (6.12 on; the GEM mapping is placed
 * on a 2 MiB boundary for it), else with a PTE for each of its pages (6.1).
 * Writing all of a 4 MiB object then costs a fault or two a folio (a read
 * fault, and a write fault where writes are tracked), where small pages
 * would cost one a page (1024). The count is this process's minor faults.
 */
static void test_huge_folio_faults(void)
{
	const uint64_t size = LARGE_PAGES * PAGE;
	uint32_t handle;
	long faults;
	char *ptr;

	igt_require_f(access("/sys/kernel/mm/transparent_hugepage", F_OK) == 0,
		      "this kernel has no transparent huge pages\n");
	handle = igt_sgdemo_create(fd, size);
	ptr = igt_sgdemo_mmap(fd, handle, size);
	faults = fill_faults(ptr, LARGE_PAGES);
	igt_info("writing a new 4 MiB object took %ld faults; the mapping is %s2 MiB-aligned\n",
		 faults, ((uintptr_t)ptr & ((2u << 20) - 1)) ? "not " : "");
	igt_assert_f(faults <= 8, "%ld faults for 4 MiB: the object is not on huge folios, or a"
		     " fault maps less than a folio\n", faults);
	igt_assert_eq(munmap(ptr, size), 0);
	gem_close_handle(fd, handle);
	igt_sgdemo_assert_all_released(&start, start_dmabufs);
}

/*
 * The offset proofs, on @t's objects: the subtests' names begin with
 * @t->prefix.
 */
static void offset_subtests(const struct target *t)
{
	igt_describe("A GEM mapping that starts k pages into the object (mapped whole, its head"
		     " unmapped: mmap() at +k is EINVAL) shows object page k on.");
	igt_subtest_f("%sgem-offset", t->prefix)
		test_gem_offset(t, SMALL_PAGES);

	igt_describe("GEM mappings at +k of a 4 MiB object, around where a huge folio ends.");
	igt_subtest_f("%sgem-offset-4mib", t->prefix)
		test_gem_offset(t, LARGE_PAGES);

	igt_describe("A dma-buf mapping made k pages in shows object page k on, also one made"
		     " before the object was ever mapped through the DRM file.");
	igt_subtest_f("%sdmabuf-offset", t->prefix)
		test_dmabuf_offset(t, SMALL_PAGES);

	igt_describe("dma-buf mappings at +k of a 4 MiB object.");
	igt_subtest_f("%sdmabuf-offset-4mib", t->prefix)
		test_dmabuf_offset(t, LARGE_PAGES);

	igt_describe("After munmap() of a mapping's head, the rest shows the right pages.");
	igt_subtest_f("%smunmap-head", t->prefix)
		test_munmap(t, SMALL_PAGES, CUT_HEAD);

	igt_describe("After munmap() of a mapping's tail, the rest shows the right pages.");
	igt_subtest_f("%smunmap-tail", t->prefix)
		test_munmap(t, SMALL_PAGES, CUT_TAIL);

	igt_describe("After munmap() of a mapping's middle, both parts show the right pages.");
	igt_subtest_f("%smunmap-middle", t->prefix)
		test_munmap(t, SMALL_PAGES, CUT_MIDDLE);

	igt_describe("munmap() of the head, the tail and the middle of mappings of a 4 MiB"
		     " object, across a huge folio's end.");
	igt_subtest_f("%smunmap-4mib", t->prefix)
		test_munmap_all(t, LARGE_PAGES);

	igt_describe("A part moved out of a mapping by mremap(), and the parts left, show the"
		     " right pages.");
	igt_subtest_f("%smremap", t->prefix)
		test_mremap(t, SMALL_PAGES);

	igt_describe("mremap() of a part of a mapping of a 4 MiB object, across a huge folio's"
		     " end.");
	igt_subtest_f("%smremap-4mib", t->prefix)
		test_mremap(t, LARGE_PAGES);
}

igt_main
{
	igt_fixture {
		fd = igt_sgdemo_open_counted(SGDEMO_PRIMARY, &start, &start_dmabufs);
	}

	offset_subtests(&sgdemo_target);

	igt_describe("No GEM or dma-buf mapping reaches past the object's end: mmap() and a"
		     " growing mremap() are refused.");
	igt_subtest("past-end")
		test_past_end();

	igt_describe("CREATE_DUMB with a flag set fails with EINVAL and leaves no object.");
	igt_subtest("dumb-flags")
		test_dumb_flags();

	igt_describe("Faults on GEM and dma-buf mappings after the device is unbound get"
		     " SIGBUS.");
	igt_subtest("fault-after-unbind")
		test_fault_after_unbind();

	igt_describe("Writing a new 4 MiB object through a GEM mapping takes a few faults,"
		     " one or two a huge folio, not one a page.");
	igt_subtest("huge-folio-faults")
		test_huge_folio_faults();

	/* Last: without vgem, the subtests after this fixture skip. */
	igt_fixture {
		vgem = __drm_open_driver(DRIVER_VGEM);
		igt_require_f(vgem >= 0, "no vgem\n");
		shmem_huge_within_size();
	}
	offset_subtests(&vgem_target);

	igt_fixture {
		shmem_huge_restore();
		close(vgem);
		close(fd);
	}
}
