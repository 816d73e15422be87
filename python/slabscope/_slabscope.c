// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * _slabscope: libslabscope for Python, through its public interface
 * (<slabscope/slabscope.h>) only.  This file is the C side and nothing more:
 * an analysis made from a dump file or from callables that read the memory
 * of a debugger (slabscope/__init__.py passes drgn's), queries returning
 * plain tuples.  The objects a user sees (Analysis, Result, Finding, Cache)
 * are Python, in __init__.py.
 *
 * The library runs inside a method call.  From a dump file it touches no
 * Python object, so the GIL is released while it works; reading through
 * callables needs the GIL, so it is kept.  Either way one analysis is used
 * by one thread at a time (the library's rule): a second call while one
 * runs, from another thread or from inside a callback, is an error, not a
 * data race.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <slabscope/slabscope.h>

static PyObject *slabscope_error; /* slabscope.Error */

/* Raise slabscope.Error for err (consumed): message, with the library's
 * code name and the address it is about as attributes. */
static PyObject *raise_error(struct ss_error *err)
{
	PyObject *exc = PyObject_CallFunction(slabscope_error, "s",
					      err->message ? err->message
							   : "unknown error");
	if (exc) {
		PyObject *code =
			PyUnicode_FromString(ss_errcode_name(err->code));
		PyObject *addr =
			err->address ? PyLong_FromUnsignedLongLong(err->address)
				     : Py_NewRef(Py_None);
		if (code && addr &&
		    PyObject_SetAttrString(exc, "code", code) == 0 &&
		    PyObject_SetAttrString(exc, "address", addr) == 0)
			PyErr_SetObject(slabscope_error, exc);
		Py_XDECREF(code);
		Py_XDECREF(addr);
		Py_DECREF(exc);
	}
	ss_error_destroy(err);
	return NULL;
}

/* ---- the host: memory read through Python callables ---- */

/* How many reads between two looks at pending signals: a long query
 * through a debugger stays interruptible by Ctrl-C (the callables are C
 * functions that do not look themselves) without paying a look per read. */
#define SIGNAL_CHECK_READS 4096

struct host {
	struct ss_host ss;
	PyObject *read; /* read(addr, size) -> bytes-like */
	PyObject *fault; /* exception type(s): memory not there */
	PyObject *excluded; /* str in the message of a fault that tells a
			       page the dump left out, or NULL */
	PyObject *symbol; /* symbol(name) -> int, LookupError, or NULL */
	PyObject *vmcoreinfo; /* {str: bytes} (a copy: its strings are lent
				 to the library), or NULL */
	PyObject *modules; /* [bytes]: the paths lent as modules[] and
			      module_dir, or NULL */
	const char **module_paths;
	/* The first exception a callable raised that is not a fault (a bug,
	 * Ctrl-C): raised when the library returns, and until then every
	 * read fails at once so that the query ends soon. */
	PyObject *pending_type, *pending_value, *pending_tb;
	unsigned reads;
};

static struct ss_error *host_pending_error(struct host *h)
{
	return ss_error_create(SS_ERR_IO, "interrupted by a Python exception");
}

/* Keep the current exception as the one to raise; the library gets an
 * error value instead. */
static struct ss_error *host_stash(struct host *h, const char *what)
{
	if (!h->pending_type)
		PyErr_Fetch(&h->pending_type, &h->pending_value,
			    &h->pending_tb);
	else
		PyErr_Clear();
	return ss_error_create(SS_ERR_IO, "%s raised a Python exception", what);
}

/* The pending fault (cleared): SS_ERR_EXCLUDED if its message has the
 * excluded string (drgn has one FaultError for both: "could not read
 * memory from kdump: Excluded page"), else SS_ERR_FAULT. */
static enum ss_errcode fault_code(struct host *h)
{
	if (!h->excluded) {
		PyErr_Clear();
		return SS_ERR_FAULT;
	}
	PyObject *type, *value, *tb;
	PyErr_Fetch(&type, &value, &tb);
	PyObject *msg = value ? PyObject_Str(value) : NULL;
	Py_ssize_t at = -1;
	if (msg)
		at = PyUnicode_Find(msg, h->excluded, 0, PY_SSIZE_T_MAX, 1);
	Py_XDECREF(msg);
	Py_XDECREF(type);
	Py_XDECREF(value);
	Py_XDECREF(tb);
	PyErr_Clear();
	return at >= 0 ? SS_ERR_EXCLUDED : SS_ERR_FAULT;
}

static struct ss_error *host_read(void *arg, uint64_t addr, void *buf,
				  size_t len)
{
	struct host *h = arg;
	if (h->pending_type)
		return host_pending_error(h);
	if (++h->reads % SIGNAL_CHECK_READS == 0 && PyErr_CheckSignals() < 0)
		return host_stash(h, "a signal handler");

	PyObject *args[2];
	args[0] = PyLong_FromUnsignedLongLong(addr);
	args[1] = PyLong_FromSize_t(len);
	PyObject *res = NULL;
	if (args[0] && args[1])
		res = PyObject_Vectorcall(h->read, args, 2, NULL);
	Py_XDECREF(args[0]);
	Py_XDECREF(args[1]);
	if (!res) {
		/* Garbage pointers are read on purpose: a fault is an
		 * ordinary answer, kept cheap (no message taken from the
		 * exception) and silent. */
		if (PyErr_ExceptionMatches(h->fault)) {
			enum ss_errcode code = fault_code(h);
			return ss_error_set_address(
				ss_error_create(
					code,
					code == SS_ERR_EXCLUDED
						? "address 0x%" PRIx64
						  " excluded from the dump"
						: "address 0x%" PRIx64
						  " not in memory",
					addr),
				addr);
		}
		return host_stash(h, "read");
	}

	Py_buffer view;
	struct ss_error *err = NULL;
	if (PyObject_GetBuffer(res, &view, PyBUF_SIMPLE) < 0) {
		err = host_stash(h, "read's result");
	} else {
		if ((size_t)view.len == len) {
			memcpy(buf, view.buf, len);
		} else {
			char a[24]; /* PyErr_Format has no %llx */
			snprintf(a, sizeof(a), "0x%" PRIx64, addr);
			PyErr_Format(PyExc_ValueError,
				     "read(%s, %zu) returned %zd bytes", a, len,
				     view.len);
			err = host_stash(h, "read");
		}
		PyBuffer_Release(&view);
	}
	Py_DECREF(res);
	return err;
}

static struct ss_error *host_symbol(void *arg, const char *name,
				    uint64_t *addr_ret)
{
	struct host *h = arg;
	if (h->pending_type)
		return host_pending_error(h);
	PyObject *res = PyObject_CallFunction(h->symbol, "s", name);
	if (!res) {
		if (PyErr_ExceptionMatches(PyExc_LookupError)) {
			PyErr_Clear();
			return ss_error_create(SS_ERR_NOTFOUND, "no symbol %s",
					       name);
		}
		return host_stash(h, "symbol");
	}
	unsigned long long v = PyLong_AsUnsignedLongLong(res);
	Py_DECREF(res);
	if (v == (unsigned long long)-1 && PyErr_Occurred())
		return host_stash(h, "symbol's result");
	*addr_ret = v;
	return NULL;
}

static const char *host_vmcoreinfo(void *arg, const char *key)
{
	struct host *h = arg;
	PyObject *v = PyDict_GetItemString(h->vmcoreinfo, key); /* borrowed */
	return v && PyBytes_Check(v) ? PyBytes_AS_STRING(v) : NULL;
}

/* PyList_Append of the file system path o as bytes */
static int append_path(PyObject *list, PyObject *o)
{
	PyObject *b;
	if (!PyUnicode_FSConverter(o, &b))
		return -1;
	int r = PyList_Append(list, b);
	Py_DECREF(b);
	return r;
}

/* modules (paths, or None) and module_dir (a path, or None) as the
 * host's modules[] and module_dir, their bytes kept in h->modules (the
 * directory last). */
static int host_set_modules(struct host *h, PyObject *modules,
			    PyObject *module_dir)
{
	if (!(h->modules = PyList_New(0)))
		return -1;
	if (modules != Py_None) {
		PyObject *seq = PySequence_Fast(modules,
						"modules: a list of .ko paths");
		if (!seq)
			return -1;
		for (Py_ssize_t i = 0; i < PySequence_Fast_GET_SIZE(seq); i++)
			if (append_path(h->modules,
					PySequence_Fast_GET_ITEM(seq, i)) < 0) {
				Py_DECREF(seq);
				return -1;
			}
		Py_DECREF(seq);
	}
	Py_ssize_t n = PyList_GET_SIZE(h->modules);
	if (module_dir != Py_None && append_path(h->modules, module_dir) < 0)
		return -1;
	if (!(h->module_paths = PyMem_Calloc(n ? n : 1, sizeof(char *)))) {
		PyErr_NoMemory();
		return -1;
	}
	for (Py_ssize_t i = 0; i < n; i++)
		h->module_paths[i] =
			PyBytes_AS_STRING(PyList_GET_ITEM(h->modules, i));
	h->ss.modules = h->module_paths;
	h->ss.nmodules = (size_t)n;
	if (module_dir != Py_None)
		h->ss.module_dir =
			PyBytes_AS_STRING(PyList_GET_ITEM(h->modules, n));
	return 0;
}

static void host_clear(struct host *h)
{
	Py_CLEAR(h->read);
	Py_CLEAR(h->fault);
	Py_CLEAR(h->excluded);
	Py_CLEAR(h->symbol);
	Py_CLEAR(h->vmcoreinfo);
	Py_CLEAR(h->modules);
	PyMem_Free(h->module_paths);
	h->module_paths = NULL;
	Py_CLEAR(h->pending_type);
	Py_CLEAR(h->pending_value);
	Py_CLEAR(h->pending_tb);
}

/* Raise the exception a callable left, if any: true if one was raised. */
static bool host_raise_pending(struct host *h)
{
	if (!h || !h->pending_type)
		return false;
	PyErr_Restore(h->pending_type, h->pending_value, h->pending_tb);
	h->pending_type = h->pending_value = h->pending_tb = NULL;
	return true;
}

/* ---- Analysis ---- */

typedef struct {
	PyObject_HEAD struct ss_analysis *a;
	struct host *host; /* NULL for a dump file */
	bool busy;
} AnalysisObject;

static int analysis_enter(AnalysisObject *self)
{
	if (!self->a) {
		PyErr_SetString(slabscope_error, "the analysis is closed");
		return -1;
	}
	if (self->busy) {
		PyErr_SetString(slabscope_error,
				"the analysis is in use (by another thread, or "
				"by a callback of its own query)");
		return -1;
	}
	self->busy = true;
	return 0;
}

static PyObject *Analysis_new(PyTypeObject *type, PyObject *args,
			      PyObject *kwds)
{
	return type->tp_alloc(type, 0);
}

/* dict {str: str|bytes} -> a new dict {str: bytes}, NUL-free values */
static PyObject *vmcoreinfo_copy(PyObject *src)
{
	if (!PyDict_Check(src)) {
		PyErr_SetString(PyExc_TypeError, "vmcoreinfo must be a dict");
		return NULL;
	}
	PyObject *dst = PyDict_New();
	PyObject *k, *v;
	Py_ssize_t pos = 0;
	while (dst && PyDict_Next(src, &pos, &k, &v)) {
		PyObject *b = PyUnicode_Check(v) ? PyUnicode_AsUTF8String(v)
						 : PyBytes_FromObject(v);
		if (!b || !PyUnicode_Check(k) ||
		    strlen(PyBytes_AS_STRING(b)) !=
			    (size_t)PyBytes_GET_SIZE(b) ||
		    PyDict_SetItem(dst, k, b) < 0) {
			if (b && !PyErr_Occurred())
				PyErr_SetString(PyExc_ValueError,
						"vmcoreinfo: str keys and "
						"NUL-free values");
			Py_XDECREF(b);
			Py_CLEAR(dst);
			break;
		}
		Py_DECREF(b);
	}
	return dst;
}

/*
 * Analysis(dump=None, vmlinux=None, *, read=None, fault=None,
 *          excluded=None, symbol=None, vmcoreinfo=None, name=None,
 *          page_size=0, kaslr_offset=None, modules=None, module_dir=None)
 * A dump file, or memory read by read() (which raises fault for memory
 * that is not there).
 */
static int Analysis_init(AnalysisObject *self, PyObject *args, PyObject *kwds)
{
	static char *kwlist[] = {
		"dump",	   "vmlinux",	 "read", "fault",     "excluded",
		"symbol",  "vmcoreinfo", "name", "page_size", "kaslr_offset",
		"modules", "module_dir", NULL
	};
	PyObject *dump = Py_None, *vmlinux = Py_None, *read = Py_None,
		 *fault = Py_None, *excluded = Py_None, *symbol = Py_None,
		 *vmcoreinfo = Py_None, *kaslr = Py_None, *modules = Py_None,
		 *module_dir = Py_None;
	const char *name = NULL;
	unsigned long long page_size = 0;
	if (self->a) {
		PyErr_SetString(slabscope_error, "the analysis is open");
		return -1;
	}
	if (!PyArg_ParseTupleAndKeywords(
		    args, kwds, "|OO$OOOOOzKOOO", kwlist, &dump, &vmlinux,
		    &read, &fault, &excluded, &symbol, &vmcoreinfo, &name,
		    &page_size, &kaslr, &modules, &module_dir))
		return -1;
	if ((dump == Py_None) == (read == Py_None)) {
		PyErr_SetString(PyExc_TypeError,
				"Analysis() takes a dump or a read callable");
		return -1;
	}

	PyObject *vm_bytes = NULL, *dump_bytes = NULL;
	if (vmlinux != Py_None && !PyUnicode_FSConverter(vmlinux, &vm_bytes))
		return -1;
	const char *vm = vm_bytes ? PyBytes_AS_STRING(vm_bytes) : NULL;
	struct ss_error *err;
	struct ss_analysis *a = NULL;

	if (dump != Py_None) {
		/* ss_analysis_open looks beside the dump, as the CLI */
		if (modules != Py_None || module_dir != Py_None) {
			PyErr_SetString(
				PyExc_TypeError,
				"modules and module_dir are for a host");
			Py_XDECREF(vm_bytes);
			return -1;
		}
		if (!PyUnicode_FSConverter(dump, &dump_bytes)) {
			Py_XDECREF(vm_bytes);
			return -1;
		}
		Py_BEGIN_ALLOW_THREADS;
		err = ss_analysis_open(PyBytes_AS_STRING(dump_bytes), vm, &a);
		Py_END_ALLOW_THREADS;
		Py_DECREF(dump_bytes);
		Py_XDECREF(vm_bytes);
		if (err) {
			raise_error(err);
			return -1;
		}
		self->a = a;
		return 0;
	}

	if (!PyCallable_Check(read) ||
	    (symbol != Py_None && !PyCallable_Check(symbol)) ||
	    fault == Py_None) {
		PyErr_SetString(PyExc_TypeError,
				"read (and symbol) must be callable, and fault "
				"the exception type of memory not there");
		Py_XDECREF(vm_bytes);
		return -1;
	}
	struct host *h = PyMem_Calloc(1, sizeof(*h));
	if (!h) {
		Py_XDECREF(vm_bytes);
		PyErr_NoMemory();
		return -1;
	}
	h->read = Py_NewRef(read);
	h->fault = Py_NewRef(fault);
	if (excluded != Py_None && !PyUnicode_Check(excluded)) {
		PyErr_SetString(PyExc_TypeError, "excluded must be a str");
		goto fail;
	}
	h->excluded = excluded != Py_None ? Py_NewRef(excluded) : NULL;
	h->symbol = symbol != Py_None ? Py_NewRef(symbol) : NULL;
	if (vmcoreinfo != Py_None &&
	    !(h->vmcoreinfo = vmcoreinfo_copy(vmcoreinfo)))
		goto fail;
	/* The name is lent for the analysis' life: keep it in the dict of
	 * strings that lives as long. */
	if (!h->vmcoreinfo && !(h->vmcoreinfo = PyDict_New()))
		goto fail;
	PyObject *name_b = PyBytes_FromString(name ? name : "python");
	if (!name_b ||
	    PyDict_SetItemString(h->vmcoreinfo, " host-name", name_b) < 0) {
		Py_XDECREF(name_b);
		goto fail;
	}
	Py_DECREF(name_b);

	h->ss.size = sizeof(h->ss);
	h->ss.name = PyBytes_AS_STRING(
		PyDict_GetItemString(h->vmcoreinfo, " host-name"));
	h->ss.arg = h;
	h->ss.read = host_read;
	h->ss.symbol = h->symbol ? host_symbol : NULL;
	h->ss.vmcoreinfo =
		PyDict_GET_SIZE(h->vmcoreinfo) > 1 ? host_vmcoreinfo : NULL;
	/* drgn 0.0.22 has no page-table walk to offer (its virt_to_phys
	 * knows the direct map only): to_phys stays NULL rather than say
	 * "not mapped" of what is. */
	h->ss.to_phys = NULL;
	h->ss.page_size = page_size;
	if ((modules != Py_None || module_dir != Py_None) &&
	    host_set_modules(h, modules, module_dir) < 0)
		goto fail;
	if (kaslr != Py_None) {
		h->ss.kaslr_offset = PyLong_AsUnsignedLongLongMask(kaslr);
		if (PyErr_Occurred())
			goto fail;
		h->ss.kaslr_known = true;
	}

	self->busy = true;
	err = ss_analysis_open_host(&h->ss, vm, &a);
	self->busy = false;
	Py_XDECREF(vm_bytes);
	vm_bytes = NULL;
	if (host_raise_pending(h)) {
		if (!err)
			ss_analysis_close(a);
		ss_error_destroy(err);
		goto fail;
	}
	if (err) {
		raise_error(err);
		goto fail;
	}
	self->a = a;
	self->host = h;
	return 0;

fail:
	Py_XDECREF(vm_bytes);
	host_clear(h);
	PyMem_Free(h);
	return -1;
}

static void analysis_close(AnalysisObject *self)
{
	ss_analysis_close(self->a);
	self->a = NULL;
	if (self->host) {
		host_clear(self->host);
		PyMem_Free(self->host);
		self->host = NULL;
	}
}

static void Analysis_dealloc(AnalysisObject *self)
{
	analysis_close(self);
	Py_TYPE(self)->tp_free((PyObject *)self);
}

static PyObject *Analysis_close(AnalysisObject *self, PyObject *unused)
{
	if (self->busy) {
		PyErr_SetString(slabscope_error, "the analysis is in use");
		return NULL;
	}
	analysis_close(self);
	Py_RETURN_NONE;
}

/* A finding as a tuple: (kind, severity, cache, slab, object, address,
 * value, message, culprit, culprit_relation), None where absent. */
static PyObject *finding_tuple(const struct ss_finding_info *f)
{
#define STR(s)                                                                 \
	((s) ? PyUnicode_DecodeUTF8((s), strlen(s), "replace")                 \
	     : Py_NewRef(Py_None))
#define ADDR(v) ((v) ? PyLong_FromUnsignedLongLong(v) : Py_NewRef(Py_None))
	PyObject *items[10] = {
		STR(f->kind),
		STR(f->severity),
		STR(f->cache),
		ADDR(f->slab),
		ADDR(f->object),
		PyLong_FromUnsignedLongLong(f->address),
		f->has_value ? PyLong_FromUnsignedLongLong(f->value)
			     : Py_NewRef(Py_None),
		STR(f->message),
		f->has_culprit ? PyLong_FromUnsignedLongLong(f->culprit)
			       : Py_NewRef(Py_None),
		f->has_culprit ? STR(f->culprit_relation) : Py_NewRef(Py_None),
	};
#undef STR
#undef ADDR
	PyObject *t = PyTuple_New(10);
	for (int i = 0; i < 10; i++) {
		if (!items[i] || !t) {
			Py_XDECREF(t);
			for (int j = i; j < 10; j++)
				Py_XDECREF(items[j]);
			return NULL;
		}
		PyTuple_SET_ITEM(t, i, items[i]);
	}
	return t;
}

/* A result as (status, text, json, [finding tuples]); r is destroyed. */
static PyObject *result_tuple(struct ss_result *r)
{
	const char *text = ss_result_text(r), *json = ss_result_json(r);
	size_t n = ss_result_nfindings(r);
	PyObject *findings = PyList_New((Py_ssize_t)n);
	for (size_t i = 0; findings && i < n; i++) {
		PyObject *t = finding_tuple(ss_result_finding(r, i));
		if (!t) {
			Py_CLEAR(findings);
			break;
		}
		PyList_SET_ITEM(findings, (Py_ssize_t)i, t);
	}
	PyObject *ret = NULL;
	if (findings)
		ret = Py_BuildValue(
			"(is#s#N)", ss_result_status(r), text ? text : "",
			(Py_ssize_t)(text ? strlen(text) : 0), json ? json : "",
			(Py_ssize_t)(json ? strlen(json) : 0), findings);
	ss_result_destroy(r);
	return ret;
}

enum query { Q_CACHES, Q_CHECK, Q_WHATIS, Q_SLABS, Q_OBJECTS, Q_LEAKS };

struct query_args {
	enum query q;
	const char *const *names;
	size_t nnames;
	const uint64_t *addrs;
	size_t naddrs;
	const char *cache;
};

static struct ss_error *run_query(struct ss_analysis *a,
				  const struct query_args *qa,
				  struct ss_result **r)
{
	switch (qa->q) {
	case Q_CACHES: return ss_query_caches(a, r);
	case Q_CHECK: return ss_query_check(a, qa->names, qa->nnames, r);
	case Q_WHATIS: return ss_query_whatis(a, qa->addrs, qa->naddrs, r);
	case Q_SLABS: return ss_query_slabs(a, qa->cache, r);
	case Q_OBJECTS: return ss_query_objects(a, qa->cache, r);
	case Q_LEAKS: return ss_query_leaks(a, qa->cache, r);
	}
	return ss_error_create(SS_ERR_INVALID, "unknown query");
}

static PyObject *query(AnalysisObject *self, const struct query_args *qa)
{
	if (analysis_enter(self) < 0)
		return NULL;
	struct ss_result *r = NULL;
	struct ss_error *err;
	if (self->host) {
		err = run_query(self->a, qa, &r);
	} else {
		Py_BEGIN_ALLOW_THREADS;
		err = run_query(self->a, qa, &r);
		Py_END_ALLOW_THREADS;
	}
	self->busy = false;
	if (host_raise_pending(self->host)) {
		ss_result_destroy(r);
		ss_error_destroy(err);
		return NULL;
	}
	if (err)
		return raise_error(err);
	return result_tuple(r);
}

static PyObject *Analysis_caches(AnalysisObject *self, PyObject *unused)
{
	struct query_args qa = { .q = Q_CACHES };
	return query(self, &qa);
}

/* check(names=None): a sequence of cache names (or None: all) */
static PyObject *Analysis_check(AnalysisObject *self, PyObject *args)
{
	PyObject *names = Py_None;
	if (!PyArg_ParseTuple(args, "|O:check", &names))
		return NULL;
	struct query_args qa = { .q = Q_CHECK };
	PyObject *seq = NULL;
	const char **v = NULL;
	if (names != Py_None) {
		seq = PySequence_Fast(names,
				      "check: a sequence of cache names");
		if (!seq)
			return NULL;
		Py_ssize_t n = PySequence_Fast_GET_SIZE(seq);
		v = PyMem_Calloc(n ? n : 1, sizeof(*v));
		if (!v) {
			Py_DECREF(seq);
			return PyErr_NoMemory();
		}
		for (Py_ssize_t i = 0; i < n; i++) {
			/* UTF-8 kept by the str objects seq holds */
			v[i] = PyUnicode_AsUTF8(
				PySequence_Fast_GET_ITEM(seq, i));
			if (!v[i]) {
				PyMem_Free(v);
				Py_DECREF(seq);
				return NULL;
			}
		}
		qa.names = v;
		qa.nnames = (size_t)n;
	}
	PyObject *ret = query(self, &qa);
	PyMem_Free(v);
	Py_XDECREF(seq);
	return ret;
}

/* whatis(addrs): a sequence of ints */
static PyObject *Analysis_whatis(AnalysisObject *self, PyObject *args)
{
	PyObject *addrs;
	if (!PyArg_ParseTuple(args, "O:whatis", &addrs))
		return NULL;
	PyObject *seq =
		PySequence_Fast(addrs, "whatis: a sequence of addresses");
	if (!seq)
		return NULL;
	Py_ssize_t n = PySequence_Fast_GET_SIZE(seq);
	uint64_t *v = PyMem_Calloc(n ? n : 1, sizeof(*v));
	if (!v) {
		Py_DECREF(seq);
		return PyErr_NoMemory();
	}
	for (Py_ssize_t i = 0; i < n; i++) {
		PyObject *o = PyNumber_Index(PySequence_Fast_GET_ITEM(seq, i));
		unsigned long long x = o ? PyLong_AsUnsignedLongLong(o) : 0;
		Py_XDECREF(o);
		if (PyErr_Occurred()) {
			if (PyErr_ExceptionMatches(PyExc_OverflowError)) {
				PyErr_Clear();
				PyErr_SetString(PyExc_ValueError,
						"whatis: an address is 0 to "
						"2**64 - 1");
			}
			PyMem_Free(v);
			Py_DECREF(seq);
			return NULL;
		}
		v[i] = x;
	}
	Py_DECREF(seq);
	struct query_args qa = { .q = Q_WHATIS,
				 .addrs = v,
				 .naddrs = (size_t)n };
	PyObject *ret = query(self, &qa);
	PyMem_Free(v);
	return ret;
}

static PyObject *cache_query(AnalysisObject *self, PyObject *args, enum query q,
			     const char *fmt)
{
	const char *cache;
	if (!PyArg_ParseTuple(args, fmt, &cache))
		return NULL;
	struct query_args qa = { .q = q, .cache = cache };
	return query(self, &qa);
}

static PyObject *Analysis_slabs(AnalysisObject *self, PyObject *args)
{
	return cache_query(self, args, Q_SLABS, "s:slabs");
}

static PyObject *Analysis_objects(AnalysisObject *self, PyObject *args)
{
	return cache_query(self, args, Q_OBJECTS, "s:objects");
}

static PyObject *Analysis_leaks(AnalysisObject *self, PyObject *args)
{
	return cache_query(self, args, Q_LEAKS, "s:leaks");
}

static PyObject *Analysis_get_vmlinux(AnalysisObject *self, void *unused)
{
	if (!self->a)
		Py_RETURN_NONE;
	return PyUnicode_DecodeFSDefault(ss_analysis_vmlinux(self->a));
}

static PyObject *Analysis_get_allocator(AnalysisObject *self, void *unused)
{
	if (!self->a)
		Py_RETURN_NONE;
	return PyUnicode_FromString(ss_analysis_allocator(self->a));
}

static PyObject *Analysis_get_ncaches(AnalysisObject *self, void *unused)
{
	if (!self->a)
		Py_RETURN_NONE;
	return PyLong_FromSize_t(ss_analysis_ncaches(self->a));
}

static PyObject *Analysis_get_closed(AnalysisObject *self, void *unused)
{
	return PyBool_FromLong(self->a == NULL);
}

static PyMethodDef Analysis_methods[] = {
	{ "caches", (PyCFunction)Analysis_caches, METH_NOARGS,
	  "caches() -> (status, text, json, findings)" },
	{ "check", (PyCFunction)Analysis_check, METH_VARARGS,
	  "check(names=None) -> (status, text, json, findings)" },
	{ "whatis", (PyCFunction)Analysis_whatis, METH_VARARGS,
	  "whatis(addrs) -> (status, text, json, findings)" },
	{ "slabs", (PyCFunction)Analysis_slabs, METH_VARARGS,
	  "slabs(cache) -> (status, text, json, findings)" },
	{ "objects", (PyCFunction)Analysis_objects, METH_VARARGS,
	  "objects(cache) -> (status, text, json, findings)" },
	{ "leaks", (PyCFunction)Analysis_leaks, METH_VARARGS,
	  "leaks(cache) -> (status, text, json, findings)" },
	{ "close", (PyCFunction)Analysis_close, METH_NOARGS,
	  "Release the analysis (its model and the callables)." },
	{ NULL, NULL, 0, NULL },
};

static PyGetSetDef Analysis_getset[] = {
	{ "vmlinux", (getter)Analysis_get_vmlinux, NULL, "the vmlinux in use",
	  NULL },
	{ "allocator", (getter)Analysis_get_allocator, NULL, "SLUB or SLAB",
	  NULL },
	{ "ncaches", (getter)Analysis_get_ncaches, NULL,
	  "the number of slab caches", NULL },
	{ "closed", (getter)Analysis_get_closed, NULL, "closed?", NULL },
	{ NULL, NULL, NULL, NULL, NULL },
};

static PyTypeObject AnalysisType = {
	PyVarObject_HEAD_INIT(NULL, 0).tp_name =
		"slabscope._slabscope.Analysis",
	.tp_basicsize = sizeof(AnalysisObject),
	.tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
	.tp_doc = "libslabscope's analysis of one kernel (low level: "
		  "slabscope.Analysis is what to use)",
	.tp_new = Analysis_new,
	.tp_init = (initproc)Analysis_init,
	.tp_dealloc = (destructor)Analysis_dealloc,
	.tp_methods = Analysis_methods,
	.tp_getset = Analysis_getset,
};

static PyObject *mod_version(PyObject *self, PyObject *unused)
{
	return PyUnicode_FromString(ss_version());
}

static PyMethodDef module_methods[] = {
	{ "version", mod_version, METH_NOARGS, "libslabscope's version" },
	{ NULL, NULL, 0, NULL },
};

static struct PyModuleDef module_def = {
	PyModuleDef_HEAD_INIT,
	.m_name = "slabscope._slabscope",
	.m_doc = "libslabscope's public interface, for slabscope/__init__.py",
	.m_size = -1,
	.m_methods = module_methods,
};

PyMODINIT_FUNC PyInit__slabscope(void);
PyMODINIT_FUNC PyInit__slabscope(void)
{
	if (PyType_Ready(&AnalysisType) < 0)
		return NULL;
	PyObject *m = PyModule_Create(&module_def);
	if (!m)
		return NULL;
	/* code and address: None on the class, for the errors of this
	 * module's own (a closed analysis) */
	PyObject *attrs =
		Py_BuildValue("{sOsO}", "code", Py_None, "address", Py_None);
	if (attrs)
		slabscope_error = PyErr_NewExceptionWithDoc(
			"slabscope.Error",
			"An error of libslabscope: its message, .code "
			"(\"mismatch\", \"fault\", ...) and .address (or None)",
			NULL, attrs);
	Py_XDECREF(attrs);
	if (!slabscope_error ||
	    PyModule_AddObjectRef(m, "Error", slabscope_error) < 0 ||
	    PyModule_AddObjectRef(m, "Analysis", (PyObject *)&AnalysisType) <
		    0) {
		Py_DECREF(m);
		return NULL;
	}
	return m;
}
