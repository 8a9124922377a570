/* SPDX-License-Identifier: MIT */
/*
 * sgdemo_lib.h - helpers shared by sgdemo's IGT tests.
 *
 * The ioctl wrappers are libsgdemo's (lib/sgdemo.h): tests call
 * __sgdemo_x(), which returns 0 or a negative errno, and assert on it. The
 * helpers here are the IGT side, built on those: they assert success with
 * igt_assert (or skip the test), where libsgdemo's sgdemo_x() would exit.
 * The driver's counters come from /sys/kernel/debug/sgdemo/counters.
 */
#ifndef SGDEMO_LIB_H
#define SGDEMO_LIB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sgdemo.h"

/** struct igt_sgdemo_counters - a snapshot of the driver's debugfs counters */
struct igt_sgdemo_counters {
	long objects;
	long pages_pinned;
	long owned_tables;
	long borrowed_tables;
	long attachments;
	long jobs;
	long dma_mapped_pages;
	long dma_faults;
};

/*
 * In an expected &igt_sgdemo_counters: dma_mapped_pages is not compared
 * (igt_sgdemo_assert_delta() leaves it so; see igt_sgdemo_assert_dma_delta()).
 */
#define IGT_SGDEMO_ANY	(-1L)

/**
 * struct igt_sgdemo_dma - a device's DMA budget, from sgdemo/dma-DEVICE
 * @budget: bytes the device may keep mapped
 * @mapped: bytes charged on it now
 * @bounces: the device's mappings go through the swiotlb pool
 * @device_engine: the copy engine reaches memory through DMA addresses
 */
struct igt_sgdemo_dma {
	uint64_t budget;
	uint64_t mapped;
	bool bounces;
	bool device_engine;
};

int igt_sgdemo_open(enum sgdemo_node node);
int igt_sgdemo_open_device(bool pci, enum sgdemo_node node);
int igt_sgdemo_reopen(int fd);
bool igt_sgdemo_device_path(int fd, char *path, size_t len);
const char *igt_sgdemo_device_name(int fd, char *name, size_t len);
bool igt_sgdemo_is_pci(int fd);
void igt_sgdemo_dma_read(int fd, struct igt_sgdemo_dma *dma);
bool igt_sgdemo_dma_read_name(const char *device, struct igt_sgdemo_dma *dma);

uint32_t igt_sgdemo_create(int fd, uint64_t size);
void *igt_sgdemo_mmap(int fd, uint32_t handle, size_t size);

void gem_close_handle(int fd, uint32_t handle);
int prime_export(int fd, uint32_t handle);
uint32_t prime_import(int fd, int dmabuf);

void *dumb_mmap(int fd, uint32_t handle, size_t size);

uint32_t igt_sgdemo_sgt_acquire(int fd, uint32_t handle);
void igt_sgdemo_sgt_release(int fd, uint32_t id);
uint8_t *igt_sgdemo_read_owned(int fd, uint32_t handle, uint64_t size);

void igt_sgdemo_counters_read(struct igt_sgdemo_counters *c);
void igt_sgdemo_assert_counters(const struct igt_sgdemo_counters *expected);
void igt_sgdemo_assert_delta(const struct igt_sgdemo_counters *base, long objects,
			     long pages_pinned, long owned_tables, long borrowed_tables,
			     long attachments);
void igt_sgdemo_assert_dma_delta(const struct igt_sgdemo_counters *base, long pages);
void igt_sgdemo_assert_all_released(const struct igt_sgdemo_counters *start, int dmabufs);
void igt_sgdemo_wait_jobs_freed(const struct igt_sgdemo_counters *start);

/** struct vgem_buffer - a vgem dumb buffer, mapped, for import tests */
struct vgem_buffer {
	int vgem;
	uint32_t handle;
	uint64_t size;
	void *ptr;
};

uint32_t igt_sgdemo_create_filled(int fd, uint64_t size, uint32_t seed);
void vgem_buffer_create(struct vgem_buffer *vb, uint32_t width, uint32_t height, uint32_t seed);
uint32_t vgem_buffer_import(const struct vgem_buffer *vb, int fd);
void vgem_buffer_destroy(struct vgem_buffer *vb);

int vgem_fence_attach(int vgem, uint32_t handle, bool write);
void vgem_fence_signal(int vgem, uint32_t fence);

int dmabuf_count(void);
void igt_sgdemo_unbind(int fd);
void igt_sgdemo_bind(void);
void igt_sgdemo_write_sysfs(const char *path, const char *value);
void igt_sgdemo_ensure_bound(void);
int igt_sgdemo_open_counted(enum sgdemo_node node, struct igt_sgdemo_counters *start,
			    int *start_dmabufs);
bool igt_sgdemo_access_sigbus(void *ptr, bool write);

void fill_pattern(void *ptr, size_t size, uint32_t seed);
bool check_pattern(const void *ptr, size_t size, uint32_t seed);

int igt_sgdemo_fill(int fd, uint32_t dst, uint64_t offset, uint64_t size, uint8_t value);
int igt_sgdemo_copy(int fd, uint32_t dst, uint64_t dst_offset, uint32_t src,
		    uint64_t src_offset, uint64_t size, const uint32_t *in_syncobjs,
		    uint32_t num_in, uint32_t timeout_ms);

int dmabuf_export_sync_file(int dmabuf, uint32_t flags);

/**
 * struct vgem_gate - an unsignalled vgem fence, for holding jobs back
 * @vb: the vgem buffer the fence is attached to
 * @fence: the fence's vgem id
 * @sync_file: a sync_file of the fence
 */
struct vgem_gate {
	struct vgem_buffer vb;
	uint32_t fence;
	int sync_file;
};

void vgem_gate_create(struct vgem_gate *gate);
uint32_t vgem_gate_syncobj(const struct vgem_gate *gate, int fd);
void vgem_gate_open(struct vgem_gate *gate);
void vgem_gate_destroy(struct vgem_gate *gate);

int open_fds(void);

int timeline_open(void);
int timeline_fence(int timeline, uint32_t value);
void timeline_inc(int timeline, uint32_t n);
uint32_t syncobj_of(int fd, int sync_file);
void dmabuf_import_sync_file(int dmabuf, uint32_t flags, int sync_file);

#endif /* SGDEMO_LIB_H */
