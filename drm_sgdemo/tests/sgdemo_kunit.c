// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of sgdemo's scatter-gather table lifetimes. Each case makes
 * its own sgdemo device and checks what it states through the driver's
 * counters, which must return to where the case found them.
 */

#include <linux/dma-buf.h>
#include <linux/dma-mapping.h>
#include <linux/delay.h>
#include <linux/fcntl.h>
#include <linux/scatterlist.h>

#include <kunit/device.h>
#include <kunit/test.h>

#include <drm/drm_drv.h>
#include <drm/drm_gem.h>
#include <drm/drm_gem_shmem_helper.h>
#include <drm/drm_kunit_helpers.h>

#include "../sgdemo.h"
#include "../sgdemo_drv.h"
#include "../sgdemo_gem.h"
#include "../sgdemo_prime.h"
#include "../sgdemo_sgt.h"
#include "sgdemo_kunit_fault.h"

#define TEST_SIZE	(16 * PAGE_SIZE)

struct sgdemo_test {
	struct sgdemo_device *sdev;
	struct drm_gem_object *obj;
	long base[SGDEMO_NR_COUNTERS];
};

/* A new sgdemo device; @name tells a case's devices apart (one name, one device). */
static struct sgdemo_device *sgdemo_test_device(struct kunit *test, const char *name)
{
	struct sgdemo_device *sdev;
	struct device *dev;

	dev = kunit_device_register(test, name);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, dev);
	KUNIT_ASSERT_EQ(test, dma_coerce_mask_and_coherent(dev, DMA_BIT_MASK(64)), 0);
	sdev = drm_kunit_helper_alloc_drm_device_with_driver(test, dev,
							     struct sgdemo_device, drm,
							     &sgdemo_driver);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, sdev);
	sgdemo_device_init(sdev);
	return sdev;
}

static int sgdemo_test_init(struct kunit *test)
{
	struct sgdemo_test *t;
	int i;

	t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, t);
	t->sdev = sgdemo_test_device(test, "sgdemo-kunit");
	for (i = 0; i < SGDEMO_NR_COUNTERS; i++)
		t->base[i] = sgdemo_counter_read(i);
	test->priv = t;
	return 0;
}

/* The counter has moved by exactly @delta since the case began. */
static void expect_delta(struct kunit *test, enum sgdemo_counter counter, long delta)
{
	struct sgdemo_test *t = test->priv;

	KUNIT_EXPECT_EQ_MSG(test, sgdemo_counter_read(counter), t->base[counter] + delta,
			    "counter %d", counter);
}

static void sgdemo_expect_released(struct kunit *test)
{
	int i;

	for (i = 0; i < SGDEMO_NR_COUNTERS; i++)
		expect_delta(test, i, 0);
}

static void drm_gem_object_put_action(void *obj)
{
	drm_gem_object_put(obj);
}

/* A new object whose reference is dropped when the case ends, however it ends. */
static struct drm_gem_object *sgdemo_test_object(struct kunit *test)
{
	struct sgdemo_test *t = test->priv;
	struct drm_gem_shmem_object *shmem;

	shmem = sgdemo_gem_create(&t->sdev->drm, TEST_SIZE);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, shmem);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, drm_gem_object_put_action,
							&shmem->base), 0);
	return &shmem->base;
}

/*
 * Success: borrowing twice gives the same, DMA-mapped table covering the
 * object; the first borrow caches it and pins the pages once; freeing the
 * object releases both.
 */
static void sgdemo_test_borrowed_identity(struct kunit *test)
{
	struct drm_gem_object *obj = sgdemo_test_object(test);
	struct sg_table *sgt, *again;
	struct scatterlist *sg;
	size_t bytes = 0;
	unsigned int i;

	sgt = sgdemo_sgt_borrow(obj);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, sgt);
	again = sgdemo_sgt_borrow(obj);
	KUNIT_EXPECT_PTR_EQ(test, sgt, again);
	for_each_sgtable_dma_sg(sgt, sg, i)
		bytes += sg_dma_len(sg);
	KUNIT_EXPECT_EQ(test, bytes, TEST_SIZE);
	expect_delta(test, SGDEMO_BORROWED_TABLES, 1);
	expect_delta(test, SGDEMO_PAGES_PINNED, TEST_SIZE >> PAGE_SHIFT);

	kunit_release_action(test, drm_gem_object_put_action, obj);
	sgdemo_expect_released(test);
}

