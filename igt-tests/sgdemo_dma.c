// SPDX-License-Identifier: MIT
/*
 * sgdemo_dma - the DMA budget: every mapping sgdemo makes for a device is
 * charged on the device's budget and on its object's count of mappings (at
 * most eight); past either the call fails with ENOSPC and leaves nothing
 * behind. Runs on the sgdemo device the tests are pinned to (IGT_DEVICE).
 * Every subtest ends with the driver's counters, dma_mapped_pages among
 * them, where they started.
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
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <xf86drm.h>

#include "igt_decls.h"
#include "sgdemo_fence.h"
#include "sgdemo_lib.h"

IGT_TEST_DESCRIPTION("sgdemo's DMA budget: mappings charged per device and per object, ENOSPC past them");

#define PAGE 4096ull
/* The most mappings of one object (SGDEMO_MAX_OBJECT_MAPPINGS). */
#define OBJECT_MAPPINGS 8
/* The flood's objects: each one mapped OBJECT_MAPPINGS times. */
#define FLOOD_OBJ (4ull << 20)
/* Files the parent floods from, and child processes flooding beside it. */
#define FLOOD_FILES 3
#define FLOOD_CHILDREN 2
/* What the share's check writes and reads back. */
#define SHARE_BYTES (8u << 20)

static int fd = -1;
static struct igt_sgdemo_counters start;
static int start_dmabufs;

static void assert_all_released(void)
{
	igt_sgdemo_assert_all_released(&start, start_dmabufs);
}

static uint64_t dma_mapped(int dev)
{
	struct igt_sgdemo_dma dma;

	igt_sgdemo_dma_read(dev, &dma);
	return dma.mapped;
}

static uint64_t dma_budget(int dev)
{
	struct igt_sgdemo_dma dma;

	igt_sgdemo_dma_read(dev, &dma);
	return dma.budget;
}

/*
 * Whether vgem maps a buffer it imports: the helpers of 7.x attach only
 * (drm_gem_shmem_prime_import_no_map()), older kernels map at import. Seen
 * from our side, as the DMA pages a vgem import of ours charges.
 */
static bool vgem_maps_imports(void)
{
	struct igt_sgdemo_counters base;
	uint32_t handle = igt_sgdemo_create(fd, PAGE);
	int dmabuf = prime_export(fd, handle);
	int vgem = drm_open_driver(DRIVER_VGEM);
	uint32_t vgem_handle;
	struct igt_sgdemo_counters now;

	igt_sgdemo_counters_read(&base);
	vgem_handle = prime_import(vgem, dmabuf);
	igt_sgdemo_counters_read(&now);
	gem_close_handle(vgem, vgem_handle);
	drm_close_driver(vgem);
	close(dmabuf);
	gem_close_handle(fd, handle);
	igt_assert_lte(now.dma_mapped_pages - base.dma_mapped_pages, 1);
	igt_info("vgem %s the buffers it imports\n",
		 now.dma_mapped_pages > base.dma_mapped_pages ? "maps" : "does not map");
	return now.dma_mapped_pages > base.dma_mapped_pages;
}

/*
 * The other sgdemo device (on PCI when the tests run on the platform one,
 * and the other way round), an importer that maps what it imports; -1 when
 * there is none.
 */
static int open_other(void)
{
	return igt_sgdemo_open_device(!igt_sgdemo_is_pci(fd), SGDEMO_RENDER);
}

/* Imports @dmabuf into @dev and lets go of it again: the import's errno. */
static int import_errno(int dev, int dmabuf)
{
	uint32_t handle = 0;
	int ret = __sgdemo_prime_fd_to_handle(dev, dmabuf, &handle);

	if (!ret)
		gem_close_handle(dev, handle);
	return ret;
}

/*
 * A file's part of a flood: objects of FLOOD_OBJ bytes, each with
 * OBJECT_MAPPINGS owned tables, made until the device's budget says
 * ENOSPC. Used by child processes too, so it asserts nothing: the first
 * error other than ENOSPC is kept in @bad_errno and ends the flood.
 */
struct flood {
	int fd;
	uint32_t *handles;
	int nobjs;
	int ntables;
	int bad_errno;
	const char *bad_call;
	bool full;
};

