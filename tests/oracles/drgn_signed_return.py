#!/usr/bin/python3
"""Pointer-authentication-signed return addresses on an arm64 kernel stack,
found with drgn (independent of slabscope): the saved LRs on init_stack (the
boot CPU's idle task, in the kernel image: drgn 0.0.22 cannot walk every
arm64 layout's vmalloc'd stacks) whose top bits are a PAC and which sign an
address inside a kernel function.

usage: drgn_signed_return.py DUMP VMLINUX [MAX]
prints: SIGNED STRIPPED SYMBOL+0xOFF per line (at most MAX, default 3);
exit 1 if there is none
"""
import sys

import drgn

THREAD_SIZE = 16384  # arm64, 4 and 16 KiB pages


def main(dump, vmlinux, most=3):
    prog = drgn.Program()
    prog.set_core_dump(dump)
    prog.load_debug_info([vmlinux])
    # KERNELPACMASK: the bits a signed kernel pointer's PAC occupies
    mask = 0
    for line in prog["vmcoreinfo_data"].string_().split(b"\n"):
        if line.startswith(b"NUMBER(KERNELPACMASK)="):
            mask = int(line.split(b"=")[1], 16)
    if not mask:
        return 1
    stext = prog.symbol("_stext").address
    etext = prog.symbol("_etext").address
    data = prog.read(prog.symbol("init_stack").address, THREAD_SIZE)
    found = 0
    for off in range(0, THREAD_SIZE, 8):
        w = int.from_bytes(data[off:off + 8], "little")
        s = w | mask
        if not (w >> 55 & 1) or s == w or not stext <= s < etext:
            continue
        try:
            sym = prog.symbol(s)
        except LookupError:
            continue
        print("0x%x 0x%x %s+0x%x" % (w, s, sym.name, s - sym.address))
        found += 1
        if found == most:
            break
    return 0 if found else 1


if __name__ == "__main__":
    if len(sys.argv) not in (3, 4):
        sys.stderr.write(__doc__)
        sys.exit(2)
    sys.exit(main(sys.argv[1], sys.argv[2], *(int(a) for a in sys.argv[3:])))
