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
#include <linux/vfio.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include <sriovvirt.h>

#define NOBODY 65534
/* A VF token, as a user-space PF driver would set it. */
#define TOKEN "6f1b3cf1-2a5c-4b6e-9d1f-0a1b2c3d4e5f"

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

static int count_fds(void)
{
	char path[64];
	int n = 0, fd;

	for (fd = 0; fd < 1024; fd++) {
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
		if (access(path, F_OK) == 0)
			n++;
	}
	return n;
}

/* The hardware's config space, through the VF's sysfs file. */
static uint32_t sysfs_config32(struct sriovvirt_pf *pf, uint16_t vf,
			       uint32_t offset)
{
	struct sriovvirt_pci_addr addr;
	char name[SRIOVVIRT_PCI_ADDR_BUFSIZE], path[256];
	uint32_t v = 0xdeadbeef;
	int fd;

	sriovvirt_vf_get_addr(pf, vf, &addr);
	sriovvirt_pci_addr_format(&addr, name, sizeof(name));
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/config", name);
	fd = open(path, O_RDONLY);
	if (fd >= 0 && pread(fd, &v, 4, offset) != 4)
		v = 0xdeadbeef;
	if (fd >= 0)
		close(fd);
	return v;
}

static uint32_t config32(struct sriovvirt_pf *pf, uint16_t vf, uint32_t offset)
{
	uint8_t b[4] = { 0 };
	size_t n = 0;

	sriovvirt_vf_config_read(pf, vf, offset, b, 4, &n);
	return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 |
	       (uint32_t)b[3] << 24;
}

static int config_write32(struct sriovvirt_pf *pf, uint16_t vf, uint32_t offset,
			  uint32_t v)
{
	uint8_t b[4] = { v, v >> 8, v >> 16, v >> 24 };

	return sriovvirt_vf_config_write(pf, vf, offset, b, 4, 0, NULL);
}

/* The guest's view of BAR @bar: all ones reads back the size mask. */
static void check_virtual_bar(struct sriovvirt_pf *pf, uint16_t vf,
			      unsigned int bar, const uint32_t *probed)
{
	uint32_t offset = 0x10 + 4 * bar, hw = sysfs_config32(pf, vf, offset);
	uint32_t before = config32(pf, vf, offset);

	CHECK_R(config_write32(pf, vf, offset, 0xffffffff), 0);
	CHECK(config32(pf, vf, offset) == probed[bar],
	      "BAR%u after all ones through VFIO: %08x, probed %08x", bar,
	      config32(pf, vf, offset), probed[bar]);
	CHECK(sysfs_config32(pf, vf, offset) == hw,
	      "hardware BAR%u unchanged: %08x", bar, hw);
	CHECK_R(config_write32(pf, vf, offset, before), 0);
}

/* The first mitigated page: on QEMU's NVMe and igb VFs, the MSI-X table's. */
static bool msix_table(struct sriovvirt_pf *pf, uint16_t vf, unsigned int *bar,
		       uint64_t *offset)
{
	struct sriovvirt_mitigated_range r[16];
	size_t n = 0;

	if (sriovvirt_vf_get_mitigated_ranges(pf, vf, r, 16, &n) < 0 || !n)
		return false;
	*bar = r[0].bar;
	*offset = r[0].base_page * 4096;
	return true;
}

