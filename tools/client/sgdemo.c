// SPDX-License-Identifier: MIT
/*
 * sgdemo - command-line client of the sgdemo DRM driver, on libdrm.
 *
 * Each command opens the device, does one thing to a buffer's life and says
 * what happened: handles and buffers belong to the process, so every command
 * ends with what it made closed again. See `sgdemo --help`.
 *
 * Exit codes: 0 done; 1 the driver refused or a check failed; 2 bad usage;
 * 3 no sgdemo device (or no permission to open it).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <linux/dma-buf.h>
#include <linux/udmabuf.h>
#include <xf86drm.h>

#include "sgdemo.h"
#include "sgdemo_fence.h"
#include "sgdemo_util.h"
#include "sgdemo_pattern.h"
#include "sgdemo_sigbus.h"

#define EXIT_FAILED	1
#define EXIT_USAGE	2
#define EXIT_NODEV	3

#define COUNTERS "/sys/kernel/debug/sgdemo/counters"

/* The project's version, from debian/changelog (the build passes it). */
#ifndef SGDEMO_VERSION
#define SGDEMO_VERSION "unknown"
#endif

static bool use_render;
static bool quiet;
/* -d: a node's path, or which kind of sgdemo device: "pci" or "platform". */
static const char *device_opt;

static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void say(const char *fmt, ...)
{
	va_list ap;

	if (quiet)
		return;
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
}

static void __attribute__((noreturn, format(printf, 2, 3))) fail(int code, const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fprintf(stderr, "sgdemo: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(code);
}

/* Parses a size: a number with an optional K, M or G suffix (powers of 1024). */
static uint64_t parse_size(const char *s, const char *what)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || end == s || *s == '-')
		fail(EXIT_USAGE, "%s: not a size: '%s'", what, s);
	switch (*end) {
	case 'k': case 'K': v <<= 10; end++; break;
	case 'm': case 'M': v <<= 20; end++; break;
	case 'g': case 'G': v <<= 30; end++; break;
	}
	if (*end || !v)
		fail(EXIT_USAGE, "%s: not a size: '%s'", what, s);
	return v;
}

/* A node of sgdemo's: the first one, or the one -d names. */
static int open_sgdemo(void)
{
	enum sgdemo_node node = use_render ? SGDEMO_RENDER : SGDEMO_PRIMARY;
	int fd;

	if (device_opt && device_opt[0] == '/') {
		fd = open(device_opt, O_RDWR | O_CLOEXEC);
		if (fd < 0)
			fail(EXIT_NODEV, "%s: %s", device_opt, strerror(errno));
		return fd;
	}
	fd = __sgdemo_open_on_bus("sgdemo", node, device_opt);
	if (fd < 0)
		fail(EXIT_NODEV, "no sgdemo %s node%s%s in /dev/dri (is drm_sgdemo loaded? are you allowed to open it?)",
		     use_render ? "render" : "primary", device_opt ? " on bus " : "",
		     device_opt ? device_opt : "");
	return fd;
}

/*
 * The ioctls that must succeed are libsgdemo's sgdemo_x(): on failure they
 * name the ioctl and its errno, "sgdemo: DRM_IOCTL_...: ... (errno N)", and
 * exit 1 (EXIT_FAILED). Calls with a message of their own use __sgdemo_x(),
 * and so does map(), whose failed mmap() has its own message too.
 */
static void *map(int fd, uint32_t handle, uint64_t size)
{
	uint64_t offset = sgdemo_mmap_offset(fd, handle);
	void *ptr;

	ptr = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, offset);
	if (ptr == MAP_FAILED)
		fail(EXIT_FAILED, "mmap: %s", strerror(errno));
	return ptr;
}

static void show_counters(const char *indent)
{
	char line[128];
	FILE *f = fopen(COUNTERS, "r");

	if (!f)
		fail(EXIT_FAILED, "cannot read %s: %s (is debugfs mounted, are you root?)",
		     COUNTERS, strerror(errno));
	while (fgets(line, sizeof(line), f))
		say("%s%s", indent, line);
	fclose(f);
}

