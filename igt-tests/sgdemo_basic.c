// SPDX-License-Identifier: MIT
/*
 * sgdemo_basic - the foundation of the sgdemo driver: device identity, buffer
 * creation and CPU mapping, dumb buffers, PRIME with itself and with vgem,
 * and clean errors for bad input. Every subtest ends with the driver's
 * counters where they started, and checks that itself: a failed assertion
 * in a closing fixture turns no subtest red.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <xf86drm.h>

#include "igt_decls.h"
#include "sgdemo_lib.h"

IGT_TEST_DESCRIPTION("Basic tests of the sgdemo virtual GEM device");

#define PAGE 4096ull

static int fd = -1;
static struct igt_sgdemo_counters start;

static void test_version(void)
{
	drmVersionPtr v = drmGetVersion(fd);

	igt_assert(v);
	igt_assert_eq(strcmp(v->name, "sgdemo"), 0);
	igt_assert(v->desc && v->desc[0]);
	igt_assert_eq(v->version_major, 1);
	drmFreeVersion(v);
}

static void test_create_mmap(int node_fd)
{
	uint64_t size = 3 * PAGE + 1;
	uint32_t handle;
	void *ptr;

	igt_assert_eq(__sgdemo_create(node_fd, &size, 0, &handle), 0);
	igt_assert_eq_u64(size, 4 * PAGE);
	igt_sgdemo_assert_delta(&start, 1, 0, 0, 0, 0);

	ptr = igt_sgdemo_mmap(node_fd, handle, size);
	fill_pattern(ptr, size, 0x5a5a0001);
	igt_assert_eq(munmap(ptr, size), 0);

	/* A new mapping sees what the first one wrote. */
	ptr = igt_sgdemo_mmap(node_fd, handle, size);
	igt_assert(check_pattern(ptr, size, 0x5a5a0001));
	igt_assert_eq(munmap(ptr, size), 0);

	gem_close_handle(node_fd, handle);
	igt_sgdemo_assert_counters(&start);
}

static void test_dumb(void)
{
	uint32_t handle;
	uint64_t size;
	void *ptr;
	int render;

	igt_assert_eq(__sgdemo_dumb_create(fd, 64, 32, 32, &handle, &size), 0);
	igt_assert(size >= 64 * 32 * 4);
	igt_sgdemo_assert_delta(&start, 1, 0, 0, 0, 0);
	ptr = dumb_mmap(fd, handle, size);
	fill_pattern(ptr, size, 0xd0b0);
	igt_assert(check_pattern(ptr, size, 0xd0b0));
	igt_assert_eq(munmap(ptr, size), 0);
	gem_close_handle(fd, handle);

	/* The uAPI says flags must be zero: a set one creates nothing. */
	for (unsigned int bit = 0; bit < 32; bit++) {
		struct drm_mode_create_dumb bad = {
			.width = 64, .height = 32, .bpp = 32, .flags = 1u << bit,
		};

		igt_assert_eq(__sgdemo_ioctl(fd, DRM_IOCTL_MODE_CREATE_DUMB, &bad), -EINVAL);
		igt_assert_eq(bad.handle, 0);
	}
	igt_sgdemo_assert_counters(&start);

	/* Dumb buffers are for the primary node; render clients use CREATE. */
	render = igt_sgdemo_open(SGDEMO_RENDER);
	igt_assert_eq(__sgdemo_dumb_create(render, 64, 32, 32, &handle, &size), -EACCES);
	close(render);
	igt_sgdemo_assert_counters(&start);
}

