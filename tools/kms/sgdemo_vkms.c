// SPDX-License-Identifier: MIT
/*
 * sgdemo_vkms - vkms as an importer of sgdemo buffers, through KMS.
 *
 * Two sgdemo buffers are exported and imported into vkms: the first, filled
 * with a pattern, becomes the framebuffer of vkms's primary plane; the
 * second becomes the framebuffer of its writeback connector. One atomic
 * commit lights the CRTC; vkms's composer reads the first buffer (through
 * the dma-buf's vmap) and writes the frame into the second. When the
 * writeback fence signals, the second buffer, read through sgdemo's own
 * mmap, must hold the pattern pixel for pixel.
 *
 * The mode is small and slow (320x240 at 2 Hz) so that a guest under TCG
 * and KASAN keeps up with vkms's vblank timer. Exit status: 0 when the
 * frame matches, 77 when the kernel has no vkms or no writeback connector,
 * 1 on any failure.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <drm_fourcc.h>
#include <xf86drm.h>
#include <xf86drmMode.h>

#include "sgdemo.h"

#define WIDTH	320
#define HEIGHT	240
#define HTOTAL	400
#define VTOTAL	300
#define REFRESH	2
#define PITCH	(WIDTH * 4)
#define SIZE	(PITCH * HEIGHT)

/* Failed calls are libsgdemo's __sgdemo_*() or libdrm's, which leave errno set. */
static int fail(const char *what)
{
	fprintf(stderr, "vkms: %s: %s\n", what, strerror(errno));
	exit(1);
}

struct buffer {
	uint32_t handle;	/* sgdemo's */
	uint32_t *pixels;	/* sgdemo's mmap */
	uint32_t fb;		/* vkms's framebuffer of the import */
};

/* An sgdemo buffer, mapped, exported and imported into vkms as a framebuffer. */
static void buffer_make(int sgdemo, int vkms, struct buffer *b)
{
	uint32_t handles[4] = { 0 }, pitches[4] = { PITCH }, offsets[4] = { 0 };
	uint64_t size = SIZE, offset;
	int dmabuf;

	if (__sgdemo_create(sgdemo, &size, 0, &b->handle))
		fail("SGDEMO_CREATE");
	if (__sgdemo_mmap_offset(sgdemo, b->handle, &offset))
		fail("SGDEMO_MMAP_OFFSET");
	b->pixels = mmap(NULL, SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, sgdemo, offset);
	if (b->pixels == MAP_FAILED)
		fail("mmap");
	if (__sgdemo_prime_handle_to_fd(sgdemo, b->handle, DRM_CLOEXEC | DRM_RDWR, &dmabuf))
		fail("export from sgdemo");
	if (__sgdemo_prime_fd_to_handle(vkms, dmabuf, &handles[0]))
		fail("import into vkms");
	close(dmabuf);
	if (drmModeAddFB2(vkms, WIDTH, HEIGHT, DRM_FORMAT_XRGB8888, handles, pitches,
			  offsets, &b->fb, 0))
		fail("vkms framebuffer of the import");
	/* The framebuffer holds the import now. */
	__sgdemo_gem_close(vkms, handles[0]);
}

/* The id of property @name of object @id, or 0. */
static uint32_t prop(int fd, uint32_t id, uint32_t type, const char *name)
{
	drmModeObjectPropertiesPtr props = drmModeObjectGetProperties(fd, id, type);
	uint32_t found = 0;
	uint32_t i;

	for (i = 0; props && i < props->count_props && !found; i++) {
		drmModePropertyPtr p = drmModeGetProperty(fd, props->props[i]);

		if (p && !strcmp(p->name, name))
			found = p->prop_id;
		drmModeFreeProperty(p);
	}
	drmModeFreeObjectProperties(props);
	if (!found) {
		fprintf(stderr, "vkms: object %u has no property %s\n", id, name);
		exit(1);
	}
	return found;
}

static uint64_t prop_value(int fd, uint32_t id, uint32_t type, const char *name)
{
	drmModeObjectPropertiesPtr props = drmModeObjectGetProperties(fd, id, type);
	uint32_t want = prop(fd, id, type, name);
	uint64_t value = 0;
	uint32_t i;

	for (i = 0; props && i < props->count_props; i++)
		if (props->props[i] == want)
			value = props->prop_values[i];
	drmModeFreeObjectProperties(props);
	return value;
}

