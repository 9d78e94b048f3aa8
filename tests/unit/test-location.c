// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * sv_vf_location(): where VF n is. Its routing ID is the PF's plus First VF
 * Offset plus n * VF Stride (PCIe Base spec 9.3.3.10/11, the kernel's
 * pci_iov_virtfn_bus/devfn); carries run from function to device to bus, and
 * nothing may lie beyond bus 255.
 */

#include <errno.h>

#include "unit.h"

static const struct sriovvirt_pci_addr poison = {
	.domain = 0xdeadbeef,
	.bus = 0xa5,
	.device = 0xa5,
	.function = 0xa5,
};

static struct sriovvirt_pci_addr addr(uint32_t domain, uint8_t bus,
				      uint8_t device, uint8_t function)
{
	return (struct sriovvirt_pci_addr){ domain, bus, device, function };
}

static void check_vf(struct sriovvirt_pci_addr pf, uint16_t offset,
		      uint16_t stride, uint16_t vf, uint8_t bus, uint8_t device,
		      uint8_t function)
{
	struct sriovvirt_pci_addr got = poison;
	int r = sv_vf_location(&pf, offset, stride, vf, &got);

	unit_expect(r == 0, "VF %u (r = %d)", vf, r);
	unit_expect(got.domain == pf.domain && got.bus == bus &&
		    got.device == device && got.function == function,
		    "VF %u (got %02x:%02x.%x)", vf, got.bus, got.device,
		    got.function);
}

static void check_error(struct sriovvirt_pci_addr pf, uint16_t offset,
			 uint16_t stride, uint16_t vf, int want)
{
	struct sriovvirt_pci_addr got = poison;
	int r = sv_vf_location(&pf, offset, stride, vf, &got);

	unit_expect(r == want, "offset %u stride %u VF %u (r = %d)", offset,
		    stride, vf, r);
	unit_expect(got.domain == poison.domain && got.bus == poison.bus &&
		    got.device == poison.device &&
		    got.function == poison.function,
		    "offset %u stride %u VF %u", offset, stride, vf);
}

/* The VM tier's PF_ROOT: VFs 00:04.1 .. 00:04.7, then 00:05.0. */
static void test_root_bus_no_ari(void **state)
{
	struct sriovvirt_pci_addr pf = addr(0, 0, 4, 0);

	(void)state;
	check_vf(pf, 1, 1, 0, 0, 4, 1);
	check_vf(pf, 1, 1, 6, 0, 4, 7);
	check_vf(pf, 1, 1, 7, 0, 5, 0);
}

/* With ARI all 256 functions of bus 0x81 are the PF's and its VFs'. */
static void test_ari(void **state)
{
	struct sriovvirt_pci_addr pf = addr(0, 0x81, 0, 0);

	(void)state;
	check_vf(pf, 1, 1, 0, 0x81, 0, 1);
	check_vf(pf, 1, 1, 31, 0x81, 4, 0);
	check_vf(pf, 1, 1, 254, 0x81, 0x1f, 7);
	check_vf(pf, 1, 1, 255, 0x82, 0, 0);
	/* The VM tier's PF_ARI: 32 VFs from 01:00.1 to 01:04.0. */
	check_vf(addr(0, 1, 0, 0), 1, 1, 31, 1, 4, 0);
}

/*
 * An Intel 82599's second port, 01:00.1: offset 0x80, stride 2 puts its VFs
 * at 01:10.1, 01:10.3, ... interleaved with the first port's.
 */
static void test_pf_at_function_1(void **state)
{
	struct sriovvirt_pci_addr pf = addr(0, 1, 0, 1);

	(void)state;
	check_vf(pf, 0x80, 2, 0, 1, 0x10, 1);
	check_vf(pf, 0x80, 2, 1, 1, 0x10, 3);
	check_vf(pf, 0x80, 2, 4, 1, 0x11, 1);
	check_vf(pf, 0x80, 2, 63, 1, 0x1f, 7);
	check_vf(pf, 0x80, 2, 64, 2, 0, 1);
	check_vf(addr(0, 1, 0, 0), 0x80, 2, 0, 1, 0x10, 0);
}

