// SPDX-License-Identifier: MIT
/*
 * sgdemo_hostile [SECONDS] [SEED] - hostile input to every sgdemo ioctl.
 *
 * First every ioctl with each field wrong in turn (flags, padding, handles,
 * ids, sizes, offsets, pointers), each checked against the errno the uAPI
 * documents; then random sequences of valid and invalid calls with random
 * fields, bounded in count and time, where any errno outside the documented
 * set, a success of a call that must fail (a reserved field or unknown flag
 * set, a zero handle, id or size, a range that wraps...), or a success that
 * reports an impossible table size, is a failure. Exits 0
 * when every answer was a documented one. The harness then checks that the
 * driver's counters are back at zero.
 *
 * The calls go through libsgdemo: its typed wrappers wherever their
 * arguments can say what is wrong. A reserved field set, and the random
 * structures, cannot be said that way: those are filled in by hand and sent
 * as they are with __sgdemo_ioctl(), on purpose.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "sgdemo.h"
#include "sgdemo_util.h"

static int failures;

#define EXPECT(expr, want) do { \
	int got_ = (expr); \
	if (got_ != (want)) { \
		fprintf(stderr, "hostile: %s: got %d, want %d\n", #expr, got_, want); \
		failures++; \
	} \
} while (0)

static void fixed_cases(int fd)
{
	struct drm_sgdemo_mmap_offset mo;
	struct drm_sgdemo_sgt_info info;
	struct drm_sgdemo_sgt_acquire acq;
	struct drm_sgdemo_sgt_release rel;
	struct drm_sgdemo_submit sub;
	uint64_t kernel = 0xffff888000000000ull, size, offset;
	void *kernel_ptr = (void *)(uintptr_t)kernel;
	char buf[64];
	uint32_t h = 0, id = 0, out;

	size = 4096;
	EXPECT(__sgdemo_create(fd, &size, 0, &h), 0);
	EXPECT(__sgdemo_sgt_acquire(fd, h, 0, &id), 0);

	size = 4096;
	EXPECT(__sgdemo_create(fd, &size, 1, &out), -EINVAL);
	size = 0;
	EXPECT(__sgdemo_create(fd, &size, 0, &out), -EINVAL);
	size = UINT64_MAX;
	EXPECT(__sgdemo_create(fd, &size, 0, &out), -EINVAL);
	size = 1ull << 60;
	EXPECT(__sgdemo_create(fd, &size, 0, &out), -E2BIG);

	mo = (struct drm_sgdemo_mmap_offset){ .handle = h, .pad = 1 };
	EXPECT(__sgdemo_ioctl(fd, DRM_IOCTL_SGDEMO_MMAP_OFFSET, &mo), -EINVAL);
	EXPECT(__sgdemo_mmap_offset(fd, h + 1, &offset), -ENOENT);

	info = (struct drm_sgdemo_sgt_info){ .handle = h, .flags = 1 };
	EXPECT(__sgdemo_sgt_info(fd, &info), -EINVAL);
	info = (struct drm_sgdemo_sgt_info){ .handle = h, .pad = 1 };
	EXPECT(__sgdemo_sgt_info(fd, &info), -EINVAL);
	info = (struct drm_sgdemo_sgt_info){ .handle = h, .id = id };
	EXPECT(__sgdemo_sgt_info(fd, &info), -EINVAL);
	info = (struct drm_sgdemo_sgt_info){ .id = id + 7 };
	EXPECT(__sgdemo_sgt_info(fd, &info), -ENOENT);
	info = (struct drm_sgdemo_sgt_info){ .id = id, .count = ~0u, .segments_ptr = kernel };
	EXPECT(__sgdemo_sgt_info(fd, &info), -EFAULT);

	acq = (struct drm_sgdemo_sgt_acquire){ .handle = h, .pad = 1 };
	EXPECT(__sgdemo_ioctl(fd, DRM_IOCTL_SGDEMO_SGT_ACQUIRE, &acq), -EINVAL);
	EXPECT(__sgdemo_sgt_acquire(fd, 0, 0, &out), -ENOENT);

	EXPECT(__sgdemo_sgt_read(fd, id, 0, ~0ull, 2, buf), -EINVAL);
	EXPECT(__sgdemo_sgt_read(fd, id, 0, 0, 8, kernel_ptr), -EFAULT);
	EXPECT(__sgdemo_sgt_read(fd, id, 0, 0, 8, NULL), -EFAULT);

	sub = (struct drm_sgdemo_submit){ .op = SGDEMO_OP_FILL, .dst_handle = h, .size = 4096,
					  .pad = 1 };
	EXPECT(__sgdemo_submit(fd, &sub), -EINVAL);
	sub = (struct drm_sgdemo_submit){ .op = SGDEMO_OP_COPY, .dst_handle = h, .src_handle = h,
					  .size = 2048, .src_offset = 1024 };
	EXPECT(__sgdemo_submit(fd, &sub), -EINVAL);
	sub = (struct drm_sgdemo_submit){ .op = SGDEMO_OP_FILL, .dst_handle = h, .size = 4096,
					  .num_in_syncobjs = 1, .in_syncobjs = kernel };
	EXPECT(__sgdemo_submit(fd, &sub), -EFAULT);
	sub = (struct drm_sgdemo_submit){ .op = SGDEMO_OP_FILL, .dst_handle = h, .size = 8192,
					  .dst_offset = 0ull - 4096 };
	EXPECT(__sgdemo_submit(fd, &sub), -EINVAL);
	sub = (struct drm_sgdemo_submit){ .op = SGDEMO_OP_FILL, .dst_handle = h + 9, .size = 1 };
	EXPECT(__sgdemo_submit(fd, &sub), -ENOENT);

	rel = (struct drm_sgdemo_sgt_release){ .id = id, .pad = 1 };
	EXPECT(__sgdemo_ioctl(fd, DRM_IOCTL_SGDEMO_SGT_RELEASE, &rel), -EINVAL);
	EXPECT(__sgdemo_sgt_release(fd, id), 0);
	EXPECT(__sgdemo_sgt_release(fd, id), -ENOENT);
	EXPECT(__sgdemo_gem_close(fd, h), 0);
}

/*
 * Any errno the uAPI documents for some ioctl; anything else is a bug. A
 * success is judged apart: must_fail() says when it is one.
 */
