#!/usr/bin/python3
"""Per-cache slab counts of a dump computed with drgn, as an independent
oracle for `slabscope caches`.

One pass over the struct page array (like drgn's own
slab_cache_for_each_allocated_object, but for every cache at once):
a slab page belongs to the cache its slab_cache names; its free objects are
those on slab->freelist plus, for a CPU's current slab, that CPU's lockless
freelist, or, where SLUB keeps sheaves (7.x), every object in a CPU's
main, spare and rcu_free sheaf and in the node barns' sheaves (free to
users though the slab counts them in use); allocated = objects - free.
Every generation, by what its types have: slab fields in struct page
(5.10) or struct slab (5.17+), PG_slab or the slab page type (6.10+),
kmem_cache_cpu (page or slab) or sheaves.  Prints one JSON object:
{"caches": {NAME: {"address", "slabs", "total", "allocated", "walk_error"}}}

usage: drgn_slab_counts.py DUMP VMLINUX
"""
import json
import sys

import drgn
from drgn import FaultError, Object, cast
from drgn.helpers.linux.cpumask import for_each_possible_cpu
from drgn.helpers.linux.list import list_for_each_entry
from drgn.helpers.linux.mm import for_each_page, page_to_virt
from drgn.helpers.linux.percpu import per_cpu_ptr
from drgn.helpers.linux.slab import for_each_slab_cache

prog = drgn.Program()
prog.set_core_dump(sys.argv[1])
prog.load_debug_info([sys.argv[2]])

try:
    slab_type = prog.type("struct slab *")
except LookupError:  # 5.10: the slab's fields are struct page's
    slab_type = None
try:
    PG_slab = 1 << prog.constant("PG_slab").value_()
    PGTY_slab = None
except LookupError:  # 6.10+: a page type, on the head page only
    PG_slab = None
    PGTY_slab = prog.constant("PGTY_slab").value_()
ulong = 8
# SLAB_RED_ZONE: a #define before 6.8, then bit _SLAB_RED_ZONE of an enum.
try:
    SLAB_RED_ZONE = 1 << prog.constant("_SLAB_RED_ZONE").value_()
except LookupError:
    SLAB_RED_ZONE = 0x400
# kmem_cache_debug_flags() (5.10+) sees no debug flag while the static key
# slub_debug_enabled is off, though the cache was laid out with them.
try:
    if not prog["slub_debug_enabled"].key.enabled.counter.value_():
        SLAB_RED_ZONE = 0
except KeyError:
    pass


def is_slab_head(page):
    if PG_slab is None:
        return (page.page_type.value_() >> 24) == PGTY_slab
    return page.flags.value_() & PG_slab and not page.compound_head.value_() & 1


def sheaf_objects(sheaf, out):
    if not sheaf:
        return
    for i in range(sheaf.size.value_()):
        out.add(sheaf.objects[i].value_())


def cpu_free_objects(cache, walk, out):
    """Objects free to users outside the slabs' own freelists."""
    try:
        cpu_slab = cache.cpu_slab
    except AttributeError:
        cpu_slab = None
    for cpu in for_each_possible_cpu(prog):
        if cpu_slab is not None:
            c = per_cpu_ptr(cpu_slab, cpu)
            try:
                cur = c.slab
            except AttributeError:
                cur = c.page
            if cur:
                walk(c.freelist.value_(), out)
        else:
            pcs = per_cpu_ptr(cache.cpu_sheaves, cpu)
            for name in ("main", "spare", "rcu_free"):
                sheaf_objects(getattr(pcs, name), out)
    if cpu_slab is None:
        for n in range(prog["nr_node_ids"].value_()):
            barn = cache.per_node[n].barn
            if not barn:
                continue
            for head in (barn.sheaves_full, barn.sheaves_empty):
                for sheaf in list_for_each_entry(
                        "struct slab_sheaf", head.address_of_(), "barn_list"):
                    sheaf_objects(sheaf, out)


def freelist_walker(cache):
    offset = cache.offset.value_()
    try:
        rnd = cache.random.value_()
    except AttributeError:
        rnd = None

    def walk(ptr, out):
        seen = 0
        while ptr:
            if ptr in out or seen > 100000:
                raise ValueError("cycle")
            out.add(ptr)
            seen += 1
            word = prog.read_word(ptr + offset)
            if rnd is not None:
                a = ptr + offset
                word ^= rnd ^ int.from_bytes(a.to_bytes(ulong, "little"), "big")
            ptr = word
    return walk


def cache_name(cache):
    # An unreadable name (the corrupt fixture) would stop the oracle with a
    # FaultError, as it stops drgn's own helpers: name it "?" like slabscope.
    try:
        return cache.name.string_().decode(errors="replace")
    except FaultError:
        return "?"


def vmcoreinfo():
    out = {}
    for line in prog["vmcoreinfo_data"].string_().decode(errors="replace").splitlines():
        k, _, v = line.partition("=")
        out[k] = v
    return out


