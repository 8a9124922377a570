// SPDX-License-Identifier: MIT
/*
 * sgdemo_prime - sgdemo as a dma-buf exporter and importer with real peers:
 * vgem imports our buffers and fences them, we import vgem's and udmabuf's;
 * every way of closing ends with the counters and the system's dma-bufs
 * where they started.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <unistd.h>

#include <linux/dma-buf.h>
#include <linux/udmabuf.h>

#include "igt_decls.h"
#include "sgdemo_fence.h"
#include "sgdemo_lib.h"

IGT_TEST_DESCRIPTION("sgdemo's dma-bufs with real peers: vgem and udmabuf");

#define PAGE 4096ull

static int fd = -1;
static struct igt_sgdemo_counters start;
static int start_dmabufs;

static void assert_all_released(void)
{
	igt_sgdemo_assert_all_released(&start, start_dmabufs);
}

enum close_order {
	EXPORTER_FIRST,	/* our handle and dma-buf fd, then vgem's import */
	IMPORTER_FIRST,	/* vgem's import, then ours */
	FILE_FIRST,	/* our whole DRM file, then the dma-buf fd, then vgem */
};

/* Export to vgem and close everything in @order; the buffer lives until the end. */
static void test_close_order(enum close_order order)
{
	const uint64_t size = 8 * PAGE;
	int dev = igt_sgdemo_open(SGDEMO_RENDER);
	uint32_t handle = igt_sgdemo_create_filled(dev, size, 0xc0de + order);
	int vgem = drm_open_driver(DRIVER_VGEM);
	int dmabuf = prime_export(dev, handle);
	uint32_t vgem_handle = prime_import(vgem, dmabuf);
	void *ptr;

	/* vgem's attachment pins our pages. */
	igt_sgdemo_assert_delta(&start, 1, size / PAGE, 0, 0, 1);
	igt_assert_eq(dmabuf_count(), start_dmabufs + 1);

	switch (order) {
	case EXPORTER_FIRST:
		gem_close_handle(dev, handle);
		close(dmabuf);
		close(dev);
		igt_sgdemo_assert_delta(&start, 1, size / PAGE, 0, 0, 1);
		/* Only vgem holds it now: read what vgem gives back. */
		dmabuf = prime_export(vgem, vgem_handle);
		ptr = mmap(NULL, size, PROT_READ, MAP_SHARED, dmabuf, 0);
		igt_assert(ptr != MAP_FAILED);
		igt_assert(check_pattern(ptr, size, 0xc0de + order));
		igt_assert_eq(munmap(ptr, size), 0);
		close(dmabuf);
		gem_close_handle(vgem, vgem_handle);
		break;
	case IMPORTER_FIRST:
		gem_close_handle(vgem, vgem_handle);
		igt_sgdemo_assert_delta(&start, 1, 0, 0, 0, 0);
		close(dmabuf);
		gem_close_handle(dev, handle);
		close(dev);
		break;
	case FILE_FIRST:
		close(dev);
		igt_sgdemo_assert_delta(&start, 1, size / PAGE, 0, 0, 1);
		close(dmabuf);
		igt_sgdemo_assert_delta(&start, 1, size / PAGE, 0, 0, 1);
		gem_close_handle(vgem, vgem_handle);
		break;
	}
	drm_close_driver(vgem);
	assert_all_released();
}

/**
 * struct vgem_share - an object of ours, exported, and vgem's import of it
 * @handle: our handle
 * @dmabuf: our dma-buf
 * @vgem: a vgem file
 * @vgem_handle: vgem's handle of the import
 */
struct vgem_share {
	uint32_t handle;
	int dmabuf;
	int vgem;
	uint32_t vgem_handle;
};

/* A new object of @size bytes (with @seed's pattern unless 0), shared with vgem. */
static void vgem_share_create(struct vgem_share *sh, uint64_t size, uint32_t seed)
{
	sh->handle = seed ? igt_sgdemo_create_filled(fd, size, seed) : igt_sgdemo_create(fd, size);
	sh->dmabuf = prime_export(fd, sh->handle);
	sh->vgem = drm_open_driver(DRIVER_VGEM);
	sh->vgem_handle = prime_import(sh->vgem, sh->dmabuf);
}