static void flood_error(struct flood *fl, const char *call, int ret)
{
	if (ret == -ENOSPC) {
		fl->full = true;
	} else if (!fl->bad_errno) {
		fl->bad_errno = -ret;
		fl->bad_call = call;
	}
}

/* One more object, mapped as often as it may be; false once the flood is over. */
static bool flood_step(struct flood *fl)
{
	uint64_t size = FLOOD_OBJ;
	uint32_t handle = 0, id;
	int i, ret;

	if (fl->full || fl->bad_errno)
		return false;
	ret = __sgdemo_create(fl->fd, &size, 0, &handle);
	if (ret) {
		flood_error(fl, "CREATE", ret);
		return false;
	}
	fl->handles = realloc(fl->handles, (fl->nobjs + 1) * sizeof(*fl->handles));
	if (!fl->handles) {
		fl->bad_errno = ENOMEM;
		fl->bad_call = "realloc";
		return false;
	}
	fl->handles[fl->nobjs++] = handle;
	for (i = 0; i < OBJECT_MAPPINGS; i++) {
		ret = __sgdemo_sgt_acquire(fl->fd, handle, 0, &id);
		if (ret) {
			flood_error(fl, "SGT_ACQUIRE", ret);
			return false;
		}
		fl->ntables++;
	}
	return true;
}

/* Objects and tables until ENOSPC (or another error). */
static void flood_all(struct flood *fl)
{
	while (flood_step(fl))
		;
}

/* What a child reports through its pipe once its flood is over. */
struct flood_report {
	int ntables;
	int bad_errno;
	char bad_call[16];
	uint64_t mapped;
};

/*
 * The flood's children and the parent's files: kept here so that a flood
 * that failed half-way is ended before the next subtest (flood_reap()),
 * instead of holding its mappings through it.
 */
static pid_t flood_pids[FLOOD_CHILDREN];
static int flood_release = -1;
static int flood_fds[FLOOD_FILES] = { -1, -1, -1 };
/* And the flood's dma-buf and vgem files, which hold objects of ours. */
static int flood_extra[2] = { -1, -1 };
static struct vgem_buffer flood_vb;
static bool flood_vb_live;

/* Ends what a flood left: the children (their files with them), the files. */
static void flood_reap(void)
{
	int i;

	if (flood_release >= 0)
		close(flood_release);
	flood_release = -1;
	for (i = 0; i < FLOOD_CHILDREN; i++) {
		if (flood_pids[i] > 0)
			waitpid(flood_pids[i], NULL, 0);
		flood_pids[i] = 0;
	}
	for (i = 0; i < FLOOD_FILES; i++) {
		if (flood_fds[i] >= 0)
			close(flood_fds[i]);
		flood_fds[i] = -1;
	}
	for (i = 0; i < 2; i++) {
		if (flood_extra[i] >= 0)
			close(flood_extra[i]);
		flood_extra[i] = -1;
	}
	if (flood_vb_live)
		vgem_buffer_destroy(&flood_vb);
	flood_vb_live = false;
}

/*
 * A child process: its own file of the device, flooded; the report goes
 * up @report; it then waits for @release to close (the parent's word) and
 * exits, which closes its file and with it its tables.
 */
static void flood_child(int dev, const char *name, int report, int release)
{
	struct flood fl = { .fd = igt_sgdemo_reopen(dev) };
	struct flood_report r = { 0 };
	struct igt_sgdemo_dma dma;
	char c;

	flood_all(&fl);
	r.ntables = fl.ntables;
	r.bad_errno = fl.bad_errno;
	if (igt_sgdemo_dma_read_name(name, &dma))
		r.mapped = dma.mapped;
	if (fl.bad_call)
		snprintf(r.bad_call, sizeof(r.bad_call), "%s", fl.bad_call);
	if (write(report, &r, sizeof(r)) != sizeof(r))
		_exit(2);
	while (read(release, &c, 1) > 0)
		;
	_exit(0);
}

static void flood_free(struct flood *fl)
{
	free(fl->handles);
	fl->handles = NULL;
}

