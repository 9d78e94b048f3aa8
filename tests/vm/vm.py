#!/usr/bin/env python3
"""Real-kernel test tier for libsriovvirt: boot Debian's stock kernel in QEMU.

Fake sysfs trees can only show what we *think* the kernel does; this harness
boots the real thing (TCG, no KVM needed) on a fixed topology of emulated
SR-IOV NVMe controllers and runs one shell "case" inside it.

Subcommands (see docs/testing.md, "Real-kernel tier"):
  kernel     fetch + unpack Debian's kernel package into a cache (no install)
  initramfs  build the payload: /init, our binaries, cases (no kernel, no network)
  run        fetch the kernel (cached), boot the VM, run one case, collect its
             /out, optionally check it
  shell      boot the VM into an interactive busybox shell
  demo       run the 'demo' case and show its output live

Python 3 standard library only.
"""

import argparse
import base64
import contextlib
import ctypes
import fcntl
import gzip
import hashlib
import io
import json
import lzma
import os
import re
import shutil
import signal
import stat
import subprocess
import sys
import tarfile
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
INIT_SCRIPT = HERE / "init"

KERNEL_META_PACKAGE = "linux-image-amd64"
# The kernels the tier runs on: name -> the suite whose linux-image-amd64
# names the kernel package (tools/install-deps.sh adds bookworm-backports).
KERNELS = {"6.1": "bookworm", "6.12": "bookworm-backports"}
DEFAULT_KERNEL = "6.1"
DEFAULT_CACHE = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "sriovvirt-vm"
DEFAULT_TIMEOUT = 240
# Boot takes 5-10 s under TCG; a kernel that has not reached init long after
# that is broken, and waiting the whole case timeout would only hide it.
DEFAULT_BOOT_TIMEOUT = 120
# After the result marker the guest powers off by itself; if QEMU lingers
# longer than this we kill it but still honour the result.
POWEROFF_GRACE = 20

# Modules the VM needs. Their dependencies come from modules.dep; the two
# *_generic crypto modules are only reached through request_module() aliases,
# so they have to be listed explicitly.
VM_MODULES = [
    "nvme", "crct10dif_generic", "crc64_rocksoft_generic",
    "vfio", "vfio_iommu_type1", "vfio-pci-core", "vfio-pci",
    "irqbypass", "pci-pf-stub", "igb", "igbvf", "aer_inject",
]
# Modules some kernels have and others fold into another (6.12 builds
# vfio_virqfd into vfio, and 6.1's crc64_rocksoft_generic may be gone later).
OPTIONAL_MODULES = {"vfio_virqfd", "crc64_rocksoft_generic"}
# Host tools copied into the VM, with the Debian package that has each;
# strace shows on the real kernel which events a wait sleeps on; nvme-cli
# brings an NVMe VF's secondary controller online (virt-mgmt), without
# which QEMU's VF answers every register read with 0.
HOST_TOOLS = {"/usr/bin/lspci": "pciutils", "/usr/bin/setpci": "pciutils",
              "/usr/bin/strace": "strace", "/usr/sbin/nvme": "nvme-cli",
              "/usr/sbin/ip": "iproute2",
              # The real udev daemon (udevadm is also systemd-udevd, by the
              # name it runs under): cases/persist has it run our rule on the
              # kernel's uevents.
              "/bin/udevadm": "udev"}
# Symbolic links made in the VM, path -> target, as the host's packages have
# them.
HOST_LINKS = {"/lib/systemd/systemd-udevd": "/bin/udevadm"}
HOST_DATA = ["/usr/share/misc/pci.ids"]
BUSYBOX = "/bin/busybox"

# ldd results under these prefixes keep their host path inside the VM; the
# loader's built-in search path covers them, so no ld.so.cache is needed.
SYSTEM_LIB_PREFIXES = ("/lib/", "/lib64/", "/usr/lib/", "/usr/lib64/")
# Anything else (a build tree reached through RPATH) lands here by soname.
FOREIGN_LIB_DIR = "/usr/lib/x86_64-linux-gnu"

START_RE = re.compile(r"SRIOVVIRT-VM-START case=(\S*) kernel=(\S+)")
RESULT_RE = re.compile(r"SRIOVVIRT-VM-RESULT case=(\S*) rc=(\d+)")
ART_BEGIN = b"SRIOVVIRT-ARTIFACTS-BEGIN"
ART_END = b"SRIOVVIRT-ARTIFACTS-END"
# SeaBIOS clears/resets the terminal; dropped so printing a log is harmless.
ANSI_RE = re.compile(r"\x1b(\[[0-?]*[ -/]*[@-~]|[@-Z\\-_]|c)|[\x00-\x08\x0b-\x1f\x7f]")
# printk lines carry a timestamp (CONFIG_PRINTK_TIME=y in Debian).
PRINTK_RE = re.compile(r"^\[\s*\d+\.\d+\] ")
CASE_NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
ARTIFACTS_STAMP = ".sriovvirt-vm-artifacts"