static void test_mmap_private(void)
{
	uint32_t handle = igt_sgdemo_create(fd, PAGE);
	struct vgem_buffer vb;
	void *ptr;

	igt_assert_eq(__sgdemo_mmap(fd, handle, PAGE, PROT_READ, MAP_PRIVATE, &ptr), -EINVAL);
	igt_assert_eq(errno, EINVAL);
	igt_assert_eq(__sgdemo_mmap(fd, handle, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, &ptr),
		      -EINVAL);
	igt_assert_eq(errno, EINVAL);
	gem_close_handle(fd, handle);

	/* An imported object's mapping goes to the exporter: refused first. */
	vgem_buffer_create(&vb, 1024, 1, 0);
	handle = vgem_buffer_import(&vb, fd);
	igt_assert_eq(__sgdemo_mmap(fd, handle, vb.size, PROT_READ, MAP_PRIVATE, &ptr), -EINVAL);
	igt_assert_eq(errno, EINVAL);
	igt_assert_eq(__sgdemo_mmap(fd, handle, vb.size, PROT_READ | PROT_WRITE, MAP_PRIVATE, &ptr),
		      -EINVAL);
	igt_assert_eq(errno, EINVAL);
	gem_close_handle(fd, handle);
	vgem_buffer_destroy(&vb);
	igt_sgdemo_assert_counters(&start);
}

/* A CPU mapping holds the object after its last handle is closed. */
static void test_close_under_mmap(void)
{
	const uint64_t size = 8 * PAGE;
	uint32_t handle = igt_sgdemo_create(fd, size);
	void *ptr = igt_sgdemo_mmap(fd, handle, size);

	fill_pattern(ptr, size, 0xc105e);
	gem_close_handle(fd, handle);
	igt_sgdemo_assert_delta(&start, 1, 0, 0, 0, 0);
	igt_assert(check_pattern(ptr, size, 0xc105e));
	igt_assert_eq(munmap(ptr, size), 0);
	igt_sgdemo_assert_counters(&start);
}

/* A dma-buf mapping holds the object after the handle and the fd are gone. */
static void test_close_under_dmabuf_mmap(void)
{
	const uint64_t size = 4 * PAGE;
	uint32_t handle = igt_sgdemo_create(fd, size);
	int dmabuf = prime_export(fd, handle);
	void *ptr = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, dmabuf, 0);

	igt_assert(ptr != MAP_FAILED);
	close(dmabuf);
	gem_close_handle(fd, handle);
	igt_sgdemo_assert_delta(&start, 1, 0, 0, 0, 0);
	fill_pattern(ptr, size, 0xd0d0);
	igt_assert(check_pattern(ptr, size, 0xd0d0));
	igt_assert_eq(munmap(ptr, size), 0);
	igt_sgdemo_assert_counters(&start);
}

static void test_prime_self(void)
{
	uint32_t handle, again, other_handle;
	int dmabuf, other;
	void *ptr;

	handle = igt_sgdemo_create_filled(fd, 2 * PAGE, 0x5e1f);

	dmabuf = prime_export(fd, handle);
	again = prime_import(fd, dmabuf);
	igt_assert_eq(again, handle);

	/* Another file of the same device gets the same object, no copy. */
	other = igt_sgdemo_open(SGDEMO_RENDER);
	other_handle = prime_import(other, dmabuf);
	igt_sgdemo_assert_delta(&start, 1, 0, 0, 0, 0);
	ptr = igt_sgdemo_mmap(other, other_handle, 2 * PAGE);
	igt_assert(check_pattern(ptr, 2 * PAGE, 0x5e1f));
	igt_assert_eq(munmap(ptr, 2 * PAGE), 0);

	close(other);
	close(dmabuf);
	gem_close_handle(fd, handle);
	igt_sgdemo_assert_counters(&start);
}

/*
 * vgem imports our dma-buf: it attaches and maps our pages (the attachment
 * pins them). vgem cannot mmap an imported object itself (its MAP_DUMB refuses
 * imports), so what vgem hands back is the same dma-buf, and its mapping shows
 * our bytes.
 */
