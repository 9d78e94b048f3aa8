#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""The sriovctl benchmarks (docs/benchmarks.md). Python 3 standard library.

  cli-bench.py show [--check] [--runs N]
      `sriovctl --json show PF` under `strace -f -y` on PFs with 0, 8 and
      256 VFs: syscalls per VF (the marginal cost, from 8 to 256 VFs),
      which syscalls they are, and whether any VF's config space was opened
      or read (DESIGN.md: show reads none). Without --check also the wall
      time of show. With --check (the 'perf' test) it asserts: no VF config
      access, at most MAX_SYSCALLS_PER_VF (4) syscalls per VF, and that a
      VF among 256 costs no more than one among 8 (nothing grows faster
      than the number of VFs).

  cli-bench.py list [--runs N]
      `sriovctl --json list` (and the text `list`) against
      `lspci -A linux-sysfs -O sysfs.path=ROOT/bus/pci` on a tree of
      64 PFs x 256 VFs: wall time, min and median of N runs, side by side
      in one run (DESIGN.md: at least 10x faster than lspci), plus the
      syscalls of one run of each.

Environment:
  SRIOVCTL                     the sriovctl to measure (required)
  MKFIXTURE                    builds the fake trees (mkfixture)
  SRIOVVIRT_BENCH_SYSFS_ROOT   measure a real tree instead, e.g. /sys
  SRIOVVIRT_BENCH_PF           show: the PF to show there (with VFs enabled)
  SRIOVVIRT_BENCH_BASELINE_PF  show: a PF with fewer VFs there, to take the
                               fixed cost out of the per-VF number
  SRIOVVIRT_BENCH_TMPDIR       where fake trees go (default /dev/shm)
  SRIOVVIRT_BENCH_MAX_SYSCALLS_PER_VF  the bound --check asserts (default 4)

