// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * query-stop: what asking the attached virtualization stack costs a
 * disruptive operation, per operation (DESIGN.md, Targets: a veto round
 * trip in microseconds, not milliseconds, measured; allocations per
 * operation counted).
 *
 *   query-stop [--sysfs-root DIR --pf PF] [--mkfixture PATH]
 *              [--iterations N] [--runtime-parent DIR] [--trace-one]
 *
 * A disruptive operation (disabling VFs, unbinding a VF's driver) calls the
 * library's internal sv_pf_query_stop() before it changes anything and
 * sv_pf_query_done() after; this benchmark links the internal library and
 * times exactly that pair, sv_pf_query_stop(pf, SRIOVVIRT_OP_DISABLE,
 * SRIOVVIRT_ALL_VFS, &fd) then sv_pf_query_done(fd, result), so the tree
 * never changes. Four cases, N round trips each (default 10,000) after
 * N/10 of warm-up, each timed on its own:
 *
 *   none     nobody ever attached: the event socket does not exist (the
 *            connect fails with ENOENT); what every operation pays when no
 *            stack is attached
 *   allow    a forked child attached (sriovvirt_pf_attach) answers every
 *            QUERY_STOP_DEVICE with sriovvirt_pf_complete_event(pf, 0): it
 *            polls its descriptor, then calls sriovvirt_pf_next_event()
 *            until -EAGAIN (the RESTART that follows each operation comes
 *            the same way). Timed: the query up to the answer ("ask"), the
 *            done message ("done") and both ("round trip")
 *   veto     the same child answering -EPERM: sv_pf_query_stop() returns
 *            -ECANCELED (and reports the result itself)
 *   stale    the attacher has exited and left its socket behind (the
 *            connect fails with ECONNREFUSED)
 *
 * Heap allocations are counted (alloc-hook.c) over the timed round trips,
 * in this process (the asking side) and in the child (the attacher's
 * next_event and complete_event calls), unless a sanitizer or valgrind owns
 * malloc.
 *
 * The runtime directory is a fresh one, mode 0700, below --runtime-parent
 * DIR or else where fake trees go (bench-util.h: /dev/shm by default, a
 * tmpfs like the real /run/sriovvirt). --trace-one does a few round trips
 * of each case, then one between the markers
 * access("/sriovvirt-bench-mark/begin/CASE") and .../end/CASE, and times
 * nothing: run it under strace -f to count the system calls of both sides.
 *
 * The exit status only says whether the benchmark could run; no time is
 * judged.
 */

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "alloc-hook.h"
#include "bench-util.h"
#include "events.h"
#include "internal.h"

#define MAX_ITERATIONS 10000000UL
#define VETO_STATUS (-EPERM)

enum qcase { CASE_NONE, CASE_ALLOW, CASE_VETO, CASE_STALE };

static const char *const case_names[] = {
	[CASE_NONE] = "none", [CASE_ALLOW] = "allow",
	[CASE_VETO] = "veto", [CASE_STALE] = "stale",
};

/* What the attacher child reports when it is told to stop. */
struct child_report {
	int status;		/* 0, or the -errno that stopped it */
	unsigned long queries, restarts, other;
	unsigned long allocations, frees;
	bool counted;
};

struct attacher {
	pid_t pid;
	int ctl;		/* closing it tells the child to stop */
	int result;		/* the child's struct child_report */
};

struct bench {
	struct sriovvirt_ctx *ctx;
	struct sriovvirt_pf *pf;
	const char *root, *pf_name, *run_dir;
	unsigned long n;
	bool trace;
	bool counting;		/* alloc-hook can count here */
	double *ask, *done, *trip;
};

static void marker(const char *edge, const char *name)
{
	char path[128];

	snprintf(path, sizeof(path), "/sriovvirt-bench-mark/%s/%s", edge, name);
	(void)!access(path, F_OK);
}

static int open_pf(const char *root, const char *pf_name, const char *run_dir,
		   struct sriovvirt_ctx **ret_ctx, struct sriovvirt_pf **ret_pf)
{
	int r;

	r = sriovvirt_ctx_new(ret_ctx);
	if (r == 0)
		r = sriovvirt_ctx_set_sysfs_root(*ret_ctx, root);
	if (r == 0)
		r = sriovvirt_ctx_set_runtime_dir(*ret_ctx, run_dir);
	if (r == 0)
		r = sriovvirt_pf_open(*ret_ctx, pf_name, ret_pf);
	return r;
}

static bool write_all(int fd, const void *buf, size_t len)
{
	return write(fd, buf, len) == (ssize_t)len;
}

/* ------------------------------------------------------------------------ */
/* The attacher                                                             */
/* ------------------------------------------------------------------------ */

/* Answers @pf's events until @ctl hangs up; @status answers every query. */
static void serve(struct sriovvirt_pf *pf, int fd, int ctl, int status,
		  struct child_report *rep)
{
	struct pollfd p[2] = {
		{ .fd = fd, .events = POLLIN },
		{ .fd = ctl, .events = POLLIN },
	};
	struct sriovvirt_pf_event e;
	int r;

	for (;;) {
		if (poll(p, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			rep->status = -errno;
			return;
		}
		/* Events first: the last DONE may come with the hang-up. */
		while ((r = sriovvirt_pf_next_event(pf, &e)) == 0) {
			if (e.code == SRIOVVIRT_EVENT_QUERY_STOP_DEVICE) {
				rep->queries++;
				r = sriovvirt_pf_complete_event(pf, status);
				if (r < 0) {
					rep->status = r;
					return;
				}
			} else if (e.code == SRIOVVIRT_EVENT_RESTART) {
				rep->restarts++;
			} else {
				rep->other++;
			}
		}
		if (r != -EAGAIN) {
			rep->status = r;
			return;
		}
		if (p[1].revents)
			return;
	}
}

__attribute__((noreturn))
static void child(const struct bench *b, int status, int ready, int ctl,
		  int result)
{
	struct child_report rep = { 0 };
	struct sriovvirt_ctx *ctx = NULL;
	struct sriovvirt_pf *pf = NULL;
	struct alloc_counts c;
	int fd = -1, r;

	r = open_pf(b->root, b->pf_name, b->run_dir, &ctx, &pf);
	if (r == 0)
		r = sriovvirt_pf_attach(pf, &fd);
	if (!write_all(ready, &r, sizeof(r)) || r < 0)
		_exit(1);
	close(ready);
	if (b->counting)
		alloc_count_start();
	serve(pf, fd, ctl, status, &rep);
	if (b->counting) {
		c = alloc_count_stop();
		rep.counted = true;
		rep.allocations = alloc_total(&c);
		rep.frees = c.free;
	}
	sriovvirt_pf_detach(pf);
	sriovvirt_pf_unref(pf);
	sriovvirt_ctx_unref(ctx);
	_exit(write_all(result, &rep, sizeof(rep)) ? 0 : 1);
}

static void close_pipe(int p[2])
{
	close(p[0]);
	close(p[1]);
}

/* Forks the attacher and waits until it is attached. */
static int start_attacher(const struct bench *b, int status,
			  struct attacher *a)
{
	int ready[2], ctl[2], result[2], r = 0;
	ssize_t got;

	if (pipe2(ready, O_CLOEXEC) < 0)
		return -errno;
	if (pipe2(ctl, O_CLOEXEC) < 0) {
		r = -errno;
		close_pipe(ready);
		return r;
	}
	if (pipe2(result, O_CLOEXEC) < 0) {
		r = -errno;
		close_pipe(ready);
		close_pipe(ctl);
		return r;
	}
	fflush(stdout);
	a->pid = fork();
	if (a->pid < 0) {
		r = -errno;
		close_pipe(ready);
		close_pipe(ctl);
		close_pipe(result);
		return r;
	}
	if (a->pid == 0) {
		close(ready[0]);
		close(ctl[1]);
		close(result[0]);
		child(b, status, ready[1], ctl[0], result[1]);
	}
	close(ready[1]);
	close(ctl[0]);
	close(result[1]);
	a->ctl = ctl[1];
	a->result = result[0];
	got = read(ready[0], &r, sizeof(r));
	close(ready[0]);
	if (got != sizeof(r))
		r = -ECHILD;
	if (r < 0) {
		close(a->ctl);
		close(a->result);
		waitpid(a->pid, NULL, 0);
	}
	return r;
}

/* Tells the attacher to stop; its report. */
static int stop_attacher(struct attacher *a, struct child_report *rep)
{
	int wstatus;
	ssize_t got;

	close(a->ctl);
	got = read(a->result, rep, sizeof(*rep));
	close(a->result);
	if (waitpid(a->pid, &wstatus, 0) < 0 || !WIFEXITED(wstatus) ||
	    WEXITSTATUS(wstatus) != 0 || got != sizeof(*rep))
		return -ECHILD;
	return rep->status;
}

/* ------------------------------------------------------------------------ */
/* The asking side                                                          */
/* ------------------------------------------------------------------------ */

/* One round trip; 0 if it went as @c expects. */
static int round_trip(struct bench *b, enum qcase c, double *ask, double *done)
{
	uint64_t t0, t1, t2;
	int fd, r, want;

	t0 = bench_now_ns();
	r = sv_pf_query_stop(b->pf, SRIOVVIRT_OP_DISABLE, SRIOVVIRT_ALL_VFS,
			     &fd);
	t1 = bench_now_ns();
	if (r == 0)
		sv_pf_query_done(fd, 0);
	t2 = bench_now_ns();
	*ask = (double)(t1 - t0);
	*done = (double)(t2 - t1);
	want = c == CASE_VETO ? -ECANCELED : 0;
	if (r != want) {
		fprintf(stderr, "query-stop: %s: sv_pf_query_stop returned %s, "
			"not %s\n", case_names[c], strerror(-r),
			want ? strerror(-want) : "0");
		return -1;
	}
	/* Asked exactly when someone is attached and allows. */
	if ((c == CASE_ALLOW) != (fd >= 0)) {
		fprintf(stderr, "query-stop: %s: %s\n", case_names[c],
			fd >= 0 ? "someone was asked" : "nobody was asked");
		return -1;
	}
	return 0;
}

static void report(const char *c, const char *what, double *v, unsigned long n)
{
	struct bench_latency l;
	char name[64];

	snprintf(name, sizeof(name), "%s%s%s", c, what ? "." : "",
		 what ? what : "");
	bench_latency(v, (unsigned int)n, &l);
	bench_latency_report("query-stop", name, &l);
}

static int measure(struct bench *b, enum qcase c, struct alloc_counts *ret)
{
	unsigned long warm = b->n / 10 + 1, i;
	double ask, done;

	for (i = 0; i < warm; i++)
		if (round_trip(b, c, &ask, &done) < 0)
			return -1;
	if (b->trace) {
		marker("begin", case_names[c]);
		i = round_trip(b, c, &ask, &done) < 0;
		marker("end", case_names[c]);
		return i ? -1 : 0;
	}
	if (b->counting)
		alloc_count_start();
	for (i = 0; i < b->n; i++) {
		if (round_trip(b, c, &b->ask[i], &b->done[i]) < 0) {
			alloc_count_stop();
			return -1;
		}
		b->trip[i] = b->ask[i] + b->done[i];
	}
	if (b->counting)
		*ret = alloc_count_stop();
	if (c == CASE_ALLOW) {
		report(case_names[c], "ask", b->ask, b->n);
		report(case_names[c], "done", b->done, b->n);
	}
	report(case_names[c], c == CASE_ALLOW ? "round-trip" : NULL, b->trip,
	       b->n);
	fflush(stdout);
	return 0;
}

static void report_allocs(const struct bench *b, enum qcase c,
			  const struct alloc_counts *asker,
			  const struct child_report *rep)
{
	if (!b->counting || b->trace)
		return;
	printf("    allocations per round trip: asking side %.3f (%lu in "
	       "%lu)", (double)alloc_total(asker) / (double)b->n,
	       alloc_total(asker), b->n);
	if (rep && rep->counted && rep->queries)
		printf(", attacher %.3f per answered query (%lu in %lu queries, "
		       "%lu frees; %lu RESTARTs)",
		       (double)rep->allocations / (double)rep->queries,
		       rep->allocations, rep->queries, rep->frees,
		       rep->restarts);
	printf("\n");
	printf("RESULT query-stop.%s.allocations asker=%lu ops=%lu", case_names[c],
	       alloc_total(asker), b->n);
	if (rep && rep->counted)
		printf(" attacher=%lu queries=%lu", rep->allocations,
		       rep->queries);
	printf("\n");
}

/* A case with an attacher answering @status. */
static int with_attacher(struct bench *b, enum qcase c, int status)
{
	struct alloc_counts asker = { 0 };
	struct child_report rep;
	struct attacher a = { .pid = -1, .ctl = -1, .result = -1 };
	int r, m;

	r = start_attacher(b, status, &a);
	if (r < 0) {
		fprintf(stderr, "query-stop: the attacher: %s\n", strerror(-r));
		return -1;
	}
	m = measure(b, c, &asker);
	r = stop_attacher(&a, &rep);
	if (r < 0) {
		fprintf(stderr, "query-stop: the attacher failed: %s\n",
			strerror(-r));
		return -1;
	}
	if (m < 0)
		return -1;
	report_allocs(b, c, &asker, &rep);
	return 0;
}

static int without_attacher(struct bench *b, enum qcase c)
{
	struct alloc_counts asker = { 0 };

	if (measure(b, c, &asker) < 0)
		return -1;
	report_allocs(b, c, &asker, NULL);
	return 0;
}

static int socket_exists(struct bench *b)
{
	int dirfd;

	return sv_pf_runtime_dir(b->pf, &dirfd) == 0 &&
	       faccessat(dirfd, SV_EVENT_SOCKET, F_OK, AT_SYMLINK_NOFOLLOW) == 0;
}

static int run(struct bench *b)
{
	const char *why = alloc_skip_reason();
	struct alloc_counts c;
	int r;

	/* The counter must see the library's allocations (the context). */
	alloc_count_start();
	r = open_pf(b->root, b->pf_name, b->run_dir, &b->ctx, &b->pf);
	c = alloc_count_stop();
	if (r == 0 && !why && alloc_total(&c) == 0)
		why = "the counter saw no allocation while the PF was opened";
	if (r < 0) {
		fprintf(stderr, "query-stop: %s in %s, runtime directory %s: "
			"%s\n", b->pf_name, b->root, b->run_dir, strerror(-r));
		return -1;
	}
	b->counting = !why;
	if (!b->trace) {
		printf("query-stop: PF %s below %s, runtime directory %s (%s); "
		       "sv_pf_query_stop(SRIOVVIRT_OP_DISABLE, ALL_VFS) + "
		       "sv_pf_query_done()\n", sriovvirt_pf_get_name(b->pf),
		       b->root, b->run_dir, bench_fs_type(b->run_dir));
		printf("%lu round trips per case after %lu of warm-up; "
		       "allocations %s%s; per round trip, in microseconds:\n",
		       b->n, b->n / 10 + 1, why ? "not counted: " : "counted",
		       why ? why : "");
		fflush(stdout);
	}
	if (socket_exists(b)) {
		fprintf(stderr, "query-stop: %s/%s/%s exists already\n",
			b->run_dir, b->pf_name, SV_EVENT_SOCKET);
		return -1;
	}
	if (without_attacher(b, CASE_NONE) < 0 ||
	    with_attacher(b, CASE_ALLOW, 0) < 0 ||
	    with_attacher(b, CASE_VETO, VETO_STATUS) < 0)
		return -1;
	if (!socket_exists(b)) {
		printf("  stale: not measured, the attacher left no socket\n");
		return 0;
	}
	return without_attacher(b, CASE_STALE);
}

int main(int argc, char **argv)
{
	struct bench b = { 0 };
	unsigned long n = 10000;
	const char *run_parent = NULL;
	struct bench_target t;
	char run_dir[4096];
	int i, r;

	argc = bench_target_args(&t, argc, argv);
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--trace-one"))
			b.trace = true;
		else if (i + 1 < argc && !strcmp(argv[i], "--iterations"))
			n = bench_number("query-stop", argv[++i], MAX_ITERATIONS);
		else if (i + 1 < argc && !strcmp(argv[i], "--runtime-parent"))
			run_parent = argv[++i];
		else {
			fprintf(stderr, "Usage: query-stop [--sysfs-root DIR "
				"--pf PF] [--mkfixture PATH] [--iterations N] "
				"[--runtime-parent DIR] [--trace-one]\n");
			return 2;
		}
	}
	b.n = b.trace ? 1 : n;
	b.ask = calloc(b.n, sizeof(double));
	b.done = calloc(b.n, sizeof(double));
	b.trip = calloc(b.n, sizeof(double));
	if (!b.ask || !b.done || !b.trip) {
		fprintf(stderr, "query-stop: out of memory\n");
		return 1;
	}
	/* A child that dies must not kill us with SIGPIPE. */
	signal(SIGPIPE, SIG_IGN);
	r = bench_target_prepare(&t, 4);
	if (r != 0)
		return r;
	r = 1;
	if (bench_make_dir(run_dir, sizeof(run_dir), run_parent,
			   "sriovvirt-bench-run") == 0) {
		b.root = t.root;
		b.pf_name = t.pf;
		b.run_dir = run_dir;
		r = run(&b) < 0 ? 1 : 0;
		sriovvirt_pf_unref(b.pf);
		sriovvirt_ctx_unref(b.ctx);
		bench_remove_dir(run_dir);
	}
	bench_target_cleanup(&t);
	free(b.ask);
	free(b.done);
	free(b.trip);
	return r;
}
