// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * In-VM checks of libsriovvirt against the real kernel, through the public API
 * only: exact errno values, the event-driven wait, stale config files, reads
 * without privilege, LUIDs. Run inside the test VM by the case scripts:
 *
 *   vmtest TEST PF
 *
 * Prints one "ok"/"FAIL" line per check; exits 1 if any check failed.
 */

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include <sriovvirt.h>

#define NOBODY 65534

static int failures;
static char last_error[1024];

#define CHECK(cond, ...)                                                       \
	do {                                                                   \
		if (cond) {                                                    \
			printf("ok: ");                                        \
		} else {                                                       \
			printf("FAIL (%s:%d): ", __FILE__, __LINE__);          \
			failures++;                                            \
		}                                                              \
		printf(__VA_ARGS__);                                           \
		putchar('\n');                                                 \
		fflush(stdout);                                                \
	} while (0)

#define CHECK_R(expr, expected)                                                \
	do {                                                                   \
		int r_ = (expr);                                               \
		CHECK(r_ == (expected), "%s = %d (%s), want %d", #expr, r_,    \
		      strerror(r_ < 0 ? -r_ : 0), (expected));                 \
	} while (0)

static void log_fn(void *userdata, int priority, const char *file, int line,
		   const char *fn, const char *format, va_list args)
{
	(void)userdata;
	(void)file;
	(void)line;
	(void)fn;
	if (priority <= LOG_ERR)
		vsnprintf(last_error, sizeof(last_error), format, args);
}

static struct sriovvirt_pf *open_pf(const char *name)
{
	struct sriovvirt_ctx *ctx;
	struct sriovvirt_pf *pf;

	if (sriovvirt_ctx_new(&ctx) < 0)
		exit(2);
	sriovvirt_ctx_set_log_fn(ctx, log_fn, NULL);
	if (sriovvirt_pf_open(ctx, name, &pf) < 0) {
		fprintf(stderr, "vmtest: cannot open %s: %s\n", name, last_error);
		exit(2);
	}
	sriovvirt_ctx_unref(ctx);	/* the PF holds its own reference */
	return pf;
}

static int sysfs_write(const char *path, const char *value)
{
	int fd, r = 0;

	fd = open(path, O_WRONLY | O_TRUNC);
	if (fd < 0)
		return -errno;
	if (write(fd, value, strlen(value)) < 0)
		r = -errno;
	close(fd);
	return r;
}

static int pf_write(struct sriovvirt_pf *pf, const char *attr, const char *value)
{
	char path[256];

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/%s",
		 sriovvirt_pf_get_name(pf), attr);
	return sysfs_write(path, value);
}

static bool pf_has(struct sriovvirt_pf *pf, const char *entry)
{
	char path[256];
	struct stat st;

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/%s",
		 sriovvirt_pf_get_name(pf), entry);
	return stat(path, &st) == 0;
}

static uint16_t num_vfs(struct sriovvirt_pf *pf)
{
	uint16_t n = 0xffff;

	sriovvirt_pf_get_num_vfs(pf, &n);
	return n;
}

static const char *driver_of(struct sriovvirt_pf *pf, char *buf, size_t size)
{
	if (sriovvirt_dev_get_driver(sriovvirt_pf_get_ctx(pf),
				     sriovvirt_pf_get_addr(pf), buf, size) < 0)
		snprintf(buf, size, "(none)");
	return buf;
}

/* Binds the PF to @driver ("" for its default, nvme) through driver_override. */
static void rebind(struct sriovvirt_pf *pf, const char *driver)
{
	char path[256], value[64];

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/driver/unbind",
		 sriovvirt_pf_get_name(pf));
	sysfs_write(path, sriovvirt_pf_get_name(pf));
	snprintf(value, sizeof(value), "%s\n", driver);
	pf_write(pf, "driver_override", value);
	sysfs_write("/sys/bus/pci/drivers_probe", sriovvirt_pf_get_name(pf));
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000 };

	nanosleep(&ts, NULL);
}