/* Lets go of everything, vgem's side first, and checks nothing is left. */
static void vgem_share_destroy(struct vgem_share *sh)
{
	gem_close_handle(sh->vgem, sh->vgem_handle);
	drm_close_driver(sh->vgem);
	close(sh->dmabuf);
	gem_close_handle(fd, sh->handle);
	assert_all_released();
}

/* DMA_BUF_IOCTL_SYNC with @flags: 0 or a negative errno. */
static int dmabuf_sync(int dmabuf, uint64_t flags)
{
	struct dma_buf_sync sync = { .flags = flags };

	return ioctl(dmabuf, DMA_BUF_IOCTL_SYNC, &sync) ? -errno : 0;
}

/* DMA_BUF_IOCTL_SYNC brackets CPU access through the dma-buf's own mmap. */
static void test_cpu_access_sync(void)
{
	const uint64_t size = 4 * PAGE;
	struct vgem_share sh;
	void *ptr, *gem;
	int dmabuf;

	vgem_share_create(&sh, size, 0);
	dmabuf = sh.dmabuf;
	ptr = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, dmabuf, 0);
	igt_assert(ptr != MAP_FAILED);
	igt_assert_eq(dmabuf_sync(dmabuf, DMA_BUF_SYNC_START | DMA_BUF_SYNC_RW), 0);
	fill_pattern(ptr, size, 0x5c5c);
	igt_assert_eq(dmabuf_sync(dmabuf, DMA_BUF_SYNC_END | DMA_BUF_SYNC_RW), 0);

	/* Read-only bracket, then the object's own mapping agrees. */
	igt_assert_eq(dmabuf_sync(dmabuf, DMA_BUF_SYNC_START | DMA_BUF_SYNC_READ), 0);
	igt_assert(check_pattern(ptr, size, 0x5c5c));
	igt_assert_eq(dmabuf_sync(dmabuf, DMA_BUF_SYNC_END | DMA_BUF_SYNC_READ), 0);
	gem = igt_sgdemo_mmap(fd, sh.handle, size);
	igt_assert(check_pattern(gem, size, 0x5c5c));

	/* Invalid flags are the dma-buf core's EINVAL, nothing of ours runs. */
	igt_assert_eq(dmabuf_sync(dmabuf, 0x80 | DMA_BUF_SYNC_START), -EINVAL);

	igt_assert_eq(munmap(gem, size), 0);
	igt_assert_eq(munmap(ptr, size), 0);
	vgem_share_destroy(&sh);
}

/*
 * DMA_BUF_IOCTL_SYNC with no direction is the dma-buf core's EINVAL, before
 * sgdemo sees it. An END without a START, or a second END, is harmless: 0,
 * the bytes unchanged, and a bracket afterwards works as before. vgem is
 * attached, so that sgdemo's end_cpu_access has a mapping to sync.
 */
static void test_cpu_access_unbalanced(void)
{
	const uint64_t size = 4 * PAGE;
	static const uint64_t no_direction[] = {
		0, DMA_BUF_SYNC_START, DMA_BUF_SYNC_END,
	};
	struct vgem_share sh;
	void *ptr, *gem;
	unsigned int i;
	int dmabuf;

	vgem_share_create(&sh, size, 0xba1);
	dmabuf = sh.dmabuf;
	ptr = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, dmabuf, 0);
	igt_assert(ptr != MAP_FAILED);
	for (i = 0; i < sizeof(no_direction) / sizeof(no_direction[0]); i++)
		igt_assert_eq(dmabuf_sync(dmabuf, no_direction[i]), -EINVAL);

	igt_assert_eq(dmabuf_sync(dmabuf, DMA_BUF_SYNC_END | DMA_BUF_SYNC_RW), 0);
	igt_assert_eq(dmabuf_sync(dmabuf, DMA_BUF_SYNC_END | DMA_BUF_SYNC_RW), 0);
	igt_assert_eq(dmabuf_sync(dmabuf, DMA_BUF_SYNC_END | DMA_BUF_SYNC_READ), 0);
	igt_assert(check_pattern(ptr, size, 0xba1));

	igt_assert_eq(dmabuf_sync(dmabuf, DMA_BUF_SYNC_START | DMA_BUF_SYNC_WRITE), 0);
	fill_pattern(ptr, size, 0x1ab);
	igt_assert_eq(dmabuf_sync(dmabuf, DMA_BUF_SYNC_END | DMA_BUF_SYNC_WRITE), 0);
	gem = igt_sgdemo_mmap(fd, sh.handle, size);
	igt_assert(check_pattern(gem, size, 0x1ab));

	igt_assert_eq(munmap(gem, size), 0);
	igt_assert_eq(munmap(ptr, size), 0);
	vgem_share_destroy(&sh);
}

