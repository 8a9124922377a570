// SPDX-License-Identifier: GPL-2.0
/*
 * Harness self-test only, never part of the driver: loading this module
 * raises a real kernel WARNING, to prove that `make check` turns red on one
 * (CHECK_INJECT=warn).
 */
#include <linux/bug.h>
#include <linux/module.h>

static int __init sgdemo_selftest_init(void)
{
	WARN(1, "sgdemo harness self-test: a deliberate kernel warning\n");
	return 0;
}

static void __exit sgdemo_selftest_exit(void)
{
}

module_init(sgdemo_selftest_init);
module_exit(sgdemo_selftest_exit);
MODULE_DESCRIPTION("drm_sgdemo harness self-test: raises a kernel warning");
MODULE_LICENSE("GPL");
