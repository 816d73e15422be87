#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Write the seed corpora of tests/fuzz/ (checked in; rerun to regenerate).

    tests/fuzz/mkseeds.py [--real DUMP] [HARNESS...]

fuzz_dump: tiny dumps that open and translate.  A 64 KiB physical memory
with x86-64 page tables (direct map at 0xffff888000000000 through a 2 MiB
page and a 4 KiB page table, kernel text at 0xffffffff80000000) and a
VMCOREINFO naming init_top_pgt, written as an ELF vmcore (PT_NOTE with
VMCOREINFO and NT_PRSTATUS, one PT_LOAD per run of pages) and as a
kdump-compressed file (header version 6, sub-header with VMCOREINFO and
notes, both bitmaps, page descriptors, zlib and raw pages, a shared zero
page), in several variants (filtered, incomplete, DISKDUMP signature,
5-level paging, no VMCOREINFO, flattened, truncated).  With --real DUMP
(a makedumpfile -c kdump file, e.g. the `planted` fixture's vmcore.mdf):
also a tiny kdump file with that dump's notes, VMCOREINFO and the real page
tables that translate one direct-map and one kernel-text address (about
40 KiB instead of 15 MB).

fuzz_rules, fuzz_snapshot, fuzz_slab: small text and binary seeds.
"""
import argparse
import json
import os
import struct
import sys
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
PAGE = 4096
NPAGES = 16

# ---- page tables -----------------------------------------------------------

P, RW, A, D, PSE = 0x1, 0x2, 0x20, 0x40, 0x80
TABLE = P | RW | A | D
LARGE = P | RW | A | D | PSE
DIRECT = 0xFFFF888000000000
KTEXT = 0xFFFFFFFF80000000


def idx(va, level):
    return (va >> (12 + 9 * level)) & 511


def synthetic_memory(l5=False):
    """NPAGES pages: pfn 0 a pattern, 1 PGD, 2-3 direct-map PUD/PMD,
    4-5 kernel-text PUD/PMD, 6 a PTE table, 7 zero, 8.. more data."""
    mem = bytearray(NPAGES * PAGE)
    for i in range(PAGE):
        mem[i] = (i * 7 + 3) & 0xFF

    def put(pfn, index, value):
        struct.pack_into('<Q', mem, pfn * PAGE + 8 * index, value)

    pgd, pud_d, pmd_d, pud_k, pmd_k, pte = 1, 2, 3, 4, 5, 6
    put(pgd, idx(DIRECT, 3), pud_d * PAGE | TABLE)
    put(pud_d, idx(DIRECT, 2), pmd_d * PAGE | TABLE)
    put(pmd_d, 0, 0 | LARGE)  # 0xffff888000000000: phys 0, 2 MiB
    put(pmd_d, 1, pte * PAGE | TABLE)  # 0xffff888000200000: 4 KiB pages
    for i in range(NPAGES):
        put(pte, i, ((NPAGES - 1 - i) * PAGE) | TABLE)
    put(pte, 100, 0x7FFFF000 | TABLE)  # beyond memory
    put(pgd, idx(KTEXT, 3), pud_k * PAGE | TABLE)
    put(pud_k, idx(KTEXT, 2), pmd_k * PAGE | TABLE)
    put(pmd_k, 0, 0 | LARGE)  # 0xffffffff80000000
    put(pmd_k, 8, 0 | LARGE)  # 0xffffffff81000000
    if l5:  # a 5-level walk reads the PGD as the P4D's parent
        put(pgd, idx(DIRECT, 4), pgd * PAGE | TABLE)
    # pfn 7: zero; 8: page_offset_base (the direct map's base); 9..:
    # bytes of varied compressibility
    struct.pack_into('<Q', mem, 8 * PAGE, DIRECT)
    for pfn in range(9, NPAGES):
        for i in range(0, PAGE, 8):
            v = (pfn * 0x9E3779B97F4A7C15 + i * 0x100000001B3) & (2**64 - 1)
            struct.pack_into('<Q', mem, pfn * PAGE + i,
                             v if pfn % 2 else i // 64)
    return mem


def vmcoreinfo(l5=False, extra=''):
    return ('OSRELEASE=6.1.0-fuzz-amd64\n'
            'PAGESIZE=4096\n'
            'SYMBOL(init_top_pgt)=%x\n'
            'SYMBOL(_stext)=ffffffff81000000\n'
            'NUMBER(phys_base)=0\n'
            'KERNELOFFSET=0\n'
            'NUMBER(pgtable_l5_enabled)=%d\n'
            'SYMBOL(page_offset_base)=ffffffff81008000\n'
            'SIZE(page)=64\n'
            'CRASHTIME=1700000000\n' % (KTEXT + PAGE, 1 if l5 else 0)
            + extra).encode()


# ---- ELF notes ---------------------------------------------------------------

def align4(b):
    return b + b'\0' * (-len(b) % 4)


def note(name, ntype, desc):
    n = name.encode() + b'\0'
    return struct.pack('<III', len(n), len(desc), ntype) + align4(n) + \
        align4(desc)


def prstatus(pid=1):
    d = bytearray(336)  # x86-64 struct elf_prstatus
    struct.pack_into('<I', d, 32, pid)  # pr_pid
    struct.pack_into('<Q', d, 112 + 8 * 19, KTEXT + 0x1000000)  # rip
    return bytes(d)


def notes(vmci, ncpus=1):
    out = b''.join(note('CORE', 1, prstatus(i + 1)) for i in range(ncpus))
    if vmci is not None:
        out += note('VMCOREINFO', 0, vmci)
    return out


# ---- ELF vmcore --------------------------------------------------------------

def elf_core(mem, vmci, runs=None, vaddr_base=DIRECT, ncpus=1):
    """runs: [(first pfn, npages)] written as PT_LOADs (default: all)."""
    runs = runs or [(0, len(mem) // PAGE)]
    nt = notes(vmci, ncpus)
    phnum = 1 + len(runs)
    ehsize, phsize = 64, 56
    note_off = ehsize + phnum * phsize
    data_off = (note_off + len(nt) + PAGE - 1) // PAGE * PAGE
    eh = bytearray(ehsize)
    eh[0:16] = b'\x7fELF\x02\x01\x01' + b'\0' * 9
    struct.pack_into('<HHIQQQIHHHHHH', eh, 16, 4, 62, 1, 0, ehsize, 0, 0,
                     ehsize, phsize, phnum, 0, 0, 0)
    phs = struct.pack('<IIQQQQQQ', 4, 0, note_off, 0, 0, len(nt), len(nt), 0)
    body = b''
    off = data_off
    for first, n in runs:
        vaddr = vaddr_base + first * PAGE if vaddr_base else 0
        phs += struct.pack('<IIQQQQQQ', 1, 7, off, vaddr, first * PAGE,
                           n * PAGE, n * PAGE, PAGE)
        body += mem[first * PAGE:(first + n) * PAGE]
        off += n * PAGE
    head = bytes(eh) + phs + nt
    return head + b'\0' * (data_off - len(head)) + body


# ---- kdump-compressed --------------------------------------------------------

def utsname(release=b'6.1.0-fuzz-amd64', machine=b'x86_64'):
    fields = [b'Linux', b'fuzz', release, b'#1 SMP', machine, b'(none)']
    return b''.join(f[:64].ljust(65, b'\0') for f in fields)


def kdump(mem, vmci, dumped=None, level=31, status=1, signature=b'KDUMP   ',
          version=6, max_mapnr=None, ncpus=1, zero_pfns=(7,), raw_pfns=(0,),
          notes_blob=None, phys_base=0, release=b'6.1.0-fuzz-amd64',
          machine=b'x86_64'):
    """dumped: the pfns stored (default: all).  Pages in zero_pfns share
    one zero page's data; those in raw_pfns are stored uncompressed; the
    others zlib-compressed (when that is smaller)."""
    bs = PAGE
    npages = len(mem) // PAGE
    max_mapnr = max_mapnr or npages
    dumped = sorted(dumped if dumped is not None else range(npages))
    # sub-header, then the notes (the VMCOREINFO note last, as
    # makedumpfile writes them), in the sub-header blocks; the sub-header's
    # VMCOREINFO offset points into that note.
    nt = notes_blob if notes_blob is not None else notes(vmci, ncpus)
    sub_len = 104
    note_off = bs + sub_len
    vmci_off = note_off + len(nt)
    if vmci and nt.find(vmci) >= 0:
        vmci_off = note_off + nt.find(vmci)
        sub_end = note_off + len(nt)
    else:
        sub_end = vmci_off + (len(vmci) if vmci else 0)
    sub_blocks = (sub_end - bs + bs - 1) // bs
    bitmap_blocks = 2 * ((max_mapnr + 8 * bs - 1) // (8 * bs))
    half = bitmap_blocks // 2 * bs
    hdr = bytearray(bs)
    hdr[0:8] = signature
    struct.pack_into('<i', hdr, 8, version)
    hdr[12:12 + 390] = utsname(release, machine)
    struct.pack_into('<qq', hdr, 408, 1700000000, 0)
    struct.pack_into('<IiiIIIIIIi', hdr, 424, status, bs, sub_blocks,
                     bitmap_blocks, min(max_mapnr, 2**32 - 1), 0, 0, 0, 0,
                     ncpus)
    sub = bytearray(sub_blocks * bs)
    struct.pack_into('<QiiQQ', sub, 0, phys_base & (2**64 - 1), level, 0, 0,
                     0)
    if version >= 3 and vmci:
        struct.pack_into('<qQ', sub, 32, vmci_off, len(vmci))
    if version >= 4:
        struct.pack_into('<qQ', sub, 48, note_off, len(nt))
    if version >= 6:
        struct.pack_into('<QQQ', sub, 80, 0, 0, max_mapnr)
    sub[note_off - bs:note_off - bs + len(nt)] = nt
    if vmci and nt.find(vmci) < 0:
        sub[vmci_off - bs:vmci_off - bs + len(vmci)] = vmci
    bm1 = bytearray(half)
    bm2 = bytearray(half)
    for pfn in range(min(npages, max_mapnr)):
        bm1[pfn // 8] |= 1 << (pfn % 8)
    for pfn in dumped:
        bm2[pfn // 8] |= 1 << (pfn % 8)
    desc_off = bs * (1 + sub_blocks + bitmap_blocks)
    data_off = desc_off + 24 * len(dumped)
    descs = b''
    data = b''
    zero_at = None
    for pfn in dumped:
        page = bytes(mem[pfn * PAGE:(pfn + 1) * PAGE])
        if pfn in zero_pfns and zero_at is not None:
            descs += struct.pack('<QIIQ', *zero_at)
            continue
        z = zlib.compress(page)
        if pfn in raw_pfns or len(z) >= PAGE:
            entry = (data_off + len(data), PAGE, 0, 0)
            data += page
        else:
            entry = (data_off + len(data), len(z), 1, 0)
            data += z
        if pfn in zero_pfns:
            zero_at = entry
        descs += struct.pack('<QIIQ', *entry)
    return bytes(hdr) + bytes(sub) + bytes(bm1) + bytes(bm2) + descs + data


# ---- a tiny copy of a real dump ------------------------------------------------

class RealKdump:
    """Read pages of a kdump-compressed file (zlib or raw pages only)."""

    def __init__(self, path):
        self.f = open(path, 'rb')
        h = self.f.read(PAGE)
        if h[:8] not in (b'KDUMP   ', b'DISKDUMP'):
            raise ValueError('%s: not a kdump-compressed file' % path)
        (self.status, self.bs, self.sub_blocks, self.bitmap_blocks,
         self.max_mapnr) = struct.unpack_from('<IiiII', h, 424)
        self.header = h
        self.f.seek(self.bs)
        self.sub = self.f.read(self.bs * self.sub_blocks)
        (self.phys_base, self.level) = struct.unpack_from('<Qi', self.sub, 0)
        (vo, vs, no, ns) = struct.unpack_from('<qQqQ', self.sub, 32)
        self.f.seek(vo)
        self.vmcoreinfo = self.f.read(vs)
        self.f.seek(no)
        self.notes = self.f.read(ns)
        (self.max_mapnr64,) = struct.unpack_from('<Q', self.sub, 96)
        half = self.bitmap_blocks // 2 * self.bs
        self.f.seek(self.bs * (1 + self.sub_blocks) + half)
        self.dumped = self.f.read(half)
        self.desc_off = self.bs * (1 + self.sub_blocks + self.bitmap_blocks)
        # rank of each byte of the bitmap: set bits before it
        self.rank = [0] * (len(self.dumped) + 1)
        for i, b in enumerate(self.dumped):
            self.rank[i + 1] = self.rank[i] + bin(b).count('1')

    def page(self, pfn):
        byte, bit = divmod(pfn, 8)
        if byte >= len(self.dumped) or not self.dumped[byte] >> bit & 1:
            return None
        i = self.rank[byte] + bin(self.dumped[byte] & ((1 << bit) - 1)).count('1')
        self.f.seek(self.desc_off + 24 * i)
        off, size, flags, _ = struct.unpack('<QIIQ', self.f.read(24))
        self.f.seek(off)
        raw = self.f.read(size)
        if flags & 1:
            return zlib.decompress(raw)
        if flags == 0 and size == PAGE:
            return raw
        raise ValueError('page %d: compression flags %#x' % (pfn, flags))

    def vmci(self, key):
        for line in self.vmcoreinfo.decode(errors='replace').split('\n'):
            if line.startswith(key + '='):
                return line[len(key) + 1:]
        return None


def real_seed(path):
    """A kdump file with the real dump's notes, VMCOREINFO and the pages
    that translate one direct-map and one kernel-text address."""
    r = RealKdump(path)
    pgt_va = int(r.vmci('SYMBOL(init_top_pgt)'), 16)
    phys_base = r.phys_base
    pgd_pa = (pgt_va - KTEXT + phys_base) & (2**64 - 1)
    pages = {}

    def walk(va):
        table = pgd_pa
        for level in (3, 2, 1, 0):
            pfn = table // PAGE
            pg = pages.get(pfn) or r.page(pfn)
            if pg is None:
                return None
            pages[pfn] = pg
            (e,) = struct.unpack_from('<Q', pg, 8 * idx(va, level))
            if not e & P:
                return None
            pa = e & 0x000FFFFFFFFFF000
            if level in (2, 1) and e & PSE:
                size = 1 << (12 + 9 * level)
                return (pa & ~(size - 1)) + (va & (size - 1))
            table = pa
        return table + (va & (PAGE - 1))

    # Kernel text and data, and mem_section (in the direct map).
    for key in ('SYMBOL(init_top_pgt)', 'SYMBOL(_stext)',
                'SYMBOL(init_uts_ns)', 'SYMBOL(node_data)', 'SYMBOL(prb)',
                'SYMBOL(mem_section)'):
        v = r.vmci(key)
        pa = walk(int(v, 16)) if v else None
        if pa is not None and r.page(pa // PAGE) is not None:
            pages[pa // PAGE] = r.page(pa // PAGE)
    maxpfn = max(pages) + 1
    mem = bytearray(maxpfn * PAGE)
    for pfn, pg in pages.items():
        mem[pfn * PAGE:(pfn + 1) * PAGE] = pg
    ncpus = struct.unpack_from('<i', r.header, 460)[0]
    return kdump(mem, r.vmcoreinfo, dumped=sorted(pages), level=r.level,
                 status=r.status, max_mapnr=maxpfn, notes_blob=r.notes,
                 phys_base=phys_base, ncpus=ncpus, zero_pfns=(),
                 raw_pfns=())


# ---- the corpora ---------------------------------------------------------------

def dump_seeds(real):
    mem = synthetic_memory()
    vmci = vmcoreinfo()
    s = {}
    s['elf-4level'] = elf_core(mem, vmci)
    s['elf-2loads'] = elf_core(mem, vmci, runs=[(0, 8), (9, 4)], ncpus=2)
    s['elf-vaddr0'] = elf_core(mem, vmci, vaddr_base=0)
    s['elf-l5'] = elf_core(synthetic_memory(l5=True), vmcoreinfo(l5=True))
    s['elf-novmcoreinfo'] = elf_core(mem[:2 * PAGE], None)
    s['elf-truncated'] = elf_core(mem, vmci)[:6000]
    s['kdump-zlib'] = kdump(mem, vmci, level=1)
    s['kdump-filtered'] = kdump(mem, vmci, dumped=[0, 1, 2, 3, 4, 5, 6, 7, 9])
    s['kdump-incomplete'] = kdump(mem, vmci, status=1 | 8)[:-3000]
    s['kdump-diskdump-v5'] = kdump(mem, vmci, signature=b'DISKDUMP',
                                   version=5, level=0)
    s['kdump-v1-novmci'] = kdump(mem, None, version=1)
    s['kdump-raw-only'] = kdump(mem, vmci, status=0,
                                raw_pfns=range(NPAGES), zero_pfns=())
    s['kdump-l5-2cpus'] = kdump(synthetic_memory(l5=True),
                                vmcoreinfo(l5=True), ncpus=2)
    s['kdump-truncated'] = kdump(mem, vmci)[:4096 * 3 + 100]
    s['flattened'] = b'makedumpfile\0\0\0\0' + b'\0' * 4080
    s['garbage'] = b'this is not a dump at all\n'
    if real:
        s['kdump-real-tiny'] = real_seed(real)
    return s


def rules_seeds():
    return {
        'all-kinds': b'# rules\n'
                     b'fail finding freeptr-invalid\n'
                     b'fail finding redzone-overwritten in kmalloc-*\n'
                     b'warn growth task_struct > +20%\n'
                     b'warn growth kmalloc-*>=+10M\n'
                     b'fail growth dentry>1000\n'
                     b'ignore finding padding-overwritten in some_cache\n'
                     b'ignore finding *\n'
                     b'vmlinux /srv/debug/vmlinux-6.1.0-56 for /dumps/lab-a/vmcore.?*\n'
                     b'vmlinux /boot/vmlinux\n',
        'bad-word': b'fail finding no-such-id\n',
        'long-growth': b'warn growth ' + b'a' * 300 + b' > ' + b'9' * 300 + b'\n',
        'threshold-only': b'task_struct>+10%',
        'empty-lines': b'\n\n  \t\r\n# x\nwarn   growth   x  >=  +5K  # c\n',
        'many-words': b'fail finding a b c d e f g h i j\n',
    }


def snapshot_seeds():
    caches = {'allocator': 'SLUB', 'caches': [
        {'name': 'kmalloc-64', 'address': '0xffff888000001000',
         'object_size': 64, 'size': 64, 'objects_per_slab': 64,
         'pages_per_slab': 1, 'slabs': 10, 'total_objects': 640,
         'allocated': 600, 'free': 40, 'cpu_free': 4, 'unknown': 0,
         'memory_bytes': 40960, 'flags': [], 'problems': 0},
        {'name': 'task_struct', 'allocated': 70, 'total_objects': 80,
         'object_size': 9792, 'memory_bytes': 983040},
        {'name': 'dentry', 'allocated': -1},
    ]}
    slabinfo = (
        'slabinfo - version: 2.1\n'
        '# name            <active_objs> <num_objs> <objsize> <objperslab> '
        '<pagesperslab> : tunables <limit> <batchcount> <sharedfactor> : '
        'slabdata <active_slabs> <num_slabs> <sharedavail>\n'
        'task_struct           70     80   9792    3    8 : tunables    0    0'
        '    0 : slabdata     27     27      0\n'
        'kmalloc-64          600    640     64   64    1 : tunables    0    0'
        '    0 : slabdata     10     10      0\n'
        'dentry            10614  10647    192   21    1 : tunables    0    0'
        '    0 : slabdata    507    507      0\n')
    return {
        'caches.json': json.dumps(caches).encode(),
        'caches-bad.json': b'{"caches": [{"name": "x"}]}',
        'not-caches.json': b' \n{"allocator": "SLUB"}',
        'slabinfo': slabinfo.encode(),
        'slabinfo-short': b'slabinfo - version: 2.1\nkmalloc-8 1 2 8\n',
        'neither': b'KDUMP   \0\0\0',
    }


def slab_seeds():
    # variant, nedits, 4 whatis probes (slab, u16 offset), then edits:
    # op, and the op's bytes (see fuzz_slab.c apply_edit()).
    probes = bytes([0, 0x10, 0, 5, 0x30, 0, 8, 0, 1, 14, 0x18, 0])
    s = {}
    for v in range(3):
        s['clean-%d' % v] = bytes([v, 0]) + probes
    edits = {
        'kc-size': [0, 1, 3, 1, 40],                 # kmem_cache.size = 40
        'kc-offset-raw': [0, 0, 5, 0, 0, 0, 0, 0x41, 0, 0, 0],
        'kcc-freelist-obj': [1, 0, 0, 0, 2, 0, 2, 3],  # CPU freelist -> object
        'kcn-partial-page': [2, 0, 1, 4, 0, 9],      # partial.next -> a page
        'page-counters': [3, 0, 7, 1, 0x7f],         # inuse = 127
        'page-cache-ptr': [3, 6, 4, 5, 0, 1, 0],     # slab_cache -> other
        'any-page-slab': [4, 40, 0, 0, 1, 0x7f],     # flags of a plain page
        'freeptr-lowbyte': [5, 0, 1, 0xc0, 8, 0x40], # overflow: low byte
        'freeptr-encoded': [5, 0, 5, 0, 3, 0, 0, 9], # fp -> object 9
        'freeptr-cycle': [5, 15, 4, 0, 3, 0, 15, 4],
        'object-bytes': [6, 5, 0x30, 0, 4, 10, 0],   # a red zone
        'track-handle': [7, 2, 1, 1, 0, 0x7f],
        'depot-record': [8, 0x30, 8, 0, 0, 0, 0xff],
        'name-bytes': [9, 1, 0, 3, 0, 0x41, 0x80, 0xcc, 0x1b],
        'var-nr-cpus': [10, 1, 0, 4],
        'hole-slab': [11, 0, 3, 0, 0, 0x10],
        'hole-cache-name': [11, 2, 1, 1, 0],
    }
    for name, e in edits.items():
        s[name] = bytes([0, 1]) + probes + bytes(e)
        s[name + '-plain'] = bytes([2, 1]) + probes + bytes(e)
    s['three-edits'] = bytes([1, 3]) + probes + bytes(
        edits['freeptr-lowbyte'] + edits['page-counters'] + edits['hole-slab'])
    return s


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--real', help='a real kdump-compressed dump (zlib)')
    ap.add_argument('harness', nargs='*',
                    default=['fuzz_dump', 'fuzz_rules', 'fuzz_snapshot',
                             'fuzz_slab'])
    a = ap.parse_args()
    gens = {'fuzz_dump': lambda: dump_seeds(a.real),
            'fuzz_rules': rules_seeds, 'fuzz_snapshot': snapshot_seeds,
            'fuzz_slab': slab_seeds}
    for h in a.harness:
        d = os.path.join(HERE, 'corpus', h)
        os.makedirs(d, exist_ok=True)
        seeds = gens[h]()
        for name, data in seeds.items():
            with open(os.path.join(d, 'seed-' + name), 'wb') as f:
                f.write(data)
        print('%s: %d seeds in %s' % (h, len(seeds), d), file=sys.stderr)


if __name__ == '__main__':
    main()