static int access_mode(int f)
{
	int flags = fcntl(f, F_GETFL);

	igt_assert(flags >= 0);
	return flags & O_ACCMODE;
}

/*
 * An export without DRM_RDWR is a read-only dma-buf file: it maps for
 * reading and shows the bytes, refuses a writable shared mapping (EACCES),
 * and importers take it. While the object has a handle, the DRM core keeps
 * its dma-buf: a later export, DRM_RDWR or not, is another descriptor of the
 * same file, in the first export's mode (docs/prime.md).
 */
static void test_export_read_only(void)
{
	const uint64_t size = 2 * PAGE;
	uint32_t handle = igt_sgdemo_create_filled(fd, size, 0x0a0a);
	struct stat st_ro, st_rw;
	uint32_t vgem_handle;
	int ro, rw, vgem;
	void *ptr;

	igt_assert_eq(__sgdemo_prime_handle_to_fd(fd, handle, DRM_CLOEXEC, &ro), 0);
	igt_assert_eq(access_mode(ro), O_RDONLY);
	igt_assert(fcntl(ro, F_GETFD) & FD_CLOEXEC);
	ptr = mmap(NULL, size, PROT_READ, MAP_SHARED, ro, 0);
	igt_assert(ptr != MAP_FAILED);
	igt_assert(check_pattern(ptr, size, 0x0a0a));
	igt_assert_eq(munmap(ptr, size), 0);
	igt_assert(mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, ro, 0) == MAP_FAILED);
	igt_assert_eq(errno, EACCES);

	vgem = drm_open_driver(DRIVER_VGEM);
	vgem_handle = prime_import(vgem, ro);
	igt_assert_eq(prime_import(fd, ro), handle);
	igt_sgdemo_assert_delta(&start, 1, size / PAGE, 0, 0, 1);

	rw = prime_export(fd, handle);
	igt_assert_eq(fstat(ro, &st_ro), 0);
	igt_assert_eq(fstat(rw, &st_rw), 0);
	igt_assert_eq(st_rw.st_ino, st_ro.st_ino);
	igt_assert_eq(access_mode(rw), O_RDONLY);
	igt_assert(mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, rw, 0) == MAP_FAILED);
	igt_assert_eq(errno, EACCES);

	/* Every descriptor and the import gone: the handle still keeps it. */
	close(rw);
	close(ro);
	gem_close_handle(vgem, vgem_handle);
	drm_close_driver(vgem);
	igt_assert_eq(dmabuf_count(), start_dmabufs + 1);
	rw = prime_export(fd, handle);
	igt_assert_eq(fstat(rw, &st_rw), 0);
	igt_assert_eq(st_rw.st_ino, st_ro.st_ino);
	igt_assert_eq(access_mode(rw), O_RDONLY);

	close(rw);
	gem_close_handle(fd, handle);
	assert_all_released();
}

static void on_alarm(int sig)
{
}

/*
 * True when SGT_READ of owned table @id is still waiting for the object's
 * writers after 200 ms, and a signal then ends the wait with EINTR. A plain
 * ioctl(): libsgdemo's wrappers restart on EINTR.
 */
static bool sgt_read_interrupted(uint32_t id)
{
	struct sigaction sa = { .sa_handler = on_alarm }, old;
	struct itimerval timer = { .it_value = { .tv_usec = 200000 } };
	uint32_t word;
	struct drm_sgdemo_sgt_read rd = {
		.id = id, .length = sizeof(word), .data_ptr = (uintptr_t)&word,
	};
	int ret, err;

	igt_assert_eq(sigaction(SIGALRM, &sa, &old), 0);
	igt_assert_eq(setitimer(ITIMER_REAL, &timer, NULL), 0);
	ret = ioctl(fd, DRM_IOCTL_SGDEMO_SGT_READ, &rd);
	err = errno;
	igt_assert_eq(sigaction(SIGALRM, &old, NULL), 0);
	return ret == -1 && err == EINTR;
}

/*
 * vgem, as importer, fences our buffer: the fence lands in our reservation
 * object, so our dma-buf and its exported sync_file wait for it.
 */