/* MMIO through VFIO: every width, the MSI-X table, every refusal. */
static void check_mmio(struct sriovvirt_pf *pf, uint16_t vf)
{
	uint64_t v = 0, table, v8 = 0;
	unsigned int bar, width;
	uint32_t lo = 0, hi = 0;

	for (width = 1; width <= 8; width *= 2)
		CHECK_R(sriovvirt_vf_mmio_read(pf, vf, 0, 0, width, &v), 0);
	sriovvirt_vf_mmio_read(pf, vf, 0, 0, 8, &v8);
	sriovvirt_vf_mmio_read(pf, vf, 0, 0, 4, &v);
	lo = (uint32_t)v;
	sriovvirt_vf_mmio_read(pf, vf, 0, 4, 4, &v);
	hi = (uint32_t)v;
	CHECK(v8 == ((uint64_t)hi << 32 | lo),
	      "8-byte read %016llx = two 4-byte reads %08x%08x",
	      (unsigned long long)v8, hi, lo);
	if (msix_table(pf, vf, &bar, &table)) {
		CHECK_R(sriovvirt_vf_mmio_read(pf, vf, bar, table, 4, &v), 0);
		CHECK(v == 0xffffffff, "MSI-X table reads all ones: %llx",
		      (unsigned long long)v);
		CHECK_R(sriovvirt_vf_mmio_write(pf, vf, bar, table + 8, 4, 0x1234),
			0);
		sriovvirt_vf_mmio_read(pf, vf, bar, table + 8, 4, &v);
		CHECK(v == 0xffffffff, "a write there is dropped: %llx",
		      (unsigned long long)v);
	}
	CHECK_R(sriovvirt_vf_mmio_read(pf, vf, 6, 0, 4, &v), -EINVAL);
	CHECK_R(sriovvirt_vf_mmio_read(pf, vf, 0, 0, 3, &v), -EINVAL);
	CHECK_R(sriovvirt_vf_mmio_read(pf, vf, 0, 2, 4, &v), -EINVAL);
	CHECK_R(sriovvirt_vf_mmio_read(pf, vf, 0, 0x4000, 4, &v), -EINVAL);
	CHECK_R(sriovvirt_vf_mmio_read(pf, vf, 1, 0, 4, &v), -ENODATA);
	CHECK_R(sriovvirt_vf_mmio_write(pf, vf, 0, 0, 1, 0x100), -EINVAL);
	CHECK_R(sriovvirt_vf_mmio_read(pf, vf + 1, 0, 0, 4, &v), -EBUSY);
}

/* A reset or a VFIO close reports the VF on the watch descriptor. */
static void check_updates(struct sriovvirt_pf *pf, uint16_t vf)
{
	struct pollfd p = { .events = POLLIN };
	uint16_t got = 0xffff;

	bool seen = false;
	int r;

	/* Other devices' uevents may wake it too: drain, then act. */
	CHECK_R(sriovvirt_pf_watch_mitigations(pf, &p.fd), 0);
	while (sriovvirt_pf_next_mitigation_update(pf, &got) == 0)
		;
	CHECK_R(sriovvirt_pf_next_mitigation_update(pf, &got), -EAGAIN);
	CHECK_R(sriovvirt_vf_reset(pf, vf), 0);
	CHECK(poll(&p, 1, 1000) == 1, "readable after a reset");
	while ((r = sriovvirt_pf_next_mitigation_update(pf, &got)) == 0)
		seen = seen || got == vf;
	CHECK(seen, "the VF reset was reported");
	CHECK_R(r, -EAGAIN);
	CHECK_R(sriovvirt_pf_unwatch_mitigations(pf), 0);
	CHECK_R(sriovvirt_pf_unwatch_mitigations(pf), -EBUSY);
}

/*
 * Evidence that VFIO_DEVICE_RESET reset the device: NVMe's INTMS (BAR 0 +
 * 0x0c), set by writing ones while MSI-X is off, is 0 after a controller
 * reset. (The igb VF has no register as plain; its reset is checked by
 * the call's result and the update above.)
 */
static void check_reset_evidence(struct sriovvirt_pf *pf, uint16_t vf)
{
	char driver[64];
	uint64_t intms = 0;

	if (strcmp(driver_of(pf, driver, sizeof(driver)), "nvme"))
		return;
	CHECK_R(sriovvirt_vf_mmio_write(pf, vf, 0, 0x0c, 4, 0x1), 0);
	CHECK_R(sriovvirt_vf_mmio_read(pf, vf, 0, 0x0c, 4, &intms), 0);
	CHECK(intms == 1, "INTMS set: %llx", (unsigned long long)intms);
	CHECK_R(sriovvirt_vf_reset(pf, vf), 0);
	CHECK_R(sriovvirt_vf_mmio_read(pf, vf, 0, 0x0c, 4, &intms), 0);
	CHECK(intms == 0, "INTMS cleared by the reset: %llx",
	      (unsigned long long)intms);
}

/* The PM capability's offset, walked in the VF's sysfs config. */
static uint32_t pm_cap(struct sriovvirt_pf *pf, uint16_t vf)
{
	uint32_t pos = sysfs_config32(pf, vf, 0x34) & 0xfc, hops = 0;

	while (pos >= 0x40 && hops++ < 48) {
		uint32_t header = sysfs_config32(pf, vf, pos);

		if ((header & 0xff) == 0x01)	/* PCI_CAP_ID_PM */
			return pos;
		pos = (header >> 8) & 0xfc;
	}
	return 0;
}

