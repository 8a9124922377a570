// SPDX-License-Identifier: MIT
/*
 * sgdemo_lib.c - helpers shared by sgdemo's IGT tests.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <linux/dma-buf.h>

#include <xf86drm.h>

#include "igt_decls.h"
#include "sgdemo_fence.h"
#include "sgdemo_lib.h"
#include "sgdemo_pattern.h"
#include "sgdemo_sigbus.h"

#define COUNTERS_PATH "/sys/kernel/debug/sgdemo/counters"
#define BUFINFO_PATH "/sys/kernel/debug/dma_buf/bufinfo"
#define TIMELINE_PATH "/sys/kernel/debug/sgdemo/timeline"
#define DMA_PATH "/sys/kernel/debug/sgdemo/dma-"

/*
 * The sysfs directory of the device behind a DRM file (the parent of its
 * node: /sys/devices/platform/sgdemo, /sys/devices/pci0000:00/0000:00:04.0),
 * resolved; false when the file is no DRM node or its device is gone.
 */
bool igt_sgdemo_device_path(int fd, char *path, size_t len)
{
	return !__sgdemo_device_dir(fd, path, len);
}

/* The device's name (dma-NAME in debugfs): "sgdemo", "0000:00:04.0". */
const char *igt_sgdemo_device_name(int fd, char *name, size_t len)
{
	char path[PATH_MAX];
	const char *slash;

	igt_assert_f(igt_sgdemo_device_path(fd, path, sizeof(path)),
		     "no sysfs device behind fd %d\n", fd);
	slash = strrchr(path, '/');
	snprintf(name, len, "%s", slash ? slash + 1 : path);
	return name;
}

/* True when the device behind @fd sits on the PCI bus. */
bool igt_sgdemo_is_pci(int fd)
{
	char path[PATH_MAX], sub[PATH_MAX + 16];
	char *real;
	bool pci;

	if (!igt_sgdemo_device_path(fd, path, sizeof(path)))
		return false;
	snprintf(sub, sizeof(sub), "%s/subsystem", path);
	real = realpath(sub, NULL);
	pci = real && !strcmp(real, "/sys/bus/pci");
	free(real);
	return pci;
}

/* What IGT_DEVICE pins the tests to (sys:PATH), resolved; false for none. */
static bool pinned_device(char *path, size_t len)
{
	const char *env = getenv("IGT_DEVICE");
	char *real;

	if (!env || strncmp(env, "sys:", 4))
		return false;
	real = realpath(env + 4, NULL);
	if (!real)
		return false;
	snprintf(path, len, "%s", real);
	free(real);
	return true;
}

static int match_path(int fd, void *want)
{
	char path[PATH_MAX];

	return igt_sgdemo_device_path(fd, path, sizeof(path)) && !strcmp(path, want);
}

static int match_bus(int fd, void *pci)
{
	return igt_sgdemo_is_pci(fd) == *(bool *)pci;
}

/**
 * igt_sgdemo_open - open a node of the sgdemo device, or skip the test
 * @node: the primary (card) or the render node
 *
 * IGT does not know the driver by name; the nodes are matched on the name
 * DRM_IOCTL_VERSION reports. With two sgdemo devices (the platform one and
 * one on PCI) the node is the device's that IGT_DEVICE=sys:PATH pins the
 * tests to, as for IGT's own tests; without a filter, the first one.
 */
int igt_sgdemo_open(enum sgdemo_node node)
{
	char pinned[PATH_MAX];
	int fd;

	if (pinned_device(pinned, sizeof(pinned)))
		fd = __sgdemo_open_matching("sgdemo", node, match_path, pinned);
	else
		fd = __sgdemo_open_matching("sgdemo", node, NULL, NULL);
	if (fd < 0)
		igt_skip("no sgdemo %s node (is drm_sgdemo loaded?)\n",
			 node == SGDEMO_RENDER ? "render" : "primary");
	return fd;
}

