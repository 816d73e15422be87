#!/usr/bin/env python3
"""Seeded random bit flips over every region of dump files (issue 20).

    flipsweep.py SLABSCOPE SETS DUMP...

For each DUMP, a private copy takes SETS flip sets one after the other;
each set is applied in place, `slabscope caches COPY` runs (60 s at most),
and the set is undone (a flip is its own inverse), so one copy serves them
all.  A set flips 8 bits, where depends on the seed:
  seed % 3 == 0  in the first 64 KiB (headers, bitmaps, descriptors, notes)
  seed % 3 == 1  anywhere in the file
  seed % 3 == 2  kdump-compressed files: in 8 pages' compressed data (the
                 decompressors and the page cache's error paths); others:
                 anywhere
A run passes when slabscope ends with 0, 1 or 2 within the bound, prints no
sanitizer report, and an exit 2 says what it could not do in a line that
names the file.  Dumps are swept two at a time.  Prints one PASS or FAIL
line per dump (FAIL lines: "#" lines name the seeds), then
"N passed, M failed in S s".
"""
import concurrent.futures
import os
import random
import re
import struct
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import dumpedit  # noqa: E402  (copy, kdump_header, flip_bits)

BITS = 8
TIMEOUT = 60
SANITIZER = re.compile(r"ERROR: AddressSanitizer|runtime error:|LeakSanitizer")


def compressed_pages(path):
    """(offset, size) of every compressed page of a kdump-compressed file,
    or [] for other formats."""
    with open(path, "rb") as f:
        if not dumpedit.kdump_header(f):
            return []
        off, size, desc0 = dumpedit.dumped_bitmap(f)
        f.seek(off)
        ndumped = sum(bin(b).count("1") for b in f.read(size))
        f.seek(desc0)
        table = f.read(24 * ndumped)
    pages = []
    for i in range(len(table) // 24):
        offset, size, flags, _ = struct.unpack_from("<QIIQ", table, 24 * i)
        if flags and size >= 2:
            pages.append((offset, size))
    return pages


def flips(seed, size, pages):
    rnd = random.Random(seed)
    out = []
    for _ in range(BITS):
        mode = seed % 3
        if mode == 2 and pages:
            offset, length = pages[rnd.randrange(len(pages))]
            pos = offset + rnd.randrange(length)
        elif mode == 0:
            pos = rnd.randrange(min(size, 65536))
        else:
            pos = rnd.randrange(size)
        out.append((pos, 1 << rnd.randrange(8)))
    return out


def apply(path, sets):
    with open(path, "r+b") as f:
        for pos, mask in sets:
            dumpedit.flip_bits(f, pos, mask)


def sweep(slabscope, dump, nsets, tmp):
    copy = os.path.join(tmp, os.path.basename(dump))
    dumpedit.copy(dump, copy)
    size = os.path.getsize(copy)
    pages = compressed_pages(copy)
    bad, worst, exit2 = [], 0, 0
    for seed in range(1, nsets + 1):
        fl = flips(seed, size, pages)
        apply(copy, fl)
        try:
            r = subprocess.run([slabscope, "caches", copy], stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, timeout=TIMEOUT)
            rc, err = r.returncode, r.stderr.decode(errors="replace")
        except subprocess.TimeoutExpired:
            rc, err = "timeout", ""
        finally:
            apply(copy, reversed(fl))
        why = None
        if rc == "timeout":
            why = "no end within %d s" % TIMEOUT
        elif rc < 0 or rc > 2:
            why = "exit %d" % rc
        elif SANITIZER.search(err):
            why = "sanitizer report"
        elif rc == 2:
            exit2 += 1
            lines = [l for l in err.splitlines() if l.strip()]
            if not lines or not any(copy in l for l in lines):
                why = "exit 2 without a line naming the file"
        if why:
            bad.append("# seed %d (%s): %s: %s" % (seed, " ".join(
                "%d^%#x" % p for p in fl), why, err.strip()[:300]))
        elif rc != "timeout":
            worst = max(worst, rc)
    os.unlink(copy)
    return dump, bad, worst, exit2


def main(argv):
    if len(argv) < 4:
        sys.stderr.write(__doc__)
        return 2
    slabscope, nsets, dumps = argv[1], int(argv[2]), argv[3:]
    t0 = time.monotonic()
    npass = nfail = 0
    with tempfile.TemporaryDirectory() as tmp, \
            concurrent.futures.ThreadPoolExecutor(2) as pool:
        for dump, bad, worst, exit2 in pool.map(
                lambda d: sweep(slabscope, d, nsets, tmp), dumps):
            desc = ("%s: %d sets of %d flipped bits (headers, anywhere, compressed "
                    "pages): no crash, hang or sanitizer report, exit 2 names the "
                    "file (worst exit %d, %d exit 2)"
                    % (os.path.basename(dump), nsets, BITS, worst, exit2))
            for line in bad:
                print(line)
            if bad:
                nfail += 1
                print("FAIL: %s: %d sets failed" % (desc, len(bad)))
            else:
                npass += 1
                print("PASS: " + desc)
            sys.stdout.flush()
    print("%d passed, %d failed in %d s" % (npass, nfail, time.monotonic() - t0))
    return 1 if nfail else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