/*
 * Success: an owned table counts once, holds the object after the caller's
 * reference is gone, survives a get/put pair, and its last put releases
 * table, pin and object (the counters return to where they were).
 */
static void sgdemo_test_owned_refcount(struct kunit *test)
{
	struct drm_gem_object *obj = sgdemo_test_object(test);
	struct sgdemo_sgt *owned;

	owned = sgdemo_sgt_acquire(obj);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, owned);
	expect_delta(test, SGDEMO_OWNED_TABLES, 1);
	expect_delta(test, SGDEMO_PAGES_PINNED, TEST_SIZE >> PAGE_SHIFT);

	kunit_release_action(test, drm_gem_object_put_action, obj);
	expect_delta(test, SGDEMO_OBJECTS, 1);

	sgdemo_sgt_get(owned);
	sgdemo_sgt_put(owned);
	expect_delta(test, SGDEMO_OWNED_TABLES, 1);
	expect_delta(test, SGDEMO_OBJECTS, 1);

	sgdemo_sgt_put(owned);
	sgdemo_expect_released(test);
}

/*
 * Success: an owned table of a native object is its own table, DMA-mapped
 * and on the device's list, covering the whole object; it neither is nor
 * creates the borrowed table.
 */
static void sgdemo_test_owned_own_table(struct kunit *test)
{
	struct sgdemo_test *t = test->priv;
	struct drm_gem_object *obj = sgdemo_test_object(test);
	struct sgdemo_sgt *owned;
	struct scatterlist *sg;
	struct sg_table *sgt;
	size_t bytes = 0;
	unsigned int i;

	owned = sgdemo_sgt_acquire(obj);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, owned);
	KUNIT_EXPECT_TRUE(test, owned->owns_table);
	KUNIT_EXPECT_TRUE(test, owned->dma.mapped);
	KUNIT_EXPECT_FALSE(test, list_empty(&t->sdev->dma.maps));
	expect_delta(test, SGDEMO_BORROWED_TABLES, 0);
	for_each_sgtable_dma_sg(owned->sgt, sg, i)
		bytes += sg_dma_len(sg);
	KUNIT_EXPECT_EQ(test, bytes, TEST_SIZE);

	sgt = sgdemo_sgt_borrow(obj);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, sgt);
	KUNIT_EXPECT_PTR_NE(test, sgt, owned->sgt);

	sgdemo_sgt_put(owned);
	/* The borrowed table's mapping is the one left. */
	KUNIT_EXPECT_TRUE(test, list_is_singular(&t->sdev->dma.maps));
	kunit_release_action(test, drm_gem_object_put_action, obj);
	sgdemo_expect_released(test);
}

/* Releasing a dma-buf from a kthread is deferred: wait for it, boundedly. */
static void sgdemo_wait_released(struct kunit *test)
{
	int i, c;

	for (i = 0; i < 100; i++) {
		for (c = 0; c < SGDEMO_NR_COUNTERS; c++)
			if (sgdemo_counter_read(c) != ((struct sgdemo_test *)test->priv)->base[c])
				break;
		if (c == SGDEMO_NR_COUNTERS)
			break;
		msleep(20);
	}
	sgdemo_expect_released(test);
}

/*
 * Success: an object exported by one sgdemo device and imported by another
 * is attached and mapped; an owned table on the import takes the
 * attachment's table without a pin of its own, keeps importer, attachment
 * and exporter alive after every other reference is gone, and its last put
 * releases them all.
 */
static void sgdemo_test_owned_on_import(struct kunit *test)
{
	struct sgdemo_device *importer = sgdemo_test_device(test, "sgdemo-kunit-importer");
	struct drm_gem_object *obj = sgdemo_test_object(test);
	struct drm_gem_object *imported;
	struct sgdemo_sgt *owned;
	struct dma_buf *dmabuf;

	dmabuf = sgdemo_gem_prime_export(obj, O_RDWR);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, dmabuf);
	imported = sgdemo_gem_prime_import(&importer->drm, dmabuf);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, imported);
	KUNIT_EXPECT_PTR_NE(test, imported, obj);
	KUNIT_EXPECT_NOT_NULL(test, imported->import_attach);
	expect_delta(test, SGDEMO_ATTACHMENTS, 1);
	expect_delta(test, SGDEMO_OBJECTS, 2);

	owned = sgdemo_sgt_acquire(imported);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, owned);
	KUNIT_EXPECT_FALSE(test, owned->owns_table);
	KUNIT_EXPECT_PTR_EQ(test, owned->sgt, sgdemo_sgt_borrow(imported));
	/* Only the attachment pins the exporter's pages. */
	expect_delta(test, SGDEMO_PAGES_PINNED, TEST_SIZE >> PAGE_SHIFT);

	drm_gem_object_put(imported);
	dma_buf_put(dmabuf);
	kunit_release_action(test, drm_gem_object_put_action, obj);
	expect_delta(test, SGDEMO_OBJECTS, 2);
	expect_delta(test, SGDEMO_ATTACHMENTS, 1);

	sgdemo_sgt_put(owned);
	sgdemo_wait_released(test);
}