static void test_implicit_sync(void)
{
	struct vgem_share sh;
	int dmabuf, fence, sync_file;

	vgem_share_create(&sh, PAGE, 0);
	dmabuf = sh.dmabuf;

	/* No fence yet: everything is idle. */
	sync_file = dmabuf_export_sync_file(dmabuf, DMA_BUF_SYNC_RW);
	igt_assert(fd_ready(sync_file, POLLIN, 0));
	igt_assert(fd_ready(dmabuf, POLLOUT, 0));
	close(sync_file);

	fence = vgem_fence_attach(sh.vgem, sh.vgem_handle, true);
	sync_file = dmabuf_export_sync_file(dmabuf, DMA_BUF_SYNC_READ);
	igt_assert(!fd_ready(sync_file, POLLIN, 0));
	igt_assert(!fd_ready(dmabuf, POLLIN, 0));
	igt_assert(!fd_ready(dmabuf, POLLOUT, 0));

	vgem_fence_signal(sh.vgem, fence);
	igt_assert(fd_ready(sync_file, POLLIN, 0));
	igt_assert(fd_ready(dmabuf, POLLOUT, 0));
	close(sync_file);
	vgem_share_destroy(&sh);
}

/*
 * Unsignalled fences imported with DMA_BUF_IOCTL_IMPORT_SYNC_FILE land in
 * our reservation with their usage: a reader's fence holds back writers
 * (poll's POLLOUT, the sync_file a writer would wait for) but not readers;
 * a writer's holds back both. The object's own CPU read, SGT_READ, waits
 * for the writer too: the dma-buf's reservation is the object's.
 */
static void test_import_sync_file(void)
{
	const uint64_t size = 2 * PAGE;
	uint32_t handle = igt_sgdemo_create_filled(fd, size, 0x1f1f);
	uint32_t id = igt_sgdemo_sgt_acquire(fd, handle);
	int dmabuf = prime_export(fd, handle);
	int timeline = timeline_open();
	struct dma_buf_import_sync_file import;
	int fence, sync_file;
	uint32_t word;
	void *ptr;

	fence = timeline_fence(timeline, 1);
	dmabuf_import_sync_file(dmabuf, DMA_BUF_SYNC_READ, fence);
	igt_assert(fd_ready(dmabuf, POLLIN, 0));
	igt_assert(!fd_ready(dmabuf, POLLOUT, 0));
	sync_file = dmabuf_export_sync_file(dmabuf, DMA_BUF_SYNC_READ);
	igt_assert(fd_ready(sync_file, POLLIN, 0));
	close(sync_file);
	sync_file = dmabuf_export_sync_file(dmabuf, DMA_BUF_SYNC_WRITE);
	igt_assert(!fd_ready(sync_file, POLLIN, 0));
	/* A reader does not stop SGT_READ. */
	igt_assert_eq(__sgdemo_sgt_read(fd, id, 0, 0, sizeof(word), &word), 0);
	timeline_inc(timeline, 1);
	igt_assert(fd_ready(sync_file, POLLIN, 0));
	igt_assert(fd_ready(dmabuf, POLLOUT, 0));
	close(sync_file);
	close(fence);

	fence = timeline_fence(timeline, 2);
	dmabuf_import_sync_file(dmabuf, DMA_BUF_SYNC_WRITE, fence);
	igt_assert(!fd_ready(dmabuf, POLLIN, 0));
	igt_assert(!fd_ready(dmabuf, POLLOUT, 0));
	sync_file = dmabuf_export_sync_file(dmabuf, DMA_BUF_SYNC_READ);
	igt_assert(!fd_ready(sync_file, POLLIN, 0));
	/* The writer is at work: a signal ends SGT_READ's wait for it. */
	igt_assert(sgt_read_interrupted(id));
	ptr = igt_sgdemo_mmap(fd, handle, size);
	fill_pattern(ptr, size, 0xf1f1);
	igt_assert_eq(munmap(ptr, size), 0);
	timeline_inc(timeline, 1);
	igt_assert(fd_ready(sync_file, POLLIN, 0));
	igt_assert(fd_ready(dmabuf, POLLIN, 0));
	close(sync_file);

	import = (struct dma_buf_import_sync_file){ .flags = 0x80, .fd = fence };
	igt_assert_eq(ioctl(dmabuf, DMA_BUF_IOCTL_IMPORT_SYNC_FILE, &import), -1);
	igt_assert_eq(errno, EINVAL);
	close(fence);
	close(timeline);

	ptr = malloc(size);
	igt_assert(ptr);
	igt_assert_eq(__sgdemo_sgt_read(fd, id, 0, 0, size, ptr), 0);
	igt_assert(check_pattern(ptr, size, 0xf1f1));
	free(ptr);
	igt_sgdemo_sgt_release(fd, id);
	close(dmabuf);
	gem_close_handle(fd, handle);
	assert_all_released();
}

