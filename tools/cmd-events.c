// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * sriovctl attach and monitor: the PF event channel. attach acts as the
 * virtualization stack (ATTACH, then NOTIFICATION and EVENT_COMPLETE for
 * each event until SIGINT or SIGTERM, then DETACH); monitor only watches the
 * kernel's events, for any number of PFs. Both print one line per event and
 * flush it, so a script can follow them.
 */

#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

struct event_view {
	const struct sriovvirt_pf_event *e;
	const char *answer;	/* attach: "allowed", "vetoed" or NULL */
};

static const char *operation_name(uint32_t op)
{
	switch (op) {
	case SRIOVVIRT_OP_DISABLE:
		return "disable";
	case SRIOVVIRT_OP_UNBIND_VF:
		return "unbind_vf";
	case SRIOVVIRT_OP_RESET_PF:
		return "reset_pf";
	case SRIOVVIRT_OP_UNBIND_PF:
		return "unbind_pf";
	default:
		return NULL;
	}
}

static void event_text(struct cli *cli, const void *data)
{
	const struct event_view *v = data;
	const struct sriovvirt_pf_event *e = v->e;
	char addr[SRIOVVIRT_PCI_ADDR_BUFSIZE];
	const char *op = operation_name(e->operation);

	(void)cli;
	sriovvirt_pci_addr_format(&e->addr, addr, sizeof(addr));
	printf("%-18s %s", sriovvirt_event_name(e->code), addr);
	if (e->vf != SRIOVVIRT_ALL_VFS)
		printf(" VF %u", e->vf);
	if (op)
		printf(" %s by PID %d", op, e->pid);
	if (e->code == SRIOVVIRT_EVENT_RESTART && e->status)
		printf(" (%s)", strerror(-e->status));
	if (v->answer)
		printf(": %s", v->answer);
	putchar('\n');
	fflush(stdout);
}

static void event_json(struct json *j, const void *data)
{
	const struct event_view *v = data;
	const struct sriovvirt_pf_event *e = v->e;
	char addr[SRIOVVIRT_PCI_ADDR_BUFSIZE];
	const char *op = operation_name(e->operation);

	sriovvirt_pci_addr_format(&e->addr, addr, sizeof(addr));
	json_begin_object(j);
	json_kv_string(j, "event", sriovvirt_event_name(e->code));
	json_kv_uint(j, "code", e->code);
	json_kv_string(j, "address", addr);
	json_key(j, "vf");
	if (e->vf == SRIOVVIRT_ALL_VFS)
		json_null(j);
	else
		json_uint(j, e->vf);
	json_key(j, "operation");
	if (op)
		json_string(j, op);
	else
		json_null(j);
	json_key(j, "pid");
	json_int(j, e->pid);
	if (e->code == SRIOVVIRT_EVENT_RESTART) {
		json_key(j, "status");
		json_int(j, e->status);
	}
	if (v->answer)
		json_kv_string(j, "answer", v->answer);
	json_end_object(j);
}

static const struct cli_output event_output = { event_text, event_json };

