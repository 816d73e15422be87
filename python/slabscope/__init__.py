# SPDX-License-Identifier: GPL-2.0-or-later
"""slabscope for Python: the slab allocator of a Linux kernel, from drgn.

At the drgn prompt (or in a drgn script)::

    >>> import slabscope
    >>> r = slabscope.check(prog)          # slabscope check
    >>> print(r)                           # what the command prints
    >>> r.status, r.findings[0].object     # its exit status, findings as data
    >>> slabscope.caches(prog)["kmalloc-64"].allocated
    >>> print(slabscope.whatis(prog, 0xffff8ba482954908))

Each query answers as the slabscope command of the same name does, read
from the memory drgn has open: a Result whose .text is what the command
prints, .json its --json document (parsed), .status its exit status and
.findings the findings as Finding objects.  The first query on a Program
loads slabscope's model of its slab allocator (seconds) and keeps it in
prog.cache for the next ones; slabscope.Analysis(prog) makes a fresh one
(a live kernel changes), slabscope.open(dump) analyses a dump file with
no drgn at all.  Errors raise slabscope.Error with the library's message.
man slabscope-python(7) says more.
"""

import json as _json
import operator as _operator
import os as _os

from . import _slabscope
from ._slabscope import Error

__all__ = [
    "Analysis",
    "Cache",
    "Caches",
    "Error",
    "Finding",
    "Result",
    "analysis",
    "caches",
    "check",
    "leaks",
    "objects",
    "open",
    "slabs",
    "whatis",
]

__version__ = _slabscope.version()

# prog.cache key of the Analysis the module functions share
_CACHE_KEY = "slabscope.analysis"


def _hex(v):
    return "None" if v is None else hex(v)


class Finding:
    """One finding: what the library found wrong, where.

    kind        stable id ("freeptr-invalid", ...; man slabscope-check(1))
    severity    "error" or "warning"
    cache       the cache's name, or None
    slab        the slab (struct slab / struct page address), or None
    object      the object (the allocator's address), or None
    address     the first bad byte, or the bad pointer's location
    value       a pointer finding's bad value, or None
    message     the line the command prints
    culprit     the object the damage probably came from, or None
    culprit_relation  how ("previous-object-overflow", ...), or None
    """

    __slots__ = (
        "kind",
        "severity",
        "cache",
        "slab",
        "object",
        "address",
        "value",
        "message",
        "culprit",
        "culprit_relation",
    )

    def __init__(self, *fields):
        for name, value in zip(self.__slots__, fields):
            setattr(self, name, value)

    def as_dict(self):
        return {name: getattr(self, name) for name in self.__slots__}

    def __eq__(self, other):
        if not isinstance(other, Finding):
            return NotImplemented
        return self.as_dict() == other.as_dict()

    __hash__ = None

    def __repr__(self):
        where = " ".join(
            f"{name}={_hex(getattr(self, name))}"
            for name in ("slab", "object", "address", "value", "culprit")
            if getattr(self, name) is not None
        )
        return (
            f"<slabscope.Finding {self.severity} {self.kind}"
            f"{' ' + self.cache if self.cache else ''} {where}>"
        )

    def __str__(self):
        return self.message


class Result:
    """What a query answers: what `slabscope COMMAND` would.

    command   "check", "caches", "whatis", "slabs", "objects", "leaks"
    status    the command's exit status: 0 nothing found, 1 findings
    text      exactly what the command prints (str(result) too)
    json      its --json document, parsed (json_text: as printed)
    findings  a list of Finding
    """

    __slots__ = ("command", "status", "text", "json_text", "findings", "_json")

    def __init__(self, command, raw):
        status, text, json_text, findings = raw
        self.command = command
        self.status = status
        self.text = text
        self.json_text = json_text
        self.findings = [Finding(*f) for f in findings]
        self._json = None

    @property
    def json(self):
        if self._json is None:
            self._json = _json.loads(self.json_text)
        return self._json

    def __str__(self):
        return self.text

    def __repr__(self):
        n = len(self.findings)
        errors = sum(f.severity == "error" for f in self.findings)
        return (
            f"<slabscope.Result {self.command}: status {self.status}, "
            f"{n} finding{'' if n == 1 else 's'} ({errors} error"
            f"{'' if errors == 1 else 's'}); print() it for the text>"
        )


