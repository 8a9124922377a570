// SPDX-License-Identifier: MIT
/*
 * sgdemo_demo - a walk through the life of an sgdemo buffer, told step by
 * step: create, map and write, export as a dma-buf, import into vgem, read the
 * bytes back through what vgem holds, close everything, and watch the
 * driver's counters return to zero. Run by `make demo` inside a guest.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <xf86drm.h>

#include "drm_sgdemo.h"
#include "sgdemo_open.h"

#define SIZE (1024 * 1024)
#define MESSAGE "hello from an sgdemo buffer"

static int step_no;

static void step(const char *what)
{
	printf("\n[%d] %s\n", ++step_no, what);
}

static void die(const char *what)
{
	fprintf(stderr, "demo: %s failed: %s\n", what, strerror(errno));
	exit(1);
}

static void show_counters(void)
{
	char line[128];
	FILE *f = fopen("/sys/kernel/debug/sgdemo/counters", "r");

	if (!f)
		die("reading /sys/kernel/debug/sgdemo/counters");
	while (fgets(line, sizeof(line), f))
		printf("      counters: %s", line);
	fclose(f);
}

/* Opens the primary node of driver @name and says which it is. */
static int open_named(const char *name)
{
	drmVersionPtr v;
	char *node;
	int fd;

	fd = open_driver(name, 0);
	if (fd < 0) {
		errno = ENODEV;
		die(name);
	}
	v = drmGetVersion(fd);
	node = drmGetDeviceNameFromFd2(fd);
	printf("      %s is %s: \"%s\", version %d.%d\n", node, v->name, v->desc,
	       v->version_major, v->version_minor);
	free(node);
	drmFreeVersion(v);
	return fd;
}

int main(void)
{
	struct drm_sgdemo_create create = { .size = SIZE };
	struct drm_sgdemo_mmap_offset map = { 0 };
	uint32_t vgem_handle;
	int fd, vgem, dmabuf, back;
	char *ptr;

	step("Open the sgdemo device (and vgem, the importer)");
	fd = open_named("sgdemo");
	vgem = open_named("vgem");
	show_counters();

	step("Create a 1 MiB buffer object (DRM_IOCTL_SGDEMO_CREATE)");
	if (drmIoctl(fd, DRM_IOCTL_SGDEMO_CREATE, &create))
		die("SGDEMO_CREATE");
	printf("      handle %u, %llu bytes\n", create.handle, (unsigned long long)create.size);
	show_counters();

	step("Map it (DRM_IOCTL_SGDEMO_MMAP_OFFSET + mmap) and write into it");
	map.handle = create.handle;
	if (drmIoctl(fd, DRM_IOCTL_SGDEMO_MMAP_OFFSET, &map))
		die("SGDEMO_MMAP_OFFSET");
	ptr = mmap(NULL, SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, map.offset);
	if (ptr == MAP_FAILED)
		die("mmap");
	strcpy(ptr, MESSAGE);
	memset(ptr + SIZE - 4096, 0xa5, 4096);
	printf("      wrote \"%s\" at the start, 0xa5 in the last page\n", MESSAGE);
	munmap(ptr, SIZE);

	step("Export it as a dma-buf (PRIME)");
	if (drmPrimeHandleToFD(fd, create.handle, DRM_CLOEXEC | DRM_RDWR, &dmabuf))
		die("PRIME export");
	printf("      dma-buf fd %d\n", dmabuf);

	step("Import the dma-buf into vgem: vgem attaches and maps our pages");
	if (drmPrimeFDToHandle(vgem, dmabuf, &vgem_handle))
		die("vgem import");
	printf("      vgem handle %u; the attachment pins our pages:\n", vgem_handle);
	show_counters();

	step("Close our handle and our dma-buf fd: vgem's import keeps the buffer alive");
	close(dmabuf);
	drmCloseBufferHandle(fd, create.handle);
	show_counters();

	step("Read the bytes back through the dma-buf vgem holds");
	if (drmPrimeHandleToFD(vgem, vgem_handle, DRM_CLOEXEC, &back))
		die("vgem export");
	ptr = mmap(NULL, SIZE, PROT_READ, MAP_SHARED, back, 0);
	if (ptr == MAP_FAILED)
		die("dma-buf mmap");
	printf("      read \"%s\", last page byte 0x%02x\n", ptr, (unsigned char)ptr[SIZE - 1]);
	if (strcmp(ptr, MESSAGE) || (unsigned char)ptr[SIZE - 1] != 0xa5) {
		errno = EIO;
		die("content check");
	}
	munmap(ptr, SIZE);
	close(back);

	step("Close vgem's handle: the last reference goes, and so do the object and its pins");
	drmCloseBufferHandle(vgem, vgem_handle);
	show_counters();
	close(vgem);
	close(fd);
	printf("\ndemo: done, everything released\n");
	return 0;
}