/* The share the tests run from, writable: the run's folder, on 9p. */
static bool share_dir(char *dir, size_t len)
{
	char src[256], path[256], type[64];
	FILE *f = fopen("/proc/self/mounts", "r");
	bool found = false;

	igt_assert(f);
	while (!found && fscanf(f, "%255s %255s %63s %*[^\n]", src, path, type) == 3) {
		/* statfs() would say the host's file system: the mount's type. */
		if (strcmp(type, "9p") || access(path, W_OK))
			continue;
		snprintf(dir, len, "%s", path);
		found = true;
	}
	fclose(f);
	return found;
}

/*
 * Another device keeps working while sgdemo's budget is used up: a file of
 * SHARE_BYTES written to the 9p share (virtio, through the same bounce
 * pool when the guest bounces), the page cache dropped, read back.
 */
static void share_write_read(void)
{
	char dir[256], path[300];
	uint8_t *out = malloc(SHARE_BYTES), *in = malloc(SHARE_BYTES);
	ssize_t n;
	size_t done;
	int f, drop;

	igt_assert(out && in);
	igt_assert_f(share_dir(dir, sizeof(dir)), "no writable 9p share in /proc/self/mounts\n");
	snprintf(path, sizeof(path), "%s/sgdemo_dma-flood.%d", dir, getpid());
	fill_pattern(out, SHARE_BYTES, 0x9f5a);

	f = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	igt_assert_f(f >= 0, "cannot create %s: %s\n", path, strerror(errno));
	for (done = 0; done < SHARE_BYTES; done += n) {
		n = write(f, out + done, SHARE_BYTES - done);
		igt_assert_f(n > 0, "write to %s: %s\n", path, strerror(errno));
	}
	igt_assert_eq(fsync(f), 0);
	igt_assert_eq(close(f), 0);

	/* Read it from the device, not from the page cache. */
	drop = open("/proc/sys/vm/drop_caches", O_WRONLY);
	igt_assert(drop >= 0);
	igt_assert_eq(write(drop, "3", 1), 1);
	close(drop);

	f = open(path, O_RDONLY | O_CLOEXEC);
	igt_assert(f >= 0);
	for (done = 0; done < SHARE_BYTES; done += n) {
		n = read(f, in + done, SHARE_BYTES - done);
		igt_assert_f(n > 0, "read of %s: %s\n", path, n ? strerror(errno) : "short");
	}
	close(f);
	igt_assert_eq(unlink(path), 0);
	igt_assert(!memcmp(in, out, SHARE_BYTES));
	igt_info("wrote and read back %u MiB on the 9p share %s while flooded\n",
		 SHARE_BYTES >> 20, dir);
	free(in);
	free(out);
}

/*
 * Several files and processes map objects until the device's budget is
 * used up: every failure is ENOSPC, the budget is never exceeded, another
 * device's I/O still works, and closing everything gives it all back.
 */
