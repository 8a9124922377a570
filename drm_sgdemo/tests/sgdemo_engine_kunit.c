// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of the copy engine's dependency fence (struct sgdemo_wait):
 * it signals when all its dependencies have, with a dependency's error if
 * one had one, with -ETIMEDOUT when they take too long, and it lets go of
 * every dependency when it ends, whenever that is.
 */

#include <linux/dma-fence.h>
#include <linux/jiffies.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>

#include <kunit/test.h>

#include "../sgdemo.h"
#include "../sgdemo_fence.h"
#include "sgdemo_kunit_fault.h"

static DEFINE_SPINLOCK(sgdemo_test_fence_lock);

static const char *sgdemo_test_fence_name(struct dma_fence *fence)
{
	return "sgdemo-kunit";
}

static const struct dma_fence_ops sgdemo_test_fence_ops = {
	.get_driver_name	= sgdemo_test_fence_name,
	.get_timeline_name	= sgdemo_test_fence_name,
};

static void sgdemo_test_fence_put(void *fence)
{
	dma_fence_put(fence);
}

/* An unsignalled fence, put when the case ends. */
static struct dma_fence *sgdemo_test_fence(struct kunit *test)
{
	struct dma_fence *fence = kzalloc_obj(*fence, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, fence);
	dma_fence_init(fence, &sgdemo_test_fence_ops, &sgdemo_test_fence_lock,
		       dma_fence_context_alloc(1), 1);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, sgdemo_test_fence_put, fence), 0);
	return fence;
}

static void sgdemo_test_signal(struct dma_fence *fence, int error)
{
	if (error)
		dma_fence_set_error(fence, error);
	dma_fence_signal(fence);
}

/* Only the case holds a reference: the wait has let go of its own. */
static void expect_let_go(struct kunit *test, struct dma_fence *fence)
{
	KUNIT_EXPECT_EQ(test, kref_read(&fence->refcount), 1U);
}

/* Dependencies that have all signalled without an error make no wait. */
static void sgdemo_test_wait_signalled(struct kunit *test)
{
	struct dma_fence *a = sgdemo_test_fence(test), *b = sgdemo_test_fence(test);
	struct dma_fence *deps[] = { dma_fence_get(a), dma_fence_get(b) };

	sgdemo_test_signal(a, 0);
	sgdemo_test_signal(b, 0);
	KUNIT_EXPECT_NULL(test, sgdemo_wait_create(deps, 2, HZ, system_wq));
	expect_let_go(test, a);
	expect_let_go(test, b);
}

/* The wait signals, without an error, once the last dependency has. */
static void sgdemo_test_wait_all(struct kunit *test)
{
	struct dma_fence *a = sgdemo_test_fence(test), *b = sgdemo_test_fence(test);
	struct dma_fence *deps[] = { dma_fence_get(a), dma_fence_get(b) };
	struct sgdemo_wait *wait;
	struct dma_fence *f;

	wait = sgdemo_wait_create(deps, 2, 10 * HZ, system_wq);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, wait);
	f = sgdemo_wait_fence(wait);
	KUNIT_EXPECT_FALSE(test, dma_fence_is_signaled(f));
	sgdemo_test_signal(b, 0);
	KUNIT_EXPECT_FALSE(test, dma_fence_is_signaled(f));
	sgdemo_test_signal(a, 0);
	KUNIT_EXPECT_TRUE(test, dma_fence_is_signaled(f));
	KUNIT_EXPECT_EQ(test, f->error, 0);
	sgdemo_wait_destroy(wait);
	expect_let_go(test, a);
	expect_let_go(test, b);
}

/*
 * A dependency's error fails the wait, but only once the others have
 * signalled too: the job's fence must not signal while a dependency is
 * still at work.
 */
static void sgdemo_test_wait_error(struct kunit *test)
{
	struct dma_fence *a = sgdemo_test_fence(test), *b = sgdemo_test_fence(test);
	struct dma_fence *deps[] = { dma_fence_get(a), dma_fence_get(b) };
	struct sgdemo_wait *wait;
	struct dma_fence *f;

	wait = sgdemo_wait_create(deps, 2, 10 * HZ, system_wq);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, wait);
	f = sgdemo_wait_fence(wait);
	sgdemo_test_signal(a, -EIO);
	KUNIT_EXPECT_FALSE(test, dma_fence_is_signaled(f));
	sgdemo_test_signal(b, 0);
	KUNIT_EXPECT_TRUE(test, dma_fence_is_signaled(f));
	KUNIT_EXPECT_EQ(test, f->error, -EIO);
	sgdemo_wait_destroy(wait);
	expect_let_go(test, a);
	expect_let_go(test, b);
}

