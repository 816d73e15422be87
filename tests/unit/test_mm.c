/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The arm64 memory map from VMCOREINFO: the address bits in use and the
 * linear map of 48-bit, 52-bit and 52-bit-on-48-bit-CPU kernels, with the
 * values of real Debian kernels under QEMU (trixie 6.12 cloud with
 * lpa2=off, sid 7.2 cloud with LPA2, bookworm 6.1 cloud). */
#include <string.h>

#include <slabscope/target.h>

#include "unit.h"

/* VMCOREINFO as "KEY=VALUE\n" lines (a test's table) */
static const char *lookup(void *arg, const char *key)
{
	static char value[64];
	const char *p = arg;
	size_t n = strlen(key);
	while (p && *p) {
		const char *eol = strchr(p, '\n');
		if (!eol)
			eol = p + strlen(p);
		if ((size_t)(eol - p) > n && !strncmp(p, key, n) &&
		    p[n] == '=') {
			size_t len = (size_t)(eol - p) - n - 1;
			if (len >= sizeof(value))
				len = sizeof(value) - 1;
			memcpy(value, p + n + 1, len);
			value[len] = 0;
			return value;
		}
		p = *eol ? eol + 1 : eol;
	}
	return NULL;
}

static struct ss_target target_of(const char *vmcoreinfo)
{
	struct ss_target t;
	memset(&t, 0, sizeof(t));
	t.name = "test";
	t.vmcoreinfo = lookup;
	t.symbol_arg = (void *)vmcoreinfo;
	return t;
}

static void va_bits(const char *vmcoreinfo, unsigned int want_config,
		    unsigned int want_actual)
{
	struct ss_target t = target_of(vmcoreinfo);
	unsigned int config = 0, actual = 0;
	SS_ASSERT_OK(ss_target_aarch64_va_bits(&t, &config, &actual));
	CU_ASSERT_EQUAL(config, want_config);
	CU_ASSERT_EQUAL(actual, want_actual);
}

static void test_va_bits(void)
{
	/* 48-bit kernel; 52-bit kernel with and without LPA2 */
	va_bits("NUMBER(VA_BITS)=48\nNUMBER(TCR_EL1_T1SZ)=0x10\n", 48, 48);
	va_bits("NUMBER(VA_BITS)=52\nNUMBER(TCR_EL1_T1SZ)=0xc\n", 52, 52);
	va_bits("NUMBER(VA_BITS)=52\nNUMBER(TCR_EL1_T1SZ)=0x10\n", 52, 48);
	/* before 5.12 no T1SZ: VA_BITS */
	va_bits("NUMBER(VA_BITS)=48\n", 48, 48);
	/* a T1SZ that would widen the half, or is no arm64 size: ignored */
	va_bits("NUMBER(VA_BITS)=48\nNUMBER(TCR_EL1_T1SZ)=0xc\n", 48, 48);
	va_bits("NUMBER(VA_BITS)=52\nNUMBER(TCR_EL1_T1SZ)=40\n", 52, 52);
	va_bits("NUMBER(VA_BITS)=52\nNUMBER(TCR_EL1_T1SZ)=junk\n", 52, 52);

	unsigned int c, a;
	struct ss_target t = target_of("NUMBER(TCR_EL1_T1SZ)=0x10\n");
	SS_ASSERT_ERR(ss_target_aarch64_va_bits(&t, &c, &a), SS_ERR_MISSING);
	t = target_of("NUMBER(VA_BITS)=64\n");
	SS_ASSERT_ERR(ss_target_aarch64_va_bits(&t, &c, &a), SS_ERR_CORRUPT);
	t = target_of("NUMBER(VA_BITS)=0x30zz\n");
	SS_ASSERT_ERR(ss_target_aarch64_va_bits(&t, &c, &a), SS_ERR_MISSING);
}

static struct ss_mm_facts map(unsigned int va, unsigned int actual,
			      uint64_t phys_offset, uint64_t vmemmap_start)
{
	struct ss_mm_facts f;
	memset(&f, 0, sizeof(f));
	f.page_size = 4096;
	f.page_shift = 12;
	f.struct_page_size = 64;
	ss_aarch64_linear_map(va, actual, phys_offset, vmemmap_start, &f);
	return f;
}

/* the struct page and the linear-map address of the RAM frame at phys,
 * checked against the kernel's own page_to_virt: PAGE_OFFSET(va) + the
 * page's index from VMEMMAP_START times the page size */
static void frame(const struct ss_mm_facts *f, unsigned int va,
		  uint64_t vmemmap_start, uint64_t phys, uint64_t want_virt)
{
	uint64_t pfn = phys >> 12;
	uint64_t page = f->vmemmap + pfn * 64;
	CU_ASSERT_EQUAL(f->page_offset + pfn * 4096, want_virt);
	CU_ASSERT_EQUAL(-(UINT64_C(1) << va) +
				(page - vmemmap_start) / 64 * 4096,
			want_virt);
}

static void test_linear_map(void)
{
	const uint64_t vs = 0xffffc1ffc0000000ULL;
	/* trixie 6.12 cloud, QEMU lpa2=off: memstart_addr lowered by
	 * _PAGE_OFFSET(48) - _PAGE_OFFSET(52); RAM at 1 GiB */
	struct ss_mm_facts f = map(52, 48, 0xfff1000040000000ULL, vs);
	CU_ASSERT_EQUAL(f.min_pfn, 0x40000);
	CU_ASSERT_EQUAL(f.va_bits, 48);
	CU_ASSERT_EQUAL(f.vmemmap, 0xfffffdffbf000000ULL);
	frame(&f, 52, vs, 0x40000000, 0xffff000000000000ULL);
	frame(&f, 52, vs, 0x4ffff000, 0xffff00000ffff000ULL);

	/* sid 7.2 cloud with LPA2: 52 bits in use */
	f = map(52, 52, 0x40000000, vs);
	CU_ASSERT_EQUAL(f.min_pfn, 0x40000);
	CU_ASSERT_EQUAL(f.va_bits, 52);
	frame(&f, 52, vs, 0x40000000, 0xfff0000000000000ULL);

	/* bookworm 6.1 cloud: 48 bits */
	const uint64_t vs48 = 0xfffffc0000000000ULL;
	f = map(48, 48, 0x40000000, vs48);
	CU_ASSERT_EQUAL(f.min_pfn, 0x40000);
	frame(&f, 48, vs48, 0x40000000, 0xffff000000000000ULL);
	frame(&f, 48, vs48, 0x48001000, 0xffff000008001000ULL);
}

int ss_test_mm_register(void)
{
	CU_pSuite s = CU_add_suite("mm", NULL, NULL);
	if (!s || !CU_add_test(s, "arm64 VA bits in use", test_va_bits) ||
	    !CU_add_test(s, "arm64 linear map and vmemmap", test_linear_map))
		return -1;
	return 0;
}
