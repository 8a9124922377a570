/* SPDX-License-Identifier: MIT */
/*
 * Shared by the programs in tools/ and igt-tests/: whether touching a
 * mapping gets SIGBUS, as every fault on a mapping of an unplugged sgdemo
 * device must (docs/mmap.md, "Unplug").
 */
#ifndef SGDEMO_SIGBUS_H
#define SGDEMO_SIGBUS_H

#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>

static sigjmp_buf sgdemo_sigbus_jmp;

static inline void sgdemo_on_sigbus(int sig)
{
	siglongjmp(sgdemo_sigbus_jmp, 1);
}

/*
 * Reads the word at @ptr (with @write, writes it back too): 1 when that got
 * SIGBUS, 0 when it did not, -errno when the handler could not be set or
 * put back. The caller's own SIGBUS handler is restored either way.
 */
static inline int sgdemo_access_sigbus(void *ptr, bool write)
{
	struct sigaction sa = { .sa_handler = sgdemo_on_sigbus }, old;
	volatile uint32_t *word = ptr;

	if (sigaction(SIGBUS, &sa, &old))
		return -errno;
	if (sigsetjmp(sgdemo_sigbus_jmp, 1))
		return sigaction(SIGBUS, &old, NULL) ? -errno : 1;
	if (write)
		*word = *word;
	else
		(void)*word;
	return sigaction(SIGBUS, &old, NULL) ? -errno : 0;
}

#endif /* SGDEMO_SIGBUS_H */