static const char *status_name(int status)
{
	static char buf[64];

	if (status == 1)
		return "signalled";
	if (status == 0)
		return "pending";
	snprintf(buf, sizeof(buf), "signalled with error %s", strerror(-status));
	return buf;
}

/* Waits for a job's sync_file; fails unless it signalled without error. */
static double wait_job(int fence)
{
	double t0 = seconds();
	int status = sync_file_wait(fence, 30000);

	if (status == 0)
		fail(EXIT_FAILED, "the job's fence did not signal within 30 s");
	if (status != 1)
		fail(EXIT_FAILED, "the job failed: fence %s", status_name(status));
	return seconds() - t0;
}

static int submit(int fd, struct drm_sgdemo_submit *args)
{
	args->flags |= SGDEMO_SUBMIT_FENCE_OUT;
	return sgdemo_submit(fd, args);
}

static void describe_table(int fd, uint32_t handle, uint32_t id, const char *what)
{
	struct drm_sgdemo_sgt_info info = { .handle = handle, .id = id };

	sgdemo_sgt_info(fd, &info);
	say("    %s table: %" PRIu64 " bytes in %u DMA segments (%u before mapping)",
	    what, (uint64_t)info.size, info.nents, info.orig_nents);
	if (info.page_runs)
		say(", %u runs of contiguous pages", info.page_runs);
	say("\n");
}

/* --- commands --- */

static int cmd_info(int argc, char **argv)
{
	int fd = open_sgdemo();
	drmVersionPtr v = drmGetVersion(fd);
	char *node = drmGetDeviceNameFromFd2(fd);

	if (!v)
		fail(EXIT_FAILED, "DRM_IOCTL_VERSION: %s", strerror(errno));
	printf("device:   %s\n", node ? node : "?");
	printf("driver:   %s %d.%d.%d, %s\n", v->name, v->version_major, v->version_minor,
	       v->version_patchlevel, v->desc);
	printf("engine:   fill and copy jobs; up to %d in-syncobjs; dependency timeout %d ms by default, %d ms at most\n",
	       SGDEMO_SUBMIT_MAX_IN_SYNCOBJS, SGDEMO_SUBMIT_DEFAULT_TIMEOUT_MS,
	       SGDEMO_SUBMIT_MAX_TIMEOUT_MS);
	printf("pages:    %ld bytes each\n", sysconf(_SC_PAGESIZE));
	free(node);
	drmFreeVersion(v);
	close(fd);
	return 0;
}

static int cmd_create(int argc, char **argv)
{
	uint64_t size = parse_size(argv[1], "SIZE"), asked = size;
	int fd = open_sgdemo();
	uint32_t handle = sgdemo_create(fd, &size);

	say("created object %u: %" PRIu64 " bytes (asked for %" PRIu64 ")\n", handle, size, asked);
	describe_table(fd, handle, 0, "borrowed");
	say("    the borrowed table lives, pinned, as long as the object\n");
	sgdemo_gem_close(fd, handle);
	say("closed object %u: its pages and table are freed with it\n", handle);
	close(fd);
	return 0;
}

static int cmd_fill(int argc, char **argv)
{
	uint64_t size = parse_size(argv[1], "SIZE");
	unsigned long value;
	struct drm_sgdemo_submit job = { .op = SGDEMO_OP_FILL };
	int fd, fence;
	uint8_t *ptr;
	uint64_t i;
	char *end;
	double t;

	value = strtoul(argv[2], &end, 0);
	if (*end || end == argv[2] || value > 0xff)
		fail(EXIT_USAGE, "BYTE: not a byte (0 to 0xff): '%s'", argv[2]);

	fd = open_sgdemo();
	job.dst_handle = sgdemo_create(fd, &size);
	job.size = size;
	job.fill = value;
	fence = submit(fd, &job);
	say("fill job submitted: %" PRIu64 " bytes of object %u with %#lx; fence %s\n", size,
	    job.dst_handle, value, status_name(sync_file_status(fence)));
	t = wait_job(fence);
	say("    the job completed (waited %.3f s)\n", t);

	ptr = map(fd, job.dst_handle, size);
	for (i = 0; i < size; i++)
		if (ptr[i] != value)
			fail(EXIT_FAILED, "byte %" PRIu64 " is %#x, not %#lx", i, ptr[i], value);
	say("    every byte reads %#lx through a CPU mapping\n", value);
	munmap(ptr, size);
	close(fence);
	sgdemo_gem_close(fd, job.dst_handle);
	close(fd);
	return 0;
}