# The fixed topology the in-VM cases rely on (docs/testing.md has the table).
TOPOLOGY = [
    "-device", "intel-iommu",
    # PF on the root bus: TotalVFs 8, VFs at 00:04.1-00:04.7 and 00:05.0.
    "-device", "nvme-subsys,id=s0",
    "-device", "nvme,serial=pfa,subsys=s0,sriov_max_vfs=8,sriov_vq_flexible=16,"
               "sriov_vi_flexible=8,max_ioqpairs=18,msix_qsize=10,bus=pcie.0,addr=0x4",
    # PF behind a root port, so ARI is enabled: TotalVFs 32, 01:00.1-01:04.0.
    "-device", "pcie-root-port,id=rp1,bus=pcie.0,chassis=1,addr=0x6",
    "-device", "nvme-subsys,id=s1",
    "-device", "nvme,serial=pfb,subsys=s1,sriov_max_vfs=32,sriov_vq_flexible=64,"
               "sriov_vi_flexible=32,max_ioqpairs=66,msix_qsize=34,bus=rp1,addr=0",
    # An NVMe controller without SR-IOV.
    "-device", "nvme,serial=plain,addr=0x7",
    # An Intel 82576 NIC (igb, QEMU >= 8.0) behind a root port: VF offset
    # 128, stride 2, so VFs at 02:10.0, 02:10.2, ...; the kernel's igb
    # driver allows 7 of its 8.
    "-device", "pcie-root-port,id=rp2,bus=pcie.0,chassis=2,addr=0x8",
    "-netdev", "user,id=nic0,restrict=on",
    "-device", "igb,netdev=nic0,bus=rp2,addr=0",
]


class VmError(Exception):
    """A failure with a one-line, user-facing explanation."""


def say(msg, file=sys.stdout):
    print(f"vm: {msg}", file=file, flush=True)


# --------------------------------------------------------------------------
# Kernel: Debian's stock package, unpacked into a cache, never installed.

class Kernel:
    def __init__(self, kver, vmlinuz, moddir):
        self.kver = kver
        self.vmlinuz = Path(vmlinuz)
        self.moddir = Path(moddir)


def check_vmlinuz(path, origin):
    """Reject paths that cannot be a bzImage, before QEMU gives a vague error."""
    p = Path(path)
    if not p.is_file():
        raise VmError(f"kernel image {p} ({origin}) does not exist; "
                      f"point it at a vmlinuz file or unset it to use Debian's kernel")
    with open(p, "rb") as f:
        f.seek(0x202)  # x86 boot protocol: "HdrS" magic at 0x202
        if f.read(4) != b"HdrS":
            raise VmError(f"{p} ({origin}) is not an x86 bzImage kernel")
    return p


def check_moddir(path, origin):
    p = Path(path)
    if not p.is_dir():
        raise VmError(f"module directory {p} ({origin}) does not exist; "
                      f"point it at a lib/modules/<kernel-version> directory")
    if not (p / "modules.dep").is_file():
        raise VmError(f"{p} ({origin}) has no modules.dep; it must be a lib/modules/<kver> "
                      f"directory, and if it is, run: depmod -b <root> {p.name}")
    return p


def debian_kernel_version(name):
    """Ask apt which kernel linux-image-amd64 of the kernel NAME's suite
    currently means (local lists only)."""
    suite = KERNELS[name]
    try:
        out = subprocess.run(["apt-cache", "depends",
                              f"{KERNEL_META_PACKAGE}/{suite}"],
                             capture_output=True, text=True).stdout
    except FileNotFoundError:
        raise VmError("apt-cache not found; this needs a Debian host "
                      "(or set SRIOVVIRT_VM_KERNEL and SRIOVVIRT_VM_MODULES)")
    m = re.search(r"Depends: linux-image-(\d\S*)", out)
    if not m:
        raise VmError(f"apt does not know {KERNEL_META_PACKAGE}'s kernel package "
                      f"in {suite}; run tools/install-deps.sh (it adds "
                      f"bookworm-backports) and apt-get update")
    return m.group(1)


def cached_kernel(cache, kver):
    """The unpacked kernel in the cache, or None if it is not (fully) there."""
    root = cache / kver / "root"
    if not (cache / kver / ".complete").exists():
        return None
    return Kernel(kver, root / "boot" / f"vmlinuz-{kver}", root / "lib" / "modules" / kver)


def newest_cached_kernel(cache, name):
    """The newest cached kernel of series NAME ("6.1": 6.1.x)."""
    found = [cached_kernel(cache, d.name) for d in cache.glob(f"{name}.*")
             if d.is_dir()]
    found = [k for k in found if k]
    return max(found, key=lambda k: k.vmlinuz.stat().st_mtime) if found else None


