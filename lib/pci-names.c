// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The libpci adapter: names from the pci.ids database. This is the only file
 * that includes libpci.
 *
 * libpci reports fatal errors (out of memory, broken access methods) through
 * pci_access.error, which must not return and whose default calls exit(1). A
 * library must never end its host process, so every libpci call runs inside
 * a guard that the error hook leaves with longjmp(). The hook gets no context
 * pointer, hence the one thread-local variable in the library: the innermost
 * active guard of this thread, set only for the duration of a libpci call.
 */

#include <errno.h>
#include <limits.h>
#include <pci/pci.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

struct libpci_guard {
	jmp_buf env;
	struct sriovvirt_ctx *ctx;
	struct libpci_guard *outer;
};

static _Thread_local struct libpci_guard *active_guard;

static void log_libpci(int priority, const char *msg, va_list args)
{
	char text[512];

	if (!active_guard || !sv_log_enabled(active_guard->ctx, priority))
		return;
	vsnprintf(text, sizeof(text), msg, args);
	sv_log(active_guard->ctx, priority, "libpci: %s", text);
}

static void PCI_NONRET libpci_error(char *msg, ...)
{
	va_list args;

	va_start(args, msg);
	log_libpci(LOG_ERR, msg, args);
	va_end(args);
	/* Only reachable from inside a guarded call; see the file comment. */
	if (!active_guard)
		abort();
	longjmp(active_guard->env, 1);
}

static void libpci_warning(char *msg, ...)
{
	va_list args;

	va_start(args, msg);
	log_libpci(LOG_WARNING, msg, args);
	va_end(args);
}

static void libpci_debug(char *msg, ...)
{
	va_list args;

	va_start(args, msg);
	log_libpci(LOG_DEBUG, msg, args);
	va_end(args);
}

/* Creates the context's pci_access, pointed at the context's sysfs root. */
static int ctx_libpci(struct sriovvirt_ctx *ctx, struct pci_access **ret)
{
	struct pci_access *a;
	char param[] = "sysfs.path";	/* libpci takes non-const strings */
	char path[PATH_MAX];

	if (ctx->pacc) {
		*ret = ctx->pacc;
		return 0;
	}
	a = pci_alloc();
	if (!a)
		return -ENOMEM;
	a->error = libpci_error;
	a->warning = libpci_warning;
	a->debug = libpci_debug;
	a->method = PCI_ACCESS_SYS_BUS_PCI;
	snprintf(path, sizeof(path), "%s/bus/pci", ctx->sysfs_root);
	pci_set_param(a, param, path);
	ctx->pacc = a;
	*ret = a;
	return 0;
}

static int lookup_name(struct pci_access *a, uint16_t vendor, uint16_t device,
		       char *buf, size_t size)
{
	const char *name;
	/* libpci takes an int. */
	int len = size > INT_MAX ? INT_MAX : (int)size;

	name = pci_lookup_name(a, buf, len,
			       PCI_LOOKUP_VENDOR | PCI_LOOKUP_DEVICE, vendor,
			       device);
	if (!name)
		return -EIO;
	if (name != buf) {
		/* libpci returns a static message when buf is too small. */
		snprintf(buf, size, "%s", name);
	}
	return 0;
}

SV_EXPORT int sriovvirt_ctx_lookup_name(struct sriovvirt_ctx *ctx,
					uint16_t vendor_id, uint16_t device_id,
					char *buf, size_t size)
{
	struct libpci_guard guard;
	struct pci_access *a;
	volatile int r;

	if (!ctx || !buf || size == 0)
		return -EINVAL;
	guard.ctx = ctx;
	guard.outer = active_guard;
	active_guard = &guard;
	if (setjmp(guard.env) == 0) {
		r = ctx_libpci(ctx, &a);
		if (r == 0)
			r = lookup_name(a, vendor_id, device_id, buf, size);
	} else {
		/*
		 * libpci's state is unknown after a fatal error: forget it
		 * without calling into libpci again (a small leak, after
		 * what is almost always an allocation failure).
		 */
		r = -EIO;
		ctx->pacc = NULL;
	}
	active_guard = guard.outer;
	return r;
}

void sv_libpci_release(struct sriovvirt_ctx *ctx)
{
	if (!ctx->pacc)
		return;
	pci_cleanup(ctx->pacc);
	ctx->pacc = NULL;
}