/* D3hot through the VFIO config region is a real transition. */
static void check_power(struct sriovvirt_pf *pf, uint16_t vf)
{
	enum sriovvirt_power_state state;
	bool wake;
	int r;

	r = sriovvirt_vf_get_power_state(pf, vf, &state, &wake);
	if (r == -EOPNOTSUPP) {
		CHECK(1, "VF %u has no PM capability (%s)", vf, last_error);
		CHECK_R(sriovvirt_vf_set_power_state(pf, vf,
						     SRIOVVIRT_POWER_D3HOT,
						     false), -EOPNOTSUPP);
		return;
	}
	CHECK_R(r, 0);
	CHECK_R(sriovvirt_vf_set_power_state(pf, vf, SRIOVVIRT_POWER_D3HOT,
					     false), 0);
	CHECK_R(sriovvirt_vf_get_power_state(pf, vf, &state, &wake), 0);
	CHECK(state == SRIOVVIRT_POWER_D3HOT, "VFIO's PMCSR says D3hot: %d",
	      state);
	CHECK((sysfs_config32(pf, vf, pm_cap(pf, vf) + 4) & 3) == 3,
	      "and so does the hardware's (sysfs): vfio-pci made the "
	      "transition");
	CHECK_R(sriovvirt_vf_set_power_state(pf, vf, SRIOVVIRT_POWER_D0,
					     false), 0);
}

