/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * sriovctl apply: the declared state of PFs (apply-doc.c reads it from JSON
 * documents through json-c) and the convergence (cmd-apply.c).
 */
#ifndef SRIOVCTL_APPLY_H
#define SRIOVCTL_APPLY_H

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>

#include "cli.h"

/* What a document declares for one VF. */
struct vf_decl {
	uint16_t index;
	bool has_driver;
	char driver[SRIOVVIRT_DRIVER_NAME_MAX];	/* "" declares no driver */
	struct sriovvirt_vf_net net;	/* the NIC settings declared */
	unsigned int net_which;		/* SRIOVVIRT_VF_NET_* declared */
	char where[PATH_MAX + 64];	/* "FILE: [0].vfs[2]" */
};

/* What a document declares for one PF. */
struct pf_decl {
	struct sriovvirt_pf *pf;
	char where[PATH_MAX + 64];
	bool has_num_vfs;
	uint16_t num_vfs;
	bool has_autoprobe;
	bool autoprobe;
	struct vf_decl *vfs;
	size_t nr_vfs;
};

struct apply_doc {
	struct pf_decl *pfs;
	size_t nr_pfs;
};

/*
 * Reads every document (a file, or each *.json of a directory in name
 * order) and checks it whole against the host: EXIT_USAGE, naming the
 * file and field, for anything wrong; nothing is changed either way. With
 * @only, just the objects naming that PF are read; the others are passed
 * over unchecked (their PFs may not exist yet).
 */
int apply_doc_read(struct cli *cli, struct sriovvirt_pf *only, char **paths,
		   int nr_paths, struct apply_doc *ret);
void apply_doc_free(struct apply_doc *doc);

#endif