@contextlib.contextmanager
def locked(cache):
    """Serialise concurrent fetches into one cache (e.g. parallel builds)."""
    cache.mkdir(parents=True, exist_ok=True)
    with open(cache / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def download_and_unpack(cache, kver):
    pkg = f"linux-image-{kver}"
    work = cache / f"{kver}.partial"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    say(f"downloading {pkg} into {cache} (one time, ~70 MB)", file=sys.stderr)
    # As root, apt warns that the _apt user cannot write here; harmless.
    r = subprocess.run(["apt-get", "download", pkg], cwd=work,
                       capture_output=True, text=True)
    debs = list(work.glob("*.deb"))
    if r.returncode != 0 or len(debs) != 1:
        errors = [l for l in (r.stdout + r.stderr).splitlines() if l.startswith("E:")]
        detail = errors[-1] if errors else f"exit status {r.returncode}"
        shutil.rmtree(work, ignore_errors=True)
        raise VmError(f"apt-get download {pkg} failed ({detail}); "
                      f"run apt-get update and check access to the Debian archive")
    root = work / "root"
    run_checked(["dpkg", "-x", str(debs[0]), str(root)], f"unpacking {debs[0].name}")
    debs[0].unlink()  # 70 MB we no longer need
    moddir = root / "lib" / "modules" / kver
    if not moddir.is_dir():
        raise VmError(f"{pkg} has no lib/modules/{kver}; unexpected package layout")
    # The .deb ships no modules.dep (postinst normally runs depmod).
    run_checked(["depmod", "-b", str(root), kver], "depmod on the unpacked kernel")
    (work / ".complete").write_text(pkg + "\n")
    final = cache / kver
    shutil.rmtree(final, ignore_errors=True)
    work.rename(final)


# Debian package to install when one of our host tools is missing.
TOOL_PACKAGES = {"dpkg": "dpkg", "depmod": "kmod", "ldd": "libc-bin"}


def run_checked(argv, what):
    try:
        r = subprocess.run(argv, capture_output=True, text=True)
    except FileNotFoundError:
        pkg = TOOL_PACKAGES.get(argv[0], argv[0])
        raise VmError(f"{what}: {argv[0]} not found; apt-get install {pkg}")
    if r.returncode != 0:
        last = (r.stderr or r.stdout).strip().splitlines()[-1:] or ["?"]
        raise VmError(f"{what} failed: {last[0]}")
    return r.stdout


def fetch_kernel(cache, name):
    """Debian's current kernel NAME, downloaded and unpacked on first use."""
    cache = Path(os.environ.get("SRIOVVIRT_VM_CACHE") or cache).resolve()
    with locked(cache):
        try:
            kver = debian_kernel_version(name)
        except VmError:
            # Offline or no apt lists: a kernel cached earlier still works.
            k = newest_cached_kernel(cache, name)
            if k:
                return k
            raise
        k = cached_kernel(cache, kver)
        if k is None:
            download_and_unpack(cache, kver)
            k = cached_kernel(cache, kver)
        return k


def find_kernel(cache, name=DEFAULT_KERNEL):
    """The kernel to use: env overrides first (validated first, so they fail fast)."""
    env_kernel = os.environ.get("SRIOVVIRT_VM_KERNEL")
    env_modules = os.environ.get("SRIOVVIRT_VM_MODULES")
    vmlinuz = check_vmlinuz(env_kernel, "SRIOVVIRT_VM_KERNEL") if env_kernel else None
    moddir = check_moddir(env_modules, "SRIOVVIRT_VM_MODULES") if env_modules else None
    if vmlinuz and moddir:
        return Kernel(moddir.name, vmlinuz, moddir)
    k = fetch_kernel(cache, name)
    return Kernel(moddir.name if moddir else k.kver, vmlinuz or k.vmlinuz, moddir or k.moddir)


def cmd_kernel(args):
    k = find_kernel(Path(args.cache), args.kernel)
    print(k.kver)
    if args.verbose:
        print(f"vmlinuz: {k.vmlinuz}\nmodules: {k.moddir}")


# --------------------------------------------------------------------------
# Initramfs: an in-memory file tree written as a gzip'ed newc cpio.

class Tree:
    """Files for the initramfs, keyed by absolute path inside the VM.

    Written in sorted order with zero timestamps and owners, so the same
    inputs give the same image.
    """

    def __init__(self):
        self.entries = {}  # path -> (kind, payload, mode)

    def _parents(self, path):
        parent = os.path.dirname(path)
        if parent != "/" and parent not in self.entries:
            self.add_dir(parent)

    def add_dir(self, path, mode=0o755):
        if path == "/":
            return  # the rootfs exists already
        self._parents(path)
        self.entries.setdefault(path, ("dir", None, mode))

    def add_file(self, path, src=None, data=None, mode=None):
        """Add a file; src is read through symlinks (we want the content)."""
        if src is not None:
            # One library reached through two paths (e.g. two RPATHs) is one file.
            src = Path(os.path.realpath(src))
        if path in self.entries:
            if src is not None and self.entries[path][1] == src:
                return  # the same library, needed by two executables
            raise VmError(f"initramfs: two different files want to be {path}")
        if src is not None:
            src = Path(src)
            if not src.is_file():
                raise VmError(f"initramfs: {src} does not exist or is not a file")
            if mode is None:
                mode = 0o755 if os.access(src, os.X_OK) else 0o644
        self._parents(path)
        self.entries[path] = ("file", src if src is not None else data, mode or 0o644)

    def add_symlink(self, path, target):
        self._parents(path)
        self.entries[path] = ("link", target.encode(), 0o777)

    def add_chardev(self, path, major, minor, mode=0o600):
        self._parents(path)
        self.entries[path] = ("chr", (major, minor), mode)

    def add_host_tree(self, src_root, dest_root):
        """Copy a staged directory tree (used for the depmod'ed modules)."""
        for dirpath, dirnames, filenames in os.walk(src_root):
            dirnames.sort()
            rel = os.path.relpath(dirpath, src_root)
            base = os.path.normpath(os.path.join(dest_root, rel))
            self.add_dir(base)
            for name in sorted(filenames):
                self.add_file(os.path.join(base, name), src=os.path.join(dirpath, name),
                              mode=0o644)

    def write_cpio(self, out):
        """Write atomically: a half-written image must never look valid to make."""
        out = Path(out)
        out.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=out.name + ".", dir=out.parent)
        try:
            with os.fdopen(fd, "wb") as raw, \
                    gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=1, mtime=0) as gz:
                for ino, path in enumerate(sorted(self.entries), start=1):
                    kind, payload, mode = self.entries[path]
                    if kind == "file" and isinstance(payload, Path):
                        payload = payload.read_bytes()
                    self._write_entry(gz, ino, path, kind, payload, mode)
                self._write_entry(gz, 0, "TRAILER!!!", "trailer", b"", 0)
            os.chmod(tmp, 0o644)
            os.rename(tmp, out)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
            raise

    @staticmethod
    def _write_entry(f, ino, path, kind, payload, mode):
        fmt = {"dir": stat.S_IFDIR, "file": stat.S_IFREG, "link": stat.S_IFLNK,
               "chr": stat.S_IFCHR, "trailer": 0}[kind]
        rdev = payload if kind == "chr" else (0, 0)
        data = payload if kind in ("file", "link", "trailer") else b""
        name = path.lstrip("/").encode() + b"\0"
        fields = [ino, fmt | mode, 0, 0, 2 if kind == "dir" else 1, 0, len(data),
                  0, 0, rdev[0], rdev[1], len(name), 0]
        f.write(b"070701" + b"".join(b"%08X" % v for v in fields) + name)
        f.write(b"\0" * (-(110 + len(name)) % 4))
        f.write(data)
        f.write(b"\0" * (-len(data) % 4))