static void test_budget_flood(void)
{
	struct flood fl[FLOOD_FILES] = { 0 };
	struct flood_report r;
	struct igt_sgdemo_dma dma0, dma;
	struct vgem_buffer *vb = &flood_vb;
	int report[2], release[2], dmabuf, vgem_dmabuf, vgem, i, status;
	uint32_t shared, vgem_handle;
	uint64_t charged, max_seen = 0;
	char name[64];
	long tables = 0;
	bool more;

	igt_sgdemo_dma_read(fd, &dma0);
	igt_info("budget %llu MiB, %llu bytes mapped, %s\n",
		 (unsigned long long)dma0.budget >> 20, (unsigned long long)dma0.mapped,
		 dma0.bounces ? "bounces" : "no bouncing");
	flood_reap();
	igt_sgdemo_device_name(fd, name, sizeof(name));
	for (i = 0; i < FLOOD_FILES; i++)
		flood_fds[i] = fl[i].fd = igt_sgdemo_reopen(fd);

	/* Mappings of other kinds, first: an importer's and an import. */
	shared = igt_sgdemo_create_filled(fl[0].fd, FLOOD_OBJ, 0xf100);
	dmabuf = prime_export(fl[0].fd, shared);
	vgem = drm_open_driver(DRIVER_VGEM);
	vgem_handle = prime_import(vgem, dmabuf);
	flood_extra[0] = dmabuf;
	flood_extra[1] = vgem;
	vgem_buffer_create(vb, 1024, FLOOD_OBJ / 4096, 0xf101);
	flood_vb_live = true;
	vgem_buffer_import(vb, fl[1].fd);
	/* The import, and vgem's mapping of ours where vgem maps. */
	charged = dma_mapped(fd) - dma0.mapped;
	igt_assert_f(charged == FLOOD_OBJ || charged == 2 * FLOOD_OBJ,
		     "%llu bytes charged for an import and an export\n",
		     (unsigned long long)charged);

	igt_assert_eq(pipe2(report, O_CLOEXEC), 0);
	igt_assert_eq(pipe2(release, O_CLOEXEC), 0);
	flood_release = release[1];
	for (i = 0; i < FLOOD_CHILDREN; i++) {
		flood_pids[i] = fork();
		igt_assert(flood_pids[i] >= 0);
		if (!flood_pids[i]) {
			close(release[1]);
			flood_child(fd, name, report[1], release[0]);
		}
	}
	close(report[1]);
	close(release[0]);

	/* The parent's files take turns, beside the children. */
	do {
		more = false;
		for (i = 0; i < FLOOD_FILES; i++)
			more |= flood_step(&fl[i]);
		igt_sgdemo_dma_read(fd, &dma);
		if (dma.mapped > max_seen)
			max_seen = dma.mapped;
	} while (more);
	for (i = 0; i < FLOOD_CHILDREN; i++) {
		igt_assert_eq(read(report[0], &r, sizeof(r)), (long long)sizeof(r));
		igt_assert_f(!r.bad_errno,
			     "a child's %s failed with %s, not ENOSPC, %llu of %llu bytes mapped\n",
			     r.bad_call, strerror(r.bad_errno), (unsigned long long)r.mapped,
			     (unsigned long long)dma0.budget);
		igt_info("a child mapped %d tables before ENOSPC\n", r.ntables);
		tables += r.ntables;
	}
	for (i = 0; i < FLOOD_FILES; i++) {
		igt_assert_f(!fl[i].bad_errno,
			     "file %d: %s failed with %s, not ENOSPC, %llu of %llu bytes mapped\n", i,
			     fl[i].bad_call, strerror(fl[i].bad_errno),
			     (unsigned long long)dma_mapped(fd), (unsigned long long)dma0.budget);
	}

	/*
	 * Racing charges may each have seen the other's and given up with
	 * room left: top it off alone, until one more object does not fit.
	 */
	fl[0].full = false;
	flood_all(&fl[0]);
	igt_assert_f(!fl[0].bad_errno, "%s failed with %s, not ENOSPC\n", fl[0].bad_call,
		     strerror(fl[0].bad_errno));
	for (i = 0; i < FLOOD_FILES; i++)
		tables += fl[i].ntables;
	igt_info("%ld tables of %llu MiB in all, largest mapped seen while flooding %llu\n", tables,
		 FLOOD_OBJ >> 20, (unsigned long long)max_seen);

	igt_sgdemo_dma_read(fd, &dma);
	igt_assert_lte(dma.mapped, dma.budget);
	igt_assert_lte(max_seen, dma.budget);
	igt_assert_f(dma.budget - dma.mapped < FLOOD_OBJ,
		     "flood ended with %llu of %llu bytes mapped: room for another object\n",
		     (unsigned long long)dma.mapped, (unsigned long long)dma.budget);
	/* All that is charged is ours: the tables, the export's and the import's. */
	igt_assert_eq(dma.mapped - dma0.mapped, charged + tables * FLOOD_OBJ);
	igt_sgdemo_assert_dma_delta(&start, (charged + tables * FLOOD_OBJ) / PAGE);

	/*
	 * Flooded, a buffer the device imported already comes back in another
	 * file as the same import, with no new mapping...
	 */
	vgem_dmabuf = prime_export(vb->vgem, vb->handle);
	igt_assert_eq(__sgdemo_prime_fd_to_handle(fl[2].fd, vgem_dmabuf, &(uint32_t){ 0 }), 0);
	igt_assert_eq(dma_mapped(fd), dma.mapped);
	close(vgem_dmabuf);
	/* ...and a new one is refused cleanly... */
	{
		struct vgem_buffer other;

		vgem_buffer_create(&other, 1024, FLOOD_OBJ / 4096, 0xf102);
		vgem_dmabuf = prime_export(other.vgem, other.handle);
		igt_assert_eq(__sgdemo_prime_fd_to_handle(fl[2].fd, vgem_dmabuf,
							  &(uint32_t){ 0 }), -ENOSPC);
		close(vgem_dmabuf);
		vgem_buffer_destroy(&other);
	}
	/* ...and another device still works. */
	share_write_read();
	igt_assert_eq(dma_mapped(fd), dma.mapped);

	/* The children close their files as they exit. */
	close(release[1]);
	flood_release = -1;
	for (i = 0; i < FLOOD_CHILDREN; i++) {
		igt_assert_eq(waitpid(flood_pids[i], &status, 0), flood_pids[i]);
		flood_pids[i] = 0;
		igt_assert_f(WIFEXITED(status) && !WEXITSTATUS(status), "child %d: status %#x\n",
			     i, status);
	}
	close(report[0]);
	for (i = 0; i < FLOOD_FILES; i++) {
		close(fl[i].fd);
		flood_fds[i] = -1;
		flood_free(&fl[i]);
	}
	gem_close_handle(vgem, vgem_handle);
	drm_close_driver(vgem);
	close(dmabuf);
	flood_extra[0] = flood_extra[1] = -1;
	vgem_buffer_destroy(vb);
	flood_vb_live = false;
	igt_assert_eq(dma_mapped(fd), dma0.mapped);
	assert_all_released();
}