/* A node of the sgdemo device on PCI (@pci) or not; -1 when there is none. */
int igt_sgdemo_open_device(bool pci, enum sgdemo_node node)
{
	int fd = __sgdemo_open_matching("sgdemo", node, match_bus, &pci);

	return fd < 0 ? -1 : fd;
}

/* Another file of the node @fd is a file of. */
int igt_sgdemo_reopen(int fd)
{
	char link[64], path[64];
	ssize_t n;
	int again;

	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	n = readlink(link, path, sizeof(path) - 1);
	igt_assert(n > 0);
	path[n] = 0;
	again = open(path, O_RDWR | O_CLOEXEC);
	igt_assert_f(again >= 0, "cannot open %s again: %s\n", path, strerror(errno));
	return again;
}

/* The DMA budget of the device named @device; false when it has no file. */
bool igt_sgdemo_dma_read_name(const char *device, struct igt_sgdemo_dma *dma)
{
	char path[128], name[32], value[32];
	FILE *f;

	snprintf(path, sizeof(path), DMA_PATH "%s", device);
	f = fopen(path, "r");
	if (!f)
		return false;
	memset(dma, 0, sizeof(*dma));
	while (fscanf(f, "%31s %31s", name, value) == 2) {
		if (!strcmp(name, "budget"))
			dma->budget = strtoull(value, NULL, 10);
		else if (!strcmp(name, "mapped"))
			dma->mapped = strtoull(value, NULL, 10);
		else if (!strcmp(name, "bounces"))
			dma->bounces = !strcmp(value, "1");
		else if (!strcmp(name, "engine"))
			dma->device_engine = !strcmp(value, "device");
	}
	fclose(f);
	return true;
}

/* The DMA budget of the device behind @fd, from debugfs. */
void igt_sgdemo_dma_read(int fd, struct igt_sgdemo_dma *dma)
{
	char name[64];

	igt_sgdemo_device_name(fd, name, sizeof(name));
	igt_assert_f(igt_sgdemo_dma_read_name(name, dma), "cannot read %s%s: %s\n", DMA_PATH,
		     name, strerror(errno));
}

uint32_t igt_sgdemo_create(int fd, uint64_t size)
{
	uint32_t handle = 0;

	igt_assert_eq(__sgdemo_create(fd, &size, 0, &handle), 0);
	igt_assert(handle != 0);
	return handle;
}

void *igt_sgdemo_mmap(int fd, uint32_t handle, size_t size)
{
	void *ptr = NULL;
	int ret = __sgdemo_mmap(fd, handle, size, PROT_READ | PROT_WRITE, MAP_SHARED, &ptr);

	igt_assert_f(ret == 0, "mmap of handle %u failed: %s\n", handle, strerror(-ret));
	return ptr;
}

void gem_close_handle(int fd, uint32_t handle)
{
	igt_assert_eq(__sgdemo_gem_close(fd, handle), 0);
}

int prime_export(int fd, uint32_t handle)
{
	int dmabuf = -1;

	igt_assert_eq(__sgdemo_prime_handle_to_fd(fd, handle, DRM_CLOEXEC | DRM_RDWR, &dmabuf), 0);
	igt_assert(dmabuf >= 0);
	return dmabuf;
}

uint32_t prime_import(int fd, int dmabuf)
{
	uint32_t handle = 0;

	igt_assert_eq(__sgdemo_prime_fd_to_handle(fd, dmabuf, &handle), 0);
	igt_assert(handle != 0);
	return handle;
}

uint32_t igt_sgdemo_sgt_acquire(int fd, uint32_t handle)
{
	uint32_t id = 0;

	igt_assert_eq(__sgdemo_sgt_acquire(fd, handle, 0, &id), 0);
	igt_assert(id != 0);
	return id;
}

void igt_sgdemo_sgt_release(int fd, uint32_t id)
{
	igt_assert_eq(__sgdemo_sgt_release(fd, id), 0);
}