def module_name(relpath):
    """kernel/drivers/vfio/pci/vfio-pci.ko[.xz] -> vfio_pci (kmod's canonical form)."""
    base = os.path.basename(relpath)
    base = re.sub(r"\.ko(\.(xz|zst|gz))?$", "", base)
    return base.replace("-", "_")


def read_modules_dep(moddir):
    deps = {}
    for line in (moddir / "modules.dep").read_text().splitlines():
        mod, _, rest = line.partition(":")
        deps[module_name(mod)] = [mod] + rest.split()
    return deps


def copy_module(src, dest):
    """Copies a module, decompressed: 6.12's are .ko.xz, and busybox's
    modprobe need not read xz. depmod then lists the plain .ko."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    if src.suffix == ".xz":
        dest.with_suffix("").write_bytes(lzma.decompress(src.read_bytes()))
    elif src.suffix == ".gz":
        dest.with_suffix("").write_bytes(gzip.decompress(src.read_bytes()))
    elif src.suffix == ".ko":
        shutil.copyfile(src, dest)
    else:
        raise VmError(f"{src}: a module compressed in a way this harness cannot "
                      f"read (xz and gzip it can)")


def stage_modules(kernel, staging):
    """Copy VM_MODULES plus dependencies and run depmod for just that subset."""
    deps = read_modules_dep(kernel.moddir)
    builtin_file = kernel.moddir / "modules.builtin"
    builtin = {module_name(l) for l in builtin_file.read_text().split()} \
        if builtin_file.exists() else set()
    wanted = set()
    for mod in VM_MODULES + sorted(OPTIONAL_MODULES):
        name = module_name(mod)
        if name in deps:
            wanted.update(deps[name])
        elif name not in builtin and mod not in OPTIONAL_MODULES:
            raise VmError(f"kernel {kernel.kver} has no module {mod} in {kernel.moddir}")
    dest = staging / "lib" / "modules" / kernel.kver
    for rel in sorted(wanted):
        copy_module(kernel.moddir / rel, dest / rel)
    # Let depmod/modprobe know about built-ins (modprobe of one is then a no-op).
    for meta in ("modules.builtin", "modules.builtin.modinfo", "modules.order"):
        if (kernel.moddir / meta).exists():
            shutil.copyfile(kernel.moddir / meta, dest / meta)
    run_checked(["depmod", "-b", str(staging), kernel.kver], "depmod on the VM's module subset")
    return dest


def shared_libs(exe):
    """[(soname, host path)] for everything the dynamic loader would map."""
    r = subprocess.run(["ldd", str(exe)], capture_output=True, text=True,
                       env=dict(os.environ, LC_ALL="C"))
    if r.returncode != 0:
        if "not a dynamic executable" in r.stdout + r.stderr:
            return []  # static binary or script
        raise VmError(f"ldd {exe} failed: {(r.stderr or r.stdout).strip()}")
    libs = []
    for line in r.stdout.splitlines():
        line = line.strip()
        if "=> not found" in line:
            raise VmError(f"{exe} needs {line.split()[0]}, which ldd cannot find")
        m = re.match(r"(\S+) => (/\S+) \(0x", line) or re.match(r"((/\S+)) \(0x", line)
        if m:
            libs.append((os.path.basename(m.group(1)), m.group(2)))
    return libs


def add_executable(tree, src, dest):
    tree.add_file(dest, src=src, mode=0o755)
    for soname, path in shared_libs(src):
        if path.startswith(SYSTEM_LIB_PREFIXES):
            # Same absolute path as on the host: covers the ELF interpreter
            # (/lib64/ld-linux-x86-64.so.2) and the multiarch default dirs.
            tree.add_file(path, src=path, mode=0o755)
        else:
            # e.g. libsriovvirt.so.0 found via RPATH in the build tree, which
            # does not exist in the VM: put it on the default search path.
            tree.add_file(f"{FOREIGN_LIB_DIR}/{soname}", src=path, mode=0o755)


def unique_basenames(paths, what):
    seen = {}
    for p in paths:
        name = os.path.basename(p)
        if name in seen and Path(seen[name]).resolve() != Path(p).resolve():
            raise VmError(f"two {what} files are both called {name}: {seen[name]} and {p}")
        seen[name] = p
    return sorted(seen.items())


def cmd_initramfs(args):
    """The payload archive: /init, our binaries, cases, data. No kernel needed,
    so building it never touches the network; `run` adds the kernel's part."""
    tree = Tree()
    # The kernel opens /dev/console for init's stdio before init can mount
    # devtmpfs, so the node must exist in the archive itself.
    tree.add_chardev("/dev/console", 5, 1)
    for d in ("/proc", "/sys", "/tmp", "/out", "/run", "/sbin", "/usr/sbin", "/vmtests", "/vmdata"):
        tree.add_dir(d)
    tree.add_file("/init", src=INIT_SCRIPT, mode=0o755)
    for name, path in unique_basenames(args.bin, "--bin"):
        add_executable(tree, path, f"/usr/bin/{name}")
    for name, path in unique_basenames(args.case, "--case"):
        if not CASE_NAME_RE.match(name):
            raise VmError(f"case file name {name!r} is not a valid case name")
        tree.add_file(f"/vmtests/{name}", src=path, mode=0o755)
    for name, path in unique_basenames(args.data, "--data"):
        tree.add_file(f"/vmdata/{name}", src=path)
    tree.write_cpio(args.out)
    say(f"initramfs payload {args.out}: {len(args.case)} case(s), "
        f"{len(args.bin)} extra binaries", file=sys.stderr)