/* An importer (a new vgem file) of @dmabuf: its errno. */
static int vgem_import_errno(int dmabuf)
{
	int vgem = drm_open_driver(DRIVER_VGEM);
	uint32_t handle = 0;
	int ret = __sgdemo_prime_fd_to_handle(vgem, dmabuf, &handle);

	drm_close_driver(vgem);
	return ret;
}

/* Acquires @n owned tables of @handle, every one of which must succeed. */
static void acquire_n(int dev, uint32_t handle, uint32_t *ids, int n)
{
	int i;

	for (i = 0; i < n; i++)
		ids[i] = igt_sgdemo_sgt_acquire(dev, handle);
}

static void release_n(int dev, const uint32_t *ids, int n)
{
	int i;

	for (i = 0; i < n; i++)
		igt_sgdemo_sgt_release(dev, ids[i]);
}

static int acquire_errno(int dev, uint32_t handle)
{
	uint32_t id = 0;
	int ret = __sgdemo_sgt_acquire(dev, handle, 0, &id);

	igt_assert(ret || id);
	if (!ret)
		igt_sgdemo_sgt_release(dev, id);
	return ret;
}

/*
 * At most eight mappings of one object: owned tables, its borrowed table
 * and importers' mappings, counted together, and one object's count does
 * not touch another's.
 */
