#!/usr/bin/python3
"""Plant sheaf faults into a copy of a 7.x QEMU ELF dump (tests/integration/
sheaves.sh).  drgn reads the complete makedumpfile dump of the same guest
to find CPU 0's main sheaves; the ELF copy is patched at their physical
addresses (direct map: phys = virt - page_offset_base).

usage: sheafedit.py MDF0 VMLINUX ELF_IN ELF_OUT

Prints one JSON object: {"foreign": {...}, "twice": {...}, "freelist":
{...}, "overfull": {...}}, each with the cache, sheaf and the address
written, so that the test knows what must be found.
"""
import json
import shutil
import struct
import sys

import drgn
from drgn.helpers.linux.percpu import per_cpu_ptr
from drgn.helpers.linux.slab import for_each_slab_cache

mdf0, vmlinux, elf_in, elf_out = sys.argv[1:5]
prog = drgn.Program()
prog.set_core_dump(mdf0)
prog.load_debug_info([vmlinux])
pob = prog["page_offset_base"].value_()

# Main sheaves of CPU 0 with at least two objects, by cache name.
sheaves = []
for cache in for_each_slab_cache(prog):
    main = per_cpu_ptr(cache.cpu_sheaves, 0).main
    if not main or main.size.value_() < 2:
        continue
    sheaves.append((cache.name.string_().decode(), cache, main))
sheaves.sort(key=lambda t: t[0])
if len(sheaves) < 4:
    sys.exit("fewer than 4 caches with a main sheaf of 2+ objects on CPU 0")


def first_free_on_slab(cache):
    """An object on a slab's own freelist (node partial list)."""
    for n in range(prog["nr_node_ids"].value_()):
        node = cache.per_node[n].node
        if not node:
            continue
        from drgn.helpers.linux.list import list_for_each_entry
        for slab in list_for_each_entry("struct slab",
                                        node.partial.address_of_(),
                                        "slab_list"):
            if slab.freelist:
                return slab.freelist.value_()
    return None


edits = []  # (virtual address, bytes)
out = {}
# 1. foreign: entry 1 of sheaf A is an object of sheaf B's cache
(na, ca, sa), (nb, cb, sb) = sheaves[0], sheaves[1]
foreign = sb.objects[0].value_()
at = sa.objects[1].address_of_().value_()
edits.append((at, struct.pack("<Q", foreign)))
out["foreign"] = {"cache": na, "address": hex(at), "object": hex(foreign),
                  "other": nb}
# 2. twice: entry 1 of sheaf C repeats entry 0
nc, cc, sc = sheaves[2]
twice = sc.objects[0].value_()
at = sc.objects[1].address_of_().value_()
edits.append((at, struct.pack("<Q", twice)))
out["twice"] = {"cache": nc, "address": hex(at), "object": hex(twice)}
# 3. freelist: entry 1 of a sheaf is an object on its slab's freelist
for nd, cd, sd in sheaves[3:]:
    obj = first_free_on_slab(cd)
    if obj:
        # what the freelist head points at is the object address; the
        # free pointer is stored encoded inside it, untouched here
        at = sd.objects[1].address_of_().value_()
        edits.append((at, struct.pack("<Q", obj)))
        out["freelist"] = {"cache": nd, "address": hex(at), "object": hex(obj)}
        used = nd
        break
# 4. overfull: a sheaf's size beyond its capacity
for ne, ce, se in sheaves[3:]:
    if ne == out.get("freelist", {}).get("cache"):
        continue
    cap = ce.sheaf_capacity.value_()
    at = se.size.address_of_().value_()
    edits.append((at, struct.pack("<I", cap + 7)))
    out["overfull"] = {"cache": ne, "address": hex(at), "size": cap + 7,
                       "capacity": cap}
    break

shutil.copyfile(elf_in, elf_out)
with open(elf_out, "r+b") as f:
    ehdr = f.read(64)
    phoff, = struct.unpack_from("<Q", ehdr, 0x20)
    phentsize, phnum = struct.unpack_from("<HH", ehdr, 0x36)
    loads = []
    for i in range(phnum):
        f.seek(phoff + i * phentsize)
        p_type, _, p_offset, _, p_paddr, p_filesz = struct.unpack(
            "<IIQQQQ", f.read(40))
        if p_type == 1:
            loads.append((p_paddr, p_filesz, p_offset))
    for va, data in edits:
        pa = va - pob
        for paddr, size, off in loads:
            if paddr <= pa and pa + len(data) <= paddr + size:
                f.seek(off + pa - paddr)
                f.write(data)
                break
        else:
            sys.exit(f"0x{va:x} (phys 0x{pa:x}) is in no PT_LOAD segment")
json.dump(out, sys.stdout)
print()