def base_key(kernel):
    """What the base archive is made of: rebuild when any of it changes."""
    h = hashlib.sha256(Path(__file__).read_bytes())
    for f in [BUSYBOX] + list(HOST_TOOLS) + HOST_DATA + [str(kernel.moddir / "modules.dep")]:
        st = os.stat(f)
        h.update(f"{f} {st.st_size} {st.st_mtime_ns}".encode())
    return h.hexdigest()[:16]


def build_base(kernel, out):
    """busybox, lspci/setpci with pci.ids, strace, nvme-cli, ip, udevd and
    udevadm, and the kernel's module subset."""
    tree = Tree()
    tree.add_file("/bin/busybox", src=BUSYBOX, mode=0o755)
    if shared_libs(BUSYBOX):
        raise VmError(f"{BUSYBOX} is not static; apt-get install busybox-static")
    for tool, package in HOST_TOOLS.items():
        if not Path(tool).exists():
            raise VmError(f"{tool} not found; apt-get install {package}")
        add_executable(tree, tool, tool)
    for link, target in HOST_LINKS.items():
        tree.add_symlink(link, target)
    for data in HOST_DATA:
        tree.add_file(data, src=data, mode=0o644)
    with tempfile.TemporaryDirectory(prefix="sriovvirt-vm-modules.") as staging:
        stage_modules(kernel, Path(staging))
        tree.add_host_tree(staging, "/")
        tree.write_cpio(out)


def base_image(kernel, cache):
    """The kernel's half of the initramfs, built once per kernel and inputs."""
    cache = Path(os.environ.get("SRIOVVIRT_VM_CACHE") or cache).resolve()
    out = cache / f"base-{kernel.kver}-{base_key(kernel)}.cpio.gz"
    with locked(cache):
        if not out.exists():
            for stale in cache.glob(f"base-{kernel.kver}-*.cpio.gz"):
                stale.unlink()
            build_base(kernel, out)
    return out


def boot_image(payload, cache, tmp, kernel_name=DEFAULT_KERNEL):
    """(kernel, initrd): base and payload concatenated; the kernel unpacks
    one compressed cpio archive after the other, later files winning."""
    payload = Path(payload)
    if not payload.is_file():
        raise VmError(f"initramfs {payload} does not exist; build it first "
                      f"(ninja -C build tests/vm/initramfs.img or vm.py initramfs)")
    cache = Path(cache) if cache else payload.parent / "kernel-cache"
    kernel = find_kernel(cache, kernel_name)
    initrd = Path(tmp) / "initrd.img"
    with open(initrd, "wb") as f:
        f.write(base_image(kernel, cache).read_bytes())
        f.write(payload.read_bytes())
    return kernel, initrd


# --------------------------------------------------------------------------
# Booting the VM.