/* EnableVirtualization: every rule, with the errno the API documents. */
static void test_errnos(struct sriovvirt_pf *pf)
{
	const unsigned int W = SRIOVVIRT_ENABLE_NO_AUTOPROBE | SRIOVVIRT_ENABLE_WAIT;
	char driver[64];

	CHECK_R(sriovvirt_pf_enable_virtualization(pf, 0, true, 0, 0), -EINVAL);
	CHECK_R(sriovvirt_pf_enable_virtualization(pf, 9, true, 0, 0), -EINVAL);
	CHECK_R(sriovvirt_pf_enable_virtualization(pf, 2, true,
			SRIOVVIRT_ENABLE_VF_MIGRATION, 0), -EOPNOTSUPP);
	CHECK_R(sriovvirt_pf_enable_virtualization(pf, 2, true,
			SRIOVVIRT_ENABLE_MIGRATION_INTERRUPT, 0), -EINVAL);
	CHECK_R(sriovvirt_pf_enable_virtualization(pf, 0, false, 0, 0), -EBUSY);
	CHECK_R(sriovvirt_pf_enable_virtualization(pf, 2, false, 0, 0), -EINVAL);
	CHECK(num_vfs(pf) == 0, "refused calls left NumVFs at 0");

	CHECK_R(sriovvirt_pf_enable_virtualization(pf, 2, true, W, 10000), 0);
	CHECK(num_vfs(pf) == 2 && pf_has(pf, "virtfn1") && !pf_has(pf, "virtfn2"),
	      "2 VFs enabled");
	CHECK(!pf_has(pf, "virtfn0/driver"), "no host driver on a VF (autoprobe off)");
	CHECK_R(sriovvirt_pf_enable_virtualization(pf, 2, true, W, 10000), -EBUSY);
	CHECK_R(sriovvirt_pf_enable_virtualization(pf, 3, true, W, 10000), -EBUSY);
	/* The kernel rule the library explains: no change between non-zero counts. */
	CHECK_R(pf_write(pf, "sriov_numvfs", "3"), -EBUSY);
	CHECK(num_vfs(pf) == 2, "still 2 VFs");
	CHECK_R(sriovvirt_pf_enable_virtualization(pf, 0, false,
						   SRIOVVIRT_ENABLE_WAIT, 10000), 0);
	CHECK(num_vfs(pf) == 0 && !pf_has(pf, "virtfn0"), "VFs disabled");

	rebind(pf, "none");
	CHECK(!pf_has(pf, "driver"), "PF unbound");
	CHECK_R(sriovvirt_pf_enable_virtualization(pf, 2, true, W, 10000), -ENODATA);
	CHECK(strstr(last_error, "no driver") && strstr(last_error, "pci-pf-stub"),
	      "-ENODATA explains the fix: %s", last_error);

	rebind(pf, "vfio-pci");
	CHECK(!strcmp(driver_of(pf, driver, sizeof(driver)), "vfio-pci"),
	      "PF bound to vfio-pci");
	CHECK_R(sriovvirt_pf_enable_virtualization(pf, 2, true, W, 10000), -EOPNOTSUPP);
	CHECK(strstr(last_error, "enable_sriov=1") != NULL,
	      "vfio-pci without enable_sriov is explained: %s", last_error);

	rebind(pf, "pci-pf-stub");
	CHECK(!strcmp(driver_of(pf, driver, sizeof(driver)), "pci-pf-stub"),
	      "PF bound to pci-pf-stub");
	CHECK_R(sriovvirt_pf_enable_virtualization(pf, 3, true, W, 10000), 0);
	CHECK(num_vfs(pf) == 3, "pci-pf-stub created 3 VFs");
	CHECK_R(sriovvirt_pf_enable_virtualization(pf, 0, false,
						   SRIOVVIRT_ENABLE_WAIT, 10000), 0);
	rebind(pf, "");
	CHECK(!strcmp(driver_of(pf, driver, sizeof(driver)), "nvme"),
	      "PF back on nvme");
}

/*
 * The wait must return only when another process's enable has created the
 * VFs: a wait that returns at once finds them missing.
 */
