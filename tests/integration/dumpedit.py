#!/usr/bin/python3
"""Make hostile copies of real fixture dumps for tests/integration/hostile.sh.

usage:
  dumpedit.py drop-vmcoreinfo IN OUT   copy an ELF or kdump-compressed dump
                                       without its VMCOREINFO (the note is
                                       renamed, the kdump sub-header's
                                       vmcoreinfo size zeroed)
  dumpedit.py page IN PFN              print "OFFSET SIZE FLAGS" of the
                                       page's data in a kdump-compressed dump
                                       ("excluded" when it is not dumped)
  dumpedit.py smash IN OUT PFN         copy a kdump-compressed dump with that
                                       page's compressed data overwritten
                                       with garbage (a corrupted page)
  dumpedit.py flip IN OUT PFN...       copy a kdump-compressed dump with one
                                       byte flipped in the middle of each
                                       page's compressed data
  dumpedit.py randflip IN OUT SEED N   copy a kdump-compressed dump with one
                                       bit flipped in each of N pages' data,
                                       chosen at random from SEED (compressed
                                       pages only); prints the page indices
  dumpedit.py randflip-any IN OUT SEED N
                                       copy any dump with N bits flipped
                                       anywhere, half of them in its first
                                       64 KiB (headers, notes, bitmaps,
                                       descriptors); prints the offsets
  dumpedit.py desc-poke IN OUT PFN offset|size VALUE
                                       copy a kdump-compressed dump with that
                                       page's descriptor field set to VALUE
  dumpedit.py bitmap-bit IN OUT PFN set|clear
                                       copy a kdump-compressed dump with the
                                       page's bit in the dumped-pages bitmap
                                       set or cleared
  dumpedit.py elf-poke IN OUT PHYS HEX copy an ELF dump with the bytes HEX
                                       written at physical address PHYS

Layouts: makedumpfile's diskdump_mgmt.h (disk_dump_header, kdump_sub_header,
page_desc) and the ELF note format.  Only what the tests need; x86-64 only.
"""
import subprocess
import struct
import sys

DDH_BLOCK_SIZE = 428   # disk_dump_header (64-bit): block_size
DDH_SUB_HDR_SIZE = 432
DDH_BITMAP_BLOCKS = 436
SUB_OFFSET_VMCOREINFO = 32   # kdump_sub_header
SUB_SIZE_VMCOREINFO = 40
SUB_OFFSET_NOTE = 48
SUB_SIZE_NOTE = 56


def die(msg):
    sys.stderr.write("dumpedit.py: %s\n" % msg)
    sys.exit(2)


def copy(src, dst):
    # sparse: QEMU's ELF dumps have their zero pages punched out
    subprocess.run(["cp", "--sparse=always", src, dst], check=True)


def rename_notes(f, start, size):
    """Rename every VMCOREINFO note in [start, start+size) to XMCOREINFO."""
    f.seek(start)
    data = f.read(size)
    pos, n = 0, 0
    while pos + 12 <= len(data):
        namesz, descsz, _ = struct.unpack_from("<III", data, pos)
        name = data[pos + 12:pos + 12 + namesz]
        if name.rstrip(b"\0") == b"VMCOREINFO":
            f.seek(start + pos + 12)
            f.write(b"X")
            n += 1
        pos += 12 + ((namesz + 3) & ~3) + ((descsz + 3) & ~3)
        if namesz == 0 and descsz == 0:
            break
    return n


def kdump_header(f):
    f.seek(0)
    hdr = f.read(4096)
    if hdr[:8] != b"KDUMP   ":
        return None
    bs, sub, bmb = struct.unpack_from("<iii", hdr, DDH_BLOCK_SIZE)
    return bs, sub, bmb


def drop_vmcoreinfo(src, dst):
    copy(src, dst)
    with open(dst, "r+b") as f:
        kh = kdump_header(f)
        if kh:
            bs = kh[0]
            f.seek(bs)
            sub = f.read(64)
            off_note, size_note = struct.unpack_from("<qQ", sub, SUB_OFFSET_NOTE)
            n = rename_notes(f, off_note, size_note) if size_note else 0
            f.seek(bs + SUB_OFFSET_VMCOREINFO)
            f.write(struct.pack("<qQ", 0, 0))
            return
        f.seek(0)
        eh = f.read(64)
        if eh[:4] != b"\x7fELF":
            die("%s: neither ELF nor kdump-compressed" % src)
        phoff, = struct.unpack_from("<Q", eh, 32)
        phentsize, phnum = struct.unpack_from("<HH", eh, 54)
        n = 0
        for i in range(phnum):
            f.seek(phoff + i * phentsize)
            ph = f.read(phentsize)
            p_type, _, p_offset, _, _, p_filesz = struct.unpack_from("<IIQQQQ", ph)
            if p_type == 4:  # PT_NOTE
                n += rename_notes(f, p_offset, p_filesz)
        if n == 0:
            die("%s: no VMCOREINFO note found" % src)


def page_desc(f, pfn):
    pos = page_desc_pos(f, pfn)
    if pos is None:
        return None
    f.seek(pos)
    offset, size, flags, _ = struct.unpack("<QIIQ", f.read(24))
    return offset, size, flags


def dumped_bitmap(f):
    """(file offset, size) of the dumped-pages bitmap (the second one) and
    the offset of the descriptor table after it."""
    kh = kdump_header(f)
    if not kh:
        die("not a kdump-compressed dump")
    bs, sub, bmb = kh
    half = bmb * bs // 2
    return (1 + sub) * bs + half, half, (1 + sub + bmb) * bs