static int documented(int err)
{
	switch (-err) {
	case EINVAL: case ENOENT: case EFAULT: case E2BIG:
	case ENOMEM: case ENOSPC: case EBUSY: case ENFILE: case EOPNOTSUPP:
		return 1;
	}
	return 0;
}

/* a + b wraps past 2^64. */
static int wraps(uint64_t a, uint64_t b)
{
	return a + b < a;
}

/*
 * Whether the uAPI says the call must fail, whatever the state of the file:
 * a reserved field or an unknown flag set, a zero handle, id or size, a
 * range that wraps, an argument outside its documented limits. Calls it
 * cannot judge without knowing the objects return 0 here.
 */
static const char *must_fail(unsigned long req, const void *arg)
{
	if (req == DRM_IOCTL_SGDEMO_CREATE) {
		const struct drm_sgdemo_create *c = arg;

		if (c->flags)
			return "flags";
		if (!c->size)
			return "size 0";
	} else if (req == DRM_IOCTL_SGDEMO_MMAP_OFFSET) {
		const struct drm_sgdemo_mmap_offset *mo = arg;

		if (mo->pad)
			return "pad";
		if (!mo->handle)
			return "handle 0";
	} else if (req == DRM_IOCTL_SGDEMO_SGT_INFO) {
		const struct drm_sgdemo_sgt_info *info = arg;

		if (info->flags)
			return "flags";
		if (!info->handle == !info->id)
			return "both or neither of handle and id";
	} else if (req == DRM_IOCTL_SGDEMO_SGT_ACQUIRE) {
		const struct drm_sgdemo_sgt_acquire *acq = arg;

		if (acq->flags || acq->pad)
			return "flags or pad";
		if (!acq->handle)
			return "handle 0";
	} else if (req == DRM_IOCTL_SGDEMO_SGT_RELEASE) {
		const struct drm_sgdemo_sgt_release *rel = arg;

		if (rel->pad)
			return "pad";
		if (!rel->id)
			return "id 0";
	} else if (req == DRM_IOCTL_SGDEMO_SGT_READ) {
		const struct drm_sgdemo_sgt_read *rd = arg;

		if (rd->flags)
			return "flags";
		if (!rd->id)
			return "id 0";
		if (wraps(rd->offset, rd->length))
			return "range wraps";
	} else if (req == DRM_IOCTL_SGDEMO_SUBMIT) {
		const struct drm_sgdemo_submit *sub = arg;

		if (sub->op != SGDEMO_OP_FILL && sub->op != SGDEMO_OP_COPY &&
		    sub->op != SGDEMO_OP_DEVICE_COPY)
			return "op";
		if (sub->op == SGDEMO_OP_DEVICE_COPY && sub->size > SGDEMO_DEVICE_COPY_MAX)
			return "device copy too long";
		if (sub->flags & ~SGDEMO_SUBMIT_FENCE_OUT || sub->pad)
			return "flags or pad";
		if (!sub->size || !sub->dst_handle)
			return "size or destination 0";
		if (wraps(sub->dst_offset, sub->size))
			return "destination range wraps";
		if (sub->timeout_ms > SGDEMO_SUBMIT_MAX_TIMEOUT_MS || sub->fill > 0xff)
			return "timeout or fill byte";
		if (sub->num_in_syncobjs > SGDEMO_SUBMIT_MAX_IN_SYNCOBJS ||
		    !sub->num_in_syncobjs != !sub->in_syncobjs)
			return "in-syncobjs";
		if (sub->op == SGDEMO_OP_FILL && (sub->src_handle || sub->src_offset))
			return "a source for a fill";
		if (sub->op != SGDEMO_OP_FILL &&
		    (!sub->src_handle || sub->fill || wraps(sub->src_offset, sub->size)))
			return "copy source or fill byte";
	}
	return NULL;
}