static void add(drmModeAtomicReqPtr req, int fd, uint32_t id, uint32_t type,
		const char *name, uint64_t value)
{
	if (drmModeAtomicAddProperty(req, id, prop(fd, id, type, name), value) < 0)
		fail(name);
}

static uint32_t pattern(unsigned int x, unsigned int y)
{
	return ((x * 7 + y) & 0xff) << 16 | ((y * 5) & 0xff) << 8 | ((x ^ y) & 0xff);
}

int main(void)
{
	drmModeModeInfo mode = {
		.hdisplay = WIDTH, .hsync_start = WIDTH + 16, .hsync_end = WIDTH + 48,
		.htotal = HTOTAL,
		.vdisplay = HEIGHT, .vsync_start = HEIGHT + 8, .vsync_end = HEIGHT + 16,
		.vtotal = VTOTAL,
		.clock = HTOTAL * VTOTAL * REFRESH / 1000, .vrefresh = REFRESH,
		.type = DRM_MODE_TYPE_USERDEF, .name = "sgdemo",
	};
	uint32_t crtc = 0, plane = 0, wb = 0, blob, x, y, bad = 0;
	drmModePlaneResPtr planes;
	drmModeAtomicReqPtr req;
	drmModeResPtr res;
	struct buffer src, dst;
	struct pollfd pfd;
	int sgdemo, vkms, i;
	int32_t fence = -1;

	sgdemo = __sgdemo_open_driver("sgdemo", SGDEMO_RENDER);
	vkms = __sgdemo_open_driver("vkms", SGDEMO_PRIMARY);
	if (sgdemo < 0 || vkms < 0) {
		printf("vkms: no %s device\n", sgdemo < 0 ? "sgdemo" : "vkms");
		return 77;
	}
	if (drmSetClientCap(vkms, DRM_CLIENT_CAP_ATOMIC, 1) ||
	    drmSetClientCap(vkms, DRM_CLIENT_CAP_WRITEBACK_CONNECTORS, 1)) {
		printf("vkms: no atomic writeback\n");
		return 77;
	}

	res = drmModeGetResources(vkms);
	if (!res || !res->count_crtcs)
		fail("vkms resources");
	crtc = res->crtcs[0];
	for (i = 0; i < res->count_connectors && !wb; i++) {
		drmModeConnectorPtr c = drmModeGetConnector(vkms, res->connectors[i]);

		if (c && c->connector_type == DRM_MODE_CONNECTOR_WRITEBACK)
			wb = c->connector_id;
		drmModeFreeConnector(c);
	}
	if (!wb) {
		printf("vkms: no writeback connector\n");
		return 77;
	}
	planes = drmModeGetPlaneResources(vkms);
	for (i = 0; planes && i < (int)planes->count_planes && !plane; i++) {
		drmModePlanePtr p = drmModeGetPlane(vkms, planes->planes[i]);

		if (p && (p->possible_crtcs & 1) &&
		    prop_value(vkms, p->plane_id, DRM_MODE_OBJECT_PLANE, "type") ==
		    DRM_PLANE_TYPE_PRIMARY)
			plane = p->plane_id;
		drmModeFreePlane(p);
	}
	drmModeFreePlaneResources(planes);
	if (!plane)
		fail("vkms primary plane");

	buffer_make(sgdemo, vkms, &src);
	buffer_make(sgdemo, vkms, &dst);
	for (y = 0; y < HEIGHT; y++)
		for (x = 0; x < WIDTH; x++)
			src.pixels[y * WIDTH + x] = pattern(x, y);
	memset(dst.pixels, 0, SIZE);
	printf("vkms: sgdemo buffers imported as framebuffers %u (plane) and %u (writeback)\n",
	       src.fb, dst.fb);

	if (drmModeCreatePropertyBlob(vkms, &mode, sizeof(mode), &blob))
		fail("mode blob");
	req = drmModeAtomicAlloc();
	add(req, vkms, crtc, DRM_MODE_OBJECT_CRTC, "MODE_ID", blob);
	add(req, vkms, crtc, DRM_MODE_OBJECT_CRTC, "ACTIVE", 1);
	add(req, vkms, plane, DRM_MODE_OBJECT_PLANE, "FB_ID", src.fb);
	add(req, vkms, plane, DRM_MODE_OBJECT_PLANE, "CRTC_ID", crtc);
	add(req, vkms, plane, DRM_MODE_OBJECT_PLANE, "SRC_X", 0);
	add(req, vkms, plane, DRM_MODE_OBJECT_PLANE, "SRC_Y", 0);
	add(req, vkms, plane, DRM_MODE_OBJECT_PLANE, "SRC_W", (uint64_t)WIDTH << 16);
	add(req, vkms, plane, DRM_MODE_OBJECT_PLANE, "SRC_H", (uint64_t)HEIGHT << 16);
	add(req, vkms, plane, DRM_MODE_OBJECT_PLANE, "CRTC_X", 0);
	add(req, vkms, plane, DRM_MODE_OBJECT_PLANE, "CRTC_Y", 0);
	add(req, vkms, plane, DRM_MODE_OBJECT_PLANE, "CRTC_W", WIDTH);
	add(req, vkms, plane, DRM_MODE_OBJECT_PLANE, "CRTC_H", HEIGHT);
	add(req, vkms, wb, DRM_MODE_OBJECT_CONNECTOR, "CRTC_ID", crtc);
	add(req, vkms, wb, DRM_MODE_OBJECT_CONNECTOR, "WRITEBACK_FB_ID", dst.fb);
	add(req, vkms, wb, DRM_MODE_OBJECT_CONNECTOR, "WRITEBACK_OUT_FENCE_PTR",
	    (uint64_t)(uintptr_t)&fence);
	if (drmModeAtomicCommit(vkms, req, DRM_MODE_ATOMIC_ALLOW_MODESET, NULL))
		fail("atomic commit");
	drmModeAtomicFree(req);
	printf("vkms: committed %ux%u@%uHz, writeback fence %d\n", WIDTH, HEIGHT, REFRESH,
	       fence);

	pfd.fd = fence;
	pfd.events = POLLIN;
	if (fence < 0 || poll(&pfd, 1, 30000) != 1)
		fail("writeback fence did not signal within 30 s");
	close(fence);

	for (y = 0; y < HEIGHT; y++)
		for (x = 0; x < WIDTH; x++)
			if ((dst.pixels[y * WIDTH + x] & 0xffffff) != pattern(x, y) && !bad++)
				printf("vkms: first difference at (%u,%u): %06x, not %06x\n",
				       x, y, dst.pixels[y * WIDTH + x] & 0xffffff,
				       pattern(x, y));
	printf("vkms: writeback frame: %u of %u pixels differ from the sgdemo buffer\n",
	       bad, WIDTH * HEIGHT);

	/*
	 * Switch the CRTC off again, every connector with it (vkms's fbdev
	 * may have lit its virtual one); closing the files releases the rest.
	 */
	req = drmModeAtomicAlloc();
	add(req, vkms, plane, DRM_MODE_OBJECT_PLANE, "FB_ID", 0);
	add(req, vkms, plane, DRM_MODE_OBJECT_PLANE, "CRTC_ID", 0);
	for (i = 0; i < res->count_connectors; i++)
		add(req, vkms, res->connectors[i], DRM_MODE_OBJECT_CONNECTOR, "CRTC_ID", 0);
	add(req, vkms, crtc, DRM_MODE_OBJECT_CRTC, "ACTIVE", 0);
	add(req, vkms, crtc, DRM_MODE_OBJECT_CRTC, "MODE_ID", 0);
	if (drmModeAtomicCommit(vkms, req, DRM_MODE_ATOMIC_ALLOW_MODESET, NULL))
		fail("switching off");
	drmModeAtomicFree(req);
	drmModeDestroyPropertyBlob(vkms, blob);
	drmModeRmFB(vkms, src.fb);
	drmModeRmFB(vkms, dst.fb);
	drmModeFreeResources(res);
	munmap(src.pixels, SIZE);
	munmap(dst.pixels, SIZE);
	close(vkms);
	close(sgdemo);
	return bad ? 1 : 0;
}