static int cmd_copy(int argc, char **argv)
{
	uint64_t size = parse_size(argv[1], "SIZE");
	struct drm_sgdemo_submit job = { .op = SGDEMO_OP_COPY };
	uint32_t src, dst;
	int fd, fence;
	void *sp, *dp;
	long bad;
	double t0, t;

	fd = open_sgdemo();
	src = sgdemo_create(fd, &size);
	dst = sgdemo_create(fd, &size);
	sp = map(fd, src, size);
	pattern_fill(sp, size, 0xc0b1);
	say("source object %u and destination object %u, %" PRIu64 " bytes each; source filled with a pattern\n",
	    src, dst, size);

	job.dst_handle = dst;
	job.src_handle = src;
	job.size = size;
	t0 = seconds();
	fence = submit(fd, &job);
	say("copy job submitted; fence %s\n", status_name(sync_file_status(fence)));

	munmap(sp, size);
	sgdemo_gem_close(fd, src);
	say("closed the source's mapping and handle right away: until the job is freed, its owned table keeps the source\n");
	show_counters("    ");

	wait_job(fence);
	t = seconds() - t0;
	say("    the job completed: %.1f MiB/s from submission to signal\n",
	    size / t / (1 << 20));
	dp = map(fd, dst, size);
	bad = pattern_mismatch(dp, size, 0xc0b1);
	if (bad >= 0)
		fail(EXIT_FAILED, "destination differs from the source at word %ld", bad);
	say("    the destination holds the source's pattern\n");
	munmap(dp, size);
	close(fence);
	sgdemo_gem_close(fd, dst);
	say("closed the destination; the job is freed, and with it the source\n");
	show_counters("    ");
	close(fd);
	return 0;
}

/* The DMA-buf fd of a handle. */
static int export(int fd, uint32_t handle)
{
	int dmabuf;
	int ret = __sgdemo_prime_handle_to_fd(fd, handle, DRM_CLOEXEC | DRM_RDWR, &dmabuf);

	if (ret)
		fail(EXIT_FAILED, "PRIME export: %s", strerror(-ret));
	return dmabuf;
}

static int cmd_export(int argc, char **argv)
{
	uint64_t size = parse_size(argv[1], "SIZE");
	const char *to = argc > 2 ? argv[2] : "vgem";
	uint32_t handle, theirs;
	int fd, peer, dmabuf, back, ret;
	void *ptr;

	peer = __sgdemo_open_driver(to, SGDEMO_PRIMARY);
	if (peer < 0)
		fail(EXIT_NODEV, "no %s device to import into (modprobe %s?)", to, to);
	fd = open_sgdemo();
	handle = sgdemo_create(fd, &size);
	ptr = map(fd, handle, size);
	pattern_fill(ptr, size, 0xe4e4);
	munmap(ptr, size);
	dmabuf = export(fd, handle);
	say("exported object %u (%" PRIu64 " bytes, filled with a pattern) as dma-buf fd %d\n",
	    handle, size, dmabuf);
	ret = __sgdemo_prime_fd_to_handle(peer, dmabuf, &theirs);
	if (ret)
		fail(EXIT_FAILED, "%s import: %s", to, strerror(-ret));
	say("%s imported it as handle %u: it attached and mapped our pages\n", to, theirs);
	show_counters("    ");

	close(dmabuf);
	sgdemo_gem_close(fd, handle);
	close(fd);
	say("closed our handle, dma-buf fd and DRM file: %s's import keeps the buffer\n", to);

	back = export(peer, theirs);
	ptr = mmap(NULL, size, PROT_READ, MAP_SHARED, back, 0);
	if (ptr == MAP_FAILED)
		fail(EXIT_FAILED, "mmap of %s's dma-buf: %s", to, strerror(errno));
	if (pattern_mismatch(ptr, size, 0xe4e4) >= 0)
		fail(EXIT_FAILED, "the bytes read through %s differ", to);
	say("    read the pattern back through %s's dma-buf\n", to);
	munmap(ptr, size);
	close(back);
	sgdemo_gem_close(peer, theirs);
	close(peer);
	say("%s let go: the buffer is freed\n", to);
	show_counters("    ");
	return 0;
}

