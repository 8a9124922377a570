/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Driving sgdemo's fault-injection attribute from the KUnit suites: make the
 * nth point the driver passes fail, once, and turn it off when a case ends.
 */
#ifndef _SGDEMO_KUNIT_FAULT_H_
#define _SGDEMO_KUNIT_FAULT_H_

#ifdef CONFIG_FAULT_INJECTION
#include <linux/atomic.h>
#include <linux/fault-inject.h>

#include <kunit/resource.h>
#include <kunit/test.h>

#include "../sgdemo.h"

/* From now on, the @nth fault-injection point the driver passes fails, once. */
static inline void sgdemo_fail_nth(unsigned int nth)
{
	sgdemo_fail_alloc.verbose = 0;
	sgdemo_fail_alloc.interval = 1;
	atomic_set(&sgdemo_fail_alloc.space, nth);
	atomic_set(&sgdemo_fail_alloc.times, 1);
	sgdemo_fail_alloc.probability = 100;
}

/* The failure asked for has happened. */
static inline bool sgdemo_fail_fired(void)
{
	return atomic_read(&sgdemo_fail_alloc.times) == 0;
}

static inline void sgdemo_fail_off(void *unused)
{
	sgdemo_fail_alloc.probability = 0;
	atomic_set(&sgdemo_fail_alloc.space, 0);
}

/* Fault injection is off again when the case ends, however it ends. */
static inline void sgdemo_fail_setup(struct kunit *test)
{
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, sgdemo_fail_off, NULL), 0);
}
#endif

#endif /* _SGDEMO_KUNIT_FAULT_H_ */