/* A udmabuf (memfd pages) imported into sgdemo: both sides see one memory. */
static void test_import_udmabuf(void)
{
	const uint64_t size = 16 * PAGE;
	struct udmabuf_create create;
	uint32_t handle, id;
	int dev, memfd, dmabuf;
	void *mem, *ptr;
	char *buf;

	dev = open("/dev/udmabuf", O_RDWR | O_CLOEXEC);
	igt_require_f(dev >= 0, "no /dev/udmabuf: this kernel has no CONFIG_UDMABUF\n");

	memfd = memfd_create("sgdemo-udmabuf", MFD_ALLOW_SEALING | MFD_CLOEXEC);
	igt_assert(memfd >= 0);
	igt_assert_eq(ftruncate(memfd, size), 0);
	igt_assert_eq(fcntl(memfd, F_ADD_SEALS, F_SEAL_SHRINK), 0);
	mem = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, memfd, 0);
	igt_assert(mem != MAP_FAILED);
	fill_pattern(mem, size, 0x0d0d);

	create = (struct udmabuf_create){ .memfd = memfd, .flags = UDMABUF_FLAGS_CLOEXEC,
					  .offset = 0, .size = size };
	dmabuf = ioctl(dev, UDMABUF_CREATE, &create);
	igt_assert(dmabuf >= 0);
	handle = prime_import(fd, dmabuf);
	igt_sgdemo_assert_delta(&start, 1, 0, 0, 0, 0);

	/* Our mapping of the import shows the memfd's bytes, and the other way. */
	ptr = igt_sgdemo_mmap(fd, handle, size);
	igt_assert(check_pattern(ptr, size, 0x0d0d));
	fill_pattern(ptr, size, 0xd0d0);
	igt_assert(check_pattern(mem, size, 0xd0d0));
	igt_assert_eq(munmap(ptr, size), 0);

	/* An owned table outlives our handle, the dma-buf fd and the memfd. */
	id = igt_sgdemo_sgt_acquire(fd, handle);
	gem_close_handle(fd, handle);
	close(dmabuf);
	igt_assert_eq(munmap(mem, size), 0);
	close(memfd);
	close(dev);
	igt_sgdemo_assert_delta(&start, 1, 0, 1, 0, 0);
	buf = malloc(size);
	igt_assert(buf);
	igt_assert_eq(__sgdemo_sgt_read(fd, id, 0, 0, size, buf), 0);
	igt_assert(check_pattern(buf, size, 0xd0d0));
	free(buf);
	igt_sgdemo_sgt_release(fd, id);
	assert_all_released();
}

/*
 * A dma-buf of an unbound device: the device itself takes no import any
 * more, another driver (vgem) still attaches and maps it, and the device
 * bound again imports it as a foreign buffer, reads it and writes it with
 * its copy engine.
 */