class Cache:
    """One slab cache as `slabscope caches --json` describes it.

    name, address (int), object_size, size, objects_per_slab,
    pages_per_slab, slabs, total_objects, allocated, free, unknown,
    memory_bytes, flags, problems, aliases... : every member of the
    document's entry is an attribute (addresses as ints); .json is the
    entry itself.
    """

    __slots__ = ("json",)

    def __init__(self, entry):
        self.json = entry

    def __getattr__(self, name):
        try:
            v = self.json[name]
        except KeyError:
            raise AttributeError(name) from None
        if name == "address" and isinstance(v, str):
            return int(v, 16)
        return v

    def __dir__(self):
        return sorted(set(object.__dir__(self)) | set(self.json))

    def __repr__(self):
        j = self.json
        return (
            f"<slabscope.Cache {j.get('name')} at {j.get('address')}: "
            f"size {j.get('size')}, {j.get('allocated')}/"
            f"{j.get('total_objects')} objects allocated in "
            f"{j.get('slabs')} slabs"
            f"{', %s problems' % j['problems'] if j.get('problems') else ''}>"
        )


class Caches(list):
    """The caches of `slabscope caches`: a list of Cache, also indexed by
    name (caches["kmalloc-64"]); .result is the query's Result."""

    def __init__(self, result):
        super().__init__(Cache(c) for c in result.json.get("caches", ()))
        self.result = result

    def __getitem__(self, key):
        if isinstance(key, str):
            for c in self:
                if c.json.get("name") == key:
                    return c
            raise KeyError(key)
        return super().__getitem__(key)

    def names(self):
        return [c.json.get("name") for c in self]


def _address(x):
    """An address from an int, a hex string or a drgn Object (a pointer's
    value, an integer, or else the object's own address)."""
    if isinstance(x, str):
        return int(x, 0)
    if hasattr(x, "value_") and hasattr(x, "type_"):
        import drgn

        t = x.type_
        while t.kind == drgn.TypeKind.TYPEDEF:
            t = t.type
        if t.kind in (
            drgn.TypeKind.POINTER,
            drgn.TypeKind.INT,
            drgn.TypeKind.BOOL,
            drgn.TypeKind.ENUM,
        ):
            return x.value_()
        if x.address_ is None:
            raise ValueError(f"whatis: a {x.type_} value has no address")
        return x.address_
    return _operator.index(x)


def _vmcoreinfo(prog):
    """The kernel's VMCOREINFO (OSRELEASE, BUILD-ID, KERNELOFFSET, ...):
    drgn 0.0.22 parses the dump's note but does not expose it, so it is
    read from the kernel's own copy (vmcoreinfo_data), with UTS_RELEASE
    (which drgn knows from the note) for OSRELEASE where that fails."""
    import drgn

    info = {}
    try:
        try:
            data = prog["vmcoreinfo_data"].value_()
            size = prog["vmcoreinfo_size"].value_()
        except (LookupError, drgn.ObjectAbsentError):
            data = prog.read_u64(prog.symbol("vmcoreinfo_data").address)
            size = prog.read_u64(prog.symbol("vmcoreinfo_size").address)
        if data and 0 < size <= 1 << 20:
            text = prog.read(data, size).split(b"\0", 1)[0]
            for line in text.decode("utf-8", "replace").splitlines():
                key, sep, value = line.partition("=")
                if sep and key and "\0" not in value:
                    info[key] = value
    except (LookupError, drgn.FaultError, ValueError, drgn.ObjectAbsentError):
        pass
    if "OSRELEASE" not in info:
        try:
            info["OSRELEASE"] = prog["UTS_RELEASE"].string_().decode()
        except (LookupError, drgn.FaultError, ValueError):
            pass
    return info


def _host(prog):
    """The keyword arguments of _slabscope.Analysis for a drgn Program:
    prog.read straight from C (faults cost no Python frame), its symbols
    (the KASLR offset comes from _stext), its VMCOREINFO."""
    import drgn

    if not isinstance(prog, drgn.Program):
        raise TypeError(f"slabscope: a drgn.Program, not {type(prog).__name__}")
    if not prog.flags & drgn.ProgramFlags.IS_LINUX_KERNEL:
        raise Error(
            "slabscope: the drgn program is not a Linux kernel "
            "(prog.set_core_dump(VMCORE) or prog.set_kernel())"
        )

    def symbol(name):
        return prog.symbol(name).address

    try:
        page_size = prog["PAGE_SIZE"].value_()
    except (LookupError, drgn.FaultError, ValueError):
        page_size = 0
    return dict(
        read=prog.read,
        fault=drgn.FaultError,
        # drgn raises one FaultError for memory that is not there and for
        # a page makedumpfile left out; only the message tells them apart
        excluded="Excluded page",
        symbol=symbol,
        vmcoreinfo=_vmcoreinfo(prog),
        name="drgn",
        page_size=page_size,
    )