static void test_wait(struct sriovvirt_pf *pf)
{
	pid_t child;
	int status;

	pf_write(pf, "sriov_drivers_autoprobe", "0");
	child = fork();
	if (child == 0) {
		sleep_ms(700);
		_exit(pf_write(pf, "sriov_numvfs", "4") == 0 ? 0 : 1);
	}
	CHECK_R(sriovvirt_pf_wait_vfs(pf, 4, 30000), 0);
	CHECK(num_vfs(pf) == 4 && pf_has(pf, "virtfn3") && !pf_has(pf, "virtfn4"),
	      "all 4 VFs existed when the wait returned");
	waitpid(child, &status, 0);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "child enabled the VFs");

	child = fork();
	if (child == 0) {
		sleep_ms(700);
		_exit(pf_write(pf, "sriov_numvfs", "0") == 0 ? 0 : 1);
	}
	CHECK_R(sriovvirt_pf_wait_vfs(pf, 0, 30000), 0);
	CHECK(num_vfs(pf) == 0 && !pf_has(pf, "virtfn0"), "no VFs when the wait for 0 returned");
	waitpid(child, &status, 0);

	CHECK_R(sriovvirt_pf_wait_vfs(pf, 3, 300), -ETIMEDOUT);
	CHECK_R(sriovvirt_pf_wait_vfs(pf, 0, 0), 0);
}

static void enable(struct sriovvirt_pf *pf, uint16_t n)
{
	int r = sriovvirt_pf_enable_virtualization(pf, n, true,
			SRIOVVIRT_ENABLE_NO_AUTOPROBE | SRIOVVIRT_ENABLE_WAIT,
			10000);

	if (r < 0) {
		printf("FAIL: cannot enable %u VFs: %s\n", n, last_error);
		exit(1);
	}
}

static void disable(struct sriovvirt_pf *pf)
{
	sriovvirt_pf_enable_virtualization(pf, 0, false, SRIOVVIRT_ENABLE_WAIT,
					   10000);
}

static bool is_ffff(const uint8_t *b)
{
	return b[0] == 0xff && b[1] == 0xff && b[2] == 0xff && b[3] == 0xff;
}

/* A handle's open config file survives VFs being disabled and enabled again. */
static void test_config_reopen(struct sriovvirt_pf *pf)
{
	struct sriovvirt_pf *other = open_pf(sriovvirt_pf_get_name(pf));
	uint8_t b[4];
	size_t got;

	enable(pf, 2);
	CHECK_R(sriovvirt_vf_config_read(pf, 1, 0, b, 4, &got), 0);
	CHECK(got == 4 && is_ffff(b), "VF 1 Vendor/Device ID read ffff ffff");
	/* Another handle changes the VF set behind this one's open files. */
	disable(other);
	enable(other, 2);
	CHECK_R(sriovvirt_vf_config_read(pf, 1, 0, b, 4, &got), 0);
	CHECK(got == 4 && is_ffff(b), "the stale file was reopened on the new VF 1");
	disable(other);
	CHECK_R(sriovvirt_vf_config_read(pf, 1, 0, b, 4, &got), -EINVAL);
	CHECK(strstr(last_error, "does not exist") != NULL,
	      "a read after disable names the rule: %s", last_error);
	sriovvirt_pf_unref(other);
}

/* Without root, sysfs gives 64 bytes of config space: a partial read. */
static int unprivileged_reads(const char *pf_name)
{
	struct sriovvirt_pf *pf;
	uint8_t buf[256];
	size_t got = 0;
	int r1, r2, r3;

	if (setgid(NOBODY) < 0 || setuid(NOBODY) < 0)
		return 10;
	pf = open_pf(pf_name);
	r1 = sriovvirt_vf_config_read(pf, 0, 0, buf, sizeof(buf), &got);
	r2 = sriovvirt_vf_config_read(pf, 0, 0, buf, sizeof(buf), NULL);
	r3 = sriovvirt_vf_config_write(pf, 0, 0x3c, buf, 1, 0, NULL);
	printf("unprivileged: read %d got %zu, read without count %d, write %d\n",
	       r1, got, r2, r3);
	if (r1 != 0 || got != 64 || !is_ffff(buf))
		return 11;
	if (r2 != -EIO)
		return 12;
	if (r3 != -EACCES && r3 != -EPERM)
		return 13;
	return 0;
}

static void test_partial_read(struct sriovvirt_pf *pf)
{
	int status;
	pid_t child;

	enable(pf, 1);
	child = fork();
	if (child == 0) {
		fflush(stdout);
		_exit(unprivileged_reads(sriovvirt_pf_get_name(pf)));
	}
	waitpid(child, &status, 0);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	      "as nobody: 64 of 256 bytes reported, -EIO without a count, "
	      "write refused (child status %d)", WEXITSTATUS(status));
	disable(pf);
}

