/* SPDX-License-Identifier: MIT */
/*
 * Shared by the programs in tools/ and igt-tests/: the word pattern buffers
 * are filled with, reproducible from its seed, and where a buffer departs
 * from it.
 */
#ifndef SGDEMO_PATTERN_H
#define SGDEMO_PATTERN_H

#include <stddef.h>
#include <stdint.h>

static inline uint32_t pattern_word(uint32_t seed, size_t i)
{
	return seed ^ (uint32_t)(i * 2654435761u);
}

static inline void pattern_fill(void *ptr, size_t size, uint32_t seed)
{
	uint32_t *p = ptr;
	size_t i;

	for (i = 0; i < size / 4; i++)
		p[i] = pattern_word(seed, i);
}

/* The index of the first word that differs from @seed's pattern, or -1. */
static inline long pattern_mismatch(const void *ptr, size_t size, uint32_t seed)
{
	const uint32_t *p = ptr;
	size_t i;

	for (i = 0; i < size / 4; i++)
		if (p[i] != pattern_word(seed, i))
			return (long)i;
	return -1;
}

#endif /* SGDEMO_PATTERN_H */