/*
 * The first @size bytes of object @handle of @fd, read through an owned
 * table of it made for the purpose (and released): a copy the caller frees.
 */
uint8_t *igt_sgdemo_read_owned(int fd, uint32_t handle, uint64_t size)
{
	uint32_t id = igt_sgdemo_sgt_acquire(fd, handle);
	uint8_t *copy = malloc(size);

	igt_assert(copy);
	igt_assert_eq(__sgdemo_sgt_read(fd, id, 0, 0, size, copy), 0);
	igt_sgdemo_sgt_release(fd, id);
	return copy;
}

void *dumb_mmap(int fd, uint32_t handle, size_t size)
{
	uint64_t offset = 0;
	void *ptr;

	igt_assert_eq(__sgdemo_dumb_map_offset(fd, handle, &offset), 0);
	ptr = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, offset);
	igt_assert(ptr != MAP_FAILED);
	return ptr;
}

void igt_sgdemo_counters_read(struct igt_sgdemo_counters *c)
{
	char name[32];
	long value;
	FILE *f;

	memset(c, 0, sizeof(*c));
	f = fopen(COUNTERS_PATH, "r");
	igt_assert_f(f, "cannot read %s: %s\n", COUNTERS_PATH, strerror(errno));
	while (fscanf(f, "%31s %ld", name, &value) == 2) {
		if (!strcmp(name, "objects"))
			c->objects = value;
		else if (!strcmp(name, "pages_pinned"))
			c->pages_pinned = value;
		else if (!strcmp(name, "owned_tables"))
			c->owned_tables = value;
		else if (!strcmp(name, "borrowed_tables"))
			c->borrowed_tables = value;
		else if (!strcmp(name, "attachments"))
			c->attachments = value;
		else if (!strcmp(name, "jobs"))
			c->jobs = value;
		else if (!strcmp(name, "dma_mapped_pages"))
			c->dma_mapped_pages = value;
		else if (!strcmp(name, "dma_faults"))
			c->dma_faults = value;
	}
	fclose(f);
}

/*
 * Fails the test unless everything a subtest made is gone: the counters are
 * back at @start and the system holds @dmabufs dma-bufs. What is freed
 * after the last close is waited for, up to 5 s: a job is freed by the
 * scheduler shortly after its fence signals, and a dma-buf whose last
 * reference a worker drops is released later still (delayed_fput).
 */
void igt_sgdemo_assert_all_released(const struct igt_sgdemo_counters *start, int dmabufs)
{
	struct igt_sgdemo_counters now;
	int i;

	for (i = 0; i < 500; i++) {
		igt_sgdemo_counters_read(&now);
		if (now.jobs == start->jobs && now.objects == start->objects &&
		    dmabuf_count() == dmabufs)
			break;
		usleep(10000);
	}
	igt_sgdemo_assert_counters(start);
	igt_assert_eq(dmabuf_count(), dmabufs);
}

/* Waits up to 5 s until the jobs are back at @start's number (freed). */
void igt_sgdemo_wait_jobs_freed(const struct igt_sgdemo_counters *start)
{
	struct igt_sgdemo_counters now;
	int i;

	for (i = 0; i < 500; i++) {
		igt_sgdemo_counters_read(&now);
		if (now.jobs == start->jobs)
			return;
		usleep(10000);
	}
	igt_assert_eq(now.jobs, start->jobs);
}

/*
 * Fails the test unless the counters are what the caller expects now;
 * dma_mapped_pages only when @expected gives it (not IGT_SGDEMO_ANY).
 * dma_faults never goes down, and no test expects a fault: it must not move.
 */