def page_desc_pos(f, pfn):
    """File offset of the page's descriptor, None if it is not dumped."""
    off, size, desc0 = dumped_bitmap(f)
    f.seek(off)
    bitmap = f.read(size)
    if pfn // 8 >= len(bitmap) or not bitmap[pfn // 8] & (1 << (pfn % 8)):
        return None
    index = sum(bin(b).count("1") for b in bitmap[:pfn // 8])
    index += bin(bitmap[pfn // 8] & ((1 << (pfn % 8)) - 1)).count("1")
    return desc0 + 24 * index


def flip_bits(f, pos, mask):
    """XOR the byte at pos of the open file f with mask."""
    f.seek(pos)
    b = f.read(1)[0] ^ mask
    f.seek(pos)
    f.write(bytes([b]))


def randflip(src, dst, seed, n):
    import random
    rnd = random.Random(seed)
    copy(src, dst)
    done = []
    with open(dst, "r+b") as f:
        off, size, desc0 = dumped_bitmap(f)
        f.seek(off)
        ndumped = sum(bin(b).count("1") for b in f.read(size))
        for _ in range(20 * n):
            if len(done) == n or not ndumped:
                break
            i = rnd.randrange(ndumped)
            f.seek(desc0 + 24 * i)
            offset, size, flags, _ = struct.unpack("<QIIQ", f.read(24))
            if not flags or size < 2:
                continue
            flip_bits(f, offset + rnd.randrange(size), 1 << rnd.randrange(8))
            done.append(i)
    print(" ".join(map(str, done)))


def randflip_any(src, dst, seed, n):
    import os
    import random
    rnd = random.Random(seed)
    copy(src, dst)
    size = os.path.getsize(dst)
    done = []
    with open(dst, "r+b") as f:
        for _ in range(n):
            top = min(size, 65536) if rnd.randrange(2) else size
            pos = rnd.randrange(top)
            flip_bits(f, pos, 1 << rnd.randrange(8))
            done.append(pos)
    print(" ".join(map(str, done)))


def elf_poke(src, dst, phys, data):
    copy(src, dst)
    with open(dst, "r+b") as f:
        h = f.read(64)
        if h[:4] != b"\x7fELF":
            die("not an ELF dump")
        phoff, = struct.unpack_from("<Q", h, 32)
        phentsize, phnum = struct.unpack_from("<HH", h, 54)
        for i in range(phnum):
            f.seek(phoff + i * phentsize)
            ptype, _, off, _, pa, fsz = struct.unpack("<IIQQQQ", f.read(40))
            if ptype == 1 and pa <= phys and phys + len(data) <= pa + fsz:
                f.seek(off + phys - pa)
                f.write(data)
                return
    die("physical address %#x is not in the dump" % phys)


def main(argv):
    if len(argv) < 2:
        sys.stderr.write(__doc__)
        sys.exit(2)
    cmd = argv[1]
    if cmd == "drop-vmcoreinfo" and len(argv) == 4:
        drop_vmcoreinfo(argv[2], argv[3])
    elif cmd == "page" and len(argv) == 4:
        with open(argv[2], "rb") as f:
            d = page_desc(f, int(argv[3], 0))
        print("excluded" if d is None else "%d %d %d" % d)
    elif cmd == "smash" and len(argv) == 5:
        copy(argv[2], argv[3])
        with open(argv[3], "r+b") as f:
            d = page_desc(f, int(argv[4], 0))
            if d is None:
                die("page %s is not in the dump" % argv[4])
            offset, size, flags = d
            # keep the first bytes (a plausible stream header), garble the rest
            f.seek(offset + min(8, size // 2))
            f.write(bytes((0x5a ^ i) & 0xff for i in range(size - min(8, size // 2))))
    elif cmd == "randflip" and len(argv) == 6:
        randflip(argv[2], argv[3], int(argv[4]), int(argv[5]))
    elif cmd == "randflip-any" and len(argv) == 6:
        randflip_any(argv[2], argv[3], int(argv[4]), int(argv[5]))
    elif cmd == "desc-poke" and len(argv) == 7 and argv[5] in ("offset", "size"):
        copy(argv[2], argv[3])
        with open(argv[3], "r+b") as f:
            pos = page_desc_pos(f, int(argv[4], 0))
            if pos is None:
                die("page %s is not in the dump" % argv[4])
            f.seek(pos + (0 if argv[5] == "offset" else 8))
            f.write(struct.pack("<Q" if argv[5] == "offset" else "<I", int(argv[6], 0)))
    elif cmd == "bitmap-bit" and len(argv) == 6 and argv[5] in ("set", "clear"):
        copy(argv[2], argv[3])
        with open(argv[3], "r+b") as f:
            pfn = int(argv[4], 0)
            pos = dumped_bitmap(f)[0] + pfn // 8
            f.seek(pos)
            if (f.read(1)[0] >> pfn % 8 & 1) != (argv[5] == "set"):
                flip_bits(f, pos, 1 << pfn % 8)
    elif cmd == "elf-poke" and len(argv) == 6:
        elf_poke(argv[2], argv[3], int(argv[4], 0), bytes.fromhex(argv[5]))
    elif cmd == "flip" and len(argv) >= 5:
        copy(argv[2], argv[3])
        with open(argv[3], "r+b") as f:
            for a in argv[4:]:
                d = page_desc(f, int(a, 0))
                if d is None:
                    die("page %s is not in the dump" % a)
                offset, size, _ = d
                flip_bits(f, offset + size // 2, 0xff)
    else:
        sys.stderr.write(__doc__)
        sys.exit(2)


if __name__ == "__main__":
    main(sys.argv)