/*
 * Success: unplug ends the DMA mapping of every owned table of the device
 * at once; acquiring or borrowing afterwards fails with -ENODEV and leaves
 * nothing behind; the tables' later puts free the rest without unmapping
 * twice (DMA-API debugging would report it).
 */
static void sgdemo_test_unplug_with_owned(struct kunit *test)
{
	struct sgdemo_test *t = test->priv;
	struct drm_gem_object *obj = sgdemo_test_object(test);
	struct sgdemo_sgt *a, *b, *late;

	KUNIT_ASSERT_EQ(test, drm_dev_register(&t->sdev->drm, 0), 0);
	a = sgdemo_sgt_acquire(obj);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, a);
	b = sgdemo_sgt_acquire(obj);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, b);

	drm_dev_unplug(&t->sdev->drm);
	sgdemo_dma_unplug(t->sdev);
	KUNIT_EXPECT_FALSE(test, a->dma.mapped);
	KUNIT_EXPECT_FALSE(test, b->dma.mapped);
	KUNIT_EXPECT_TRUE(test, list_empty(&t->sdev->dma.maps));

	late = sgdemo_sgt_acquire(obj);
	KUNIT_EXPECT_EQ(test, PTR_ERR_OR_ZERO(late), -ENODEV);
	/* Nor is a borrowed table mapped for a device that is gone. */
	KUNIT_EXPECT_EQ(test, PTR_ERR_OR_ZERO(sgdemo_sgt_borrow(obj)), -ENODEV);
	expect_delta(test, SGDEMO_OWNED_TABLES, 2);

	kunit_release_action(test, drm_gem_object_put_action, obj);
	sgdemo_sgt_put(b);
	expect_delta(test, SGDEMO_OBJECTS, 1);
	sgdemo_sgt_put(a);
	sgdemo_expect_released(test);
}

#ifdef CONFIG_FAULT_INJECTION
/*
 * Runs @step with its first, second, ... fault-injection point failing, once
 * each, and @check after each failure, until @step gets through them all.
 * Returns how many points @step passes; its last result is in @result. A step
 * that succeeds although a point failed stops the loop with a test failure,
 * its result in @result for the caller to release.
 */
static unsigned int sgdemo_fail_each(struct kunit *test, void *(*step)(struct kunit *),
				     void (*check)(struct kunit *), void **result)
{
	unsigned int nth;

	for (nth = 1; nth < 16; nth++) {
		sgdemo_fail_nth(nth);
		*result = step(test);
		if (!sgdemo_fail_fired())
			break;
		if (!IS_ERR_OR_NULL(*result)) {
			/* The caller releases what the step made despite the failure. */
			KUNIT_FAIL(test, "point %u failed, but the step succeeded", nth);
			break;
		}
		KUNIT_EXPECT_EQ_MSG(test, PTR_ERR_OR_ZERO(*result), -ENOMEM, "point %u", nth);
		check(test);
	}
	sgdemo_fail_off(NULL);
	KUNIT_ASSERT_LT(test, nth, 16U);
	return nth - 1;
}

static void *sgdemo_step_create(struct kunit *test)
{
	struct sgdemo_test *t = test->priv;

	return sgdemo_gem_create(&t->sdev->drm, TEST_SIZE);
}

/* Failure: a failed allocation of a new object leaves nothing behind. */
static void sgdemo_test_create_fault(struct kunit *test)
{
	void *shmem;

	sgdemo_fail_setup(test);
	KUNIT_EXPECT_EQ(test, sgdemo_fail_each(test, sgdemo_step_create,
					       sgdemo_expect_released, &shmem), 1U);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, shmem);
	drm_gem_object_put(&((struct drm_gem_shmem_object *)shmem)->base);
	sgdemo_expect_released(test);
}