def qemu_command(vmlinuz, initrd, case, ttys1):
    qemu = os.environ.get("SRIOVVIRT_VM_QEMU", "qemu-system-x86_64")
    return [
        qemu, "-M", "q35", "-accel", "tcg", "-m", "1G", "-smp", "1",
        "-nographic", "-no-reboot", "-nic", "none",
        "-kernel", str(vmlinuz), "-initrd", str(initrd),
        "-append", f"console=ttyS0 intel_iommu=on quiet panic=-1 sriovvirt.case={case}",
        # ttyS0: console (+ monitor, for Ctrl-A X in the shell); ttyS1: results.
        "-serial", "mon:stdio", "-serial", ttys1,
    ] + TOPOLOGY


def qemu_file_chardev(path):
    return "file:" + str(path).replace(",", ",,")  # QEMU option escaping


def _die_with_parent():
    """Runs in the child before exec: SIGKILL QEMU if this script dies.

    Covers a SIGKILL of vm.py itself, which no Python cleanup can handle.
    """
    with contextlib.suppress(Exception):
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


class Boot:
    """One QEMU run of one case: console streamed to a log, markers tracked."""

    def __init__(self, argv, log_path, echo=None):
        self.argv = argv
        self.log_path = Path(log_path)
        self.echo = echo          # called with each case output line, live
        self.proc = None
        self.t0 = None
        self.started = None       # monotonic time of the start marker
        self.finished = None      # monotonic time of the result marker
        self.kver = None
        self.rc = None
        self.qemu_errors = []
        self.panic = False
        self.no_such_case = False

    def start(self):
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        self.log = open(self.log_path, "w")
        self.t0 = time.monotonic()
        try:
            # Own session/process group: a timeout or Ctrl-C kills the whole
            # group, and the terminal's Ctrl-C reaches only us.
            self.proc = subprocess.Popen(self.argv, stdin=subprocess.DEVNULL,
                                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                         start_new_session=True,
                                         preexec_fn=_die_with_parent)
        except FileNotFoundError:
            raise VmError(f"cannot run {self.argv[0]}: not found "
                          f"(apt-get install qemu-system-x86)")
        self.reader = threading.Thread(target=self._pump, daemon=True)
        self.reader.start()

    def _pump(self):
        for raw in iter(self.proc.stdout.readline, b""):
            line = ANSI_RE.sub("", raw.decode("utf-8", "replace").rstrip("\r\n"))
            self.log.write(line + "\n")
            self.log.flush()
            self._track(line)

    def _track(self, line):
        now = time.monotonic()
        if line.startswith("qemu-system"):
            self.qemu_errors.append(line)
        if "Kernel panic" in line:
            self.panic = True
        if "vm-init: no such case" in line:
            self.no_such_case = True
        if self.started is None:
            m = START_RE.search(line)
            if m:
                self.started, self.kver = now, m.group(2)
            return
        if self.rc is None:
            m = RESULT_RE.search(line)
            if m:
                self.finished, self.rc = now, int(m.group(2))
            elif self.echo and not PRINTK_RE.match(line):
                self.echo(line)

    def wait(self, timeout, boot_timeout):
        """Wait for QEMU to exit, killing it at the deadline.

        Returns True if a deadline passed without a result (a timeout).
        """
        deadline = self.t0 + timeout
        boot_deadline = self.t0 + min(timeout, boot_timeout)
        while True:
            # Once the case has reported, the guest powers off by itself; a
            # QEMU that lingers after that is killed, but the result stands.
            if self.finished is not None:
                limit = self.finished + POWEROFF_GRACE
            elif self.started is None:
                limit = boot_deadline
            else:
                limit = deadline
            try:
                self.proc.wait(timeout=max(0.0, min(0.25, limit - time.monotonic())))
                break
            except subprocess.TimeoutExpired:
                if time.monotonic() >= limit:
                    self.kill()
                    self.reader.join(5)
                    return self.finished is None
        self.reader.join(5)
        return False

    def kill(self):
        if self.proc and self.proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()

    def close(self):
        self.kill()
        if getattr(self, "log", None):
            self.log.close()

    @property
    def boot_seconds(self):
        return self.started - self.t0 if self.started else None


def failure_reason(boot, case, timeout, boot_timeout, timed_out):
    """The one line that says why a run failed (None if it did not)."""
    if boot.rc == 0:
        return None
    if boot.no_such_case:
        return f"case '{case}' is not in the initramfs (rc={boot.rc}); rebuild it with --case"
    if boot.rc == 125:
        return f"VM setup failed before case '{case}' (rc=125); see vm-init in the log"
    if boot.rc is not None:
        return f"case '{case}' failed with rc={boot.rc}"
    if timed_out:
        if boot.started is None:
            return (f"boot did not reach the test within {min(timeout, boot_timeout):g} s "
                    f"(QEMU killed)")
        return f"case '{case}' did not finish within {timeout:g} s (QEMU killed)"
    status = boot.proc.returncode
    if boot.qemu_errors:
        return f"QEMU failed (exit status {status}): {boot.qemu_errors[0]}"
    if boot.panic:
        return "the guest kernel panicked before reporting a result"
    if boot.started is None:
        return f"QEMU exited (status {status}) before the test started"
    return f"QEMU exited (status {status}) before case '{case}' reported a result"


def print_failure(reason, log_path):
    say(f"FAIL: {reason}")
    say(f"---- console log ({log_path}) ----")
    with contextlib.suppress(OSError):
        sys.stdout.write(Path(log_path).read_text(errors="replace"))
    say(f"---- end of console log ----")
    say(f"FAIL: {reason}")  # again, since the log pushed the first one off screen
    sys.stdout.flush()