static uint64_t vf_luid(struct sriovvirt_pf *pf, uint16_t vf)
{
	struct sriovvirt_luid l = { 0, 0 };

	if (sriovvirt_vf_get_luid(pf, vf, &l) < 0)
		return 0;
	return sriovvirt_luid_to_u64(l);
}

static uint64_t luid_as_nobody(struct sriovvirt_pf *pf)
{
	struct sriovvirt_luid l;
	int fds[2], status;
	uint64_t v = 0;
	pid_t child;

	if (pipe(fds) < 0)
		return 0;
	child = fork();
	if (child == 0) {
		close(fds[0]);
		if (setgid(NOBODY) == 0 && setuid(NOBODY) == 0 &&
		    sriovvirt_query_luid(sriovvirt_pf_get_ctx(pf),
					 sriovvirt_pf_get_addr(pf), &l) == 0)
			v = sriovvirt_luid_to_u64(l);
		_exit(write(fds[1], &v, sizeof(v)) == sizeof(v) ? 0 : 1);
	}
	close(fds[1]);
	if (read(fds[0], &v, sizeof(v)) != sizeof(v))
		v = 0;
	close(fds[0]);
	waitpid(child, &status, 0);
	return v;
}

static void test_luid(struct sriovvirt_pf *pf)
{
	uint64_t before[4], after[4];
	struct sriovvirt_luid pf_luid, again;
	uint16_t found;
	bool distinct = true, reused = false;
	int i, j;

	CHECK_R(sriovvirt_pf_get_luid(pf, &pf_luid), 0);
	CHECK(luid_as_nobody(pf) == sriovvirt_luid_to_u64(pf_luid),
	      "an unprivileged process gets the same PF LUID");
	enable(pf, 4);
	for (i = 0; i < 4; i++) {
		before[i] = vf_luid(pf, (uint16_t)i);
		for (j = 0; j < i; j++)
			distinct &= before[i] != before[j];
		distinct &= before[i] != 0 &&
			    before[i] != sriovvirt_luid_to_u64(pf_luid);
		CHECK(vf_luid(pf, (uint16_t)i) == before[i], "VF %d LUID %#llx is stable",
		      i, (unsigned long long)before[i]);
		CHECK_R(sriovvirt_pf_find_vf_by_luid(pf,
				sriovvirt_luid_from_u64(before[i]), &found), 0);
		CHECK(found == i, "QueryLuidVf finds VF %d", i);
	}
	CHECK(distinct, "PF and VF LUIDs are distinct and non-zero");
	disable(pf);
	CHECK_R(sriovvirt_pf_find_vf_by_luid(pf, sriovvirt_luid_from_u64(before[0]),
					     &found), -ENODEV);
	enable(pf, 4);
	for (i = 0; i < 4; i++) {
		after[i] = vf_luid(pf, (uint16_t)i);
		for (j = 0; j < 4; j++)
			reused |= after[i] == before[j];
	}
	CHECK(!reused, "re-created VFs got new LUIDs, none reused");
	CHECK_R(sriovvirt_pf_get_luid(pf, &again), 0);
	CHECK(sriovvirt_luid_to_u64(again) == sriovvirt_luid_to_u64(pf_luid),
	      "the PF's LUID did not change");
	disable(pf);
}

static const struct {
	const char *name;
	void (*fn)(struct sriovvirt_pf *pf);
} tests[] = {
	{ "errnos", test_errnos },
	{ "wait", test_wait },
	{ "config-reopen", test_config_reopen },
	{ "partial-read", test_partial_read },
	{ "luid", test_luid },
};

int main(int argc, char **argv)
{
	struct sriovvirt_pf *pf;
	size_t i;

	if (argc != 3) {
		fprintf(stderr, "usage: vmtest TEST PF\n");
		return 2;
	}
	for (i = 0; i < sizeof(tests) / sizeof(tests[0]); i++) {
		if (strcmp(argv[1], tests[i].name))
			continue;
		pf = open_pf(argv[2]);
		tests[i].fn(pf);
		sriovvirt_pf_unref(pf);
		printf("vmtest %s: %d failure(s)\n", argv[1], failures);
		return failures ? 1 : 0;
	}
	fprintf(stderr, "vmtest: unknown test '%s'\n", argv[1]);
	return 2;
}