void igt_sgdemo_assert_counters(const struct igt_sgdemo_counters *expected)
{
	struct igt_sgdemo_counters now;

	igt_sgdemo_counters_read(&now);
	igt_assert_eq(now.objects, expected->objects);
	igt_assert_eq(now.pages_pinned, expected->pages_pinned);
	igt_assert_eq(now.owned_tables, expected->owned_tables);
	igt_assert_eq(now.borrowed_tables, expected->borrowed_tables);
	igt_assert_eq(now.attachments, expected->attachments);
	igt_assert_eq(now.jobs, expected->jobs);
	if (expected->dma_mapped_pages != IGT_SGDEMO_ANY)
		igt_assert_eq(now.dma_mapped_pages, expected->dma_mapped_pages);
	igt_assert_eq(now.dma_faults, expected->dma_faults);
}

/* Fails the test unless @pages more pages are DMA-mapped than at @base. */
void igt_sgdemo_assert_dma_delta(const struct igt_sgdemo_counters *base, long pages)
{
	struct igt_sgdemo_counters now;

	igt_sgdemo_counters_read(&now);
	igt_assert_eq(now.dma_mapped_pages, base->dma_mapped_pages + pages);
	igt_assert_eq(now.dma_faults, base->dma_faults);
}

/* Fails the test unless the counters are @base plus the given differences. */
void igt_sgdemo_assert_delta(const struct igt_sgdemo_counters *base, long objects,
			     long pages_pinned, long owned_tables, long borrowed_tables,
			     long attachments)
{
	struct igt_sgdemo_counters expected = {
		.objects = base->objects + objects,
		.pages_pinned = base->pages_pinned + pages_pinned,
		.owned_tables = base->owned_tables + owned_tables,
		.borrowed_tables = base->borrowed_tables + borrowed_tables,
		.attachments = base->attachments + attachments,
		.jobs = base->jobs,
		/* Which mappings an object has is the caller's to say. */
		.dma_mapped_pages = IGT_SGDEMO_ANY,
		.dma_faults = base->dma_faults,
	};

	igt_sgdemo_assert_counters(&expected);
}

/* A new sgdemo object of @size bytes filled with the pattern of @seed. */
uint32_t igt_sgdemo_create_filled(int fd, uint64_t size, uint32_t seed)
{
	uint32_t handle = igt_sgdemo_create(fd, size);
	void *ptr = igt_sgdemo_mmap(fd, handle, size);

	fill_pattern(ptr, size, seed);
	igt_assert_eq(munmap(ptr, size), 0);
	return handle;
}

/* Opens vgem and makes a mapped dumb buffer filled with @seed's pattern. */
void vgem_buffer_create(struct vgem_buffer *vb, uint32_t width, uint32_t height, uint32_t seed)
{
	vb->vgem = drm_open_driver(DRIVER_VGEM);
	igt_assert_eq(__sgdemo_dumb_create(vb->vgem, width, height, 32, &vb->handle, &vb->size),
		      0);
	vb->ptr = dumb_mmap(vb->vgem, vb->handle, vb->size);
	fill_pattern(vb->ptr, vb->size, seed);
}

/* Imports the vgem buffer into @fd through a dma-buf that is closed again. */
uint32_t vgem_buffer_import(const struct vgem_buffer *vb, int fd)
{
	int dmabuf = prime_export(vb->vgem, vb->handle);
	uint32_t handle = prime_import(fd, dmabuf);

	close(dmabuf);
	return handle;
}

void vgem_buffer_destroy(struct vgem_buffer *vb)
{
	igt_assert_eq(munmap(vb->ptr, vb->size), 0);
	gem_close_handle(vb->vgem, vb->handle);
	drm_close_driver(vb->vgem);
}

/* Adds an unsignaled vgem fence to the object's reservation; returns its id. */
int vgem_fence_attach(int vgem, uint32_t handle, bool write)
{
	struct vgem_fence_attach_arg arg = {
		.handle = handle,
		.flags = write ? VGEM_FENCE_WRITE : 0,
	};

	igt_assert_eq(__sgdemo_ioctl(vgem, VGEM_IOCTL_FENCE_ATTACH, &arg), 0);
	return arg.out_fence;
}