def prepare_artifacts_dir(path):
    """Create/wipe the artifacts dir; refuse to wipe a dir we did not create."""
    path = Path(path)
    if path.exists():
        if any(path.iterdir()) and not (path / ARTIFACTS_STAMP).exists():
            raise VmError(f"refusing to wipe {path}: not an artifacts dir made by vm.py "
                          f"(remove it or choose another --artifacts)")
        shutil.rmtree(path)
    path.mkdir(parents=True)
    (path / ARTIFACTS_STAMP).write_text("made by tests/vm/vm.py; wiped on every run\n")
    return path


def unpack_artifacts(ttys1_file, dest):
    """Decode init's `tar | base64` from ttyS1 into dest."""
    data = Path(ttys1_file).read_bytes() if Path(ttys1_file).exists() else b""
    begin = data.find(ART_BEGIN)
    end = data.find(ART_END, begin + 1)
    if begin < 0 or end < 0:
        raise VmError("the case's /out did not arrive on ttyS1 (no complete artifact stream)")
    payload = base64.b64decode(re.sub(rb"\s+", b"", data[begin + len(ART_BEGIN):end]))
    with tarfile.open(fileobj=io.BytesIO(payload)) as tar:
        if hasattr(tarfile, "data_filter"):
            tar.extractall(dest, filter="data")
        else:
            tar.extractall(dest)


class Interrupted(Exception):
    pass


def _raise_interrupted(signum, frame):
    raise Interrupted(signal.Signals(signum).name)


def boot_case(initrd, cache, case, timeout, boot_timeout, log_path, echo=None,
              on_start=None, kernel_name=DEFAULT_KERNEL):
    """Boot, run `case`; returns (Boot, temp dir holding the ttyS1 file, timed_out)."""
    if not CASE_NAME_RE.match(case):
        raise VmError(f"invalid case name {case!r}")
    tmp = tempfile.mkdtemp(prefix="sriovvirt-vm.")
    kernel, image = boot_image(initrd, cache, tmp, kernel_name)
    ttys1 = Path(tmp) / "ttyS1"
    boot = Boot(qemu_command(kernel.vmlinuz, image, case, qemu_file_chardev(ttys1)),
                log_path, echo=echo)
    if on_start:
        on_start(kernel.kver)
    # meson sends SIGTERM on its own timeout; turn it into cleanup.
    old = {s: signal.signal(s, _raise_interrupted) for s in (signal.SIGTERM, signal.SIGHUP)}
    try:
        boot.start()
        timed_out = boot.wait(timeout, boot_timeout)
    finally:
        boot.close()
        for s, h in old.items():
            signal.signal(s, h)
    return boot, tmp, timed_out


def collect_artifacts(boot, ttys1, artifacts, case):
    """Unpack the case's /out; returns why that failed, or None.

    Done for failed cases too: their files and dmesg.txt explain the failure.
    """
    if boot.rc is None:
        return None  # the case never finished, so init sent nothing
    try:
        unpack_artifacts(ttys1, artifacts)
    except (VmError, ValueError, tarfile.TarError) as e:
        return f"collecting the artifacts of case '{case}' failed: {e}"
    return None


def run_checker(args, artifacts):
    """Run `CHECK [CHECK_ARG...] ARTIFACTS`; returns why it failed, or None."""
    argv = [args.check] + args.check_arg + [str(artifacts)]
    say(f"check: {' '.join(argv)}")
    try:
        rc = subprocess.run(argv).returncode
    except OSError as e:
        return f"cannot run checker {args.check}: {e.strerror}"
    return f"checker {args.check} failed with status {rc}" if rc else None


def cmd_run(args):
    artifacts = Path(args.artifacts) if args.artifacts \
        else Path(tempfile.mkdtemp(prefix=f"sriovvirt-vm-{args.case}."))
    prepare_artifacts_dir(artifacts)
    log_path = Path(args.log) if args.log else artifacts / "console.log"
    boot, tmp, timed_out = boot_case(args.initrd, args.cache, args.case, args.timeout,
                                     args.boot_timeout, log_path,
                                     kernel_name=args.kernel)
    try:
        artifacts_error = collect_artifacts(boot, Path(tmp) / "ttyS1", artifacts, args.case)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    reason = failure_reason(boot, args.case, args.timeout, args.boot_timeout, timed_out) \
        or artifacts_error
    timing = (f"boot {boot.boot_seconds:.1f} s, " if boot.boot_seconds else "") + \
        f"total {time.monotonic() - boot.t0:.1f} s"
    if reason:
        print_failure(f"{reason} [{timing}; artifacts in {artifacts}]", log_path)
        return 1
    say(f"case '{args.case}' passed on kernel {boot.kver} [{timing}]; artifacts in {artifacts}")
    if args.check:
        reason = run_checker(args, artifacts)
        if reason:
            print_failure(reason, log_path)
            return 1
        say("check passed")
    return 0