sriovctl runs directly, never under SRIOVCTL_WRAPPER (valgrind would be
counted too). Exit status: 0, 1 (a check failed), 77 (cannot measure here:
no strace, no tree).
"""

import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

# The bound --check enforces (docs/benchmarks.md gives the measured number);
# the environment may lower it, e.g. to see the test fail.
MAX_SYSCALLS_PER_VF = float(os.environ.get("SRIOVVIRT_BENCH_MAX_SYSCALLS_PER_VF",
                                           "4"))
SKIP = 77

# The fake trees (tests/fixtures/trees.c).
STANDARD_PF_256 = "0000:81:00.0"   # ARI, 256 VFs enabled
STANDARD_PF_8 = "0000:00:04.0"     # 8 VFs
STANDARD_PF_0 = "0000:00:06.0"     # SR-IOV, no VFs: the baseline
SCALE_PFS, SCALE_VFS = 64, 256

SRIOVCTL = os.environ.get("SRIOVCTL", "")
MKFIXTURE = os.environ.get("MKFIXTURE", "")

# Syscalls whose arguments name files: (name, index of a dirfd argument or
# None). Their string arguments are checked for config space access.
PATH_SYSCALLS = {
    "open": None, "creat": None, "stat": None, "lstat": None,
    "access": None, "readlink": None, "truncate": None, "execve": None,
    "statfs": None, "inotify_add_watch": None,
    "openat": 0, "openat2": 0, "newfstatat": 0, "fstatat64": 0,
    "statx": 0, "faccessat": 0, "faccessat2": 0, "readlinkat": 0,
    "name_to_handle_at": 0,
}

LINE_RE = re.compile(r"^(?:\[pid\s+)?(\d+)\]?\s+(\w+)\((.*)$")
DIRFD_RE = re.compile(r"^(-?\d+|AT_FDCWD)(?:<([^>]*)>)?,\s*")
QUOTED_RE = re.compile(r'"((?:[^"\\]|\\.)*)"')
DECORATED_RE = re.compile(r"<(/[^<>]*)>")


def log(*args):
    print(*args, flush=True)


def skip(why):
    log(f"cli-bench: skipped: {why}")
    sys.exit(SKIP)


def fail(why):
    log(f"cli-bench: FAILED: {why}")
    sys.exit(1)


def tree_parent():
    d = os.environ.get("SRIOVVIRT_BENCH_TMPDIR")
    if d:
        return d
    return "/dev/shm" if os.access("/dev/shm", os.W_OK) else None


class FakeTree:
    """A mkfixture tree in a fresh directory, removed on exit."""

    def __init__(self, *args):
        if not MKFIXTURE:
            skip("no tree: set SRIOVVIRT_BENCH_SYSFS_ROOT, or build with "
                 "-Dtests=true for mkfixture")
        self.root = tempfile.mkdtemp(prefix="sriovvirt-bench-",
                                     dir=tree_parent())
        kind = args[0]
        t0 = time.perf_counter()
        subprocess.run([MKFIXTURE, kind, self.root] + [str(a) for a in args[1:]],
                       check=True, stdout=subprocess.DEVNULL)
        self.build_s = time.perf_counter() - t0

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        shutil.rmtree(self.root, ignore_errors=True)


def child_env():
    env = dict(os.environ)
    # LeakSanitizer stops the world with ptrace, which strace already holds.
    asan = env.get("ASAN_OPTIONS", "")
    env["ASAN_OPTIONS"] = (asan + ":" if asan else "") + "detect_leaks=0"
    return env


def have_strace():
    if not shutil.which("strace"):
        return "strace is not installed (apt-get install strace)"
    r = subprocess.run(["strace", "-f", "-o", "/dev/null", "true"],
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                       text=True)
    if r.returncode != 0:
        return "strace cannot trace here: " + r.stderr.strip()[:200]
    return None


class Trace:
    """One strace -f -y run: syscall counts and the file names touched."""

    def __init__(self, cmd, stdout=subprocess.DEVNULL):
        fd, path = tempfile.mkstemp(prefix="sriovvirt-strace-", suffix=".txt")
        os.close(fd)
        try:
            r = subprocess.run(["strace", "-f", "-y", "-qq", "-o", path] + cmd,
                               stdout=stdout, stderr=subprocess.PIPE,
                               env=child_env(), text=True)
            with open(path, encoding="utf-8", errors="replace") as f:
                self.lines = f.read().splitlines()
        finally:
            os.unlink(path)
        self.returncode = r.returncode
        self.stdout = r.stdout
        self.stderr = r.stderr
        self.counts = {}
        self.total = 0
        for line in self.lines:
            m = LINE_RE.match(line)
            if not m or "resumed>" in line.split("(", 1)[0]:
                continue
            name = m.group(2)
            self.counts[name] = self.counts.get(name, 0) + 1
            self.total += 1

    def line_paths(self, line):
        """The file names one syscall line uses, joined to its dirfd."""
        m = LINE_RE.match(line)
        if not m:
            return None, []
        name, args = m.group(2), m.group(3)
        found = DECORATED_RE.findall(line)
        if name in PATH_SYSCALLS:
            base = None
            if PATH_SYSCALLS[name] == 0:
                d = DIRFD_RE.match(args)
                args = args[d.end():] if d else ""
                base = d.group(2) if d else None
            q = QUOTED_RE.match(args)
            if q:
                p = q.group(1)
                if not p.startswith("/") and base:
                    p = os.path.join(base, p)
                found.append(p)
        return name, found

    def paths(self):
        for line in self.lines:
            name, found = self.line_paths(line)
            for p in found:
                yield name, p, line

    def tree_counts(self, root):
        """Syscalls that name a file below @root (directly or by fd)."""
        prefixes = tuple({os.path.join(os.path.abspath(root), ""),
                          os.path.join(os.path.realpath(root), "")})
        counts, total = {}, 0
        for line in self.lines:
            if "resumed>" in line.split("(", 1)[0]:
                continue
            name, found = self.line_paths(line)
            if any(p.startswith(prefixes) for p in found):
                counts[name] = counts.get(name, 0) + 1
                total += 1
        return total, counts


def config_accesses(trace, allowed):
    """Lines touching a file named config other than the @allowed ones."""
    allowed = {os.path.realpath(a) for a in allowed}
    bad = []
    for name, p, line in trace.paths():
        if os.path.basename(p.rstrip("/")) != "config":
            continue
        if os.path.realpath(p) not in allowed:
            bad.append(line)
    return bad


def sriovctl_cmd(root, *args):
    return [SRIOVCTL, "--sysfs-root", root, "--json"] + list(args)


def spawn_time(cmd, env=None):
    """Wall time of one run, and its user+system CPU time (wait4)."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        t0 = time.perf_counter()
        pid = os.posix_spawn(cmd[0], cmd, env or os.environ,
                             file_actions=[(os.POSIX_SPAWN_DUP2, devnull, 1)])
        _, status, ru = os.wait4(pid, 0)
        wall = time.perf_counter() - t0
    finally:
        os.close(devnull)
    if os.waitstatus_to_exitcode(status) != 0:
        fail(f"{' '.join(cmd)} exited with status {status}")
    return wall, ru.ru_utime + ru.ru_stime