static void *sgdemo_step_borrow(struct kunit *test)
{
	struct sgdemo_test *t = test->priv;

	return sgdemo_sgt_borrow(t->obj);
}

static void sgdemo_check_borrow(struct kunit *test)
{
	struct sgdemo_test *t = test->priv;

	expect_delta(test, SGDEMO_PAGES_PINNED, 0);
	expect_delta(test, SGDEMO_BORROWED_TABLES, 0);
	expect_delta(test, SGDEMO_DMA_MAPPED_PAGES, 0);
	KUNIT_EXPECT_FALSE(test, to_sgdemo_object(t->obj)->borrowed);
}

/*
 * Failure: the first borrow passes three points (the pin, the table, the
 * DMA mapping). When any fails the borrow fails with -ENOMEM, nothing stays pinned and the
 * object is not marked borrowed: the next borrow starts from the beginning
 * and succeeds.
 */
static void sgdemo_test_borrow_fault(struct kunit *test)
{
	struct sgdemo_test *t = test->priv;
	void *sgt;

	t->obj = sgdemo_test_object(test);
	sgdemo_fail_setup(test);
	KUNIT_EXPECT_EQ(test, sgdemo_fail_each(test, sgdemo_step_borrow,
					       sgdemo_check_borrow, &sgt), 3U);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, sgt);
	expect_delta(test, SGDEMO_BORROWED_TABLES, 1);

	kunit_release_action(test, drm_gem_object_put_action, t->obj);
	sgdemo_expect_released(test);
}

static void *sgdemo_step_acquire(struct kunit *test)
{
	struct sgdemo_test *t = test->priv;

	return sgdemo_sgt_acquire(t->obj);
}

static void sgdemo_check_acquire(struct kunit *test)
{
	struct sgdemo_test *t = test->priv;

	expect_delta(test, SGDEMO_OWNED_TABLES, 0);
	expect_delta(test, SGDEMO_PAGES_PINNED, 0);
	KUNIT_EXPECT_TRUE(test, list_empty(&t->sdev->dma.maps));
}

/*
 * Failure: acquiring an owned table of a native object passes four points
 * (the handle, the pin, the table, its DMA mapping). Each failing in turn
 * makes acquire return -ENOMEM with nothing left behind: no pin, no table on
 * the device's list, no reference on the object (it is freed with the
 * case's reference).
 */
static void sgdemo_test_acquire_fault(struct kunit *test)
{
	struct sgdemo_test *t = test->priv;
	void *owned;

	t->obj = sgdemo_test_object(test);
	sgdemo_fail_setup(test);
	KUNIT_EXPECT_EQ(test, sgdemo_fail_each(test, sgdemo_step_acquire,
					       sgdemo_check_acquire, &owned), 4U);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, owned);
	sgdemo_sgt_put(owned);

	kunit_release_action(test, drm_gem_object_put_action, t->obj);
	sgdemo_expect_released(test);
}
#else
static void sgdemo_test_no_fault_injection(struct kunit *test)
{
	kunit_skip(test, "the kernel has no CONFIG_FAULT_INJECTION");
}

#define sgdemo_test_create_fault	sgdemo_test_no_fault_injection
#define sgdemo_test_borrow_fault	sgdemo_test_no_fault_injection
#define sgdemo_test_acquire_fault	sgdemo_test_no_fault_injection
#endif

static struct kunit_case sgdemo_test_cases[] = {
	KUNIT_CASE(sgdemo_test_borrowed_identity),
	KUNIT_CASE(sgdemo_test_owned_refcount),
	KUNIT_CASE(sgdemo_test_owned_own_table),
	KUNIT_CASE(sgdemo_test_owned_on_import),
	KUNIT_CASE(sgdemo_test_unplug_with_owned),
	KUNIT_CASE(sgdemo_test_create_fault),
	KUNIT_CASE(sgdemo_test_borrow_fault),
	KUNIT_CASE(sgdemo_test_acquire_fault),
	{}
};

static struct kunit_suite sgdemo_test_suite = {
	.name = "sgdemo",
	.init = sgdemo_test_init,
	.test_cases = sgdemo_test_cases,
};

kunit_test_suite(sgdemo_test_suite);