static void test_big_offsets(void **state)
{
	struct sriovvirt_pci_addr pf = addr(0, 0, 0, 0);

	(void)state;
	check_vf(pf, 0x100, 1, 0, 1, 0, 0);
	check_vf(pf, 0xff00, 2, 0x7f, 0xff, 0x1f, 6);
	check_vf(pf, 0xffff, 1, 0, 0xff, 0x1f, 7);
	check_vf(addr(0, 0x3b, 0x1f, 7), 0x100, 0x100, 3, 0x3f, 0x1f, 7);
}

/* The domain is the PF's, all 32 bits of it. */
static void test_domain_kept(void **state)
{
	(void)state;
	check_vf(addr(0x10000, 0xe1, 0, 0), 1, 1, 7, 0xe1, 1, 0);
	check_vf(addr(0xffffffff, 0, 0, 0), 8, 8, 2, 0, 3, 0);
}

static void test_beyond_bus_255(void **state)
{
	struct sriovvirt_pci_addr last = addr(0, 0xff, 0x1f, 7);

	(void)state;
	check_error(last, 1, 1, 0, -ERANGE);
	check_error(addr(0, 0xff, 0, 0), 0x100, 1, 0, -ERANGE);
	check_error(addr(0, 0, 0, 0), 0xff00, 2, 0x80, -ERANGE);
	/* Exactly the last routing ID is fine. */
	check_vf(addr(0, 0xff, 0, 0), 0xff, 1, 0, 0xff, 0x1f, 7);
	check_vf(addr(0, 0xfe, 0, 0), 1, 1, 0x1fe, 0xff, 0x1f, 7);
	check_error(addr(0, 0xfe, 0, 0), 1, 1, 0x1ff, -ERANGE);
	/* The largest sum must not wrap in 16 or 32 bits. */
	check_error(last, 0xffff, 0xffff, 0xffff, -ERANGE);
	check_error(addr(0, 0, 0, 0), 1, 0xffff, 0xffff, -ERANGE);
	check_error(addr(0, 0, 0, 0), 1, 0x101, 0xff01, -ERANGE);
}

/* The kernel refuses these capabilities (iov.c sriov_init). */
static void test_invalid_offset_stride(void **state)
{
	struct sriovvirt_pci_addr pf = addr(0, 0x3b, 0, 0);

	(void)state;
	check_error(pf, 0, 1, 0, -EIO);
	check_error(pf, 0, 1, 3, -EIO);
	check_error(pf, 0, 0, 0, -EIO);
	check_error(pf, 1, 0, 1, -EIO);
	check_error(pf, 1, 0, 0xffff, -EIO);
	/* One VF needs no stride. */
	check_vf(pf, 1, 0, 0, 0x3b, 0, 1);
}

static void test_null(void **state)
{
	struct sriovvirt_pci_addr pf = addr(0, 0x3b, 0, 0);
	struct sriovvirt_pci_addr got = poison;

	(void)state;
	assert_int_equal(sv_vf_location(NULL, 1, 1, 0, &got), -EINVAL);
	assert_int_equal(sv_vf_location(&pf, 1, 1, 0, NULL), -EINVAL);
	assert_int_equal(got.domain, poison.domain);
}

/*
 * The reference: walk from the PF one function at a time, carrying into the
 * device and bus numbers by hand, instead of adding routing IDs. Returns
 * false when the walk runs off bus 255.
 */
static bool advance(struct sriovvirt_pci_addr *a, uint64_t steps)
{
	uint64_t bus = a->bus, device = a->device, function = a->function;

	function += steps;
	device += function / 8;
	function %= 8;
	bus += device / 32;
	device %= 32;
	if (bus > 0xff)
		return false;
	a->bus = (uint8_t)bus;
	a->device = (uint8_t)device;
	a->function = (uint8_t)function;
	return true;
}

static void check_against_reference(struct sriovvirt_pci_addr pf,
				    uint16_t offset, uint16_t stride,
				    uint16_t vf)
{
	struct sriovvirt_pci_addr want = pf, got = poison;
	bool fits;
	int r;

	fits = advance(&want, offset + (uint64_t)stride * vf);
	r = sv_vf_location(&pf, offset, stride, vf, &got);
	unit_expect(r == (fits ? 0 : -ERANGE),
		    "PF %02x:%02x.%x offset %u stride %u VF %u (r = %d)",
		    pf.bus, pf.device, pf.function, offset, stride, vf, r);
	if (!fits)
		return;
	unit_expect(got.domain == want.domain && got.bus == want.bus &&
		    got.device == want.device && got.function == want.function,
		    "PF %02x:%02x.%x offset %u stride %u VF %u",
		    pf.bus, pf.device, pf.function, offset, stride, vf);
}