static void test_import_after_unbind(void)
{
	const uint64_t size = 4 * PAGE;
	int dev = igt_sgdemo_open(SGDEMO_PRIMARY);
	uint32_t handle = igt_sgdemo_create_filled(dev, size, 0x1b1b);
	int dmabuf = prime_export(dev, handle);
	int vgem = drm_open_driver(DRIVER_VGEM);
	uint32_t h = 0, vgem_handle, imported;
	int fence;
	uint8_t *buf;
	void *ptr;

	igt_sgdemo_unbind(dev);
	igt_assert_eq(__sgdemo_prime_fd_to_handle(dev, dmabuf, &h), -ENODEV);
	igt_assert_eq(h, 0);

	vgem_handle = prime_import(vgem, dmabuf);
	igt_sgdemo_assert_delta(&start, 1, size / PAGE, 0, 0, 1);

	igt_sgdemo_bind();
	close(fd);
	fd = igt_sgdemo_open(SGDEMO_PRIMARY);
	imported = prime_import(fd, dmabuf);
	/* A new object of the new device, attached to the old one's buffer. */
	igt_sgdemo_assert_delta(&start, 2, 2 * size / PAGE, 0, 0, 2);

	buf = igt_sgdemo_read_owned(fd, imported, size);
	igt_assert(check_pattern(buf, size, 0x1b1b));
	free(buf);

	fence = igt_sgdemo_fill(fd, imported, PAGE, PAGE, 0x6b);
	igt_assert_eq(sync_file_wait(fence, 10000), 1);
	close(fence);
	/*
	 * What the job wrote, read through a new owned table of the import.
	 * A CPU mapping of the old device's dma-buf can still be made, but
	 * its exporter is gone: its faults get SIGBUS (docs/mmap.md).
	 */
	buf = igt_sgdemo_read_owned(fd, imported, size);
	igt_assert(check_pattern(buf, PAGE, 0x1b1b));
	igt_assert_eq(buf[PAGE], 0x6b);
	igt_assert_eq(buf[2 * PAGE - 1], 0x6b);
	free(buf);
	ptr = mmap(NULL, size, PROT_READ, MAP_SHARED, dmabuf, 0);
	igt_assert(ptr != MAP_FAILED);
	igt_assert(igt_sgdemo_access_sigbus(ptr, false));
	igt_assert_eq(munmap(ptr, size), 0);

	gem_close_handle(fd, imported);
	gem_close_handle(vgem, vgem_handle);
	drm_close_driver(vgem);
	close(dmabuf);
	close(dev);
	assert_all_released();
}

static long module_refcount(void)
{
	FILE *f = fopen("/sys/module/drm_sgdemo/refcnt", "r");
	long refs = -1;

	igt_require_f(f, "drm_sgdemo is not a loadable module here\n");
	igt_assert_eq(fscanf(f, "%ld", &refs), 1);
	fclose(f);
	return refs;
}

/* rmmod must fail while a dma-buf or a mapping of ours is alive. */
static void assert_unload_refused(void)
{
	igt_assert(module_refcount() > 0);
	igt_assert_eq(syscall(SYS_delete_module, "drm_sgdemo", O_NONBLOCK), -1);
	igt_assert_f(errno == EWOULDBLOCK || errno == EBUSY, "delete_module: %s\n",
		     strerror(errno));
}

static void test_unload_refused(void)
{
	const uint64_t size = 2 * PAGE;
	uint32_t handle;
	int dev, dmabuf;
	void *ptr;

	/* Nothing of ours may be open but what the subtest holds. */
	close(fd);
	fd = -1;

	/* Only a dma-buf is left. */
	dev = igt_sgdemo_open(SGDEMO_RENDER);
	handle = igt_sgdemo_create_filled(dev, size, 0xab);
	dmabuf = prime_export(dev, handle);
	close(dev);
	assert_unload_refused();

	/* Only a mapping of the dma-buf is left. */
	ptr = mmap(NULL, size, PROT_READ, MAP_SHARED, dmabuf, 0);
	igt_assert(ptr != MAP_FAILED);
	close(dmabuf);
	assert_unload_refused();
	igt_assert(check_pattern(ptr, size, 0xab));
	igt_assert_eq(munmap(ptr, size), 0);

	/* Only a mapping of the object is left. */
	dev = igt_sgdemo_open(SGDEMO_RENDER);
	handle = igt_sgdemo_create(dev, size);
	ptr = igt_sgdemo_mmap(dev, handle, size);
	close(dev);
	assert_unload_refused();
	igt_assert_eq(munmap(ptr, size), 0);

	fd = igt_sgdemo_open(SGDEMO_PRIMARY);
	assert_all_released();
}

/*
 * Unbind while sgdemo is exporter (to vgem, with a fence pending) and
 * importer (of a vgem buffer), then let each side go.
 */