void vgem_fence_signal(int vgem, uint32_t fence)
{
	struct vgem_fence_signal_arg arg = { .fence = fence };

	igt_assert_eq(__sgdemo_ioctl(vgem, VGEM_IOCTL_FENCE_SIGNAL, &arg), 0);
}

/* Writes @value to the sysfs (or debugfs) file @path, whole, or fails the test. */
void igt_sgdemo_write_sysfs(const char *path, const char *value)
{
	int f = open(path, O_WRONLY);

	igt_assert_f(f >= 0, "cannot open %s: %s\n", path, strerror(errno));
	igt_assert_eq(write(f, value, strlen(value)), (long long)strlen(value));
	close(f);
}

/*
 * The device igt_sgdemo_unbind() last unbound, to bind again: its sysfs
 * directory, its name and its driver's directory. The platform device
 * until then.
 */
static char unbound_dev[PATH_MAX] = "/sys/bus/platform/devices/sgdemo";
static char unbound_name[PATH_MAX] = "sgdemo";
static char unbound_driver[PATH_MAX] = "/sys/bus/platform/drivers/sgdemo";

/*
 * Unbinds the device behind @fd (the platform device or one on PCI) from
 * its driver, as unplugging would: its driver's unbind file, with the
 * device's name.
 */
void igt_sgdemo_unbind(int fd)
{
	char path[PATH_MAX + 16];
	char *driver;

	igt_assert(igt_sgdemo_device_path(fd, unbound_dev, sizeof(unbound_dev)));
	igt_sgdemo_device_name(fd, unbound_name, sizeof(unbound_name));
	snprintf(path, sizeof(path), "%s/driver", unbound_dev);
	driver = realpath(path, NULL);
	igt_assert_f(driver, "%s has no driver\n", unbound_dev);
	snprintf(unbound_driver, sizeof(unbound_driver), "%s", driver);
	free(driver);
	snprintf(path, sizeof(path), "%s/unbind", unbound_driver);
	igt_sgdemo_write_sysfs(path, unbound_name);
}

/* Binds the device unbound last again: a new DRM device, new nodes. */
void igt_sgdemo_bind(void)
{
	char path[PATH_MAX + 16];

	snprintf(path, sizeof(path), "%s/bind", unbound_driver);
	igt_sgdemo_write_sysfs(path, unbound_name);
}

/*
 * Reads (or, with @write, writes back) the word at @ptr, and tells whether
 * that access got SIGBUS: what a fault on a mapping of an unplugged device
 * must get. Any other outcome of the access is the caller's to check.
 */
bool igt_sgdemo_access_sigbus(void *ptr, bool write)
{
	int bus = sgdemo_access_sigbus(ptr, write);

	igt_assert_f(bus >= 0, "sigaction(SIGBUS): %s\n", strerror(-bus));
	return bus;
}

/*
 * Binds the device again when a failed unbind subtest left it unbound (it
 * then never reached its own bind), so that one failure stays one red
 * subtest instead of skipping every later one: the device IGT_DEVICE pins
 * the tests to, or the one unbound last (the platform device in a new
 * process), with sgdemo's driver of its bus. Nothing when the module is
 * not loaded, or the device is gone (a removed PCI device).
 */
void igt_sgdemo_ensure_bound(void)
{
	char path[PATH_MAX + 16];
	const char *slash;
	char *bus;

	pinned_device(unbound_dev, sizeof(unbound_dev));
	snprintf(path, sizeof(path), "%s/subsystem", unbound_dev);
	bus = realpath(path, NULL);
	if (!bus)
		return;
	snprintf(unbound_driver, sizeof(unbound_driver), "%s/drivers/sgdemo", bus);
	free(bus);
	slash = strrchr(unbound_dev, '/');
	snprintf(unbound_name, sizeof(unbound_name), "%s", slash ? slash + 1 : unbound_dev);
	snprintf(path, sizeof(path), "%s/driver", unbound_dev);
	if (access(unbound_driver, F_OK) || !access(path, F_OK))
		return;
	igt_info("%s was left unbound: binding it again\n", unbound_name);
	igt_sgdemo_bind();
}