/* Runs @fn(@pf_name) in a child as nobody: its exit status. */
static int as_nobody(int (*fn)(const char *), const char *pf_name)
{
	int status;
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid == 0)
		_exit(setgid(NOBODY) < 0 || setuid(NOBODY) < 0 ? 10 :
		      fn(pf_name));
	if (pid < 0 || waitpid(pid, &status, 0) < 0 || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

static int vfio_open_unprivileged(const char *pf_name)
{
	struct sriovvirt_pf *pf = open_pf(pf_name);
	int r = sriovvirt_vf_vfio_open(pf, 0, NULL);

	printf("as nobody: %d (%s)\n", r, last_error);
	return r == -EACCES && strstr(last_error, "no permission") ? 0 : 1;
}

/*
 * VF 0 bound to vfio-pci, VF 1 to nothing: the guest's view of config
 * space, MMIO, reset and power through VFIO, the update descriptor, and
 * no descriptor left behind.
 */
static void test_vfio(struct sriovvirt_pf *pf)
{
	uint32_t probed[SRIOVVIRT_NUM_BARS];
	struct sriovvirt_pf *other;
	uint16_t vendor = 0, device = 0, n;
	int fds, fd = -1;
	unsigned int bar;

	/* The context's uevent monitor, made at its first use (a wait), stays
	 * for the context's life: counted before, not as a leak. */
	CHECK_R(sriovvirt_pf_wait_vfs(pf, num_vfs(pf), 0), 0);
	fds = count_fds();
	CHECK_R(sriovvirt_vf_get_probed_bars(pf, 0, probed), 0);
	CHECK_R(sriovvirt_vf_get_ids(pf, 0, &vendor, &device), 0);
	CHECK(sysfs_config32(pf, 0, 0) == 0xffffffff, "sysfs IDs read ffff");
	CHECK_R(sriovvirt_vf_vfio_open(pf, 1, NULL), -ENODATA);
	CHECK_R(sriovvirt_vf_vfio_open(pf, 0, "not-a-token"), -EINVAL);
	CHECK_R(sriovvirt_vf_vfio_open(pf, 0, TOKEN), -EINVAL);
	CHECK(strstr(last_error, "only applies when the PF is bound to vfio-pci"),
	      "explained: %s", last_error);
	CHECK(as_nobody(vfio_open_unprivileged, sriovvirt_pf_get_name(pf)) == 0,
	      "as nobody: -EACCES, explained");
	CHECK(count_fds() == fds, "no descriptor left by the refusals");
	CHECK_R(sriovvirt_vf_vfio_open(pf, 0, NULL), 0);
	CHECK_R(sriovvirt_vf_vfio_open(pf, 0, NULL), 0);
	CHECK_R(sriovvirt_vf_vfio_get_fd(pf, 0, &fd), 0);
	CHECK(config32(pf, 0, 0) == ((uint32_t)device << 16 | vendor),
	      "VFIO shows the real IDs %04x:%04x", vendor, device);
	for (bar = 0; bar < SRIOVVIRT_NUM_BARS; bar++)
		if (probed[bar])	/* upper halves of 64-bit BARs too */
			check_virtual_bar(pf, 0, bar, probed);
	/* Held here, the kernel would wait for it: refused, nothing changed. */
	n = num_vfs(pf);
	CHECK_R(sriovvirt_pf_enable_virtualization(pf, 0, false, 0, 0), -EBUSY);
	CHECK_R(sriovvirt_vf_unbind(pf, 0), -EBUSY);
	CHECK(num_vfs(pf) == n, "still %u VFs", num_vfs(pf));
	other = open_pf(sriovvirt_pf_get_name(pf));
	CHECK_R(sriovvirt_vf_vfio_open(other, 0, NULL), -EBUSY);
	CHECK(strstr(last_error, "already open") != NULL, "named: %s",
	      last_error);
	sriovvirt_pf_unref(other);
	check_mmio(pf, 0);
	check_updates(pf, 0);
	check_reset_evidence(pf, 0);
	check_power(pf, 0);
	CHECK_R(sriovvirt_vf_vfio_close(pf, 0), 0);
	CHECK_R(sriovvirt_vf_vfio_close(pf, 0), -EBUSY);
	CHECK(count_fds() == fds, "no descriptor left: %d, was %d", count_fds(),
	      fds);
}

/* ------------------------------------------------------------------------ */
/* The VF token: a user-space PF driver's VFs                               */
/* ------------------------------------------------------------------------ */

/* What a user-space PF driver (DPDK's) does: open the PF through VFIO and
 * set the VF token. Returns the PF's device fd; @fds gets every fd. */
static int open_pf_as_driver(struct sriovvirt_pf *pf, int fds[3])
{
	static const uint8_t uuid[16] = {
		0x6f, 0x1b, 0x3c, 0xf1, 0x2a, 0x5c, 0x4b, 0x6e,
		0x9d, 0x1f, 0x0a, 0x1b, 0x2c, 0x3d, 0x4e, 0x5f,
	};
	struct vfio_group_status status = { .argsz = sizeof(status) };
	struct {
		struct vfio_device_feature f;
		uint8_t uuid[16];
	} feature;
	char link[256], target[256], *group;
	ssize_t n;

	feature.f.argsz = sizeof(feature);
	feature.f.flags = VFIO_DEVICE_FEATURE_SET |
			  VFIO_DEVICE_FEATURE_PCI_VF_TOKEN;
	memcpy(feature.uuid, uuid, sizeof(uuid));
	snprintf(link, sizeof(link), "/sys/bus/pci/devices/%s/iommu_group",
		 sriovvirt_pf_get_name(pf));
	n = readlink(link, target, sizeof(target) - 1);
	if (n < 0)
		return -errno;
	target[n] = '\0';
	group = strrchr(target, '/') + 1;
	snprintf(link, sizeof(link), "/dev/vfio/%s", group);
	fds[0] = open("/dev/vfio/vfio", O_RDWR);
	fds[1] = open(link, O_RDWR);
	if (fds[0] < 0 || fds[1] < 0 ||
	    ioctl(fds[1], VFIO_GROUP_GET_STATUS, &status) < 0 ||
	    !(status.flags & VFIO_GROUP_FLAGS_VIABLE) ||
	    ioctl(fds[1], VFIO_GROUP_SET_CONTAINER, &fds[0]) < 0 ||
	    ioctl(fds[0], VFIO_SET_IOMMU, VFIO_TYPE1v2_IOMMU) < 0)
		return -errno ? -errno : -EBUSY;
	fds[2] = ioctl(fds[1], VFIO_GROUP_GET_DEVICE_FD,
		       sriovvirt_pf_get_name(pf));
	if (fds[2] < 0 || ioctl(fds[2], VFIO_DEVICE_FEATURE, &feature) < 0)
		return -errno;
	return 0;
}

/*
 * The PF bound to vfio-pci with enable_sriov, opened and given a VF token
 * as a user-space PF driver does: the VF opens only with that token, and
 * every refusal says why. The PF goes back to its driver afterwards.
 */
static void test_vf_token(struct sriovvirt_pf *pf)
{
	char driver[64], saved[64];
	int fds[3] = { -1, -1, -1 }, i;

	driver_of(pf, saved, sizeof(saved));
	CHECK_R(sysfs_write("/sys/module/vfio_pci/parameters/enable_sriov", "1"), 0);
	rebind(pf, "vfio-pci");
	CHECK(!strcmp(driver_of(pf, driver, sizeof(driver)), "vfio-pci"),
	      "PF bound to vfio-pci (%s)", driver);
	CHECK_R(open_pf_as_driver(pf, fds), 0);
	enable(pf, 1);
	CHECK_R(sriovvirt_vf_bind(pf, 0, "vfio-pci"), 0);

	CHECK_R(sriovvirt_vf_vfio_open(pf, 0, NULL), -EACCES);
	CHECK(strstr(last_error, "VF token") != NULL, "explained: %s", last_error);
	CHECK_R(sriovvirt_vf_vfio_open(pf, 0, "00000000-0000-0000-0000-000000000000"),
		-EACCES);
	CHECK(strstr(last_error, "refused the VF token") != NULL, "explained: %s",
	      last_error);
	CHECK_R(sriovvirt_vf_vfio_open(pf, 0, TOKEN), 0);
	CHECK(config32(pf, 0, 0) != 0xffffffff, "real IDs through VFIO: %08x",
	      config32(pf, 0, 0));
	CHECK_R(sriovvirt_vf_vfio_close(pf, 0), 0);

	CHECK_R(sriovvirt_vf_unbind(pf, 0), 0);
	disable(pf);
	CHECK(num_vfs(pf) == 0, "VFs disabled");
	for (i = 2; i >= 0; i--)
		if (fds[i] >= 0)
			close(fds[i]);
	rebind(pf, "");		/* no override: its own driver again */
	CHECK(!strcmp(driver_of(pf, driver, sizeof(driver)), saved),
	      "PF back on %s", saved);
}

static int blocks_unprivileged(const char *pf_name)
{
	struct sriovvirt_pf *pf = open_pf(pf_name);
	uint8_t buf[4];
	int r = sriovvirt_vf_read_block(pf, 0, 7, buf, sizeof(buf), NULL);

	printf("as nobody: %d (%s)\n", r, last_error);
	fflush(stdout);
	return r == -EACCES && strstr(last_error, "belongs to UID 0") ? 0 : 1;
}

/*
 * A child attaches and answers nothing (or dies) while the parent
 * disables: the timeout fails the disable and changes nothing; a
 * SIGKILLed attacher lets it go on at once. Blocks refuse another user.
 */
static pid_t silent_attacher(struct sriovvirt_pf *pf, int *ret_ready)
{
	int p[2], fd;
	pid_t pid;

	if (pipe(p) < 0)
		return -1;
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		struct sriovvirt_pf *child = open_pf(sriovvirt_pf_get_name(pf));

		close(p[0]);
		if (sriovvirt_pf_attach(child, &fd) < 0)
			_exit(1);
		(void)!write(p[1], "a", 1);
		for (;;)
			pause();	/* never answers */
	}
	close(p[1]);
	*ret_ready = p[0];
	return pid;
}