def time_commands(commands, runs):
    """Interleaved runs after one warm-up each; {label: [(wall, cpu)]}."""
    out = {label: [] for label, _ in commands}
    for label, cmd in commands:
        spawn_time(cmd)
    for i in range(runs):
        order = commands if i % 2 == 0 else list(reversed(commands))
        for label, cmd in order:
            out[label].append(spawn_time(cmd))
    return out


def ms(v):
    return f"{v * 1000:8.1f} ms"


# ---------------------------------------------------------------------- show

def show_trace(root, pf):
    t = Trace(sriovctl_cmd(root, "show", pf), stdout=subprocess.PIPE)
    if t.returncode != 0:
        fail(f"sriovctl show {pf} exited with {t.returncode}: {t.stderr.strip()}")
    try:
        t.doc = json.loads(t.stdout)
    except ValueError as e:
        fail(f"sriovctl show {pf}: output is not JSON: {e}")
    return t


def pf_config(root, pf):
    return os.path.join(root, "bus/pci/devices", pf, "config")


def cmd_show(check, runs):
    why = have_strace()
    if why:
        skip(why)
    if not SRIOVCTL:
        skip("SRIOVCTL is not set")
    real_root = os.environ.get("SRIOVVIRT_BENCH_SYSFS_ROOT")
    if real_root:
        pf = os.environ.get("SRIOVVIRT_BENCH_PF")
        if not pf:
            fail("SRIOVVIRT_BENCH_SYSFS_ROOT needs SRIOVVIRT_BENCH_PF")
        base = os.environ.get("SRIOVVIRT_BENCH_BASELINE_PF")
        return show_report(real_root, pf, base, None, check, runs, "given tree")
    with FakeTree("standard") as tree:
        return show_report(tree.root, STANDARD_PF_256, STANDARD_PF_0,
                           STANDARD_PF_8, check, runs,
                           "fake tree (mkfixture standard)")