static uint64_t junk(uint64_t *s, uint32_t small)
{
	switch (rnd(s) % 6) {
	case 0: return 0;
	case 1: return 1 + rnd(s) % small;
	case 2: return ~0ull;
	case 3: return rnd(s);
	case 4: return 0xffff888000000000ull;
	default: return rnd(s) % (1ull << 32);
	}
}

static void random_cases(int fd, double budget, uint64_t seed, long *calls, long *must)
{
	static char scratch[1 << 16];
	double end = seconds() + budget;
	uint64_t s = seed;
	long n, refused = 0;

	for (n = 0; n < 200000 && seconds() < end; n++) {
		union {
			struct drm_sgdemo_create c;
			struct drm_sgdemo_mmap_offset mo;
			struct drm_sgdemo_sgt_info info;
			struct drm_sgdemo_sgt_acquire acq;
			struct drm_sgdemo_sgt_release rel;
			struct drm_sgdemo_sgt_read rd;
			struct drm_sgdemo_submit sub;
		} a;
		unsigned long req;
		const char *why;
		int ret;

		memset(&a, 0, sizeof(a));
		switch (rnd(&s) % 8) {
		case 0:
			a.c.size = rnd(&s) % 3 ? 4096 * (1 + rnd(&s) % 32) : junk(&s, 1 << 20);
			/*
			 * Sizes that can succeed stay small: borrowed and owned
			 * tables pin every page, and the point is bad input,
			 * not running the guest out of memory.
			 */
			if (a.c.size < (1ull << 40))
				a.c.size %= 1 << 20;
			a.c.flags = rnd(&s) % 4 ? 0 : junk(&s, 8);
			req = DRM_IOCTL_SGDEMO_CREATE;
			break;
		case 1:
			a.mo.handle = junk(&s, 64);
			a.mo.pad = rnd(&s) % 4 ? 0 : junk(&s, 8);
			req = DRM_IOCTL_SGDEMO_MMAP_OFFSET;
			break;
		case 2:
			a.info.handle = rnd(&s) % 2 ? junk(&s, 64) : 0;
			a.info.id = rnd(&s) % 2 ? junk(&s, 64) : 0;
			a.info.flags = rnd(&s) % 4 ? 0 : junk(&s, 8);
			a.info.count = junk(&s, 64);
			a.info.segments_ptr = rnd(&s) % 2 ? (uintptr_t)scratch : junk(&s, 64);
			if (a.info.segments_ptr == (uintptr_t)scratch && a.info.count > 8192)
				a.info.count = 8192;
			req = DRM_IOCTL_SGDEMO_SGT_INFO;
			break;
		case 3:
			a.acq.handle = junk(&s, 64);
			a.acq.flags = rnd(&s) % 4 ? 0 : junk(&s, 8);
			a.acq.pad = rnd(&s) % 4 ? 0 : junk(&s, 8);
			req = DRM_IOCTL_SGDEMO_SGT_ACQUIRE;
			break;
		case 4:
			a.rel.id = junk(&s, 64);
			a.rel.pad = rnd(&s) % 4 ? 0 : junk(&s, 8);
			req = DRM_IOCTL_SGDEMO_SGT_RELEASE;
			break;
		case 5:
			a.rd.id = junk(&s, 64);
			a.rd.flags = rnd(&s) % 4 ? 0 : junk(&s, 8);
			a.rd.offset = junk(&s, 1 << 16);
			a.rd.length = rnd(&s) % 2 ? rnd(&s) % sizeof(scratch) : junk(&s, 1 << 16);
			a.rd.data_ptr = rnd(&s) % 2 ? (uintptr_t)scratch : junk(&s, 64);
			if (a.rd.data_ptr == (uintptr_t)scratch && a.rd.length > sizeof(scratch))
				a.rd.length = sizeof(scratch);
			req = DRM_IOCTL_SGDEMO_SGT_READ;
			break;
		case 6:
			a.sub.op = rnd(&s) % 4 ? 1 + rnd(&s) % 2 : junk(&s, 4);
			a.sub.flags = rnd(&s) % 4 ? SGDEMO_SUBMIT_FENCE_OUT : junk(&s, 4);
			a.sub.dst_handle = junk(&s, 64);
			a.sub.src_handle = rnd(&s) % 2 ? junk(&s, 64) : 0;
			a.sub.dst_offset = rnd(&s) % 2 ? 0 : junk(&s, 1 << 16);
			a.sub.src_offset = rnd(&s) % 2 ? 0 : junk(&s, 1 << 16);
			a.sub.size = junk(&s, 1 << 16);
			a.sub.num_in_syncobjs = rnd(&s) % 2 ? 0 : junk(&s, 80);
			a.sub.in_syncobjs = a.sub.num_in_syncobjs && rnd(&s) % 2 ?
					    (uintptr_t)scratch : junk(&s, 64);
			a.sub.out_syncobj = rnd(&s) % 2 ? 0 : junk(&s, 8);
			/* Jobs that can run wait briefly: implicit sync only. */
			a.sub.timeout_ms = rnd(&s) % 2 ? 1 + rnd(&s) % 50 : junk(&s, 100000);
			a.sub.fill = rnd(&s) % 2 ? 0 : junk(&s, 0x100);
			a.sub.pad = rnd(&s) % 4 ? 0 : junk(&s, 8);
			req = DRM_IOCTL_SGDEMO_SUBMIT;
			break;
		default:
			__sgdemo_gem_close(fd, junk(&s, 64));
			continue;
		}
		why = must_fail(req, &a);
		ret = __sgdemo_ioctl(fd, req, &a);
		if (ret && !documented(ret)) {
			fprintf(stderr, "hostile: seed %llu call %ld: ioctl %#lx gave %d\n",
				(unsigned long long)seed, n, req, ret);
			failures++;
		}
		if (!ret && why) {
			fprintf(stderr, "hostile: seed %llu call %ld: ioctl %#lx succeeded (%s)\n",
				(unsigned long long)seed, n, req, why);
			failures++;
		}
		if (why)
			refused++;
		/* A job that was queued: its sync_file is ours to close. */
		if (!ret && req == DRM_IOCTL_SGDEMO_SUBMIT && a.sub.out_fence_fd >= 0)
			close(a.sub.out_fence_fd);
		if (!ret && req == DRM_IOCTL_SGDEMO_SGT_INFO && a.info.size % 4096) {
			fprintf(stderr, "hostile: SGT_INFO size %llu\n",
				(unsigned long long)a.info.size);
			failures++;
		}
	}
	*calls = n;
	*must = refused;
}

int main(int argc, char **argv)
{
	double budget = argc > 1 ? atof(argv[1]) : 10;
	uint64_t seed = argc > 2 ? strtoull(argv[2], NULL, 0) : (uint64_t)time(NULL) | 1;
	long calls = 0, must = 0;
	int fd;

	fd = __sgdemo_open_driver("sgdemo", SGDEMO_RENDER);
	if (fd < 0) {
		fprintf(stderr, "hostile: no sgdemo render node\n");
		return 1;
	}
	fixed_cases(fd);
	random_cases(fd, budget, seed, &calls, &must);
	close(fd);
	printf("hostile: %d fixed-case and random failures; %ld random calls, %ld must fail; "
	       "seed %llu\n", failures, calls, must, (unsigned long long)seed);
	return failures ? 1 : 0;
}
