#!/usr/bin/python3
"""Addresses of every kind `slabscope whatis` tells, and what each is,
computed with drgn as an independent oracle.

drgn 0.0.22's identify_address() tells slab objects and symbols only; the
other kinds are computed here from the kernel's own data: per_cpu() for a
per-CPU variable, task->stack for a task's stack, the busy vmap areas
(vmap_area_list, or each vmap_nodes[] busy list on 6.9+) for a vmalloc
area and its caller, pfn_to_page() for a struct page.  Tasks are taken from
init_task.tasks (drgn's for_each_task reads the pid idr, which makedumpfile
may have excluded).  Prints one JSON object: {"cases": [{"address", "kind",
and the facts to compare}]}.

usage: drgn_whatis_truth.py DUMP VMLINUX
"""
import json
import sys

import drgn
from drgn.helpers.common.memory import identify_address
from drgn.helpers.linux.list import list_for_each_entry
from drgn.helpers.linux.mm import pfn_to_page, page_to_virt
from drgn.helpers.linux.percpu import per_cpu

prog = drgn.Program()
prog.set_core_dump(sys.argv[1])
prog.load_debug_info([sys.argv[2]])
cases = []


def add(addr, kind, **facts):
    cases.append(dict(address=hex(addr), kind=kind, **facts))


def drgn_says(addr):
    """identify_address()'s answer, None where this drgn cannot read the
    kernel (0.0.22 on 7.x: struct page has compound_info)."""
    try:
        return identify_address(prog, addr)
    except (AttributeError, LookupError, drgn.FaultError):
        return None


# Symbols: an object and a function of the kernel image.
init_task = prog["init_task"].address_of_().value_()
add(init_task + 0x10, "kernel", symbol="init_task+0x10",
    drgn=drgn_says(init_task + 0x10))
sched = prog["schedule"].address_of_().value_()
add(sched + 4, "kernel", symbol="schedule+0x4", drgn=drgn_says(sched + 4))

# A per-CPU variable on the last CPU.
ncpu = prog["nr_cpu_ids"].value_()
rq = per_cpu(prog["runqueues"], ncpu - 1).address_of_().value_()
add(rq + 8, "percpu", symbol="runqueues+0x8", cpu=ncpu - 1)

# pid 1: its task_struct (a slab object) and its stack.
for t in list_for_each_entry("struct task_struct",
                             prog["init_task"].tasks.address_of_(), "tasks"):
    if t.pid.value_() == 1:
        task = t.value_()
        stack = t.stack.value_()
        add(task + 8, "slab", cache="task_struct", object=hex(task),
            offset=8, task_pid=1, drgn=drgn_says(task + 8))
        add(stack + 0x200, "task-stack", task=hex(task), pid=1,
            offset=0x200)
        break

# The struct page of pfn 0x1000 and the page itself.
page = pfn_to_page(prog, 0x1000)
add(page.value_() + 8, "struct-page", pfn=0x1000, page_offset=8)

# A vmalloc area made by vmalloc() (VM_ALLOC), not a stack: its bounds and
# caller.
def busy_areas():
    try:
        head = prog["vmap_area_list"].address_of_()
        yield from list_for_each_entry("struct vmap_area", head, "list")
    except KeyError:
        nodes = prog["vmap_nodes"]
        for i in range(prog["nr_vmap_nodes"].value_()):
            yield from list_for_each_entry(
                "struct vmap_area", nodes[i].busy.head.address_of_(), "list")


stacks = set()
for t in list_for_each_entry("struct task_struct",
                             prog["init_task"].tasks.address_of_(), "tasks"):
    stacks.add(t.stack.value_())
# The idle tasks (swapper/N) are on no task list: each CPU's rq->idle.
for cpu in range(ncpu):
    stacks.add(per_cpu(prog["runqueues"], cpu).idle.stack.value_())
for va in busy_areas():
    vm = va.vm
    if not vm or not (vm.flags.value_() & 0x2):
        continue
    start = va.va_start.value_()
    # Not a stack, not module memory (x86_64's module area): plain vmalloc.
    if start in stacks or start >= 0xffffffffc0000000:
        continue
    try:
        caller = prog.symbol(vm.caller.value_())
    except LookupError:
        continue
    if caller.name.startswith("pcpu_"):
        continue
    off = vm.caller.value_() - caller.address
    add(start + 0x10, "vmalloc", start=hex(start),
        end=hex(va.va_end.value_()),
        caller_symbol=f"{caller.name}+{hex(off)}")
    break

print(json.dumps({"cases": cases}))