def show_report(root, pf, base_pf, small_pf, check, runs, what):
    t = show_trace(root, pf)
    n = len(t.doc.get("vfs", []))
    # sriovctl may be given an interface name: the PF's own config is the one
    # show reads (for the SR-IOV capability).
    pf_addr = t.doc.get("address", pf)
    bad = config_accesses(t, [pf_config(root, pf_addr)])
    t_tree, t_counts = t.tree_counts(root)
    log(f"show-syscalls: sriovctl --json show {pf_addr} below {root} ({what})")
    log(f"  {n} VFs: {t.total} syscalls in all, {t_tree} of them on files "
        f"below {root}")
    if n == 0:
        fail(f"{pf} has no VFs enabled: nothing to measure")
    errors = []
    per_vf = tree_per_vf = None
    if base_pf:
        # Per VF: the difference to a PF with fewer VFs, which takes out the
        # fixed cost (start-up, the PF itself, what all its VFs share).
        b = show_trace(root, base_pf)
        nb = len(b.doc.get("vfs", []))
        if nb >= n:
            fail(f"the baseline PF {base_pf} has {nb} VFs, not fewer than {n}")
        bad += config_accesses(b, [pf_config(root, b.doc.get("address", base_pf))])
        b_tree, b_counts = b.tree_counts(root)
        log(f"  baseline {base_pf} with {nb} VFs: {b.total} syscalls, "
            f"{b_tree} on the tree")
        gross_tree = (t_tree - b_tree) / (n - nb)
        if small_pf:
            # The marginal cost per VF, between 8 and 256 VFs: what every
            # further VF costs. What a PF's VFs share (read once, only when
            # it has some) falls out with the baseline.
            sm = show_trace(root, small_pf)
            ns = len(sm.doc.get("vfs", []))
            bad += config_accesses(sm, [pf_config(root, small_pf)])
            s_tree, s_counts = sm.tree_counts(root)
            per_vf = (t.total - sm.total) / (n - ns)
            tree_per_vf = (t_tree - s_tree) / (n - ns)
            small = (s_tree - b_tree) / (ns - nb)
            log(f"  with {ns} VFs ({small_pf}): {sm.total} syscalls, "
                f"{s_tree} on the tree")
            log(f"  syscalls per VF, from {ns} to {n} VFs: {per_vf:.2f} in "
                f"all (the perf test allows {MAX_SYSCALLS_PER_VF:g}), "
                f"{tree_per_vf:.2f} on the tree:")
            base_counts, base_n = s_counts, ns
            # Nothing may grow faster than the number of VFs: a VF among
            # 256 costs no more than one among 8 (which also carries what
            # the VFs share).
            log(f"  per VF from {nb} to {ns} VFs: {small:.2f} on the tree, "
                f"from {ns} to {n}: {tree_per_vf:.2f}")
            if tree_per_vf > small + 0.5:
                errors.append(f"the cost per VF grows with the number of "
                              f"VFs: {small:.2f} up to {ns} VFs, "
                              f"{tree_per_vf:.2f} up to {n}")
        else:
            per_vf = (t.total - b.total) / (n - nb)
            tree_per_vf = gross_tree
            base_counts, base_n = b_counts, nb
            log(f"  syscalls per VF: {per_vf:.2f} in all (the perf test "
                f"allows {MAX_SYSCALLS_PER_VF:g}), {tree_per_vf:.2f} on the "
                f"tree:")
        for k in sorted(set(t_counts) | set(base_counts),
                        key=lambda k: (base_counts.get(k, 0) - t_counts.get(k, 0), k)):
            d = (t_counts.get(k, 0) - base_counts.get(k, 0)) / (n - base_n)
            if d:
                log(f"    {k:<12} {d:6.2f}")
        if per_vf > MAX_SYSCALLS_PER_VF:
            errors.append(f"{per_vf:.2f} syscalls per VF, more than "
                          f"{MAX_SYSCALLS_PER_VF:g}")
    else:
        log(f"  no baseline PF: {t.total / n:.2f} syscalls per VF including "
            f"the fixed cost (set SRIOVVIRT_BENCH_BASELINE_PF)")
    if bad:
        log(f"  VF config space accessed {len(bad)} times, e.g.:")
        for line in bad[:5]:
            log(f"    {line}")
        errors.append("show accessed VF config space")
    else:
        log("  VF config space opened or read: never (only the PF's config)")
    if not check:
        res = time_commands([("show", sriovctl_cmd(root, "show", pf))], runs)
        walls = [w for w, _ in res["show"]]
        cpus = [c for _, c in res["show"]]
        log(f"  wall time of show over {runs} runs: min {ms(min(walls))}, "
            f"median {ms(statistics.median(walls))}; CPU median "
            f"{ms(statistics.median(cpus))}")

    def fmt(v):
        return "n/a" if v is None else f"{v:.2f}"
    log(f"RESULT show-syscalls vfs={n} total={t.total} per_vf={fmt(per_vf)} "
        f"tree_per_vf={fmt(tree_per_vf)} vf_config_accesses={len(bad)}")
    if errors:
        fail("; ".join(errors))
    return 0


