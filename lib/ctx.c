// SPDX-License-Identifier: LGPL-2.1-or-later
/* The library context: roots, logging and the lazily created helpers. */

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define DEFAULT_SYSFS_ROOT "/sys"
#define DEFAULT_RUNTIME_DIR "/run/sriovvirt"

SV_EXPORT int sriovvirt_ctx_new(struct sriovvirt_ctx **ret)
{
	struct sriovvirt_ctx *ctx;

	if (!ret)
		return -EINVAL;
	ctx = calloc(1, sizeof(*ctx));
	if (!ctx)
		return -ENOMEM;
	ctx->refcount = 1;
	ctx->log_priority = LOG_ERR;
	ctx->query_timeout_ms = SV_QUERY_TIMEOUT_MS;
	ctx->sys = &sv_sysfs_backend;
	ctx->sysfs_root = strdup(DEFAULT_SYSFS_ROOT);
	ctx->runtime_dir = strdup(DEFAULT_RUNTIME_DIR);
	if (!ctx->sysfs_root || !ctx->runtime_dir) {
		sriovvirt_ctx_unref(ctx);
		return -ENOMEM;
	}
	*ret = ctx;
	return 0;
}

SV_EXPORT struct sriovvirt_ctx *sriovvirt_ctx_ref(struct sriovvirt_ctx *ctx)
{
	if (ctx)
		ctx->refcount++;
	return ctx;
}

SV_EXPORT struct sriovvirt_ctx *sriovvirt_ctx_unref(struct sriovvirt_ctx *ctx)
{
	if (!ctx || --ctx->refcount > 0)
		return NULL;
	sv_libpci_release(ctx);
	sv_udev_release(ctx);
	free(ctx->sysfs_root);
	free(ctx->runtime_dir);
	free(ctx);
	return NULL;
}

/* Copies @path without trailing slashes ("/" itself stays "/"). */
static int set_dir(char **dst, const char *path)
{
	size_t len;
	char *copy;

	if (!path)
		return -EINVAL;
	len = strnlen(path, PATH_MAX);
	if (len == 0 || len >= PATH_MAX)
		return -EINVAL;
	while (len > 1 && path[len - 1] == '/')
		len--;
	copy = strndup(path, len);
	if (!copy)
		return -ENOMEM;
	free(*dst);
	*dst = copy;
	return 0;
}

SV_EXPORT int sriovvirt_ctx_set_sysfs_root(struct sriovvirt_ctx *ctx,
					   const char *path)
{
	int r;

	if (!ctx)
		return -EINVAL;
	r = set_dir(&ctx->sysfs_root, path);
	if (r < 0)
		return r;
	/* libpci was pointed at the old root; make it again when needed. */
	sv_libpci_release(ctx);
	return 0;
}

SV_EXPORT const char *sriovvirt_ctx_get_sysfs_root(const struct sriovvirt_ctx *ctx)
{
	return ctx ? ctx->sysfs_root : NULL;
}

SV_EXPORT int sriovvirt_ctx_set_runtime_dir(struct sriovvirt_ctx *ctx,
					    const char *path)
{
	char *copy = NULL;
	int r;

	if (!ctx || !path || path[0] != '/')
		return -EINVAL;
	r = set_dir(&copy, path);
	if (r == 0)
		r = sv_runtime_dir_check(ctx, copy);
	if (r < 0) {
		free(copy);
		return r;
	}
	free(ctx->runtime_dir);
	ctx->runtime_dir = copy;
	return 0;
}

SV_EXPORT const char *sriovvirt_ctx_get_runtime_dir(const struct sriovvirt_ctx *ctx)
{
	return ctx ? ctx->runtime_dir : NULL;
}

SV_EXPORT void sriovvirt_ctx_set_log_fn(struct sriovvirt_ctx *ctx,
					sriovvirt_log_fn fn, void *userdata)
{
	if (!ctx)
		return;
	ctx->log_fn = fn;
	ctx->log_data = userdata;
}

SV_EXPORT int sriovvirt_ctx_set_log_priority(struct sriovvirt_ctx *ctx,
					     int priority)
{
	if (!ctx || priority < LOG_EMERG || priority > LOG_DEBUG)
		return -EINVAL;
	ctx->log_priority = priority;
	return 0;
}

SV_EXPORT int sriovvirt_ctx_get_log_priority(const struct sriovvirt_ctx *ctx)
{
	return ctx ? ctx->log_priority : -EINVAL;
}

void sv_log_write(struct sriovvirt_ctx *ctx, int priority, const char *file,
		  int line, const char *fn, const char *format, ...)
{
	va_list args;
	int saved_errno = errno;

	va_start(args, format);
	ctx->log_fn(ctx->log_data, priority, file, line, fn, format, args);
	va_end(args);
	errno = saved_errno;
}

void sv_ctx_set_sysfs_ops(struct sriovvirt_ctx *ctx,
			  const struct sv_sysfs_ops *ops, void *data)
{
	ctx->sys = ops ? ops : &sv_sysfs_backend;
	ctx->sys_data = data;
}

bool sv_sized_ok(const void *dst, uint32_t min_size)
{
	uint32_t size;

	memcpy(&size, dst, sizeof(size));
	return size >= min_size;
}

void sv_sized_fill(void *dst, const void *src, uint32_t src_size)
{
	uint32_t size;

	memcpy(&size, dst, sizeof(size));
	if (size > src_size)
		size = src_size;
	memcpy(dst, src, size);
	memcpy(dst, &size, sizeof(size));
}

SV_EXPORT int sriovvirt_ctx_set_query_timeout(struct sriovvirt_ctx *ctx,
					      int timeout_ms)
{
	if (!ctx || timeout_ms < 0)
		return -EINVAL;
	ctx->query_timeout_ms = timeout_ms;
	return 0;
}