static void test_events(struct sriovvirt_pf *pf)
{
	struct sriovvirt_ctx *ctx = sriovvirt_pf_get_ctx(pf);
	struct timespec t0, t1;
	int ready = -1, status;
	uint8_t buf[3] = { 1, 2, 3 };
	char c;
	pid_t pid;

	enable(pf, 2);
	CHECK_R(sriovvirt_vf_write_block(pf, 0, 7, buf, sizeof(buf)), 0);
	CHECK(as_nobody(blocks_unprivileged, sriovvirt_pf_get_name(pf)) == 0,
	      "another user's block read: -EACCES, the owner named");

	pid = silent_attacher(pf, &ready);
	CHECK(read(ready, &c, 1) == 1, "child attached");
	CHECK_R(sriovvirt_ctx_set_query_timeout(ctx, 500), 0);
	CHECK_R(sriovvirt_pf_enable_virtualization(pf, 0, false, 0, 0),
		-ETIMEDOUT);
	CHECK(strstr(last_error, "did not answer within 500 ms") != NULL,
	      "the timeout is explained: %s", last_error);
	CHECK(num_vfs(pf) == 2, "nothing changed: NumVFs %u", num_vfs(pf));

	/* Killed while the disable waits for its answer. */
	CHECK_R(sriovvirt_ctx_set_query_timeout(ctx, 60000), 0);
	if (fork() == 0) {
		usleep(300 * 1000);
		kill(pid, SIGKILL);
		_exit(0);
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	CHECK_R(sriovvirt_pf_enable_virtualization(pf, 0, false, 0, 0), 0);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	CHECK(t1.tv_sec - t0.tv_sec < 10, "the disable went on when the "
	      "attacher died, after %ld s", (long)(t1.tv_sec - t0.tv_sec));
	CHECK(num_vfs(pf) == 0, "VFs disabled");
	waitpid(pid, &status, 0);
	while (wait(NULL) > 0)
		;
	close(ready);
	CHECK_R(sriovvirt_ctx_set_query_timeout(ctx, 10000), 0);
}

/*
 * The VFIO request IRQ: with VF 1 held through VFIO by an attached handle,
 * another process unbinding it from vfio-pci makes the kernel ask for it
 * back; the attacher gets DEVICE_REQUEST, closes the VF, and the unbind
 * (which waited) completes.
 */
static void test_device_request(struct sriovvirt_pf *pf)
{
	struct sriovvirt_pf_event e = { 0 };
	struct sriovvirt_pci_addr addr;
	char name[SRIOVVIRT_PCI_ADDR_BUFSIZE], driver[64];
	struct pollfd p = { .events = POLLIN };
	bool asked = false;
	int status = -1;
	pid_t pid;

	enable(pf, 2);
	CHECK_R(sriovvirt_vf_bind(pf, 1, "vfio-pci"), 0);
	CHECK_R(sriovvirt_pf_attach(pf, &p.fd), 0);
	CHECK_R(sriovvirt_vf_vfio_open(pf, 1, NULL), 0);
	CHECK_R(sriovvirt_vf_get_addr(pf, 1, &addr), 0);
	sriovvirt_pci_addr_format(&addr, name, sizeof(name));
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		/* exec: a forked copy of the VFIO fds would hold the VF too. */
		char cmd[128];

		snprintf(cmd, sizeof(cmd),
			 "echo %s > /sys/bus/pci/drivers/vfio-pci/unbind", name);
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	while (!asked && poll(&p, 1, 20000) > 0) {
		while (sriovvirt_pf_next_event(pf, &e) == 0) {
			printf("event %s VF %u\n", sriovvirt_event_name(e.code),
			       e.vf);
			if (e.code == SRIOVVIRT_EVENT_DEVICE_REQUEST && e.vf == 1)
				asked = true;
		}
	}
	CHECK(asked, "the attacher got device_request for VF 1 (%s)", name);
	CHECK(e.addr.domain == addr.domain && e.addr.bus == addr.bus &&
	      e.addr.device == addr.device && e.addr.function == addr.function,
	      "with the VF's address");
	CHECK_R(sriovvirt_vf_vfio_close(pf, 1), 0);
	CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
	      WEXITSTATUS(status) == 0, "the unbind completed once the VF "
	      "was let go");
	CHECK(sriovvirt_dev_get_driver(sriovvirt_pf_get_ctx(pf), &addr, driver,
				       sizeof(driver)) == -ENODATA,
	      "VF 1 has no driver");
	CHECK_R(sriovvirt_pf_detach(pf), 0);
	CHECK_R(sriovvirt_vf_unbind(pf, 1), 0);
	disable(pf);
}