/* A foreign dma-buf of @size bytes filled with @seed's pattern. */
static int foreign_buffer(const char *from, uint64_t size, uint32_t seed, int *keep)
{
	void *ptr;
	int dmabuf;

	if (!strcmp(from, "udmabuf")) {
		struct udmabuf_create args = { .offset = 0, .size = size };
		int dev = open("/dev/udmabuf", O_RDWR | O_CLOEXEC);
		int memfd = memfd_create("sgdemo", MFD_ALLOW_SEALING);

		if (dev < 0)
			fail(EXIT_NODEV, "cannot open /dev/udmabuf: %s", strerror(errno));
		if (memfd < 0 || ftruncate(memfd, size) ||
		    fcntl(memfd, F_ADD_SEALS, F_SEAL_SHRINK))
			fail(EXIT_FAILED, "memfd: %s", strerror(errno));
		ptr = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, memfd, 0);
		if (ptr == MAP_FAILED)
			fail(EXIT_FAILED, "mmap of the memfd: %s", strerror(errno));
		pattern_fill(ptr, size, seed);
		munmap(ptr, size);
		args.memfd = memfd;
		dmabuf = ioctl(dev, UDMABUF_CREATE, &args);
		if (dmabuf < 0)
			fail(EXIT_FAILED, "UDMABUF_CREATE: %s", strerror(errno));
		close(memfd);
		close(dev);
		*keep = -1;
	} else {
		int peer = __sgdemo_open_driver(from, SGDEMO_PRIMARY);
		uint32_t dumb;
		uint64_t offset;

		if (peer < 0)
			fail(EXIT_NODEV, "no %s device (modprobe %s?)", from, from);
		dumb = sgdemo_dumb_create(peer, 1024, size / 4096, 32, NULL);
		offset = sgdemo_dumb_map_offset(peer, dumb);
		ptr = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, peer, offset);
		if (ptr == MAP_FAILED)
			fail(EXIT_FAILED, "mmap of the %s buffer: %s", from, strerror(errno));
		pattern_fill(ptr, size, seed);
		munmap(ptr, size);
		dmabuf = export(peer, dumb);
		*keep = peer;
	}
	return dmabuf;
}

static int cmd_import(int argc, char **argv)
{
	uint64_t size = parse_size(argv[1], "SIZE");
	const char *from = argc > 2 ? argv[2] : "vgem";
	struct drm_sgdemo_submit job = { .op = SGDEMO_OP_COPY };
	uint32_t handle, native, id;
	int fd, dmabuf, keep, fence, ret;
	void *buf;

	if (size % 4096)
		fail(EXIT_USAGE, "SIZE: a whole number of 4 KiB pages, please");
	dmabuf = foreign_buffer(from, size, 0x1a2b, &keep);
	fd = open_sgdemo();
	ret = __sgdemo_prime_fd_to_handle(fd, dmabuf, &handle);
	if (ret)
		fail(EXIT_FAILED, "import into sgdemo: %s", strerror(-ret));
	close(dmabuf);
	say("imported a %" PRIu64 "-byte %s buffer as object %u\n", size, from, handle);
	describe_table(fd, handle, 0, "borrowed (the attachment's)");

	id = sgdemo_sgt_acquire(fd, handle);
	buf = malloc(size);
	if (!buf)
		fail(EXIT_FAILED, "out of memory");
	sgdemo_sgt_read(fd, id, 0, size, buf);
	if (pattern_mismatch(buf, size, 0x1a2b) >= 0)
		fail(EXIT_FAILED, "the bytes read through the owned table differ");
	say("    owned table %u: read the %s buffer's pattern through it\n", id, from);

	native = sgdemo_create(fd, &size);
	job.dst_handle = native;
	job.src_handle = handle;
	job.size = size;
	fence = submit(fd, &job);
	wait_job(fence);
	close(fence);
	sgdemo_sgt_release(fd, id);
	id = sgdemo_sgt_acquire(fd, native);
	memset(buf, 0, size);
	sgdemo_sgt_read(fd, id, 0, size, buf);
	if (pattern_mismatch(buf, size, 0x1a2b) >= 0)
		fail(EXIT_FAILED, "the copy of the %s buffer differs", from);
	say("    a copy job moved it into native object %u, read back through that one's owned table\n",
	    native);
	free(buf);
	close(fd);
	if (keep >= 0)
		close(keep);
	say("closed everything: owned tables, handles, the import\n");
	return 0;
}