static void test_object_mapping_cap(void)
{
	const uint64_t size = 16 * PAGE;
	const long pages = size / PAGE;
	uint32_t a = igt_sgdemo_create(fd, size);
	uint32_t b = igt_sgdemo_create(fd, size);
	uint32_t c = igt_sgdemo_create_filled(fd, size, 0xcab);
	uint32_t ids[OBJECT_MAPPINGS], other[OBJECT_MAPPINGS];
	struct drm_sgdemo_sgt_info info = { .handle = b };
	int importer, second, dmabuf;
	uint32_t imported;
	bool is_sgdemo;

	/* Eight owned tables; the ninth is one too many. */
	acquire_n(fd, a, ids, OBJECT_MAPPINGS);
	igt_sgdemo_assert_delta(&start, 3, OBJECT_MAPPINGS * pages, OBJECT_MAPPINGS, 0, 0);
	igt_sgdemo_assert_dma_delta(&start, OBJECT_MAPPINGS * pages);
	igt_assert_eq(acquire_errno(fd, a), -ENOSPC);
	igt_sgdemo_assert_dma_delta(&start, OBJECT_MAPPINGS * pages);
	/* Another object is not held back by this one's count. */
	igt_sgdemo_sgt_release(fd, igt_sgdemo_sgt_acquire(fd, b));
	/* One released, one more fits, and only one. */
	igt_sgdemo_sgt_release(fd, ids[3]);
	ids[3] = igt_sgdemo_sgt_acquire(fd, a);
	igt_assert_eq(acquire_errno(fd, a), -ENOSPC);
	release_n(fd, ids, OBJECT_MAPPINGS);
	igt_sgdemo_assert_delta(&start, 3, 0, 0, 0, 0);
	igt_sgdemo_assert_dma_delta(&start, 0);

	/* The borrowed table is one of the eight: seven owned tables then. */
	igt_assert_eq(__sgdemo_sgt_info(fd, &info), 0);
	igt_sgdemo_assert_dma_delta(&start, pages);
	acquire_n(fd, b, ids, OBJECT_MAPPINGS - 1);
	igt_assert_eq(acquire_errno(fd, b), -ENOSPC);
	/* Asking about it again maps nothing new: it still answers at the cap. */
	info = (struct drm_sgdemo_sgt_info){ .handle = b };
	igt_assert_eq(__sgdemo_sgt_info(fd, &info), 0);
	igt_sgdemo_assert_delta(&start, 3, OBJECT_MAPPINGS * pages, OBJECT_MAPPINGS - 1, 1, 0);
	igt_sgdemo_assert_dma_delta(&start, OBJECT_MAPPINGS * pages);
	igt_sgdemo_sgt_release(fd, ids[0]);
	ids[0] = igt_sgdemo_sgt_acquire(fd, b);
	igt_assert_eq(acquire_errno(fd, b), -ENOSPC);
	release_n(fd, ids, OBJECT_MAPPINGS - 1);
	igt_sgdemo_assert_dma_delta(&start, pages);

	/*
	 * An importer's mapping of our dma-buf is one of them too: the other
	 * sgdemo device's, or vgem's where vgem maps.
	 */
	dmabuf = prime_export(fd, c);
	importer = open_other();
	is_sgdemo = importer >= 0;
	if (!is_sgdemo && vgem_maps_imports())
		importer = drm_open_driver(DRIVER_VGEM);
	if (importer >= 0) {
		/* Another sgdemo device charges the import on its own budget too. */
		imported = prime_import(importer, dmabuf);
		igt_sgdemo_assert_dma_delta(&start, (is_sgdemo ? 3 : 2) * pages);
		acquire_n(fd, c, other, OBJECT_MAPPINGS - 1);
		igt_assert_eq(acquire_errno(fd, c), -ENOSPC);
		/*
		 * Full, the object takes no other importer's mapping either;
		 * another file of the sgdemo importer shares its import, and
		 * so its mapping, and succeeds.
		 */
		second = is_sgdemo ? igt_sgdemo_reopen(importer) : drm_open_driver(DRIVER_VGEM);
		igt_assert_eq(import_errno(second, dmabuf), is_sgdemo ? 0 : -ENOSPC);
		close(second);
		igt_sgdemo_assert_dma_delta(&start, (is_sgdemo ? 10 : 9) * pages);
		gem_close_handle(importer, imported);
		close(importer);
		other[OBJECT_MAPPINGS - 1] = igt_sgdemo_sgt_acquire(fd, c);
		igt_assert_eq(acquire_errno(fd, c), -ENOSPC);
		release_n(fd, other, OBJECT_MAPPINGS);
	} else {
		igt_info("no importer that maps (no second sgdemo device, vgem attaches only): importers' mappings not counted here\n");
	}
	close(dmabuf);

	gem_close_handle(fd, a);
	gem_close_handle(fd, b);
	gem_close_handle(fd, c);
	assert_all_released();
}

/* What a failed call must leave as it was. */
struct snapshot {
	struct igt_sgdemo_counters counters;
	uint64_t mapped;
	int dmabufs;
	int fds;
};

static void snap(int dev, struct snapshot *s)
{
	igt_sgdemo_counters_read(&s->counters);
	s->mapped = dma_mapped(dev);
	s->dmabufs = dmabuf_count();
	s->fds = open_fds();
}