static const uint16_t offsets[] = {
	1, 2, 3, 7, 8, 0x10, 0x7f, 0x80, 0x81, 0xff, 0x100, 0x1000, 0xff00,
	0xffff,
};
static const uint16_t strides[] = { 1, 2, 3, 4, 8, 0x20, 0x100, 0xffff };
static const uint16_t vfs[] = { 0, 1, 2, 7, 8, 63, 64, 255, 256, 0x7fff,
				0xffff };

static void test_grid_against_reference(void **state)
{
	static const struct sriovvirt_pci_addr pfs[] = {
		{ 0, 0, 0, 0 }, { 0, 0, 4, 0 }, { 0, 1, 0, 1 },
		{ 0, 0x3b, 0x1f, 7 }, { 1, 0x81, 0, 0 }, { 0, 0xff, 0, 3 },
	};
	unsigned int p, o, s, v;

	(void)state;
	for (p = 0; p < SV_ARRAY_SIZE(pfs); p++)
		for (o = 0; o < SV_ARRAY_SIZE(offsets); o++)
			for (s = 0; s < SV_ARRAY_SIZE(strides); s++)
				for (v = 0; v < SV_ARRAY_SIZE(vfs); v++)
					check_against_reference(pfs[p],
						offsets[o], strides[s], vfs[v]);
}

static uint64_t xorshift64(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/*
 * Random triples, small ones most of the time so that most results are
 * addresses and not -ERANGE.
 */
static void test_random_against_reference(void **state)
{
	uint64_t seed = 0x2545f4914f6cdd1dull, x;
	struct sriovvirt_pci_addr pf;
	uint16_t offset, stride, vf;
	int i;

	(void)state;
	for (i = 0; i < 200000; i++) {
		x = xorshift64(&seed);
		pf = addr((uint32_t)(x >> 32), (uint8_t)x,
			  (uint8_t)((x >> 8) & 0x1f), (uint8_t)((x >> 13) & 7));
		x = xorshift64(&seed);
		offset = (uint16_t)(x & 1 ? x >> 8 : x >> 56);
		if (!offset)
			offset = 1;
		stride = (uint16_t)(x & 2 ? x >> 24 : (x >> 48) & 0xf);
		vf = (uint16_t)(x & 4 ? x >> 40 : (x >> 16) & 0xff);
		if (!stride && vf)
			stride = 1;
		check_against_reference(pf, offset, stride, vf);
	}
}

static unsigned int rid_of(const struct sriovvirt_pci_addr *a)
{
	return (unsigned int)a->bus << 8 | (unsigned int)a->device << 3 |
	       a->function;
}

/*
 * Consecutive VFs are exactly one stride apart in routing ID, all the way to
 * the last one that fits: PF 10:02.3 is routing ID 0x1013, so with offset
 * 0x21 and stride 3 VF n is 0x1034 + 3n, and 0x4fee is the last below 0xffff.
 */
static void test_consecutive_vfs(void **state)
{
	struct sriovvirt_pci_addr pf = addr(0, 0x10, 2, 3), a, b;
	uint16_t vf;

	(void)state;
	assert_int_equal(sv_vf_location(&pf, 0x21, 3, 0, &a), 0);
	assert_int_equal(rid_of(&a), 0x1034);
	for (vf = 0; vf < 0xffff; vf++) {
		if (sv_vf_location(&pf, 0x21, 3, vf + 1, &b) < 0)
			break;
		unit_expect(rid_of(&b) - rid_of(&a) == 3, "VF %u", vf);
		a = b;
	}
	assert_int_equal(vf, 0x4fee);
	assert_int_equal(rid_of(&a), 0x1034 + 3 * 0x4fee);
	assert_int_equal(sv_vf_location(&pf, 0x21, 3, 0x4fef, &b), -ERANGE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_root_bus_no_ari),
		cmocka_unit_test(test_ari),
		cmocka_unit_test(test_pf_at_function_1),
		cmocka_unit_test(test_big_offsets),
		cmocka_unit_test(test_domain_kept),
		cmocka_unit_test(test_beyond_bus_255),
		cmocka_unit_test(test_invalid_offset_stride),
		cmocka_unit_test(test_null),
		cmocka_unit_test(test_grid_against_reference),
		cmocka_unit_test(test_random_against_reference),
		cmocka_unit_test(test_consecutive_vfs),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