static int cmd_sgt(int argc, char **argv)
{
	uint64_t size = parse_size(argv[1], "SIZE");
	uint32_t handle, id;
	uint8_t head[16];
	void *ptr;
	int fd, i;

	fd = open_sgdemo();
	handle = sgdemo_create(fd, &size);
	ptr = map(fd, handle, size);
	pattern_fill(ptr, size, 0x5a5a);
	munmap(ptr, size);
	say("object %u: %" PRIu64 " bytes, filled with a pattern\n", handle, size);
	describe_table(fd, handle, 0, "borrowed");

	id = sgdemo_sgt_acquire(fd, handle);
	say("acquired owned table %u; it holds its own reference and pin\n", id);
	describe_table(fd, 0, id, "owned");
	sgdemo_gem_close(fd, handle);
	say("closed object %u's handle: the owned table keeps the object\n", handle);
	show_counters("    ");

	sgdemo_sgt_read(fd, id, 0, sizeof(head), head);
	say("    first bytes, read through the owned table:");
	for (i = 0; i < (int)sizeof(head); i++)
		say(" %02x", head[i]);
	say("\n");
	if (pattern_mismatch(head, sizeof(head), 0x5a5a) >= 0)
		fail(EXIT_FAILED, "the bytes read through the owned table differ");

	sgdemo_sgt_release(fd, id);
	say("released it: unmap, free the table, unpin, put the object\n");
	show_counters("    ");
	close(fd);
	return 0;
}

/* A copy by the device's own DMA engine, or why there is none. */
static void device_copy(int fd, uint32_t src, uint32_t dst, uint64_t size)
{
	struct drm_sgdemo_submit job = {
		.op = SGDEMO_OP_DEVICE_COPY, .dst_handle = dst, .src_handle = src,
		.src_offset = 4096, .size = SGDEMO_DEVICE_COPY_MAX,
		.flags = SGDEMO_SUBMIT_FENCE_OUT,
	};
	uint8_t *s, *d;
	int ret;

	ret = __sgdemo_submit(fd, &job);
	if (ret == -EOPNOTSUPP) {
		say("this device has no DMA engine of its own (EOPNOTSUPP): only edu's does\n");
		return;
	}
	if (ret)
		fail(EXIT_FAILED, "DRM_IOCTL_SGDEMO_SUBMIT: %s", strerror(-ret));
	say("the device's DMA engine copied %d bytes between the DMA addresses of both tables in %.2f s\n",
	    SGDEMO_DEVICE_COPY_MAX, wait_job(job.out_fence_fd));
	close(job.out_fence_fd);
	s = map(fd, src, size);
	d = map(fd, dst, size);
	if (memcmp(d, s + 4096, SGDEMO_DEVICE_COPY_MAX))
		fail(EXIT_FAILED, "the bytes the device copied differ from the source's");
	say("    and the CPU reads the same bytes in both objects\n");
	munmap(s, size);
	munmap(d, size);
}

