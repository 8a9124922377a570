// SPDX-License-Identifier: MIT
/*
 * sgdemo_inflight - leave copy jobs behind and die.
 *
 * Submits four 12 MiB copies between two new objects (both mapped, they fit
 * the DMA budget behind the default 64 MiB bounce pool), and four more that
 * wait for a vgem fence nobody signals (each with the longest timeout, 60 s);
 * closes every handle and kills itself with SIGKILL. The scheduler cancels a
 * killed process's queued jobs, but on 6.2 and later they live until their
 * dependencies signal: the harness then unloads the driver, which must fail
 * them at once and free them all, not wait for the gate.
 *
 * The gate is a vgem fence because nothing else can hold a job back across
 * an unload: sgdemo's debugfs timeline keeps the module loaded while it is
 * open, and cancels its fences when it closes. vgem signals a fence on its
 * own 10 s after it was attached, so the gate holds for 10 s, not 60: the
 * program prints when it expires (in /proc/uptime's seconds, CLOCK_BOOTTIME),
 * and an rmmod that ends before then did not wait for it. vgem also signals
 * a file's fences when the file closes, so the vgem file is kept open by a
 * child that only sleeps (it never opens sgdemo, which would keep the module
 * loaded); the harness kills it after the unload, and it exits on its own
 * after 60 s.
 *
 * Before it dies it checks that the four gated jobs are still unsignalled,
 * and prints the child's pid, what it left behind and the gate's expiry.
 * Exits 1, without the pid line, when it could not submit or a gated job had
 * already signalled.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <linux/dma-buf.h>
#include <xf86drm.h>

#include "sgdemo.h"
#include "sgdemo_fence.h"

/* Failed calls are libsgdemo's __sgdemo_*(), which leave errno as it was set. */
static void die(const char *what)
{
	fprintf(stderr, "inflight: %s: %s\n", what, strerror(errno));
	exit(1);
}

/* CLOCK_BOOTTIME in seconds: /proc/uptime's clock. */
static double uptime(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_BOOTTIME, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* vgem signals a fence by itself this long after attaching it. */
#define VGEM_FENCE_TIMEOUT_S 10.0

/* A sync_file of an unsignalled vgem fence; *@attached: when it was attached. */
static int gate(double *attached)
{
	struct vgem_fence_attach_arg attach = { .flags = VGEM_FENCE_WRITE };
	int vgem = __sgdemo_open_driver("vgem", SGDEMO_PRIMARY), dmabuf, sync_file;

	if (vgem < 0)
		die("open vgem");
	if (__sgdemo_dumb_create(vgem, 1024, 1, 32, &attach.handle, NULL))
		die("vgem dumb buffer");
	*attached = uptime();
	if (__sgdemo_ioctl(vgem, VGEM_IOCTL_FENCE_ATTACH, &attach))
		die("vgem fence");
	if (__sgdemo_prime_handle_to_fd(vgem, attach.handle, DRM_CLOEXEC, &dmabuf) ||
	    __sgdemo_dmabuf_export_sync_file(dmabuf, DMA_BUF_SYNC_READ, &sync_file))
		die("vgem sync_file");
	close(dmabuf);
	return sync_file;
}

/* The gate's vgem file stays open in a child that sleeps, with no stdio. */
static pid_t keep_vgem_open(void)
{
	pid_t pid = fork();

	if (pid < 0)
		die("fork");
	if (pid == 0) {
		int null = open("/dev/null", O_RDWR);

		dup2(null, 0);
		dup2(null, 1);
		dup2(null, 2);
		alarm(60);
		for (;;)
			pause();
	}
	return pid;
}

int main(void)
{
	const uint64_t size = 12ull << 20;
	uint64_t size_a = size, size_b = size;
	struct pollfd fences[8];
	int fd, i, pending, gated, gate_file;
	uint32_t a, b, syncobj;
	double attached;
	pid_t child;

	gate_file = gate(&attached);
	child = keep_vgem_open();
	fd = __sgdemo_open_driver("sgdemo", SGDEMO_RENDER);
	if (fd < 0) {
		fprintf(stderr, "inflight: no sgdemo render node\n");
		return 1;
	}
	if (__sgdemo_create(fd, &size_a, 0, &a) || __sgdemo_create(fd, &size_b, 0, &b))
		die("create");
	if (drmSyncobjCreate(fd, 0, &syncobj) || drmSyncobjImportSyncFile(fd, syncobj, gate_file))
		die("syncobj");
	for (i = 0; i < 8; i++) {
		struct drm_sgdemo_submit job = {
			.op = SGDEMO_OP_COPY, .flags = SGDEMO_SUBMIT_FENCE_OUT,
			.dst_handle = i % 2 ? a : b,
			.src_handle = i % 2 ? b : a,
			.size = size,
		};

		if (i >= 4) {
			job.in_syncobjs = (uintptr_t)&syncobj;
			job.num_in_syncobjs = 1;
			job.timeout_ms = SGDEMO_SUBMIT_MAX_TIMEOUT_MS;
		}
		if (__sgdemo_submit(fd, &job))
			die("submit");
		fences[i] = (struct pollfd){ .fd = job.out_fence_fd, .events = POLLIN };
	}
	__sgdemo_gem_close(fd, a);
	__sgdemo_gem_close(fd, b);
	pending = 8 - poll(fences, 8, 0);
	for (i = 4, gated = 0; i < 8; i++)
		gated += !(fences[i].revents & POLLIN);
	if (gated != 4) {
		fprintf(stderr, "inflight: %d of the 4 gated jobs signalled before the gate opened\n",
			4 - gated);
		kill(child, SIGKILL);
		return 1;
	}
	printf("inflight: %d of 8 jobs (4 gated) unsignalled; gate held by pid %d, "
	       "expires at uptime %.2f; killing myself\n",
	       pending, (int)child, attached + VGEM_FENCE_TIMEOUT_S);
	fflush(stdout);
	kill(getpid(), SIGKILL);
	return 1;
}
