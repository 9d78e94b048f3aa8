// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The one table from the native errno values to NTSTATUS, and back for the
 * statuses a virtualization stack answers with (EVENT_COMPLETE).
 */

#include <errno.h>
#include <limits.h>
#include <stddef.h>

#include "internal.h"
#include "pcivirt.h"

struct status_row {
	int err;		/* positive */
	NTSTATUS status;
};

/* The first row of a status is the errno it maps back to. */
static const struct status_row rows[] = {
	{ EINVAL, STATUS_INVALID_PARAMETER },
	{ ENODEV, STATUS_NO_SUCH_DEVICE },
	{ ENXIO, STATUS_NO_SUCH_DEVICE },
	{ ENODATA, STATUS_INVALID_DEVICE_STATE },
	{ EOPNOTSUPP, STATUS_NOT_SUPPORTED },
	{ ENOTTY, STATUS_NOT_SUPPORTED },
	{ ENOSYS, STATUS_NOT_SUPPORTED },
	{ EBUSY, STATUS_DEVICE_BUSY },
	{ ENOSPC, STATUS_INSUFFICIENT_RESOURCES },
	{ ENOMEM, STATUS_INSUFFICIENT_RESOURCES },
	{ EMFILE, STATUS_INSUFFICIENT_RESOURCES },
	{ ENFILE, STATUS_INSUFFICIENT_RESOURCES },
	{ EACCES, STATUS_ACCESS_DENIED },
	{ EPERM, STATUS_ACCESS_DENIED },
	{ ETIMEDOUT, STATUS_IO_TIMEOUT },
	{ ECANCELED, STATUS_CANCELLED },
	{ EINTR, STATUS_CANCELLED },
	{ EIO, STATUS_IO_DEVICE_ERROR },
	{ ERANGE, STATUS_BUFFER_TOO_SMALL },
	{ ENOENT, STATUS_OBJECT_PATH_NOT_FOUND },
	{ ENOTDIR, STATUS_OBJECT_PATH_NOT_FOUND },
	{ ENAMETOOLONG, STATUS_NAME_TOO_LONG },
};

#define NAME(s) { s, #s }
static const struct {
	NTSTATUS status;
	const char *name;
} names[] = {
	NAME(STATUS_SUCCESS),
	NAME(STATUS_PENDING),
	NAME(STATUS_DEVICE_BUSY),
	NAME(STATUS_UNSUCCESSFUL),
	NAME(STATUS_INVALID_PARAMETER),
	NAME(STATUS_NO_SUCH_DEVICE),
	NAME(STATUS_INVALID_DEVICE_REQUEST),
	NAME(STATUS_ACCESS_DENIED),
	NAME(STATUS_BUFFER_TOO_SMALL),
	NAME(STATUS_OBJECT_PATH_NOT_FOUND),
	NAME(STATUS_SHARING_VIOLATION),
	NAME(STATUS_INSUFFICIENT_RESOURCES),
	NAME(STATUS_IO_TIMEOUT),
	NAME(STATUS_NOT_SUPPORTED),
	NAME(STATUS_NAME_TOO_LONG),
	NAME(STATUS_CANCELLED),
	NAME(STATUS_INVALID_DEVICE_STATE),
	NAME(STATUS_IO_DEVICE_ERROR),
	NAME(STATUS_NOT_FOUND),
};

SV_EXPORT NTSTATUS sriovvirt_ntstatus_from_errno(int err)
{
	if (err == 0)
		return STATUS_SUCCESS;
	if (err == INT_MIN)
		return STATUS_UNSUCCESSFUL;
	if (err < 0)
		err = -err;
	if (err == ENOTSUP)
		err = EOPNOTSUPP;
	for (size_t i = 0; i < SV_ARRAY_SIZE(rows); i++) {
		if (rows[i].err == err)
			return rows[i].status;
	}
	return STATUS_UNSUCCESSFUL;
}

SV_EXPORT const char *sriovvirt_ntstatus_name(NTSTATUS status)
{
	for (size_t i = 0; i < SV_ARRAY_SIZE(names); i++) {
		if (names[i].status == status)
			return names[i].name;
	}
	return NULL;
}

int sv_errno_from_ntstatus(NTSTATUS status)
{
	if (NT_SUCCESS(status))
		return 0;
	for (size_t i = 0; i < SV_ARRAY_SIZE(rows); i++) {
		if (rows[i].status == status)
			return -rows[i].err;
	}
	return -ECANCELED;
}
