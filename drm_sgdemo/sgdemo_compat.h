/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Differences between the kernels sgdemo builds on (6.1 to 7.x), each shim
 * named with the version or feature it covers. No other file of the driver
 * tests a kernel version.
 */
#ifndef _SGDEMO_COMPAT_H_
#define _SGDEMO_COMPAT_H_

#include <linux/version.h>

/* MODULE_IMPORT_NS() takes a string literal since 6.13, a bare token before. */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 13, 0)
#define SGDEMO_IMPORT_NS_DMA_BUF	MODULE_IMPORT_NS("DMA_BUF")
#else
#define SGDEMO_IMPORT_NS_DMA_BUF	MODULE_IMPORT_NS(DMA_BUF)
#endif

/* struct drm_driver lost its date field in 6.14 (unused since 6.11). */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 14, 0)
#define SGDEMO_DRIVER_DATE		.date = "20251125",
#else
#define SGDEMO_DRIVER_DATE
#endif

/*
 * Before 6.6 the PRIME ioctls and dma-buf mmap only worked when the driver
 * named the generic helpers itself; since then the core uses them by default.
 */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 6, 0)
#define SGDEMO_DRIVER_PRIME_OPS \
	.prime_handle_to_fd = drm_gem_prime_handle_to_fd, \
	.prime_fd_to_handle = drm_gem_prime_fd_to_handle, \
	.gem_prime_mmap = drm_gem_prime_mmap,
#else
#define SGDEMO_DRIVER_PRIME_OPS
#endif

/* platform_driver.remove returns void since 6.11; before, that was .remove_new. */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 11, 0)
#define SGDEMO_PLATFORM_REMOVE		remove_new
#else
#define SGDEMO_PLATFORM_REMOVE		remove
#endif

#endif /* _SGDEMO_COMPAT_H_ */