static void test_export_vgem(void)
{
	const uint64_t size = 16 * PAGE;
	struct stat st_ours, st_back;
	uint32_t handle, vgem_handle;
	int vgem, dmabuf, back;
	void *ptr;

	vgem = drm_open_driver(DRIVER_VGEM);
	handle = igt_sgdemo_create_filled(fd, size, 0xe4be);

	dmabuf = prime_export(fd, handle);
	vgem_handle = prime_import(vgem, dmabuf);
	igt_sgdemo_assert_delta(&start, 1, size / PAGE, 0, 0, 1);

	/* Our handle and dma-buf go; vgem's import keeps the object alive. */
	close(dmabuf);
	gem_close_handle(fd, handle);
	igt_sgdemo_assert_delta(&start, 1, size / PAGE, 0, 0, 1);

	back = prime_export(vgem, vgem_handle);
	igt_assert_eq(fstat(back, &st_back), 0);
	ptr = mmap(NULL, size, PROT_READ, MAP_SHARED, back, 0);
	igt_assert(ptr != MAP_FAILED);
	igt_assert(check_pattern(ptr, size, 0xe4be));
	igt_assert_eq(munmap(ptr, size), 0);

	/* It is our dma-buf: importing it back gives an sgdemo object again. */
	handle = prime_import(fd, back);
	dmabuf = prime_export(fd, handle);
	igt_assert_eq(fstat(dmabuf, &st_ours), 0);
	igt_assert_eq(st_ours.st_ino, st_back.st_ino);

	close(dmabuf);
	close(back);
	gem_close_handle(fd, handle);
	gem_close_handle(vgem, vgem_handle);
	drm_close_driver(vgem);
	igt_sgdemo_assert_counters(&start);
}

/* A vgem buffer imported into sgdemo: each side sees the other's writes. */
static void test_import_vgem(void)
{
	struct vgem_buffer vb;
	uint32_t handle;
	void *ptr;

	vgem_buffer_create(&vb, 256, 64, 0x1234);
	handle = vgem_buffer_import(&vb, fd);
	igt_sgdemo_assert_delta(&start, 1, 0, 0, 0, 0);

	ptr = igt_sgdemo_mmap(fd, handle, vb.size);
	igt_assert(check_pattern(ptr, vb.size, 0x1234));
	fill_pattern(ptr, vb.size, 0x4321);
	igt_assert(check_pattern(vb.ptr, vb.size, 0x4321));
	igt_assert_eq(munmap(ptr, vb.size), 0);

	gem_close_handle(fd, handle);
	igt_sgdemo_assert_counters(&start);
	vgem_buffer_destroy(&vb);
}

static void test_create_invalid(void)
{
	struct drm_sgdemo_create raw = { .size = 0, .handle = 0xdeadbeef };
	uint32_t handle = 0;
	uint64_t size;

	/* A failed call writes nothing back. */
	igt_assert_eq(drmIoctl(fd, DRM_IOCTL_SGDEMO_CREATE, &raw), -1);
	igt_assert_eq(errno, EINVAL);
	igt_assert_eq_u64(raw.size, 0);
	igt_assert_eq_u64(raw.handle, 0xdeadbeef);
	raw = (struct drm_sgdemo_create){ .size = PAGE, .flags = 2, .handle = 0xdeadbeef };
	igt_assert_eq(drmIoctl(fd, DRM_IOCTL_SGDEMO_CREATE, &raw), -1);
	igt_assert_eq_u64(raw.size, PAGE);
	igt_assert_eq_u64(raw.handle, 0xdeadbeef);

	size = PAGE;
	igt_assert_eq(__sgdemo_create(fd, &size, 1, &handle), -EINVAL);
	size = PAGE;
	igt_assert_eq(__sgdemo_create(fd, &size, 0x80000000u, &handle), -EINVAL);
	size = 0;
	igt_assert_eq(__sgdemo_create(fd, &size, 0, &handle), -EINVAL);
	/* Rounding these up to a page wraps around to zero. */
	size = UINT64_MAX;
	igt_assert_eq(__sgdemo_create(fd, &size, 0, &handle), -EINVAL);
	size = UINT64_MAX - PAGE + 2;
	igt_assert_eq(__sgdemo_create(fd, &size, 0, &handle), -EINVAL);
	/* Larger than the machine's memory. */
	size = 1ull << 62;
	igt_assert_eq(__sgdemo_create(fd, &size, 0, &handle), -E2BIG);
	igt_assert_eq(handle, 0);
	igt_sgdemo_assert_counters(&start);
}