# ---------------------------------------------------------------------- list

def lspci_cmd(root):
    return [shutil.which("lspci") or "lspci", "-A", "linux-sysfs", "-O",
            f"sysfs.path={os.path.join(root, 'bus/pci')}"]


def cmd_list(runs):
    if not SRIOVCTL:
        skip("SRIOVCTL is not set")
    real_root = os.environ.get("SRIOVVIRT_BENCH_SYSFS_ROOT")
    if real_root:
        return list_report(real_root, runs, "given tree", None)
    if not MKFIXTURE:
        skip("no tree: set SRIOVVIRT_BENCH_SYSFS_ROOT, or build with "
             "-Dtests=true for mkfixture")
    with FakeTree("scale", SCALE_PFS, SCALE_VFS) as tree:
        return list_report(tree.root, runs,
                           f"fake tree, {SCALE_PFS} PFs x {SCALE_VFS} VFs",
                           tree.build_s)


def list_report(root, runs, what, build_s):
    lspci = shutil.which("lspci")
    devices = len(os.listdir(os.path.join(root, "bus/pci/devices")))
    log(f"list-vs-lspci: {devices} PCI functions below {root} ({what})")
    if build_s is not None:
        log(f"  (mkfixture built the tree in {build_s:.1f} s)")
    out = subprocess.run(sriovctl_cmd(root, "list"), check=True,
                         capture_output=True, text=True).stdout
    pfs = len(json.loads(out))
    commands = [("sriovctl --json list", sriovctl_cmd(root, "list")),
                ("sriovctl list", [SRIOVCTL, "--sysfs-root", root, "list"])]
    if lspci:
        out = subprocess.run(lspci_cmd(root), check=True, capture_output=True,
                             text=True).stdout
        lines = len(out.splitlines())
        log(f"  sriovctl lists {pfs} PFs; lspci lists {lines} functions")
        if lines != devices:
            fail(f"lspci listed {lines} functions, the tree has {devices}: "
                 f"is it reading this tree?")
        commands.append(("lspci", lspci_cmd(root)))
    else:
        log("  lspci is not installed (apt-get install pciutils): sriovctl only")
    res = time_commands(commands, runs)
    log(f"  wall time over {runs} runs (after one warm-up run each), and CPU "
        f"time (user+sys):")
    summary = {}
    for label, _ in commands:
        walls = [w for w, _ in res[label]]
        cpus = [c for _, c in res[label]]
        summary[label] = (min(walls), statistics.median(walls))
        log(f"    {label:<22} min {ms(min(walls))}  median "
            f"{ms(statistics.median(walls))}  CPU median "
            f"{ms(statistics.median(cpus))}")
    if lspci:
        lmin, lmed = summary["lspci"]
        smin, smed = summary["sriovctl --json list"]
        # DESIGN.md: at least 10 times faster than lspci.
        met = smed * 10 <= lmed
        log(f"  sriovctl --json list / lspci: {smin / lmin:.3f} (min), "
            f"{smed / lmed:.3f} (median), {lmed / smed:.0f}x faster "
            f"(target: 10x or more: {'met' if met else 'NOT MET'})")
        log(f"RESULT list-vs-lspci sriovctl_json_ms={smed * 1000:.1f} "
            f"lspci_ms={lmed * 1000:.1f} ratio={smed / lmed:.3f}")
    if not have_strace():
        for label, cmd in commands:
            t = Trace(cmd)
            log(f"  syscalls, one run of {label}: {t.total}")
    return 0


def main(argv):
    args = argv[1:]
    check = "--check" in args
    args = [a for a in args if a != "--check"]
    runs = 10
    if "--runs" in args:
        i = args.index("--runs")
        try:
            runs = int(args[i + 1])
        except (IndexError, ValueError):
            runs = 0
        del args[i:i + 2]
        if runs < 1:
            log("cli-bench: --runs needs a positive number")
            return 2
    if args == ["show"]:
        return cmd_show(check, runs)
    if args == ["list"] and not check:
        return cmd_list(runs)
    log(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