static int cmd_dma(int argc, char **argv)
{
	uint64_t size = parse_size(argv[1], "SIZE"), dsize = size;
	struct drm_sgdemo_sgt_info info = {};
	uint32_t handle, dst, id;
	void *ptr;
	int fd;

	fd = open_sgdemo();
	if (size < 4096 + SGDEMO_DEVICE_COPY_MAX)
		fail(EXIT_USAGE, "SIZE: at least %d bytes", 4096 + SGDEMO_DEVICE_COPY_MAX);
	handle = sgdemo_create(fd, &size);
	ptr = map(fd, handle, size);
	pattern_fill(ptr, size, 0xd3a);
	munmap(ptr, size);
	id = sgdemo_sgt_acquire(fd, handle);
	say("object %u: %" PRIu64 " bytes, an owned table %u of it, mapped for the device\n",
	    handle, size, id);
	describe_table(fd, 0, id, "owned");
	info.id = id;
	sgdemo_sgt_info(fd, &info);
	if (info.nents < info.orig_nents)
		say("    the CPU sees %u runs of pages, the device %u run%s of DMA addresses:\n"
		    "    an IOMMU mapped the pages to contiguous IOVA\n", info.orig_nents,
		    info.nents, info.nents == 1 ? "" : "s");
	else
		say("    the device's DMA addresses follow the pages, segment for segment\n");
	dst = sgdemo_create(fd, &dsize);
	device_copy(fd, handle, dst, size);
	sgdemo_sgt_release(fd, id);
	sgdemo_gem_close(fd, dst);
	sgdemo_gem_close(fd, handle);
	close(fd);
	return 0;
}

/* Unplugs the device behind @fd: remove for PCI, unbind for a platform device. */
static void unplug(int fd)
{
	char dir[PATH_MAX], file[PATH_MAX + 16];
	const char *what = "1";
	FILE *f;
	int ret;

	ret = __sgdemo_device_dir(fd, dir, sizeof(dir));
	if (ret)
		fail(EXIT_FAILED, "cannot find the device in sysfs: %s", strerror(-ret));
	/* A PCI device sits under /sys/devices/pciDOMAIN:BUS. */
	if (strstr(dir, "/pci")) {
		snprintf(file, sizeof(file), "%s/remove", dir);
	} else {
		snprintf(file, sizeof(file), "%s/driver/unbind", dir);
		what = strrchr(dir, '/') + 1;
	}
	say("unplugging the device: %s <- %s\n", file, what);
	f = fopen(file, "w");
	if (!f || fputs(what, f) < 0 || fclose(f))
		fail(EXIT_FAILED, "%s: %s (are you root?)", file, strerror(errno));
}

static int cmd_unplug(int argc, char **argv)
{
	uint64_t size = parse_size(argv[1], "SIZE");
	struct drm_sgdemo_sgt_info info = {};
	uint32_t handle;
	void *ptr;
	int fd, ret;

	fd = open_sgdemo();
	handle = sgdemo_create(fd, &size);
	ptr = map(fd, handle, size);
	pattern_fill(ptr, size, 0xc0de);
	info.id = sgdemo_sgt_acquire(fd, handle);
	say("object %u: %" PRIu64 " bytes, mapped by the CPU, an owned table %u\n", handle, size,
	    info.id);
	describe_table(fd, 0, info.id, "owned");
	show_counters("    ");
	unplug(fd);
	ret = __sgdemo_sgt_info(fd, &info);
	say("the owned table's ioctls now fail: %s\n", ret ? strerror(-ret) : "succeeded (!)");
	if (ret != -ENODEV)
		fail(EXIT_FAILED, "SGT_INFO after unplug: expected ENODEV");
	ret = sgdemo_access_sigbus(ptr, false);
	if (ret < 0)
		fail(EXIT_FAILED, "sigaction(SIGBUS): %s", strerror(-ret));
	if (!ret)
		fail(EXIT_FAILED, "the CPU mapping still reads the object after unplug");
	say("the CPU mapping faults with SIGBUS now; the table, its pin and the object stay,\n"
	    "its DMA mapping ended with the device (dma_mapped_pages):\n");
	show_counters("    ");
	munmap(ptr, size);
	close(fd);
	say("closed the file: everything is freed\n");
	show_counters("    ");
	return 0;
}

static int cmd_stats(int argc, char **argv)
{
	show_counters("");
	return 0;
}