class Analysis:
    """slabscope's model of one kernel, kept for repeated queries.

    Analysis(prog, vmlinux=None, modules=None, module_dir=None): the
    kernel a drgn Program has open (its memory read through prog.read).
    vmlinux: the kernel's debug file; None looks for it as the slabscope
    command does (by release and build-id: /usr/lib/debug, /boot,
    ~/.cache/slabscope/kernels, ...).  modules (.ko paths) and module_dir
    (a directory of them, as the command takes the dump's): the modules'
    debug files, for tracks that name module code (then the system's for
    the release).
    Analysis(dump=PATH, vmlinux=None), or slabscope.open(PATH): a dump
    file, read by libslabscope itself (no drgn needed).
    """

    def __init__(self, prog=None, vmlinux=None, *, dump=None, modules=None,
                 module_dir=None):
        if vmlinux is not None:
            vmlinux = _os.fspath(vmlinux)
        if dump is not None:
            if prog is not None:
                raise TypeError("Analysis(): a Program or a dump, not both")
            self.prog = None
            self.source = _os.fspath(dump)
            self._a = _slabscope.Analysis(self.source, vmlinux)
        elif prog is not None:
            self.prog = prog
            self.source = "drgn"
            if isinstance(modules, (str, bytes, _os.PathLike)):
                modules = [modules]
            self._a = _slabscope.Analysis(
                None, vmlinux, modules=modules, module_dir=module_dir,
                **_host(prog)
            )
        else:
            raise TypeError("Analysis(): a drgn Program or dump=PATH")

    # ---- what it is ----
    @property
    def vmlinux(self):
        """The vmlinux in use."""
        return self._a.vmlinux

    @property
    def allocator(self):
        """"SLUB" or "SLAB"."""
        return self._a.allocator

    @property
    def ncaches(self):
        """The number of slab caches."""
        return self._a.ncaches

    # ---- queries ----
    def check(self, caches=None):
        """slabscope check [--cache NAME]...: caches None (all), a name
        or several."""
        if isinstance(caches, str):
            caches = [caches]
        elif caches is not None:
            caches = list(caches)
        return Result("check", self._a.check(caches))

    def caches(self):
        """slabscope caches: a Caches list (by index or name); its
        .result has the text and the document."""
        return Caches(Result("caches", self._a.caches()))

    def whatis(self, addr):
        """slabscope whatis ADDR...: addr an int, a drgn Object or a list
        of them."""
        if isinstance(addr, (int, str)) or hasattr(addr, "value_"):
            addrs = [_address(addr)]
        else:
            addrs = [_address(a) for a in addr]
        return Result("whatis", self._a.whatis(addrs))

    def slabs(self, cache):
        """slabscope slabs CACHE (a name or a glob matching one)."""
        return Result("slabs", self._a.slabs(cache))

    def objects(self, cache):
        """slabscope objects CACHE."""
        return Result("objects", self._a.objects(cache))

    def leaks(self, cache):
        """slabscope leaks CACHE."""
        return Result("leaks", self._a.leaks(cache))

    # ---- life ----
    def close(self):
        """Release the model now (it is released with the object too)."""
        self._a.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __repr__(self):
        if self._a.closed:
            return f"<slabscope.Analysis of {self.source}: closed>"
        return (
            f"<slabscope.Analysis of {self.source}: {self.allocator}, "
            f"{self.ncaches} caches, vmlinux {self.vmlinux}>"
        )


def open(dump, vmlinux=None):  # noqa: A001 (slabscope.open, as io.open)
    """Analyse the dump file at dump (ELF, kdump-compressed, ...)."""
    return Analysis(dump=dump, vmlinux=vmlinux)


def analysis(prog, vmlinux=None, **kw):
    """The Analysis of prog the module functions share: made on first
    use and kept in prog.cache; made anew when vmlinux names another
    file than the kept one's, or when keywords for Analysis() are given
    (modules=, module_dir=).  An Analysis passed as prog is itself."""
    if isinstance(prog, Analysis):
        return prog
    a = prog.cache.get(_CACHE_KEY)
    if a is not None and not a._a.closed and not kw and (
        vmlinux is None
        or _os.path.realpath(vmlinux) == _os.path.realpath(a.vmlinux)
    ):
        return a
    a = Analysis(prog, vmlinux, **kw)
    prog.cache[_CACHE_KEY] = a
    return a


def check(prog, caches=None, vmlinux=None):
    """slabscope check on prog (a drgn Program or an Analysis)."""
    return analysis(prog, vmlinux).check(caches)


def caches(prog, vmlinux=None):
    """slabscope caches on prog: a Caches list."""
    return analysis(prog, vmlinux).caches()


def whatis(prog, addr, vmlinux=None):
    """slabscope whatis on prog: addr an int, a drgn Object or a list."""
    return analysis(prog, vmlinux).whatis(addr)


def slabs(prog, cache, vmlinux=None):
    """slabscope slabs CACHE on prog."""
    return analysis(prog, vmlinux).slabs(cache)


def objects(prog, cache, vmlinux=None):
    """slabscope objects CACHE on prog."""
    return analysis(prog, vmlinux).objects(cache)


def leaks(prog, cache, vmlinux=None):
    """slabscope leaks CACHE on prog."""
    return analysis(prog, vmlinux).leaks(cache)
