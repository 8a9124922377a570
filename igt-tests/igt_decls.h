/* SPDX-License-Identifier: MIT */
/*
 * igt_decls.h - the few libigt entry points sgdemo's tests use.
 *
 * Debian ships libigt.so (package igt-gpu-tools) but no IGT headers, so the
 * tests declare what they call themselves. Written for, and checked against,
 * IGT 2.5 (libigt.so.0 in Debian sid, igt-gpu-tools 2.5-1). The control-flow
 * macros follow IGT's documented behaviour: a subtest is a block that runs
 * when the runner selects it, an assertion or requirement that fails leaves
 * the block through igt_subtest_jmpbuf, and igt_exit() reports the result.
 */
#ifndef IGT_DECLS_H
#define IGT_DECLS_H

#include <getopt.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define IGT_NORETURN __attribute__((noreturn))
#define IGT_PRINTF(f, a) __attribute__((format(printf, f, a)))

/* --- test structure (lib/igt_core.h) --- */
extern jmp_buf igt_subtest_jmpbuf;

int igt_subtest_init_parse_opts(int *argc, char **argv, const char *extra_short_opts,
				const struct option *extra_long_opts, const char *help_str,
				int (*extra_opt_handler)(int opt, int opt_index, void *data),
				void *handler_data);
bool __igt_run_subtest(const char *subtest_name, const char *file, const int line);
bool __igt_fixture(void);
void __igt_fixture_complete(void);
void igt_success(void);
IGT_NORETURN void igt_exit(void);
IGT_NORETURN void igt_skip(const char *fmt, ...) IGT_PRINTF(1, 2);
IGT_NORETURN void __igt_skip_check(const char *file, const int line, const char *func,
				   const char *check, const char *fmt, ...) IGT_PRINTF(5, 6);
IGT_NORETURN void __igt_fail_assert(const char *domain, const char *file, const int line,
				    const char *func, const char *assertion,
				    const char *fmt, ...) IGT_PRINTF(6, 7);
void igt_describe_f(const char *fmt, ...) IGT_PRINTF(1, 2);

enum igt_log_level {
	IGT_LOG_DEBUG,
	IGT_LOG_INFO,
	IGT_LOG_WARN,
	IGT_LOG_CRITICAL,
	IGT_LOG_NONE,
};
void igt_log(const char *domain, enum igt_log_level level, const char *fmt, ...) IGT_PRINTF(3, 4);

/* The test's one-line description, shown by --help and --describe. */
#define IGT_TEST_DESCRIPTION(str) const char *__igt_test_description = str

/* int main() that parses IGT's options, runs the body, then reports. */
#define igt_main \
	static void igt_body_(void); \
	int main(int argc, char **argv) \
	{ \
		igt_subtest_init_parse_opts(&argc, argv, NULL, NULL, NULL, NULL, NULL); \
		igt_body_(); \
		igt_exit(); \
	} \
	static void igt_body_(void)

/* Set-up and tear-down blocks; skipped while subtests are only listed. */
#define igt_fixture \
	for (volatile int igt_once_ = 0; \
	     igt_once_ < 1 && __igt_fixture() && sigsetjmp(igt_subtest_jmpbuf, 1) == 0; \
	     igt_once_++, __igt_fixture_complete())

#define igt_subtest(name) \
	for (; __igt_run_subtest((name), __FILE__, __LINE__) && \
	       sigsetjmp(igt_subtest_jmpbuf, 1) == 0; \
	     igt_success())

/* A subtest whose name is formatted from FMT and its arguments. */
#define igt_subtest_f(...) \
	for (char igt_name_[256]; \
	     snprintf(igt_name_, sizeof(igt_name_), __VA_ARGS__), \
	     __igt_run_subtest(igt_name_, __FILE__, __LINE__) && \
	     sigsetjmp(igt_subtest_jmpbuf, 1) == 0; \
	     igt_success())

#define igt_describe(text) igt_describe_f("%s", (text))

#define igt_info(...) igt_log(NULL, IGT_LOG_INFO, __VA_ARGS__)
#define igt_debug(...) igt_log(NULL, IGT_LOG_DEBUG, __VA_ARGS__)

#define igt_require_f(expr, ...) do { \
	if (!(expr)) \
		__igt_skip_check(__FILE__, __LINE__, __func__, #expr, __VA_ARGS__); \
} while (0)
#define igt_require(expr) do { \
	if (!(expr)) \
		__igt_skip_check(__FILE__, __LINE__, __func__, #expr, NULL); \
} while (0)

#define igt_assert_f(expr, ...) do { \
	if (!(expr)) \
		__igt_fail_assert(NULL, __FILE__, __LINE__, __func__, #expr, __VA_ARGS__); \
} while (0)
#define igt_assert(expr) do { \
	if (!(expr)) \
		__igt_fail_assert(NULL, __FILE__, __LINE__, __func__, #expr, NULL); \
} while (0)

/* Compare two values as TYPE, printing both with FMT when the check fails. */
#define igt_assert_cmp_(type, fmt, a, op, b) do { \
	type a_ = (a), b_ = (b); \
	if (!(a_ op b_)) \
		__igt_fail_assert(NULL, __FILE__, __LINE__, __func__, #a " " #op " " #b, \
				  "error: " fmt " vs " fmt "\n", a_, b_); \
} while (0)
#define igt_assert_eq(a, b)	igt_assert_cmp_(long long, "%lld", a, ==, b)
#define igt_assert_neq(a, b)	igt_assert_cmp_(long long, "%lld", a, !=, b)
#define igt_assert_lt(a, b)	igt_assert_cmp_(long long, "%lld", a, <, b)
#define igt_assert_lte(a, b)	igt_assert_cmp_(long long, "%lld", a, <=, b)
#define igt_assert_eq_u64(a, b)	igt_assert_cmp_(unsigned long long, "%#llx", a, ==, b)

/* --- DRM helpers (lib/drmtest.h, lib/ioctl_wrappers.h) --- */
#define DRIVER_VGEM	(1 << 2)

int __drm_open_driver(int chipset);
int drm_open_driver(int chipset);
int drm_close_driver(int fd);

#endif /* IGT_DECLS_H */