static const struct command {
	const char *name;
	const char *args;
	int min_args, max_args;
	int (*run)(int argc, char **argv);
	const char *help;
} commands[] = {
	{ "info", "", 0, 0, cmd_info,
	  "Show the device node, driver version and copy engine limits." },
	{ "create", "SIZE", 1, 1, cmd_create,
	  "Create an object, show its borrowed scatter-gather table, close it." },
	{ "fill", "SIZE BYTE", 2, 2, cmd_fill,
	  "Create an object, fill it with BYTE by a copy-engine job, wait for\n"
	  "the job's fence and check every byte through a CPU mapping." },
	{ "copy", "SIZE", 1, 1, cmd_copy,
	  "Copy a patterned object into another by a copy-engine job, closing\n"
	  "the source right after submitting: the job's owned tables keep it." },
	{ "export", "SIZE [DRIVER]", 1, 2, cmd_export,
	  "Export an object as a dma-buf into DRIVER (default vgem), close\n"
	  "everything of ours, and read the bytes back through DRIVER." },
	{ "import", "SIZE [vgem|udmabuf]", 1, 2, cmd_import,
	  "Import a foreign buffer, read it through an owned table, copy it\n"
	  "into a native object with a job and read that back." },
	{ "sgt", "SIZE", 1, 1, cmd_sgt,
	  "Borrowed table facts, then an owned table: acquire, outlive the\n"
	  "handle, read through it, release." },
	{ "dma", "SIZE", 1, 1, cmd_dma,
	  "An owned table's CPU and DMA views (segments before and after mapping),\n"
	  "then a copy by the device's own DMA engine where it has one (edu)." },
	{ "unplug", "SIZE", 1, 1, cmd_unplug,
	  "Hold an object, a CPU mapping and an owned table, unplug the device\n"
	  "(PCI remove, platform unbind; needs root) and show what is left." },
	{ "stats", "", 0, 0, cmd_stats,
	  "Print the driver's debugfs counters (needs debugfs and root)." },
};

#define NR_COMMANDS (sizeof(commands) / sizeof(commands[0]))

static void usage(FILE *f)
{
	unsigned int i;

	fprintf(f, "usage: sgdemo [-r|--render] [-d|--device NODE|pci|platform] [-q|--quiet] COMMAND [ARGS]\n"
		   "       sgdemo COMMAND --help\n\n"
		   "A client of the sgdemo DRM driver. SIZE takes a K, M or G suffix.\n\n"
		   "commands:\n");
	for (i = 0; i < NR_COMMANDS; i++)
		fprintf(f, "  %-8s %s\n", commands[i].name, commands[i].args);
	fprintf(f, "\noptions:\n"
		   "  -r, --render  use the render node instead of the primary node\n"
		   "  -d, --device  the node to open, or the first sgdemo device on bus pci or platform\n"
		   "  -q, --quiet   print nothing but errors\n"
		   "  -V, --version print the version and exit\n"
		   "  -h, --help    this text\n\n"
		   "exit codes: 0 done, 1 failed, 2 bad usage, 3 no device\n");
}

int main(int argc, char **argv)
{
	static const struct option options[] = {
		{ "render", no_argument, NULL, 'r' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "device", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{}
	};
	const struct command *cmd = NULL;
	unsigned int i;
	int opt, nargs;

	setvbuf(stdout, NULL, _IOLBF, 0);
	while ((opt = getopt_long(argc, argv, "+rqd:hV", options, NULL)) != -1) {
		switch (opt) {
		case 'r':
			use_render = true;
			break;
		case 'q':
			quiet = true;
			break;
		case 'd':
			device_opt = optarg;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			printf("sgdemo %s\n", SGDEMO_VERSION);
			return 0;
		default:
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (optind >= argc) {
		usage(stderr);
		return EXIT_USAGE;
	}
	for (i = 0; i < NR_COMMANDS; i++)
		if (!strcmp(argv[optind], commands[i].name))
			cmd = &commands[i];
	if (!cmd) {
		fprintf(stderr, "sgdemo: unknown command '%s'\n", argv[optind]);
		usage(stderr);
		return EXIT_USAGE;
	}
	argv += optind;
	argc -= optind;
	if (argc > 1 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		printf("usage: sgdemo %s %s\n\n%s\n", cmd->name, cmd->args, cmd->help);
		return 0;
	}
	nargs = argc - 1;
	if (nargs < cmd->min_args || nargs > cmd->max_args) {
		fprintf(stderr, "usage: sgdemo %s %s\n", cmd->name, cmd->args);
		return EXIT_USAGE;
	}
	return cmd->run(argc, argv);
}
