/* SPDX-License-Identifier: MIT */
/*
 * Shared by the programs in tools/ (demo client, benchmark, stress programs):
 * a small random generator, a clock. Opening a DRM node by driver name is
 * libsgdemo's __sgdemo_open_driver() (lib/sgdemo.h).
 */
#ifndef SGDEMO_UTIL_H
#define SGDEMO_UTIL_H

#include <stdint.h>
#include <time.h>

/* xorshift64*: fast, seedable, reproducible from the printed seed. */
static inline uint64_t rnd(uint64_t *state)
{
	*state ^= *state >> 12;
	*state ^= *state << 25;
	*state ^= *state >> 27;
	return *state * 2685821657736338717ull;
}

static inline double seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

#endif /* SGDEMO_UTIL_H */