def arm64_narrowed():
    """The translation of an arm64 52-bit kernel running with 48 bits.

    drgn 0.0.22 walks arm64 page tables with VMCOREINFO's VA_BITS; a 52-bit
    kernel on a CPU without LPA2 runs with 48 (TCR_EL1_T1SZ = 16), so every
    vmemmap read faults and drgn finds no page.  Then the struct pages are
    read through a walk of swapper_pg_dir done here (4 KiB pages, 4 levels,
    independent of slabscope's libkdumpfile walk), and a slab's address is
    the kernel's __va: (phys - PHYS_OFFSET) | PAGE_OFFSET.  None elsewhere.
    """
    if prog.platform.arch != drgn.Architecture.AARCH64:
        return None
    info = vmcoreinfo()
    try:
        va_bits = int(info["NUMBER(VA_BITS)"])
        actual = 64 - int(info["NUMBER(TCR_EL1_T1SZ)"], 16)
        voffset = int(info["NUMBER(kimage_voffset)"], 16)
        phys_offset = int(info["NUMBER(PHYS_OFFSET)"], 16)
    except (KeyError, ValueError):
        return None
    if actual >= va_bits or actual != 48 or info.get("PAGESIZE") != "4096":
        return None
    pgd = prog.symbol("swapper_pg_dir").address - voffset
    oa = ((1 << 48) - 1) & ~0xfff

    def translate(va):
        table = pgd
        for level, shift in enumerate((39, 30, 21, 12)):
            desc = int.from_bytes(prog.read(table + ((va >> shift) & 511) * 8, 8, True), "little")
            if not desc & 1:
                raise FaultError("not mapped", va)
            if level < 3 and desc & 3 == 1:  # a block
                return (desc & oa & ~((1 << shift) - 1)) | (va & ((1 << shift) - 1))
            table = desc & oa
        return table | (va & 0xfff)

    mask = (1 << 64) - 1
    page_offset = -(1 << va_bits) & mask
    return translate, lambda pfn: (((pfn << 12) - phys_offset) & mask) | page_offset


def pages(narrowed):
    """(struct page object, slab address function) of every page"""
    if narrowed is None:
        for page in for_each_page(prog):
            yield page, lambda page=page: page_to_virt(page).value_()
        return
    translate, pfn_to_virt = narrowed
    ptype = prog.type("struct page")
    size = ptype.size
    vmemmap = prog["vmemmap"].value_()
    for pfn in range(prog["min_low_pfn"].value_(), prog["max_pfn"].value_()):
        try:
            data = prog.read(translate(vmemmap + pfn * size), size, True)
        except FaultError:
            continue
        yield Object.from_bytes_(prog, ptype, data), lambda pfn=pfn: pfn_to_virt(pfn)


NARROWED = arm64_narrowed()

caches = {}
for cache in for_each_slab_cache(prog):
    addr = cache.value_()
    walk = freelist_walker(cache)
    cpu_free = set()
    err = None
    try:
        cpu_free_objects(cache, walk, cpu_free)
    except (FaultError, ValueError) as e:
        err = str(e)
    caches[addr] = {
        "name": cache_name(cache),
        "address": hex(addr),
        "size": cache.size.value_(),
        # kmem_cache.red_left_pad counts only with SLAB_RED_ZONE in
        # effect (fixup_red_left())
        "red_left_pad": cache.red_left_pad.value_()
        if cache.flags.value_() & SLAB_RED_ZONE else 0,
        "walk": walk, "cpu_free": cpu_free,
        "slabs": 0, "total": 0, "allocated": 0, "walk_error": err,
    }

for page, virt in pages(NARROWED):
    try:
        if not is_slab_head(page):
            continue
    except FaultError:
        continue
    if slab_type is None:
        slab = page
    elif NARROWED is None:
        slab = cast(slab_type, page)
    else:  # a value read by hand: the same bytes as struct slab
        slab = Object.from_bytes_(prog, slab_type.type, page.to_bytes_())
    c = caches.get(slab.slab_cache.value_())
    if c is None:
        continue
    objects = slab.objects.value_()
    c["slabs"] += 1
    c["total"] += objects
    free = set()
    try:
        c["walk"](slab.freelist.value_(), free)
    except (FaultError, ValueError) as e:
        c["walk_error"] = str(e)
    base = virt() + c["red_left_pad"]
    n_free = 0
    for i in range(objects):
        a = base + i * c["size"]
        if a in free or a in c["cpu_free"]:
            n_free += 1
    c["allocated"] += objects - n_free

out = {}
for c in caches.values():
    out[c["name"]] = {k: c[k] for k in ("address", "slabs", "total",
                                         "allocated", "walk_error")}
json.dump({"caches": out}, sys.stdout, indent=1, sort_keys=True)
print()