/* SIGINT and SIGTERM as a descriptor: they end the loop, not the process. */
static int stop_signals(void)
{
	sigset_t set;
	int fd;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	if (sigprocmask(SIG_BLOCK, &set, NULL) < 0)
		return -errno;
	fd = signalfd(-1, &set, SFD_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

/* Prints (and with @veto_status, answers) every pending event of @pf. */
static int drain_events(struct cli *cli, struct sriovvirt_pf *pf,
			bool attached, int veto_status)
{
	struct sriovvirt_pf_event e;
	struct event_view v = { &e, NULL };
	int r;

	while ((r = sriovvirt_pf_next_event(pf, &e)) == 0) {
		bool query = e.code == SRIOVVIRT_EVENT_QUERY_STOP_DEVICE;

		v.answer = attached && query ? (veto_status ? "vetoed"
							    : "allowed")
					     : NULL;
		cli_print(cli, &event_output, &v);
		if (attached && query) {
			r = sriovvirt_pf_complete_event(pf, veto_status);
			if (r < 0)
				return r;
		}
	}
	return r == -EAGAIN ? 0 : r;
}

/*
 * The event loop over @n handles until a signal on @sig (stop_signals(),
 * made before the command says it is ready) or @timeout_ms (-1: none).
 * Returns 0 or a negative errno.
 */
static int event_loop(struct cli *cli, struct sriovvirt_pf **pfs,
		      const int *fds, unsigned int n, bool attached,
		      int veto_status, int timeout_ms, int sig)
{
	int64_t deadline = timeout_ms < 0 ? -1 : cli_now_ms() + timeout_ms;
	struct pollfd *p;
	int r = 0;

	cli->out.compact = true;	/* one JSON object per line */
	p = calloc(n + 1, sizeof(*p));
	if (!p)
		return -ENOMEM;
	for (unsigned int i = 0; i < n; i++)
		p[i] = (struct pollfd){ .fd = fds[i], .events = POLLIN };
	p[n] = (struct pollfd){ .fd = sig, .events = POLLIN };
	while (r == 0) {
		int left = cli_left_ms(deadline);

		if (left == 0)
			break;
		r = poll(p, n + 1, left);
		if (r < 0 && errno == EINTR) {
			r = 0;
			continue;
		}
		if (r < 0) {
			r = -errno;
			break;
		}
		/* Events that came before the signal are printed first. */
		r = 0;
		for (unsigned int i = 0; r == 0 && i < n; i++) {
			if (p[i].revents)
				r = drain_events(cli, pfs[i], attached,
						 veto_status);
		}
		if (p[n].revents)
			break;
	}
	free(p);
	return r;
}

static int timeout_option(struct cli *cli, const struct command *cmd,
			  const struct cli_args *args, int *ret_ms)
{
	const char *opt = cli_opt(cmd, args, "timeout");
	uint64_t seconds;
	int r;

	*ret_ms = -1;
	if (!opt)
		return EXIT_OK;
	r = cli_arg_number(cli, "--timeout", opt, 86400, &seconds);
	if (r == EXIT_OK)
		*ret_ms = (int)seconds * 1000;
	return r;
}

static int run_attach(struct cli *cli, const struct command *cmd,
		      const struct cli_args *args)
{
	int veto = cli_opt(cmd, args, "veto") ? -EBUSY : 0;
	struct sriovvirt_pf *pf;
	int fd, sig, timeout_ms, r;

	r = timeout_option(cli, cmd, args, &timeout_ms);
	if (r == EXIT_OK)
		r = cli_open_pf(cli, args->operands[0], &pf);
	if (r != EXIT_OK)
		return r;
	r = sriovvirt_pf_attach(pf, &fd);
	if (r < 0) {
		r = cli_fail(cli, r, "%s: attaching", sriovvirt_pf_get_name(pf));
		sriovvirt_pf_unref(pf);
		return r;
	}
	/*
	 * Ready: a script may now start what it wants to be asked about, or
	 * stop this process at once: the signals already detach, not kill.
	 */
	sig = stop_signals();
	r = sig < 0 ? sig : 0;
	if (r == 0) {
		fprintf(stderr, "sriovctl: attached to %s%s\n",
			sriovvirt_pf_get_name(pf), veto ? ", vetoing" : "");
		r = event_loop(cli, &pf, &fd, 1, true, veto, timeout_ms, sig);
		close(sig);
	}
	sriovvirt_pf_detach(pf);
	if (r < 0)
		r = cli_fail(cli, r, "%s: attached", sriovvirt_pf_get_name(pf));
	sriovvirt_pf_unref(pf);
	return r < 0 ? EXIT_FAILED : r;
}

/* Every SR-IOV PF of the system, each with its descriptor. */
static int monitor_all(struct cli *cli, struct sriovvirt_pf ***ret_pfs,
		       int **ret_fds, unsigned int *ret_n)
{
	struct sriovvirt_pci_addr *addrs;
	struct sriovvirt_pf **pfs;
	size_t count, i;
	unsigned int n = 0;
	int *fds, r;

	r = sriovvirt_list_pfs(cli->ctx, &addrs, &count);
	if (r < 0)
		return cli_fail(cli, r, "listing PFs");
	pfs = calloc(count + 1, sizeof(*pfs));
	fds = calloc(count + 1, sizeof(*fds));
	r = pfs && fds ? 0 : -ENOMEM;
	for (i = 0; r == 0 && i < count; i++) {
		r = sriovvirt_pf_open_addr(cli->ctx, &addrs[i], &pfs[n]);
		if (r == -ENODEV) {
			r = 0;	/* gone since the listing */
			continue;
		}
		if (r == 0)
			r = sriovvirt_pf_monitor(pfs[n], &fds[n]);
		if (r == 0)
			n++;
	}
	free(addrs);
	*ret_pfs = pfs;
	*ret_fds = fds;
	*ret_n = n;
	return r < 0 ? cli_fail(cli, r, "monitoring") : EXIT_OK;
}

static int run_monitor(struct cli *cli, const struct command *cmd,
		       const struct cli_args *args)
{
	struct sriovvirt_pf **pfs = NULL;
	unsigned int n = 0;
	int *fds = NULL, sig = -1, timeout_ms, r;

	r = timeout_option(cli, cmd, args, &timeout_ms);
	if (r == EXIT_OK && args->nr_operands) {
		/* Ends with NULL, as monitor_all()'s: the cleanup stops there. */
		pfs = calloc(2, sizeof(*pfs));
		fds = calloc(1, sizeof(*fds));
		r = pfs && fds ? cli_open_pf(cli, args->operands[0], &pfs[0])
			       : cli_fail(cli, -ENOMEM, "monitoring");
		if (r == EXIT_OK) {
			n = 1;
			r = sriovvirt_pf_monitor(pfs[0], &fds[0]);
			if (r < 0)
				r = cli_fail(cli, r, "%s: monitoring",
					     sriovvirt_pf_get_name(pfs[0]));
		}
	} else if (r == EXIT_OK) {
		r = monitor_all(cli, &pfs, &fds, &n);
	}
	if (r == EXIT_OK) {
		/* Before the line that says ready, as for attach. */
		sig = stop_signals();
		if (sig < 0)
			r = cli_fail(cli, sig, "monitoring");
	}
	if (r == EXIT_OK) {
		fprintf(stderr, "sriovctl: monitoring %u PF%s\n", n,
			n == 1 ? "" : "s");
		r = event_loop(cli, pfs, fds, n, false, 0, timeout_ms, sig);
		if (r < 0)
			r = cli_fail(cli, r, "monitoring");
	}
	if (sig >= 0)
		close(sig);
	for (unsigned int i = 0; pfs && pfs[i]; i++)
		sriovvirt_pf_unref(pfs[i]);
	free(pfs);
	free(fds);
	return r;
}

static const struct cli_option attach_options[] = {
	{ "veto", no_argument, NULL,
	  "answer every QUERY_STOP_DEVICE with a failure\n"
	  "status (EBUSY), which vetoes the operation" },
	{ "timeout", required_argument, "SECONDS",
	  "detach after SECONDS (default: at SIGINT/SIGTERM)" },
	{ 0 },
};

static const struct cli_option monitor_options[] = {
	{ "timeout", required_argument, "SECONDS",
	  "stop after SECONDS (default: at SIGINT/SIGTERM)" },
	{ 0 },
};

const struct command event_commands[] = {
	{
		.name = "attach",
		.operands = "PF",
		.min_operands = 1,
		.max_operands = 1,
		.options = attach_options,
		.summary = "act as the PF's virtualization stack, print its events",
		.help = "IOCTL_SRIOV_ATTACH: this process becomes the one the library asks\n"
			"before a disruptive operation on the PF (disable, a VF's driver\n"
			"unbound or replaced, a PF reset, unbind --pf) in any process of\n"
			"the same user. Each event is printed; each query_stop_device is\n"
			"answered at once: allowed, or vetoed with --veto. restart follows\n"
			"each operation. Kernel events\n"
			"(removal, driver bound or unbound, AER recovery) are printed too.\n"
			"A second attach to the same PF is refused. SIGINT or SIGTERM\n"
			"detaches.\n",
		.run = run_attach,
	},
	{
		.name = "monitor",
		.operands = "[PF]",
		.min_operands = 0,
		.max_operands = 1,
		.options = monitor_options,
		.summary = "print the kernel's events about PFs and their VFs",
		.help = "Prints each device added or removed, driver bound or unbound, and\n"
			"AER error and recovery of the PF and its VFs (every SR-IOV PF\n"
			"without PF) as PF events, until SIGINT or SIGTERM.\n",
		.run = run_monitor,
	},
	{ 0 },
};
