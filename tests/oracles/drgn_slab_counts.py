#!/usr/bin/python3
"""Per-cache slab counts of a dump computed with drgn, as an independent
oracle for `slabscope caches`.

One pass over the struct page array (like drgn's own
slab_cache_for_each_allocated_object, but for every cache at once):
a slab page belongs to the cache its slab_cache names; its free objects are
those on slab->freelist plus, for a CPU's current slab, that CPU's lockless
freelist; allocated = objects - free.  Prints one JSON object:
{"caches": {NAME: {"address", "slabs", "total", "allocated", "walk_error"}}}

usage: drgn_slab_counts.py DUMP VMLINUX
"""
import json
import sys

import drgn
from drgn import FaultError, cast
from drgn.helpers.linux.cpumask import for_each_possible_cpu
from drgn.helpers.linux.mm import for_each_page, page_to_virt
from drgn.helpers.linux.percpu import per_cpu_ptr
from drgn.helpers.linux.slab import for_each_slab_cache

prog = drgn.Program()
prog.set_core_dump(sys.argv[1])
prog.load_debug_info([sys.argv[2]])

slab_type = prog.type("struct slab *")
PG_slab = 1 << prog.constant("PG_slab").value_()
ulong = 8


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


caches = {}
for cache in for_each_slab_cache(prog):
    addr = cache.value_()
    walk = freelist_walker(cache)
    cpu_free = set()
    err = None
    for cpu in for_each_possible_cpu(prog):
        c = per_cpu_ptr(cache.cpu_slab, cpu)
        if c.slab:
            try:
                walk(c.freelist.value_(), cpu_free)
            except (FaultError, ValueError) as e:
                err = str(e)
    caches[addr] = {
        "name": cache_name(cache),
        "address": hex(addr),
        "size": cache.size.value_(),
        "red_left_pad": cache.red_left_pad.value_(),
        "walk": walk, "cpu_free": cpu_free,
        "slabs": 0, "total": 0, "allocated": 0, "walk_error": err,
    }

for page in for_each_page(prog):
    try:
        flags = page.flags.value_()
    except FaultError:
        continue
    if not flags & PG_slab or page.compound_head.value_() & 1:
        continue
    slab = cast(slab_type, page)
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
    base = page_to_virt(page).value_() + c["red_left_pad"]
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