/*
 * A test binary's fixture: sgdemo bound, its @node opened, the driver's
 * counters in *@start and the number of dma-bufs in *@start_dmabufs, as
 * the subtests start. Returns the DRM file.
 */
int igt_sgdemo_open_counted(enum sgdemo_node node, struct igt_sgdemo_counters *start, int *start_dmabufs)
{
	int fd;

	igt_sgdemo_ensure_bound();
	fd = igt_sgdemo_open(node);
	igt_sgdemo_counters_read(start);
	*start_dmabufs = dmabuf_count();
	return fd;
}

/* The number of dma-bufs in the system, from debugfs. */
int dmabuf_count(void)
{
	char line[256];
	int count = -1;
	FILE *f;

	f = fopen(BUFINFO_PATH, "r");
	igt_assert_f(f, "cannot read %s: %s\n", BUFINFO_PATH, strerror(errno));
	while (fgets(line, sizeof(line), f))
		sscanf(line, "Total %d objects", &count);
	fclose(f);
	igt_assert(count >= 0);
	return count;
}

void fill_pattern(void *ptr, size_t size, uint32_t seed)
{
	pattern_fill(ptr, size, seed);
}

bool check_pattern(const void *ptr, size_t size, uint32_t seed)
{
	long i = pattern_mismatch(ptr, size, seed);

	if (i >= 0)
		igt_info("pattern mismatch at word %ld: %#x\n", i, ((const uint32_t *)ptr)[i]);
	return i < 0;
}

/* Submits a job, asking for its fence as a sync_file, and returns that. */
static int submit_fenced(int fd, struct drm_sgdemo_submit *args)
{
	args->flags |= SGDEMO_SUBMIT_FENCE_OUT;
	igt_assert_eq(__sgdemo_submit(fd, args), 0);
	igt_assert(args->out_fence_fd >= 0);
	return args->out_fence_fd;
}

/* Submits a fill job and returns its fence as a sync_file. */
int igt_sgdemo_fill(int fd, uint32_t dst, uint64_t offset, uint64_t size, uint8_t value)
{
	struct drm_sgdemo_submit args = {
		.op = SGDEMO_OP_FILL,
		.dst_handle = dst,
		.dst_offset = offset,
		.size = size,
		.fill = value,
	};

	return submit_fenced(fd, &args);
}

/* Submits a copy job, waiting for @in_syncobjs, and returns its sync_file. */
int igt_sgdemo_copy(int fd, uint32_t dst, uint64_t dst_offset, uint32_t src,
		    uint64_t src_offset, uint64_t size, const uint32_t *in_syncobjs,
		    uint32_t num_in, uint32_t timeout_ms)
{
	struct drm_sgdemo_submit args = {
		.op = SGDEMO_OP_COPY,
		.dst_handle = dst,
		.src_handle = src,
		.dst_offset = dst_offset,
		.src_offset = src_offset,
		.size = size,
		.in_syncobjs = (uintptr_t)in_syncobjs,
		.num_in_syncobjs = num_in,
		.timeout_ms = timeout_ms,
	};

	return submit_fenced(fd, &args);
}

/* The fences of a dma-buf's reservation object, as a sync_file. */
int dmabuf_export_sync_file(int dmabuf, uint32_t flags)
{
	int sync_file = -1;

	igt_assert_eq(__sgdemo_dmabuf_export_sync_file(dmabuf, flags, &sync_file), 0);
	igt_assert(sync_file >= 0);
	return sync_file;
}