static void assert_unchanged(int dev, const struct snapshot *s, const char *what)
{
	struct igt_sgdemo_counters now;

	igt_info("after the failed %s\n", what);
	igt_sgdemo_counters_read(&now);
	igt_assert_f(!memcmp(&now, &s->counters, sizeof(now)),
		     "%s: counters moved (objects %ld/%ld pinned %ld/%ld owned %ld/%ld borrowed %ld/%ld attachments %ld/%ld jobs %ld/%ld dma %ld/%ld)\n",
		     what, now.objects, s->counters.objects, now.pages_pinned,
		     s->counters.pages_pinned, now.owned_tables, s->counters.owned_tables,
		     now.borrowed_tables, s->counters.borrowed_tables, now.attachments,
		     s->counters.attachments, now.jobs, s->counters.jobs, now.dma_mapped_pages,
		     s->counters.dma_mapped_pages);
	igt_assert_eq(dma_mapped(dev), s->mapped);
	igt_assert_eq(dmabuf_count(), s->dmabufs);
	igt_assert_eq(open_fds(), s->fds);
}

/* SUBMIT of a fill of @dst, or a copy from @src, asking for a sync_file. */
static int submit_errno(int dev, uint32_t op, uint32_t dst, uint32_t src, uint64_t size)
{
	struct drm_sgdemo_submit args = {
		.op = op,
		.flags = SGDEMO_SUBMIT_FENCE_OUT,
		.dst_handle = dst,
		.src_handle = src,
		.size = size,
	};
	int ret = __sgdemo_submit(dev, &args);

	if (!ret) {
		igt_assert_eq(sync_file_wait(args.out_fence_fd, 10000), 1);
		close(args.out_fence_fd);
	}
	return ret;
}

/*
 * Every way a mapping is asked for fails with ENOSPC at the object's cap
 * and with the device's budget used up, and each failed call leaves the
 * counters, the budget, the dma-bufs and the file descriptors as they were.
 */