static void test_unbind_shared(void)
{
	const uint64_t size = 4 * PAGE;
	int dev = igt_sgdemo_open(SGDEMO_PRIMARY);
	uint32_t handle = igt_sgdemo_create_filled(dev, size, 0x4b1d);
	int dmabuf = prime_export(dev, handle);
	struct vgem_buffer vb;
	uint32_t vgem_handle, imported, fence;
	int sync_file;
	void *ptr, *imported_ptr;

	vgem_buffer_create(&vb, 1024, 4, 0x1d4b);
	vgem_handle = prime_import(vb.vgem, dmabuf);
	imported = vgem_buffer_import(&vb, dev);
	imported_ptr = igt_sgdemo_mmap(dev, imported, vb.size);
	fence = vgem_fence_attach(vb.vgem, vgem_handle, true);
	sync_file = dmabuf_export_sync_file(dmabuf, DMA_BUF_SYNC_READ);
	igt_sgdemo_assert_delta(&start, 2, size / PAGE, 0, 0, 1);

	igt_sgdemo_unbind(dev);

	/*
	 * The exported buffer, its fence and the import all still work; a CPU
	 * mapping of it can still be made, but its faults get SIGBUS.
	 */
	igt_assert(!fd_ready(sync_file, POLLIN, 0));
	vgem_fence_signal(vb.vgem, fence);
	igt_assert(fd_ready(sync_file, POLLIN, 0));
	ptr = mmap(NULL, size, PROT_READ, MAP_SHARED, dmabuf, 0);
	igt_assert(ptr != MAP_FAILED);
	igt_assert(igt_sgdemo_access_sigbus(ptr, false));
	igt_assert_eq(munmap(ptr, size), 0);

	/* Our import of vgem's buffer: its mapping reads and writes vgem's pages. */
	igt_assert_eq(__sgdemo_mmap_offset(dev, imported, &(uint64_t){ 0 }), -ENODEV);
	igt_assert(check_pattern(imported_ptr, vb.size, 0x1d4b));
	fill_pattern(imported_ptr, vb.size, 0x2e5c);
	igt_assert(check_pattern(vb.ptr, vb.size, 0x2e5c));
	igt_assert_eq(munmap(imported_ptr, vb.size), 0);

	/* Our file (and with it our import of vgem's buffer) goes first. */
	close(dev);
	close(sync_file);
	igt_sgdemo_assert_delta(&start, 1, size / PAGE, 0, 0, 1);
	gem_close_handle(vb.vgem, vgem_handle);
	close(dmabuf);
	vgem_buffer_destroy(&vb);
	assert_all_released();

	igt_sgdemo_bind();
	close(fd);
	fd = igt_sgdemo_open(SGDEMO_PRIMARY);
	gem_close_handle(fd, igt_sgdemo_create(fd, PAGE));
	assert_all_released();
}

igt_main
{
	igt_fixture {
		fd = igt_sgdemo_open_counted(SGDEMO_PRIMARY, &start, &start_dmabufs);
	}

	igt_describe("Exported to vgem; close our handle, dma-buf and file first, vgem last.");
	igt_subtest("close-exporter-first")
		test_close_order(EXPORTER_FIRST);

	igt_describe("Exported to vgem; close vgem's import first, then ours.");
	igt_subtest("close-importer-first")
		test_close_order(IMPORTER_FIRST);

	igt_describe("Exported to vgem; close our DRM file first, then the dma-buf, then vgem.");
	igt_subtest("close-file-first")
		test_close_order(FILE_FIRST);

	igt_describe("DMA_BUF_IOCTL_SYNC around CPU access through the dma-buf's mmap.");
	igt_subtest("cpu-access-sync")
		test_cpu_access_sync();

	igt_describe("DMA_BUF_IOCTL_SYNC without a direction is refused; END without START is harmless.");
	igt_subtest("cpu-access-sync-unbalanced")
		test_cpu_access_unbalanced();

	igt_describe("A vgem fence on an import of our buffer is waited for by our dma-buf.");
	igt_subtest("implicit-sync-vgem-fence")
		test_implicit_sync();

	igt_describe("Unsignalled fences imported as reader or writer hold back writers, or everyone.");
	igt_subtest("import-sync-file")
		test_import_sync_file();

	igt_describe("An export without DRM_RDWR is read-only; later exports share its file and mode.");
	igt_subtest("export-read-only")
		test_export_read_only();

	igt_describe("A udmabuf imported into sgdemo: one memory, and an owned table on it.");
	igt_subtest("import-udmabuf")
		test_import_udmabuf();

	igt_describe("Unbind while exporting to vgem (fenced) and importing from it; then release.");
	igt_subtest("unbind-while-shared")
		test_unbind_shared();

	igt_describe("A dma-buf of an unbound device: vgem imports it, so does the device bound again.");
	igt_subtest("import-after-unbind")
		test_import_after_unbind();

	igt_describe("Module unload is refused while a dma-buf or a mapping is alive.");
	igt_subtest("unload-refused-while-shared")
		test_unload_refused();

	igt_fixture {
		close(fd);
	}
}