static void test_mmap_offset_invalid(void)
{
	uint32_t handle = igt_sgdemo_create(fd, PAGE);
	struct drm_sgdemo_mmap_offset raw = { .handle = handle, .pad = 1, .offset = 0x5a5a };
	uint64_t offset = 0;

	/* A failed call writes nothing back. */
	igt_assert_eq(drmIoctl(fd, DRM_IOCTL_SGDEMO_MMAP_OFFSET, &raw), -1);
	igt_assert_eq(errno, EINVAL);
	igt_assert_eq_u64(raw.offset, 0x5a5a);
	raw = (struct drm_sgdemo_mmap_offset){ .handle = handle + 7, .offset = 0x5a5a };
	igt_assert_eq(drmIoctl(fd, DRM_IOCTL_SGDEMO_MMAP_OFFSET, &raw), -1);
	igt_assert_eq(errno, ENOENT);
	igt_assert_eq_u64(raw.offset, 0x5a5a);

	/* The typed wrapper keeps pad zero: set it by hand. */
	raw = (struct drm_sgdemo_mmap_offset){ .handle = handle, .pad = 1 };
	igt_assert_eq(__sgdemo_ioctl(fd, DRM_IOCTL_SGDEMO_MMAP_OFFSET, &raw), -EINVAL);
	igt_assert_eq(__sgdemo_mmap_offset(fd, 0, &offset), -ENOENT);
	igt_assert_eq(__sgdemo_mmap_offset(fd, handle + 1000, &offset), -ENOENT);
	igt_assert_eq(__sgdemo_mmap_offset(fd, UINT32_MAX, &offset), -ENOENT);
	gem_close_handle(fd, handle);
	igt_assert_eq(__sgdemo_mmap_offset(fd, handle, &offset), -ENOENT);
	igt_assert_eq_u64(offset, 0);
	igt_assert_eq(__sgdemo_gem_close(fd, handle), -EINVAL);
	igt_sgdemo_assert_counters(&start);
}

igt_main
{
	igt_fixture {
		igt_sgdemo_ensure_bound();
		fd = igt_sgdemo_open(SGDEMO_PRIMARY);
		igt_sgdemo_counters_read(&start);
	}

	igt_describe("DRM_IOCTL_VERSION names the driver sgdemo, with a description.");
	igt_subtest("version")
		test_version();

	igt_describe("CREATE rounds the size up to pages; what one mmap writes, the next reads.");
	igt_subtest("create-mmap")
		test_create_mmap(fd);

	igt_describe("CREATE and MMAP_OFFSET work on the render node.");
	igt_subtest("create-mmap-render") {
		int render = igt_sgdemo_open(SGDEMO_RENDER);

		test_create_mmap(render);
		close(render);
	}

	igt_describe("Dumb buffers are created and mapped on the primary node, refused on render"
		     " and with any flag set.");
	igt_subtest("dumb-create")
		test_dumb();

	igt_describe("Private (copy-on-write) mappings are refused, of native and imported objects.");
	igt_subtest("mmap-private-refused")
		test_mmap_private();

	igt_describe("A CPU mapping keeps the object, and its contents, after GEM_CLOSE.");
	igt_subtest("close-handle-under-mmap")
		test_close_under_mmap();

	igt_describe("A dma-buf mapping keeps the object after the handle and the dma-buf fd go.");
	igt_subtest("close-dmabuf-under-mmap")
		test_close_under_dmabuf_mmap();

	igt_describe("PRIME self-import gives back the same handle, and the same object elsewhere.");
	igt_subtest("prime-self-import")
		test_prime_self();

	igt_describe("vgem imports our dma-buf, keeps it alive, and reads the same bytes.");
	igt_subtest("export-vgem")
		test_export_vgem();

	igt_describe("A vgem buffer imported into sgdemo: writes on either side are seen by the other.");
	igt_subtest("import-vgem")
		test_import_vgem();

	igt_describe("CREATE rejects unknown flags, size 0 and sizes that overflow or exceed memory.");
	igt_subtest("create-invalid")
		test_create_invalid();

	igt_describe("MMAP_OFFSET rejects non-zero padding and handles that name no object.");
	igt_subtest("mmap-offset-invalid")
		test_mmap_offset_invalid();

	igt_fixture {
		close(fd);
	}
}