/* The PF's NIC VF settings as nobody: refused for want of CAP_NET_ADMIN. */
static int netvf_unprivileged(const char *pf_name)
{
	struct sriovvirt_pf *pf = open_pf(pf_name);
	struct sriovvirt_vf_net net = { .size = sizeof(net), .trust = true };
	int r = sriovvirt_vf_set_net(pf, 0, &net, SRIOVVIRT_VF_NET_TRUST);

	printf("as nobody: %d (%s)\n", r, last_error);
	return r == -EACCES && strstr(last_error, "trust") ? 0 : 1;
}

/*
 * NIC VF settings, for the netvf case: the igb PF with 3 VFs enabled and
 * its interface up (igb checks a maximum rate against the link speed), VF
 * 1 without a rate limit. igb reports every field (its rates of 0 too);
 * the errnos of what igb refuses; a bad value sends nothing. Leaves VF 1
 * as it found it. A PF without an interface: -ENODATA.
 */
static void test_netvf(struct sriovvirt_pf *pf)
{
	const unsigned int reported = SRIOVVIRT_VF_NET_MAC |
		SRIOVVIRT_VF_NET_VLAN | SRIOVVIRT_VF_NET_SPOOFCHK |
		SRIOVVIRT_VF_NET_TRUST | SRIOVVIRT_VF_NET_LINK_STATE |
		SRIOVVIRT_VF_NET_MIN_TX_RATE | SRIOVVIRT_VF_NET_MAX_TX_RATE |
		SRIOVVIRT_VF_NET_STATS;
	struct sriovvirt_vf_net net = { .size = sizeof(net) }, set, now;
	char name[16];

	if (sriovvirt_pf_get_netdev(pf, name, sizeof(name)) == -ENODATA) {
		CHECK_R(sriovvirt_vf_get_net(pf, 0, &net), -ENODATA);
		set = (struct sriovvirt_vf_net){ .trust = true };
		CHECK_R(sriovvirt_vf_set_net(pf, 0, &set, SRIOVVIRT_VF_NET_TRUST),
			-ENODATA);
		CHECK(strstr(last_error, "no network interface") != NULL,
		      "explained: %s", last_error);
		return;
	}
	CHECK_R(sriovvirt_pf_get_netdev(pf, name, sizeof(name)), 0);
	CHECK_R(sriovvirt_pf_get_netdev(pf, name, 2), -ERANGE);
	CHECK_R(sriovvirt_vf_get_net(pf, 1, &net), 0);
	CHECK(net.size == sizeof(net) && net.valid == reported,
	      "igb reports every field: valid %#x, want %#x", net.valid, reported);
	CHECK(net.vlan_proto == 0x8100 && net.link_state == 0 &&
	      net.min_tx_rate == 0, "802.1Q, link state auto, no minimum rate");
	CHECK_R(sriovvirt_vf_get_net(pf, num_vfs(pf), &net), -EINVAL);

	set = net;
	set.vlan = 5;
	set.vlan_proto = 0x88a8;
	CHECK_R(sriovvirt_vf_set_net(pf, 1, &set, SRIOVVIRT_VF_NET_VLAN),
		-EOPNOTSUPP);
	printf("802.1ad: %s\n", last_error);
	set.link_state = SRIOVVIRT_VF_LINK_STATE_DISABLE;
	CHECK_R(sriovvirt_vf_set_net(pf, 1, &set, SRIOVVIRT_VF_NET_LINK_STATE),
		-EOPNOTSUPP);
	CHECK(strstr(last_error, "link_state") &&
	      strstr(last_error, "does not implement"), "explained: %s",
	      last_error);
	set.min_tx_rate = 10;
	CHECK_R(sriovvirt_vf_set_net(pf, 1, &set, SRIOVVIRT_VF_NET_MIN_TX_RATE),
		-EINVAL);
	set.max_tx_rate = 1000000;
	CHECK_R(sriovvirt_vf_set_net(pf, 1, &set, SRIOVVIRT_VF_NET_MAX_TX_RATE),
		-EINVAL);
	/* Checked before sending: the trust before it is not set either. */
	set.trust = !net.trust;
	set.mac[0] = 0x01;
	CHECK_R(sriovvirt_vf_set_net(pf, 1, &set, SRIOVVIRT_VF_NET_TRUST |
				     SRIOVVIRT_VF_NET_MAC), -EINVAL);
	CHECK(as_nobody(netvf_unprivileged, sriovvirt_pf_get_name(pf)) == 0,
	      "as nobody: -EACCES, explained");
	CHECK_R(sriovvirt_vf_get_net(pf, 1, &now), 0);
	CHECK(memcmp(&now, &net, sizeof(net)) == 0,
	      "VF 1 unchanged by the refusals");
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
	{ "vfio", test_vfio },
	{ "vf-token", test_vf_token },
	{ "events", test_events },
	{ "device-request", test_device_request },
	{ "netvf", test_netvf },
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