def cmd_demo(args):
    def header(kver):
        print(f"== libsriovvirt demo: Debian kernel {kver} under QEMU (TCG, no KVM needed) "
              f"with emulated SR-IOV NVMe controllers ==")
        print("== booting (5-10 s)... ==", flush=True)

    def echo(line):
        print(line, flush=True)

    with tempfile.TemporaryDirectory(prefix="sriovvirt-vm-demo.") as tmp:
        log_path = Path(tmp) / "console.log"
        boot, ttys1_dir, timed_out = boot_case(args.initrd, args.cache, "demo", args.timeout,
                                               args.boot_timeout, log_path,
                                               echo=echo, on_start=header,
                                               kernel_name=args.kernel)
        shutil.rmtree(ttys1_dir, ignore_errors=True)
        reason = failure_reason(boot, "demo", args.timeout, args.boot_timeout, timed_out)
        if reason:
            print_failure(reason, log_path)
            return 1
    print(f"== demo finished: boot {boot.boot_seconds:.1f} s, "
          f"total {time.monotonic() - boot.t0:.1f} s ==")
    return 0


def cmd_shell(args):
    tmp = tempfile.mkdtemp(prefix="sriovvirt-vm-shell.")
    kernel, image = boot_image(args.initrd, args.cache, tmp, args.kernel)
    argv = qemu_command(kernel.vmlinuz, image, "shell", "null")
    print("vm: booting a shell; leave with `poweroff` or Ctrl-A X", file=sys.stderr, flush=True)
    # Foreground, same terminal: QEMU puts the tty in raw mode, so Ctrl-C goes
    # to the guest. We only have to not die from it ourselves.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        return subprocess.run(argv, preexec_fn=_die_with_parent).returncode
    except FileNotFoundError:
        raise VmError(f"cannot run {argv[0]}: not found (apt-get install qemu-system-x86)")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


# --------------------------------------------------------------------------

def parse_args(argv):
    p = argparse.ArgumentParser(prog="vm.py", description=__doc__.split("\n\n")[0])
    sub = p.add_subparsers(dest="cmd", required=True)

    kernel_help = (f"which of Debian's kernels: {', '.join(KERNELS)} "
                   f"(default %(default)s)")
    k = sub.add_parser("kernel", help="fetch and unpack Debian's kernel into the cache")
    k.add_argument("--cache", default=str(DEFAULT_CACHE))
    k.add_argument("--kernel", choices=list(KERNELS), default=DEFAULT_KERNEL,
                   help=kernel_help)
    k.add_argument("-v", "--verbose", action="store_true", help="also print paths")

    i = sub.add_parser("initramfs", help="build the VM initramfs payload (no kernel needed)")
    i.add_argument("--out", required=True)
    i.add_argument("--bin", action="append", default=[], help="executable for /usr/bin")
    i.add_argument("--case", action="append", default=[], help="case script for /vmtests")
    i.add_argument("--data", action="append", default=[], help="file for /vmdata")

    r = sub.add_parser("run", help="boot the VM and run one case")
    r.add_argument("--initrd", required=True)
    r.add_argument("--cache", help="kernel cache (default: kernel-cache next to the initramfs)")
    r.add_argument("--case", required=True)
    r.add_argument("--kernel", choices=list(KERNELS), default=DEFAULT_KERNEL,
                   help=kernel_help)
    r.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT,
                   help="seconds for the whole run, boot included (default %(default)s)")
    r.add_argument("--boot-timeout", type=float, default=DEFAULT_BOOT_TIMEOUT,
                   help="seconds until the case must have started (default %(default)s)")
    r.add_argument("--log", help="console log (default ARTIFACTS/console.log)")
    r.add_argument("--artifacts", help="where the case's /out goes (wiped first)")
    r.add_argument("--check", help="program run as: CHECK [CHECK_ARG...] ARTIFACTS")
    r.add_argument("--check-arg", action="append", default=[],
                   help="argument for --check (repeatable), e.g. the script for python3")

    s = sub.add_parser("shell", help="boot the VM into an interactive shell")
    s.add_argument("--initrd", required=True)
    s.add_argument("--kernel", choices=list(KERNELS), default=DEFAULT_KERNEL,
                   help=kernel_help)
    s.add_argument("--cache", help="kernel cache (default: kernel-cache next to the initramfs)")

    d = sub.add_parser("demo", help="run the demo case, showing its output live")
    d.add_argument("--initrd", required=True)
    d.add_argument("--kernel", choices=list(KERNELS), default=DEFAULT_KERNEL,
                   help=kernel_help)
    d.add_argument("--cache", help="kernel cache (default: kernel-cache next to the initramfs)")
    d.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT)
    d.add_argument("--boot-timeout", type=float, default=DEFAULT_BOOT_TIMEOUT)
    return p.parse_args(argv)


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    handler = {"kernel": cmd_kernel, "initramfs": cmd_initramfs, "run": cmd_run,
               "shell": cmd_shell, "demo": cmd_demo}[args.cmd]
    try:
        return handler(args) or 0
    except VmError as e:
        say(f"error: {e}", file=sys.stderr if args.cmd in ("kernel", "initramfs") else sys.stdout)
        return 1
    except (KeyboardInterrupt, Interrupted) as e:
        say(f"interrupted ({str(e) or 'SIGINT'}); QEMU stopped", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # Output piped into e.g. head; QEMU is already gone (see boot_case).
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1


if __name__ == "__main__":
    sys.exit(main())