/* A vgem fence no one signals but the test, as a sync_file too. */
void vgem_gate_create(struct vgem_gate *gate)
{
	int dmabuf;

	vgem_buffer_create(&gate->vb, 1024, 1, 0x6a7e);
	gate->fence = vgem_fence_attach(gate->vb.vgem, gate->vb.handle, true);
	dmabuf = prime_export(gate->vb.vgem, gate->vb.handle);
	gate->sync_file = dmabuf_export_sync_file(dmabuf, DMA_BUF_SYNC_READ);
	close(dmabuf);
	igt_assert(!fd_ready(gate->sync_file, POLLIN, 0));
}

/* A new syncobj of @fd that holds the gate's fence. */
uint32_t vgem_gate_syncobj(const struct vgem_gate *gate, int fd)
{
	return syncobj_of(fd, dup(gate->sync_file));
}

void vgem_gate_open(struct vgem_gate *gate)
{
	vgem_fence_signal(gate->vb.vgem, gate->fence);
	igt_assert(fd_ready(gate->sync_file, POLLIN, 1000));
}

void vgem_gate_destroy(struct vgem_gate *gate)
{
	if (!fd_ready(gate->sync_file, POLLIN, 0))
		vgem_fence_signal(gate->vb.vgem, gate->fence);
	close(gate->sync_file);
	vgem_buffer_destroy(&gate->vb);
}

/* How many file descriptors the process has open. */
int open_fds(void)
{
	struct dirent *d;
	DIR *dir = opendir("/proc/self/fd");
	int n = 0;

	igt_assert(dir);
	while ((d = readdir(dir)))
		n += d->d_name[0] != '.';
	closedir(dir);
	return n - 1;
}

/* sw_sync's interface, which /sys/kernel/debug/sgdemo/timeline speaks too. */
struct timeline_create_fence {
	uint32_t value;
	char name[32];
	int32_t fence;
};

#define TIMELINE_CREATE_FENCE	_IOWR('W', 0, struct timeline_create_fence)
#define TIMELINE_INC		_IOW('W', 1, uint32_t)

/*
 * A new test timeline at 0: its fences signal only when the test advances
 * it (no timer, unlike vgem's 10 s), or with -ECANCELED when it is closed.
 */
int timeline_open(void)
{
	int timeline = open(TIMELINE_PATH, O_RDWR | O_CLOEXEC);

	igt_assert_f(timeline >= 0, "cannot open %s: %s\n", TIMELINE_PATH, strerror(errno));
	return timeline;
}

/* A sync_file of a new fence of @timeline that signals at @value. */
int timeline_fence(int timeline, uint32_t value)
{
	struct timeline_create_fence args = { .value = value, .name = "sgdemo-igt" };

	igt_assert_eq(ioctl(timeline, TIMELINE_CREATE_FENCE, &args), 0);
	igt_assert(args.fence >= 0);
	return args.fence;
}

/* Advances @timeline by @n, signalling the fences it reaches. */
void timeline_inc(int timeline, uint32_t n)
{
	igt_assert_eq(ioctl(timeline, TIMELINE_INC, &n), 0);
}

/* A new syncobj of @fd that holds the sync_file's fence; the sync_file is closed. */
uint32_t syncobj_of(int fd, int sync_file)
{
	uint32_t syncobj;

	igt_assert_eq(drmSyncobjCreate(fd, 0, &syncobj), 0);
	igt_assert_eq(drmSyncobjImportSyncFile(fd, syncobj, sync_file), 0);
	close(sync_file);
	return syncobj;
}

/*
 * DMA_BUF_IOCTL_IMPORT_SYNC_FILE: adds the sync_file's fence to @dmabuf's
 * reservation with the usage of @flags (DMA_BUF_SYNC_READ or _WRITE).
 */
void dmabuf_import_sync_file(int dmabuf, uint32_t flags, int sync_file)
{
	struct dma_buf_import_sync_file import = { .flags = flags, .fd = sync_file };

	igt_assert_eq(ioctl(dmabuf, DMA_BUF_IOCTL_IMPORT_SYNC_FILE, &import), 0);
}