static void test_enospc_clean(void)
{
	const uint64_t size = 16 * PAGE;
	uint32_t full = igt_sgdemo_create_filled(fd, size, 0xe5c);
	uint32_t fresh = igt_sgdemo_create_filled(fd, size, 0xe5d);
	uint32_t ids[OBJECT_MAPPINGS], imported = 0;
	struct drm_sgdemo_sgt_info info;
	struct flood fl = { .fd = flood_fds[0] = igt_sgdemo_reopen(fd) };
	struct vgem_buffer vb;
	struct snapshot s;
	bool vgem_maps = vgem_maps_imports();
	int other = open_other();
	int dmabuf, vgem_dmabuf;

	/* At the object's cap. */
	acquire_n(fd, full, ids, OBJECT_MAPPINGS);
	dmabuf = prime_export(fd, full);
	snap(fd, &s);
	igt_assert_eq(acquire_errno(fd, full), -ENOSPC);
	assert_unchanged(fd, &s, "SGT_ACQUIRE at the object's cap");
	info = (struct drm_sgdemo_sgt_info){ .handle = full };
	igt_assert_eq(__sgdemo_sgt_info(fd, &info), -ENOSPC);
	assert_unchanged(fd, &s, "SGT_INFO at the object's cap");
	igt_assert_eq(submit_errno(fd, SGDEMO_OP_FILL, full, 0, PAGE), -ENOSPC);
	assert_unchanged(fd, &s, "SUBMIT fill at the object's cap");
	/* A copy whose other object could be mapped: that one is let go again. */
	igt_assert_eq(submit_errno(fd, SGDEMO_OP_COPY, fresh, full, PAGE), -ENOSPC);
	assert_unchanged(fd, &s, "SUBMIT copy from an object at its cap");
	igt_assert_eq(submit_errno(fd, SGDEMO_OP_COPY, full, fresh, PAGE), -ENOSPC);
	assert_unchanged(fd, &s, "SUBMIT copy to an object at its cap");
	/* vgem attaches: on 7.x without a mapping, and then it may. */
	igt_assert_eq(vgem_import_errno(dmabuf), vgem_maps ? -ENOSPC : 0);
	assert_unchanged(fd, &s, "vgem's import of an object at its cap");
	if (other >= 0) {
		igt_assert_eq(import_errno(other, dmabuf), -ENOSPC);
		assert_unchanged(fd, &s, "the other sgdemo device's import of an object at its cap");
	}
	close(dmabuf);
	release_n(fd, ids, OBJECT_MAPPINGS);
	/* The calls that failed work now. */
	igt_assert_eq(submit_errno(fd, SGDEMO_OP_COPY, full, fresh, PAGE), 0);
	igt_sgdemo_wait_jobs_freed(&start);
	igt_sgdemo_assert_delta(&start, 2, 0, 0, 0, 0);
	igt_sgdemo_assert_dma_delta(&start, 0);

	/* With the device's budget used up. */
	vgem_buffer_create(&vb, 1024, FLOOD_OBJ / 4096, 0xe5e);
	vgem_dmabuf = prime_export(vb.vgem, vb.handle);
	gem_close_handle(fd, fresh);
	fresh = igt_sgdemo_create_filled(fd, FLOOD_OBJ, 0xe5f);
	dmabuf = prime_export(fd, fresh);
	flood_all(&fl);
	igt_assert_f(!fl.bad_errno, "flood: %s failed with %s, not ENOSPC\n", fl.bad_call,
		     strerror(fl.bad_errno));
	snap(fd, &s);
	igt_assert_lte(s.mapped, dma_budget(fd));
	igt_assert_lt(dma_budget(fd) - s.mapped, FLOOD_OBJ);
	igt_assert_eq(acquire_errno(fd, fresh), -ENOSPC);
	assert_unchanged(fd, &s, "SGT_ACQUIRE over the budget");
	info = (struct drm_sgdemo_sgt_info){ .handle = fresh };
	igt_assert_eq(__sgdemo_sgt_info(fd, &info), -ENOSPC);
	assert_unchanged(fd, &s, "SGT_INFO over the budget");
	igt_assert_eq(submit_errno(fd, SGDEMO_OP_FILL, fresh, 0, PAGE), -ENOSPC);
	assert_unchanged(fd, &s, "SUBMIT over the budget");
	igt_assert_eq(__sgdemo_prime_fd_to_handle(fd, vgem_dmabuf, &imported), -ENOSPC);
	igt_assert_eq(imported, 0);
	assert_unchanged(fd, &s, "PRIME import of vgem's buffer over the budget");
	igt_assert_eq(vgem_import_errno(dmabuf), vgem_maps ? -ENOSPC : 0);
	assert_unchanged(fd, &s, "vgem's import of our buffer over the budget");
	if (other >= 0) {
		igt_assert_eq(import_errno(other, dmabuf), -ENOSPC);
		assert_unchanged(fd, &s, "the other sgdemo device's import of our buffer over the budget");
	}

	close(fl.fd);
	flood_fds[0] = -1;
	flood_free(&fl);
	/* Room again: the same calls succeed. */
	imported = prime_import(fd, vgem_dmabuf);
	igt_assert_eq(submit_errno(fd, SGDEMO_OP_FILL, fresh, 0, PAGE), 0);
	igt_sgdemo_sgt_release(fd, igt_sgdemo_sgt_acquire(fd, fresh));
	gem_close_handle(fd, imported);
	close(vgem_dmabuf);
	close(dmabuf);
	vgem_buffer_destroy(&vb);
	gem_close_handle(fd, full);
	gem_close_handle(fd, fresh);
	if (other >= 0)
		close(other);
	assert_all_released();
}

igt_main
{
	igt_fixture {
		fd = igt_sgdemo_open_counted(SGDEMO_RENDER, &start, &start_dmabufs);
	}

	igt_describe("Files and processes map objects until ENOSPC: never another errno, never past the budget, another device's I/O still works, all given back.");
	igt_subtest("budget-flood")
		test_budget_flood();

	igt_describe("At most eight mappings of one object: owned tables, its borrowed table and importers' mappings together.");
	igt_subtest("object-mapping-cap") {
		flood_reap();
		test_object_mapping_cap();
	}

	igt_describe("ENOSPC from every call that maps, at the object's cap and over the budget, leaves nothing behind.");
	igt_subtest("enospc-clean") {
		flood_reap();
		test_enospc_clean();
	}

	igt_fixture {
		flood_reap();
		close(fd);
	}
}