/* Ending a wait early removes its callback from a pending dependency. */
static void sgdemo_test_wait_destroy_pending(struct kunit *test)
{
	struct dma_fence *a = sgdemo_test_fence(test);
	struct dma_fence *deps[] = { dma_fence_get(a) };
	struct sgdemo_wait *wait;

	wait = sgdemo_wait_create(deps, 1, 10 * HZ, system_wq);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, wait);
	sgdemo_wait_destroy(wait);
	expect_let_go(test, a);
	/* No callback left to run into the freed wait. */
	sgdemo_test_signal(a, 0);
}

/* A dependency that signalled with an error before counts too. */
static void sgdemo_test_wait_error_before(struct kunit *test)
{
	struct dma_fence *a = sgdemo_test_fence(test);
	struct dma_fence *deps[] = { dma_fence_get(a) };
	struct sgdemo_wait *wait;

	sgdemo_test_signal(a, -ETIMEDOUT);
	wait = sgdemo_wait_create(deps, 1, 10 * HZ, system_wq);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, wait);
	KUNIT_EXPECT_TRUE(test, dma_fence_is_signaled(sgdemo_wait_fence(wait)));
	KUNIT_EXPECT_EQ(test, sgdemo_wait_fence(wait)->error, -ETIMEDOUT);
	sgdemo_wait_destroy(wait);
	expect_let_go(test, a);
}

/* A dependency that never signals: -ETIMEDOUT after the timeout. */
static void sgdemo_test_wait_timeout(struct kunit *test)
{
	struct dma_fence *a = sgdemo_test_fence(test);
	struct dma_fence *deps[] = { dma_fence_get(a) };
	struct sgdemo_wait *wait;
	struct dma_fence *f;

	wait = sgdemo_wait_create(deps, 1, msecs_to_jiffies(20), system_wq);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, wait);
	f = sgdemo_wait_fence(wait);
	KUNIT_EXPECT_GT(test, dma_fence_wait_timeout(f, false, 5 * HZ), 0L);
	KUNIT_EXPECT_EQ(test, f->error, -ETIMEDOUT);
	KUNIT_EXPECT_FALSE(test, dma_fence_is_signaled(a));
	sgdemo_wait_destroy(wait);
	expect_let_go(test, a);
	sgdemo_test_signal(a, 0);
}

/* Completing early (unplug does) wins over the dependencies. */
static void sgdemo_test_wait_complete(struct kunit *test)
{
	struct dma_fence *a = sgdemo_test_fence(test);
	struct dma_fence *deps[] = { dma_fence_get(a) };
	struct sgdemo_wait *wait;

	wait = sgdemo_wait_create(deps, 1, 10 * HZ, system_wq);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, wait);
	sgdemo_wait_complete(wait, -ENODEV);
	sgdemo_test_signal(a, 0);
	KUNIT_EXPECT_EQ(test, sgdemo_wait_fence(wait)->error, -ENODEV);
	sgdemo_wait_destroy(wait);
	expect_let_go(test, a);
}

#ifdef CONFIG_FAULT_INJECTION
/* Failure: no memory for the wait; the dependencies are let go all the same. */
static void sgdemo_test_wait_fault(struct kunit *test)
{
	struct dma_fence *a = sgdemo_test_fence(test);
	struct dma_fence *deps[] = { dma_fence_get(a) };

	sgdemo_fail_setup(test);
	sgdemo_fail_nth(1);
	KUNIT_EXPECT_EQ(test, PTR_ERR(sgdemo_wait_create(deps, 1, HZ, system_wq)), -ENOMEM);
	KUNIT_EXPECT_TRUE(test, sgdemo_fail_fired());
	sgdemo_fail_off(NULL);
	expect_let_go(test, a);
}
#else
static void sgdemo_test_wait_fault(struct kunit *test)
{
	kunit_skip(test, "the kernel has no CONFIG_FAULT_INJECTION");
}
#endif

static struct kunit_case sgdemo_engine_test_cases[] = {
	KUNIT_CASE(sgdemo_test_wait_signalled),
	KUNIT_CASE(sgdemo_test_wait_all),
	KUNIT_CASE(sgdemo_test_wait_error),
	KUNIT_CASE(sgdemo_test_wait_destroy_pending),
	KUNIT_CASE(sgdemo_test_wait_error_before),
	KUNIT_CASE(sgdemo_test_wait_timeout),
	KUNIT_CASE(sgdemo_test_wait_complete),
	KUNIT_CASE(sgdemo_test_wait_fault),
	{}
};

static struct kunit_suite sgdemo_engine_test_suite = {
	.name = "sgdemo_engine",
	.test_cases = sgdemo_engine_test_cases,
};

kunit_test_suite(sgdemo_engine_test_suite);
