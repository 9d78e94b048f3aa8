#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""CLI tests: run the built sriovctl against fake sysfs trees.

Every --json output goes through Python's json parser, and every check of a
failure looks at the exit code (0 ok, 1 failed, 2 usage), the message, and
that nothing changed in the tree.

Environment (set by meson): SRIOVCTL, MKFIXTURE, FAKEKERNEL; optional
SRIOVCTL_WRAPPER (e.g. a valgrind command line) to run sriovctl under.
"""

import errno
import json
import os
import queue
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import unittest

SRIOVCTL = os.environ.get("SRIOVCTL", "sriovctl")
MKFIXTURE = os.environ.get("MKFIXTURE", "mkfixture")
FAKEKERNEL = os.environ.get("FAKEKERNEL", "fakekernel")
WRAPPER = shlex.split(os.environ.get("SRIOVCTL_WRAPPER", ""))
# Trees have thousands of small files: tmpfs makes them in a tenth of the time.
TREE_PARENT = "/dev/shm" if os.access("/dev/shm", os.W_OK) else None

PF = "0000:00:04.0"          # 8 VFs enabled, crossing into device 5
PF_EMPTY = "0000:00:06.0"    # TotalVFs 8, no VFs
PF_ARI = "0000:81:00.0"      # 256 VFs, the last one on bus 0x82
PF_NODRIVER = "0000:00:08.0"  # no driver bound
NON_SRIOV = "0000:00:07.0"
NETDEV = "enp0s4"            # PF's interface in the fake tree, not on the host

# The NIC settings show and vf-set print for each VF of a PF with a netdev.
NET_KEYS = ["mac", "vlan", "qos", "vlan_protocol", "spoofchk", "trust",
            "link_state", "min_tx_rate", "max_tx_rate", "stats"]


def host_has_interface(name):
    """A fake tree's interface name that also exists on this host would make
    sriovctl reach the host's real interface: those tests skip then."""
    return os.path.exists(os.path.join("/sys/class/net", name))


def vf_address(pf, offset, stride, index):
    """The kernel's routing-ID arithmetic, written independently here."""
    dom, bus, devfn = pf.split(":")[0], int(pf.split(":")[1], 16), pf.split(":")[2]
    dev, fn = int(devfn.split(".")[0], 16), int(devfn.split(".")[1])
    rid = (bus << 8 | dev << 3 | fn) + offset + stride * index
    return "%s:%02x:%02x.%d" % (dom, rid >> 8, (rid >> 3) & 0x1F, rid & 7)


class Tree:
    """A fake sysfs tree made by mkfixture."""

    def __init__(self, kind="standard"):
        self.root = tempfile.mkdtemp(prefix="sriovctl-cli-", dir=TREE_PARENT)
        subprocess.run([MKFIXTURE, kind, self.root], check=True,
                       stdout=subprocess.DEVNULL)

    def dev(self, addr, *parts):
        return os.path.join(self.root, "bus/pci/devices", addr, *parts)

    def read(self, addr, attr):
        with open(self.dev(addr, attr), "rb") as f:
            return f.read()

    def snapshot(self, addr):
        """Everything in a device directory that a failed command must not touch."""
        state = {}
        d = self.dev(addr)
        for name in sorted(os.listdir(d)):
            p = os.path.join(d, name)
            if os.path.islink(p):
                state[name] = os.readlink(p)
            elif os.path.isfile(p):
                with open(p, "rb") as f:
                    state[name] = f.read()
        return state

    def cleanup(self):
        shutil.rmtree(self.root, ignore_errors=True)


def run(tree, *args, root=True):
    cmd = WRAPPER + [SRIOVCTL]
    if root and tree is not None:
        cmd += ["--sysfs-root", tree.root]
    cmd += list(args)
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       text=True, timeout=120)
    return p.returncode, p.stdout, p.stderr


def run_json(tree, *args):
    rc, out, err = run(tree, "--json", *args)
    if rc != 0:
        raise AssertionError("sriovctl %s failed (%d): %s" % (" ".join(args), rc, err))
    return json.loads(out)


class CliTest(unittest.TestCase):
    def setUp(self):
        self.tree = Tree()
        self.addCleanup(self.tree.cleanup)

    def assertFails(self, rc_expected, args, *needles):
        rc, out, err = run(self.tree, *args)
        self.assertEqual(rc, rc_expected, "%s: rc %d, stderr: %s" % (args, rc, err))
        for n in needles:
            self.assertIn(n, err, "%s: %r not in stderr %r" % (args, n, err))
        return err


class TestList(CliTest):
    def test_json(self):
        pfs = run_json(self.tree, "list")
        self.assertEqual([p["address"] for p in pfs],
                         [PF, PF_EMPTY, PF_NODRIVER, PF_ARI])
        by = {p["address"]: p for p in pfs}
        self.assertEqual(by[PF], {"address": PF, "vendor_id": 0x1b36,
                                  "device_id": 0x0010, "driver": "nvme",
                                  "total_vfs": 8, "num_vfs": 8})
        self.assertIsNone(by[PF_NODRIVER]["driver"])
        self.assertEqual(by[PF_ARI]["num_vfs"], 256)
        self.assertEqual(by[PF_EMPTY]["num_vfs"], 0)

    def test_text_has_pci_ids_names(self):
        rc, out, _ = run(self.tree, "list")
        self.assertEqual(rc, 0)
        self.assertIn("QEMU NVM Express Controller", out)
        self.assertIn(PF_ARI, out)

    def test_empty_tree(self):
        empty = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, empty)
        os.makedirs(os.path.join(empty, "bus/pci/devices"))
        rc, out, _ = run(None, "--sysfs-root", empty, "--json", "list", root=False)
        self.assertEqual((rc, json.loads(out)), (0, []))

    def test_missing_root(self):
        rc, _, err = run(None, "--sysfs-root", "/nonexistent-root", "list", root=False)
        self.assertEqual(rc, 1)
        self.assertIn("/nonexistent-root", err)


class TestShow(CliTest):
    def check_vfs(self, pf, num, offset=1, stride=1):
        info = run_json(self.tree, "show", pf)
        self.assertEqual(len(info["vfs"]), num)
        for vf in info["vfs"]:
            i = vf["index"]
            link = os.readlink(self.tree.dev(pf, "virtfn%d" % i))
            self.assertEqual(vf["address"], os.path.basename(link))
            self.assertEqual(vf["address"], vf_address(pf, offset, stride, i))
            self.assertEqual((vf["vendor_id"], vf["device_id"]), (0x1b36, 0x0010))
        return info

    def test_contract_keys(self):
        info = run_json(self.tree, "show", PF)
        for key in ("address", "vendor_id", "device_id", "driver", "sriov", "vfs"):
            self.assertIn(key, info)
        for key in ("cap_offset", "total_vfs", "initial_vfs", "num_vfs",
                    "vf_offset", "vf_stride", "vf_device_id",
                    "function_dependency_link", "supported_page_sizes",
                    "system_page_size"):
            self.assertIsInstance(info["sriov"][key], int, key)
        for key in ("index", "address", "vendor_id", "device_id", "driver",
                    "iommu_group"):
            self.assertIn(key, info["vfs"][0])

    def test_decode(self):
        s = run_json(self.tree, "show", PF)["sriov"]
        self.assertEqual(s["cap_offset"], 0x120)
        self.assertEqual((s["total_vfs"], s["initial_vfs"], s["num_vfs"]), (8, 8, 8))
        self.assertEqual((s["vf_offset"], s["vf_stride"]), (1, 1))
        self.assertEqual(s["vf_device_id"], 0x0010)
        self.assertEqual((s["supported_page_sizes"], s["system_page_size"]), (0x553, 1))
        self.assertEqual(s["vf_bars"][0]["type"], "mem64")
        self.assertEqual(s["vf_bars"][0]["size"], 16384)

    def test_vfs_cross_device_number(self):
        info = self.check_vfs(PF, 8)
        self.assertEqual(info["vfs"][7]["address"], "0000:00:05.0")

    def test_ari_vfs_cross_bus(self):
        info = self.check_vfs(PF_ARI, 256)
        self.assertEqual(info["vfs"][255]["address"], "0000:82:00.0")
        self.assertEqual(info["sriov"]["captured_bus_numbers"], 1)

    def test_netdev_name(self):
        self.assertEqual(run_json(self.tree, "show", "enp0s4")["address"], PF)

    def test_short_address(self):
        self.assertEqual(run_json(self.tree, "show", "00:04.0")["address"], PF)

    @unittest.skipIf(host_has_interface(NETDEV), "the host has " + NETDEV)
    def test_netdev_settings_unreadable(self):
        # The fake tree's enp0s4 does not exist on this host: rtnetlink
        # cannot read the VFs' NIC settings, and show still succeeds.
        rc, out, err = run(self.tree, "--json", "show", PF)
        self.assertEqual(rc, 0, err)
        info = json.loads(out)
        self.assertEqual(info["netdev"], NETDEV)
        self.assertEqual(len(info["vfs"]), 8)
        for vf in info["vfs"]:
            self.assertEqual({k: vf[k] for k in NET_KEYS},
                             dict.fromkeys(NET_KEYS), vf["index"])
        self.assertIn("warning", err)
        self.assertIn(NETDEV, err)
        rc, out, err = run(self.tree, "show", PF)
        self.assertEqual(rc, 0, err)
        self.assertRegex(out, r"\n  Netdev +%s\n" % NETDEV)
        self.assertIn("VF network settings (%s)" % NETDEV, out)
        self.assertRegex(out, r"\n +7  - +- +- +- +- +- +- +-/-\n")

    def test_no_netdev(self):
        for pf in (PF_ARI, PF_EMPTY, PF_NODRIVER):
            rc, out, err = run(self.tree, "--json", "show", pf)
            self.assertEqual((rc, err), (0, ""), pf)
            info = json.loads(out)
            self.assertIsNone(info["netdev"], pf)
            for vf in info["vfs"]:
                self.assertFalse(set(NET_KEYS) & set(vf), vf)
        rc, out, _ = run(self.tree, "show", PF_ARI)
        self.assertIn("  Netdev                 (none)\n", out)
        self.assertNotIn("VF network settings", out)

    def test_driver_without_vf_settings(self):
        # The PF's interface renamed to lo, which every host has and whose
        # "driver" reports no VF information (IFLA_VFINFO_LIST).
        net = self.tree.dev(PF, "net")
        os.rename(os.path.join(net, NETDEV), os.path.join(net, "lo"))
        rc, out, err = run(self.tree, "--json", "show", PF)
        self.assertEqual(rc, 0, err)
        info = json.loads(out)
        self.assertEqual(info["netdev"], "lo")
        self.assertEqual([vf["mac"] for vf in info["vfs"]], [None] * 8)
        self.assertIn("reports no settings", err)

    def test_not_a_pf(self):
        self.assertFails(1, ["show", NON_SRIOV], NON_SRIOV, "not an SR-IOV")
        self.assertFails(1, ["show", "0000:00:04.1"], "virtual function")
        self.assertFails(1, ["show", "0000:00:1f.0"], "no such PCI device")


class TestBadAddresses(CliTest):
    BAD = ["../../etc", "0000:zz:00.0", "1:2:3:4", "0000:00:20.0", "",
           "0000:00:04.0/../../..", "a" * 40, "eth0 x"]

    def test_exit_2_everywhere(self):
        for bad in self.BAD:
            for args in (["show", bad], ["enable", bad, "1"], ["disable", bad],
                         ["config-read", bad, "0", "0"], ["bars", bad],
                         ["luid", bad], ["reset", bad, "0"],
                         ["vf-set", bad, "0", "trust", "on"]):
                rc, _, err = run(self.tree, *args)
                self.assertEqual(rc, 2, "%s -> %d %s" % (args, rc, err))

    @unittest.skipUnless(shutil.which("strace"), "strace not installed")
    def test_nothing_opened_outside_root(self):
        for bad in ("../../etc", "0000:zz:00.0", "1:2:3:4"):
            log = os.path.join(self.tree.root, "strace.log")
            subprocess.run(["strace", "-f", "-e", "trace=%file", "-o", log,
                            SRIOVCTL, "--sysfs-root", self.tree.root, "show",
                            bad], stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL)
            with open(log) as f:
                trace = f.read()
            self.assertNotIn(bad, trace.replace('"show", "%s"' % bad, ""))
            self.assertNotIn("/etc/passwd", trace)


class TestEnableRules(CliTest):
    def assertUnchanged(self, pf, args, *needles):
        before = self.tree.snapshot(pf)
        self.assertFails(1, args, pf, *needles)
        self.assertEqual(before, self.tree.snapshot(pf))

    def test_enable_zero(self):
        self.assertUnchanged(PF_EMPTY, ["enable", PF_EMPTY, "0"], "at least 1")

    def test_enable_above_total(self):
        self.assertUnchanged(PF_EMPTY, ["enable", PF_EMPTY, "9"], "TotalVFs is 8")

    def test_enable_twice(self):
        self.assertUnchanged(PF, ["enable", PF, "8"], "already enabled",
                             "disable them first")
        self.assertUnchanged(PF, ["enable", PF, "4"], "already enabled")

    def test_disable_twice(self):
        self.assertUnchanged(PF_EMPTY, ["disable", PF_EMPTY], "no VFs are enabled")

    def test_no_driver(self):
        self.assertUnchanged(PF_NODRIVER, ["enable", PF_NODRIVER, "2",
                                           "--no-autoprobe"],
                             "no driver", "pci-pf-stub", "enable_sriov=1")

    def test_usage(self):
        self.assertFails(2, ["enable", PF_EMPTY])
        self.assertFails(2, ["enable", PF_EMPTY, "-1"])
        self.assertFails(2, ["enable", PF_EMPTY, "65536"], "out of range")
        self.assertFails(2, ["enable", PF_EMPTY, "2", "--wait=soon"])
        self.assertFails(2, ["disable", PF, "--no-autoprobe"])


class TestEnableWithFakeKernel(CliTest):
    """enable/disable against a process that plays the kernel's part."""

    def start_kernel(self, delay_ms):
        k = subprocess.Popen([FAKEKERNEL, self.tree.root, "--delay-ms",
                              str(delay_ms)])
        self.addCleanup(lambda: (k.send_signal(signal.SIGTERM), k.wait()))
        time.sleep(0.3)  # let it set up its inotify watches
        return k

    def virtfns(self, pf):
        return sorted(n for n in os.listdir(self.tree.dev(pf)) if n.startswith("virtfn"))

    def test_enable_wait_disable(self):
        self.start_kernel(delay_ms=100)
        out = run_json(self.tree, "enable", PF_EMPTY, "4", "--wait=20",
                       "--no-autoprobe")
        self.assertEqual(out, {"address": PF_EMPTY, "num_vfs": 4})
        # --wait returned only once all four VFs had appeared.
        self.assertEqual(self.virtfns(PF_EMPTY), ["virtfn%d" % i for i in range(4)])
        self.assertEqual(self.tree.read(PF_EMPTY, "sriov_drivers_autoprobe").strip(), b"0")
        out = run_json(self.tree, "disable", PF_EMPTY, "--wait=20")
        self.assertEqual(out, {"address": PF_EMPTY, "num_vfs": 0})
        self.assertEqual(self.virtfns(PF_EMPTY), [])

    def test_wait_times_out(self):
        self.start_kernel(delay_ms=3000)
        rc, _, err = run(self.tree, "enable", PF_EMPTY, "8", "--wait=1")
        self.assertEqual(rc, 1, err)
        self.assertIn("did not show all VFs", err)


class TestVfSet(CliTest):
    """What a fake tree can show: every usage error, and the failures of
    PFs whose interface the host does not have (the VM case vf-net sets a
    real igb PF's VFs, read back with ip)."""

    def assertRefused(self, rc_expected, args, *needles):
        """Fails with RC_EXPECTED and NEEDLES in stderr; nothing printed on
        stdout, nothing changed in the PF's or VF 0's directory."""
        before = (self.tree.snapshot(PF), self.tree.snapshot("0000:00:04.1"))
        rc, out, err = run(self.tree, "--json", "vf-set", *args)
        self.assertEqual(rc, rc_expected, "%s: rc %d, stderr: %s" % (args, rc, err))
        self.assertEqual(out, "", args)
        for n in needles:
            self.assertIn(n, err, "%s: %r not in stderr %r" % (args, n, err))
        self.assertEqual(before, (self.tree.snapshot(PF),
                                  self.tree.snapshot("0000:00:04.1")))
        return err

    def test_usage_errors(self):
        for settings, needles in (
                ([], ["no setting given"]),
                (["bogus", "1"], ["unknown setting 'bogus'"]),
                (["MAC", "02:00:00:00:00:01"], ["unknown setting 'MAC'"]),
                (["link_state", "auto"], ["unknown setting 'link_state'"]),
                (["mac"], ["setting 'mac' needs a value"]),
                (["trust", "on", "vlan"], ["setting 'vlan' needs a value"]),
                (["trust", "on", "trust", "off"], ["'trust' given twice"]),
                (["vlan", "1", "mac", "02:00:00:00:00:01", "vlan", "2"],
                 ["'vlan' given twice"]),
                (["mac", "02:00:00:00:00"], ["mac '02:00:00:00:00'",
                                             "not a MAC address"]),
                (["mac", "02:00:00:00:00:01:02"], ["not a MAC address"]),
                (["mac", "02-00-00-00-00-01"], ["not a MAC address"]),
                (["mac", "2:0:0:0:0:1"], ["not a MAC address"]),
                (["mac", "02:00:00:00:00:0g"], ["not a MAC address"]),
                (["mac", ""], ["not a MAC address"]),
                (["mac", "01:00:5e:00:00:01"], ["multicast"]),
                (["mac", "ff:ff:ff:ff:ff:ff"], ["multicast"]),
                (["vlan", "4096"], ["vlan '4096'", "out of range"]),
                (["vlan", "x"], ["vlan 'x'", "not a number"]),
                (["vlan", "5", "qos", "8"], ["qos '8'", "out of range"]),
                (["qos", "1"], ["qos needs vlan"]),
                (["proto", "802.1ad"], ["proto needs vlan"]),
                (["trust", "on", "qos", "0"], ["qos needs vlan"]),
                (["vlan", "5", "proto", "802.1x"], ["proto '802.1x'",
                                                    "neither 802.1Q nor 802.1ad"]),
                (["vlan", "0", "proto", "802.1ad"], ["vlan 0"]),
                (["spoofchk", "yes"], ["spoofchk 'yes' is neither on nor off"]),
                (["trust", "ON"], ["trust 'ON' is neither on nor off"]),
                (["state", "up"], ["state 'up'", "auto, enable, disable"]),
                (["min_tx_rate", "4294967296"], ["min_tx_rate", "out of range"]),
                (["max_tx_rate", "1.5"], ["max_tx_rate '1.5'", "not a number"])):
            self.assertRefused(2, [PF, "0"] + settings, *needles)
        # The VF index and the PF name.
        self.assertRefused(2, [PF, "x", "trust", "on"], "VF index 'x'")
        self.assertRefused(2, [PF, "65536", "trust", "on"], "VF index")
        self.assertRefused(2, ["../../etc", "0", "trust", "on"], "PCI address")
        self.assertRefused(2, [PF], "missing operand")
        # A usage error wins over a PF that would fail.
        self.assertRefused(2, [PF_ARI, "0", "trust", "maybe"], "trust 'maybe'")

    def test_values_accepted(self):
        # Well-formed values get past the parser: the failure is the fake
        # PF's missing interface (exit 1), not a usage error.
        for settings in (["mac", "02:AA:bb:cc:DD:ee"],
                         ["mac", "00:00:00:00:00:00"],
                         ["vlan", "4095", "qos", "7", "proto", "802.1AD"],
                         ["proto", "802.1q", "vlan", "0x10"],
                         ["vlan", "0"], ["vlan", "0", "qos", "3"],
                         ["spoofchk", "off", "trust", "on", "state", "disable"],
                         ["state", "auto"], ["state", "enable"],
                         ["min_tx_rate", "0", "max_tx_rate", "4294967295"]):
            self.assertRefused(1, [PF_ARI, "0"] + settings,
                               "no network interface")

    @unittest.skipIf(host_has_interface(NETDEV), "the host has " + NETDEV)
    def test_interface_not_on_this_host(self):
        err = self.assertRefused(1, [PF, "0", "trust", "on", "vlan", "5"],
                                 PF, NETDEV, "no interface of that name")
        self.assertTrue(err.startswith("sriovctl: "), err)
        self.assertRefused(1, [NETDEV, "7", "state", "auto"], NETDEV)

    def test_no_network_interface(self):
        self.assertRefused(1, [PF_ARI, "0", "mac", "02:00:00:00:00:01"],
                           PF_ARI, "has no network interface")

    def test_vf_not_enabled(self):
        self.assertRefused(1, [PF, "8", "trust", "on"], "VF 8 does not exist")
        self.assertRefused(1, [PF_EMPTY, "0", "trust", "on"], "has 0 VFs")

    def test_driver_without_vf_settings(self):
        # lo reports no VF information: nothing is sent to it.
        net = self.tree.dev(PF, "net")
        os.rename(os.path.join(net, NETDEV), os.path.join(net, "lo"))
        self.assertRefused(1, [PF, "0", "trust", "on"], PF, "lo",
                           "reports no settings for VF 0")

    def test_help(self):
        rc, out, _ = run(self.tree, "vf-set", "--help")
        self.assertEqual(rc, 0)
        self.assertIn("vf-set PF VF SETTING VALUE [SETTING VALUE]...", out)
        for setting in ("mac XX:XX:XX:XX:XX:XX", "vlan N", "qos N",
                        "proto 802.1Q|802.1ad", "spoofchk on|off",
                        "trust on|off", "state auto|enable|disable",
                        "min_tx_rate N", "max_tx_rate N"):
            self.assertIn("  " + setting + " ", out)


class TestConfig(CliTest):
    def test_vf_ids_read_ffff(self):
        out = run_json(self.tree, "config-read", PF, "0", "0")
        self.assertEqual(out, {"offset": 0, "length": 4, "bytes": [255] * 4})
        rc, text, _ = run(self.tree, "config-read", PF, "0", "0")
        self.assertEqual((rc, text), (0, "000: ff ff ff ff\n"))
        # ... while show reports the real IDs.
        vf0 = run_json(self.tree, "show", PF)["vfs"][0]
        self.assertEqual((vf0["vendor_id"], vf0["device_id"]), (0x1b36, 0x10))

    def test_write_read_back(self):
        out = run_json(self.tree, "config-write", PF, "2", "0x4", "0x0104",
                       "--width", "2")
        self.assertEqual(out, {"offset": 4, "width": 2, "value": 0x104})
        out = run_json(self.tree, "config-read", PF, "2", "4", "2")
        self.assertEqual(out["bytes"], [0x04, 0x01])

    def test_bounds_are_usage_errors(self):
        for args in (["config-read", PF, "0", "4096"],
                     ["config-read", PF, "0", "4095", "2"],
                     ["config-read", PF, "0", "0", "0"],
                     ["config-read", PF, "0", "0", "4097"],
                     ["config-read", PF, "x", "0"],
                     ["config-read", PF, "0", "-1"],
                     ["config-write", PF, "0", "4094", "0", "--width", "4"],
                     ["config-write", PF, "0", "0", "0x100", "--width", "1"],
                     ["config-write", PF, "0", "0", "0", "--width", "3"]):
            self.assertFails(2, args)

    def test_vf_beyond_num_vfs(self):
        self.assertFails(1, ["config-read", PF, "8", "0"], PF, "VF 8 does not exist")
        self.assertFails(1, ["config-read", PF_EMPTY, "0", "0"], "has 0 VFs")


class TestDevice(CliTest):
    def test_reset(self):
        out = run_json(self.tree, "reset", PF, "3")
        self.assertEqual(out, {"address": "0000:00:04.4"})
        self.assertEqual(self.tree.read("0000:00:04.4", "reset").strip(), b"1")

    def test_reset_refuses_bus_method(self):
        with open(self.tree.dev("0000:00:04.4", "reset_method"), "w") as f:
            f.write("flr bus\n")
        self.assertFails(1, ["reset", PF, "3"], "bus")
        self.assertEqual(self.tree.read("0000:00:04.4", "reset").strip(), b"")

    def test_power(self):
        self.assertEqual(run_json(self.tree, "power", PF, "1", "D3hot"),
                         {"address": "0000:00:04.2", "state": "D3hot"})
        self.assertEqual(run_json(self.tree, "power", PF, "1")["state"], "D3hot")
        self.assertEqual(run_json(self.tree, "power", PF, "1", "d0")["state"], "D0")
        self.assertFails(1, ["power", PF, "1", "D1"], "does not support D1")
        self.assertFails(1, ["power", PF, "1", "D0", "--wake"], "not D0")
        self.assertFails(2, ["power", PF, "1", "D4"], "unknown power state")
        self.assertFails(1, ["power", PF, "8", "D0"], "does not exist")


class TestBarsAndLuids(CliTest):
    def test_pf_bars(self):
        out = run_json(self.tree, "bars", PF)
        self.assertEqual(out["probed"], [0xffffc004, 0xffffffff, 0, 0, 0, 0])
        self.assertEqual(out["vf_probed"], [0xffffc004, 0xffffffff, 0, 0, 0, 0])
        self.assertEqual(len(out["resources"]), 1)
        self.assertEqual(out["resources"][0]["size"], 16384)

    def test_vf_bars(self):
        pf_res = run_json(self.tree, "bars", PF)
        out = run_json(self.tree, "bars", PF, "5")
        self.assertEqual(out["address"], "0000:00:04.6")
        self.assertEqual(out["probed"], [0xffffc004, 0xffffffff, 0, 0, 0, 0])
        self.assertEqual(out["resources"][0]["size"], 16384)
        self.assertFails(2, ["bars", PF, "x"])
        self.assertFails(1, ["bars", PF, "8"], "does not exist")
        self.assertTrue(pf_res["resources"])

    def test_failure_prints_no_partial_json(self):
        # VF 1's BAR is no longer its slice of the PF's aperture.
        with open(self.tree.dev("0000:00:04.2", "resource"), "w") as f:
            f.write("0x00000000fe100000 0x00000000fe103fff 0x0000000000140204\n")
        rc, out, err = run(self.tree, "--json", "bars", PF, "1")
        self.assertEqual((rc, out), (1, ""), err)
        self.assertIn("not slice 1", err)

    def test_luids(self):
        pf_luid = run_json(self.tree, "luid", PF)
        luids = {}
        for i in range(8):
            out = run_json(self.tree, "luid", PF, str(i))
            self.assertEqual(out["value"], "0x%08x%08x" % (
                out["luid"]["high_part"] & 0xffffffff, out["luid"]["low_part"]))
            luids[out["value"]] = i
            back = run_json(self.tree, "vf-from-luid", PF, out["value"])
            self.assertEqual(back, {"index": i, "address": out["address"]})
        self.assertEqual(len(luids), 8)
        self.assertNotIn(pf_luid["value"], luids)
        self.assertEqual(run_json(self.tree, "luid", PF, "0"),
                         run_json(self.tree, "luid", PF, "0"))
        self.assertFails(1, ["vf-from-luid", PF, pf_luid["value"]], "no enabled VF")
        self.assertFails(2, ["vf-from-luid", PF, "0xzz"])


class TestBind(CliTest):
    """Refusals only: a fake tree has no kernel to bind (test-bind.c has one,
    the VM case bind the real one)."""

    def test_refusals_change_nothing(self):
        before = self.tree.snapshot("0000:00:04.2")
        for bad in ("../vfio-pci", "vfio pci", "", "x" * 64):
            self.assertFails(2, ["bind", PF, "1", bad], "not a driver name")
        self.assertFails(2, ["bind", PF, "x", "vfio-pci"], "VF index")
        self.assertFails(2, ["unbind", PF, "-1"])
        self.assertFails(2, ["bind", PF, "1"], "missing operand")
        self.assertFails(1, ["bind", PF, "1", "e1000e"], "modprobe e1000e")
        os.makedirs(os.path.join(self.tree.root, "bus/pci/drivers/vfio-pci"),
                    exist_ok=True)
        self.assertFails(1, ["bind", PF, "8", "vfio-pci"], "VF 8 does not exist")
        self.assertFails(1, ["bind", "0000:00:04.2", "0", "vfio-pci"],
                         "virtual function")
        self.assertEqual(self.tree.snapshot("0000:00:04.2"), before)

    def test_unbind_of_unbound_vf(self):
        self.assertEqual(run_json(self.tree, "unbind", PF, "2"),
                         [{"index": 2, "address": "0000:00:04.3", "driver": None}])


class TestVfio(CliTest):
    """What a fake tree can show: the mitigated ranges from the VF's MSI-X
    capability, and every refusal (the fixture tier's fake VFIO and the VM
    case vfio do the rest)."""

    TOKEN = "6f1b3cf1-2a5c-4b6e-9d1f-0a1b2c3d4e5f"

    def test_mitigations_from_msix(self):
        self.assertEqual(run_json(self.tree, "mitigations", PF, "1"),
                         {"address": "0000:00:04.2", "vfio": False,
                          "ranges": [{"bar": 0, "base_page": 2, "page_count": 2,
                                      "intercept_reads": True,
                                      "intercept_writes": True}]})

    def test_usage_errors(self):
        for args, needle in (
                (["mmio-read", PF, "0", "6", "0"], "BAR"),
                (["mmio-read", PF, "0", "0", "0", "--width", "3"], "--width"),
                (["mmio-read", PF, "0", "0", "2"], "multiple of the width"),
                (["mmio-read", PF, "0", "0", "zz"], "offset"),
                (["mmio-write", PF, "0", "0", "0", "0x100", "--width", "1"],
                 "value"),
                (["mmio-write", PF, "0", "0", "0"], "missing operand"),
                (["vfio", PF, "0", "--vf-token", "nope"], "UUID"),
                (["config-read", PF, "0", "0", "--vf-token", self.TOKEN],
                 "needs --vfio"),
                (["watch-mitigations", PF, "--count", "0"], "at least 1"),
                (["watch-mitigations", PF, "--timeout", "x"], "--timeout"),
                (["vfio", "../../etc", "0"], "PCI address")):
            self.assertFails(2, args, needle)

    def test_refusals_change_nothing(self):
        before = self.tree.snapshot("0000:00:04.1")
        for args in (["vfio", PF, "0"], ["mmio-read", PF, "0", "0", "8"],
                     ["config-read", PF, "0", "0", "--vfio"],
                     ["config-write", PF, "0", "0x10", "0xffffffff", "--vfio"],
                     ["reset", PF, "0", "--vfio"],
                     ["power", PF, "0", "--vfio"],
                     ["mitigations", PF, "0", "--vfio"]):
            self.assertFails(1, args, "no driver", "vfio-pci")
        self.assertFails(1, ["vfio", PF, "8"], "VF 8 does not exist")
        self.assertFails(1, ["vfio", "0000:00:04.2", "0"], "virtual function")
        self.assertEqual(self.tree.snapshot("0000:00:04.1"), before)

    def test_watch_times_out(self):
        rc, out, err = run(self.tree, "--json", "watch-mitigations", PF,
                           "--timeout", "1")
        self.assertEqual(rc, 1, err)
        self.assertEqual(json.loads(out), [])
        self.assertIn("0 of 1 updates", err)


class Background:
    """A sriovctl (or fakekernel) running beside the test.

    Threads read its stdout and stderr line by line, so the test waits for
    the line that says it is ready, or printed what was expected, instead
    of sleeping.
    """

    def __init__(self, test, cmd):
        self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, text=True)
        self.pid = self.proc.pid
        self.streams = {}
        for name, f in (("stdout", self.proc.stdout),
                        ("stderr", self.proc.stderr)):
            lines, q = [], queue.Queue()
            t = threading.Thread(target=self._read, args=(f, lines, q),
                                 daemon=True)
            t.start()
            self.streams[name] = (lines, q, t)
        test.addCleanup(self.kill)

    @staticmethod
    def _read(f, lines, q):
        for line in f:
            lines.append(line)
            q.put(line)
        q.put(None)

    def wait_for(self, needle, stream="stderr", timeout=20):
        """Blocks until a new line of @stream has @needle; returns it."""
        lines, q, _ = self.streams[stream]
        deadline = time.monotonic() + timeout
        while True:
            try:
                line = q.get(timeout=max(deadline - time.monotonic(), 0))
            except queue.Empty:
                raise AssertionError("no %r on %s within %d s: %r" % (
                    needle, stream, timeout, lines)) from None
            if line is None:
                q.put(None)
                raise AssertionError("exited (%s) without %r on %s: %r" % (
                    self.proc.wait(), needle, stream, lines))
            if needle in line:
                return line

    def finish(self, sig=None, timeout=20):
        """Sends @sig if given, waits for the exit: (rc, stdout, stderr)."""
        if sig is not None:
            self.proc.send_signal(sig)
        rc = self.proc.wait(timeout=timeout)
        for _, _, t in self.streams.values():
            t.join(timeout)
        return (rc, "".join(self.streams["stdout"][0]),
                "".join(self.streams["stderr"][0]))

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        for _, _, t in self.streams.values():
            t.join(5)
        self.proc.stdout.close()
        self.proc.stderr.close()


class RuntimeTest(CliTest):
    """A runtime directory of the test's own (DIR/rt, DIR 0700), so blocks
    and attachers of one test never meet another's. Blocks live there and
    not in the tree, so the tests of a class share one tree, unless they
    change it (FRESH_TREE)."""

    FRESH_TREE = False

    @classmethod
    def setUpClass(cls):
        cls.shared_tree = None if cls.FRESH_TREE else Tree()

    @classmethod
    def tearDownClass(cls):
        if cls.shared_tree:
            cls.shared_tree.cleanup()

    def setUp(self):
        if self.FRESH_TREE:
            super().setUp()
        else:
            self.tree = self.shared_tree
        self.rt_parent = tempfile.mkdtemp(prefix="sriovctl-rt-")
        os.chmod(self.rt_parent, 0o700)
        self.addCleanup(shutil.rmtree, self.rt_parent, ignore_errors=True)
        self.rt = os.path.join(self.rt_parent, "rt")

    def ctl(self, *args):
        return run(self.tree, "--runtime-dir", self.rt, *args)

    def ctl_json(self, *args):
        return run_json(self.tree, "--runtime-dir", self.rt, *args)

    def ctl_fails(self, rc_expected, args, *needles):
        return self.assertFails(rc_expected, ["--runtime-dir", self.rt] + args,
                                *needles)

    def ctl_ok(self, *args):
        rc, out, err = self.ctl(*args)
        self.assertEqual(rc, 0, "%s: rc %d, stderr: %s" % (args, rc, err))
        self.assertEqual(err, "", args)
        return out

    def spawn(self, *args, ready=None):
        """sriovctl ARGS in the background; waits for @ready on its stderr."""
        bg = Background(self, WRAPPER + [SRIOVCTL, "--sysfs-root", self.tree.root,
                                         "--runtime-dir", self.rt] + list(args))
        if ready:
            bg.wait_for(ready)
        return bg

    def numvfs(self, pf=PF):
        return self.tree.read(pf, "sriov_numvfs").strip()


def json_lines(out):
    """One JSON value a line, as the event-stream commands print them."""
    return [json.loads(line) for line in out.splitlines()]


def assert_ints(test, values):
    """JSON numbers, not strings or booleans."""
    for v in values:
        test.assertIs(type(v), int, values)


class TestBlockReadWrite(RuntimeTest):
    """block read and write, from the PF side and the VF side (--vf-side)."""

    def test_round_trip(self):
        for vf, block, data in ((1, "7", bytes([0xa5])),
                                (7, "0xffffffff", bytes(range(256 - 128, 256)))):
            hexdata = data.hex()
            out = self.ctl_ok("block", "write", PF, str(vf), block, hexdata)
            self.assertEqual(out, "VF %d block %d: %d bytes written\n"
                             % (vf, int(block, 0), len(data)))
            self.assertEqual(self.ctl_ok("block", "read", PF, str(vf), block),
                             hexdata + "\n")
            got = self.ctl_json("block", "read", PF, str(vf), block)
            self.assertEqual(got, {"index": vf, "id": int(block, 0),
                                   "length": len(data), "bytes": list(data)})
            assert_ints(self, [got["index"], got["id"], got["length"]]
                           + got["bytes"])
        # 128 bytes is the most a block holds, and the default LENGTH.
        self.assertEqual(len(got["bytes"]), 128)
        # The other VFs' blocks, and the same ID of another VF, are apart.
        self.ctl_fails(1, ["block", "read", PF, "0", "7"])
        self.ctl_fails(1, ["block", "read", PF, "1", "0xffffffff"])

    def test_write_json(self):
        self.assertEqual(self.ctl_json("block", "write", PF, "2", "0", "00ff"),
                         {"index": 2, "id": 0, "length": 2})

    def test_rewrite_replaces_whole_block(self):
        self.ctl_ok("block", "write", PF, "1", "5", "0102030405")
        self.ctl_ok("block", "write", PF, "1", "5", "ff")
        self.assertEqual(self.ctl_json("block", "read", PF, "1", "5")["bytes"],
                         [0xff])

    def test_vf_side_shares_the_store(self):
        self.ctl_ok("block", "write", PF, "3", "9", "0a0b0c")
        self.assertEqual(self.ctl_ok("block", "read", "--vf-side", PF, "3", "9"),
                         "0a0b0c\n")
        self.ctl_ok("block", "write", "--vf-side", PF, "3", "10", "0d")
        self.assertEqual(self.ctl_json("block", "read", PF, "3", "10")["bytes"],
                         [0x0d])
        # A netdev name and a short address name the same PF.
        self.assertEqual(self.ctl_ok("block", "read", "enp0s4", "3", "9"),
                         "0a0b0c\n")
        self.assertEqual(self.ctl_ok("block", "read", PF[5:], "3", "9"),
                         "0a0b0c\n")

    def test_short_length_shows_prefix_and_warns(self):
        self.ctl_ok("block", "write", PF, "1", "5", "01020304")
        rc, out, err = self.ctl("block", "read", PF, "1", "5", "2")
        self.assertEqual((rc, out), (0, "0102\n"), err)
        self.assertIn("warning", err)
        self.assertIn("holds 4 bytes", err)
        rc, out, err = self.ctl("--json", "block", "read", PF, "1", "5", "3")
        self.assertEqual(rc, 0, err)
        self.assertEqual(json.loads(out)["bytes"], [1, 2, 3])
        self.assertIn("holds 4 bytes", err)
        # Long enough: all of it, no warning.
        for length in ("4", "128"):
            self.assertEqual(self.ctl_ok("block", "read", PF, "1", "5", length),
                             "01020304\n")
        for bad in ("0", "129", "x"):
            self.ctl_fails(2, ["block", "read", PF, "1", "5", bad], "LENGTH")

    def test_bad_data(self):
        for data, needle in (("", "even number of hex digits"),
                             ("abc", "even number of hex digits"),
                             ("zz", "not hex digits"),
                             ("0g", "not hex digits"),
                             ("0x01", "not hex digits"),
                             ("+1", "not hex digits"),
                             (" 1", "not hex digits"),
                             ("\t1", "not hex digits"),
                             ("1\n", "not hex digits"),
                             ("ab" * 129, "129 bytes")):
            err = self.ctl_fails(2, ["block", "write", PF, "1", "5", data],
                                 needle)
            self.assertIn("block data", err)
        self.assertIn("at most 128", err)
        self.ctl_fails(2, ["block", "write", PF, "1", "5", "-1"])  # an option
        self.ctl_fails(2, ["block", "write", PF, "1", "5", "--", "-1"],
                       "not hex digits")
        # Nothing was stored.
        self.ctl_fails(1, ["block", "read", PF, "1", "5"], "never written")

    def test_vf_past_num_vfs(self):
        for side in ([], ["--vf-side"]):
            self.ctl_fails(1, ["block", "write", PF, "8", "1", "00"] + side,
                           PF, "VF 8 does not exist")
            self.ctl_fails(1, ["block", "read", PF, "8", "1"] + side,
                           "VF 8 does not exist")
            self.ctl_fails(1, ["block", "write", PF_EMPTY, "0", "1", "00"] + side,
                           "VF 0 does not exist", "has 0 VFs")
        self.ctl_fails(1, ["block", "wait", PF, "8", "--timeout", "0"],
                       "VF 8 does not exist")
        self.ctl_fails(1, ["block", "invalidate", PF, "8", "1"],
                       "VF 8 does not exist")
        self.ctl_fails(2, ["block", "read", PF, "x", "1"], "VF index")
        self.ctl_fails(2, ["block", "read", PF, "65536", "1"], "VF index")
        self.ctl_fails(1, ["block", "read", NON_SRIOV, "0", "1"], NON_SRIOV)
        self.ctl_fails(2, ["block", "read", "../../etc", "0", "1"], "PCI address")

    def test_never_written(self):
        self.ctl_fails(1, ["block", "read", PF, "1", "6"], "never written")
        self.ctl_fails(1, ["block", "read", "--vf-side", PF, "1", "6"],
                       "never written")
        self.ctl_ok("block", "write", PF, "1", "6", "00")
        self.ctl_fails(1, ["block", "read", PF, "1", "7"], "never written")

    def test_bad_block_id(self):
        for bad in ("x", "4294967296", "0x100000000", "", "1.5", " 1"):
            for args in (["read", PF, "1", bad], ["write", PF, "1", bad, "00"]):
                self.ctl_fails(2, ["block"] + args, "block ID")

    def test_unknown_action(self):
        self.ctl_fails(2, ["block", "frob", PF], "unknown block action 'frob'")
        self.ctl_fails(2, ["block", "READ", PF, "1", "1"], "unknown block action")

    def test_operand_counts(self):
        for args in (["read", PF, "1"], ["read", PF, "1", "2", "3", "4"],
                     ["write", PF, "1", "2"],
                     ["write", PF, "1", "2", "00", "extra"],
                     ["invalidate", PF, "1"],
                     ["invalidate", PF, "1", "1", "extra"],
                     ["wait", PF], ["wait", PF, "1", "extra"],
                     ["watch"], ["watch", PF, "1"], []):
            self.ctl_fails(2, ["block"] + args)
        self.ctl_fails(2, ["block", "read", PF, "1"], "block read PF VF ID")
        self.ctl_fails(2, ["block", "wait", PF], "block wait PF VF")
        self.ctl_fails(2, ["block", "watch", PF, "1"], "block watch PF")
        self.ctl_fails(2, ["block", "invalidate", PF, "1"],
                       "block invalidate PF VF|all MASK")

    def test_loop_options(self):
        for action in (["wait", PF, "1"], ["watch", PF]):
            self.ctl_fails(2, ["block"] + action + ["--timeout", "x"], "--timeout")
            self.ctl_fails(2, ["block"] + action + ["--timeout", "86401"],
                           "--timeout")
            self.ctl_fails(2, ["block"] + action + ["--count", "-1"], "--count")
            # --count 0 asks for no line at all: not "for ever".
            self.ctl_fails(2, ["block"] + action + ["--count", "0"], "--count")
        self.ctl_fails(2, ["block", "read", PF, "1", "1", "--vf-sider"],
                       "unknown option")


class TestBlockInvalidate(RuntimeTest):
    """block invalidate (the PF side) and block wait (the VF side)."""

    def test_masks_accumulate_until_drained(self):
        self.assertEqual(self.ctl_ok("block", "invalidate", PF, "2", "0x5"),
                         "VF 2 mask 0x0000000000000005\n")
        self.assertEqual(self.ctl_json("block", "invalidate", PF, "2", "0x30"),
                         {"index": 2, "mask": 0x30})
        rc, out, err = self.ctl("block", "wait", PF, "2", "--timeout", "1")
        self.assertEqual(rc, 0, err)
        self.assertEqual(out, "VF 2 mask 0x0000000000000035\n")
        self.assertIn("waiting for invalidations of %s VF 2" % PF, err)
        # Drained: nothing is left to print.
        rc, out, err = self.ctl("block", "wait", PF, "2", "--timeout", "0")
        self.assertEqual((rc, out), (0, ""), err)
        # The same in JSON: one object a line.
        self.ctl_ok("block", "invalidate", PF, "2", "5")
        self.ctl_ok("block", "invalidate", PF, "2", "48")
        rc, out, err = self.ctl("--json", "block", "wait", PF, "2",
                                "--timeout", "0")
        self.assertEqual(rc, 0, err)
        self.assertEqual(len(out.splitlines()), 1, out)
        self.assertEqual(json_lines(out), [{"index": 2, "mask": 0x35}])
        # Other VFs were never invalidated.
        self.assertEqual(self.ctl("block", "wait", PF, "3", "--timeout", "0"),
                         (0, "", "sriovctl: waiting for invalidations of "
                          "%s VF 3\n" % PF))

    def test_all_vfs(self):
        top = 1 << 63
        got = self.ctl_json("block", "invalidate", PF, "all", hex(top))
        self.assertEqual(got, [{"index": i, "mask": top} for i in range(8)])
        assert_ints(self, [v["mask"] for v in got])
        out = self.ctl_ok("block", "invalidate", PF, "all", "1")
        self.assertEqual(out.splitlines(),
                         ["VF %d mask 0x0000000000000001" % i for i in range(8)])
        for vf in (0, 7):
            rc, out, err = self.ctl("--json", "block", "wait", PF, str(vf),
                                    "--timeout", "0")
            self.assertEqual((rc, json_lines(out)),
                             (0, [{"index": vf, "mask": top | 1}]), err)
        # ARI: VF 255 is on the next bus.
        got = self.ctl_json("block", "invalidate", PF_ARI, "all", "2")
        self.assertEqual(len(got), 256)
        self.assertEqual(got[255], {"index": 255, "mask": 2})

    def test_mask_usage(self):
        for mask in ("0", "0x0"):
            self.ctl_fails(2, ["block", "invalidate", PF, "1", mask],
                           "at least one bit")
            self.ctl_fails(2, ["block", "invalidate", PF, "all", mask],
                           "at least one bit")
        for mask in ("x", "1x", "0x10000000000000000"):
            self.ctl_fails(2, ["block", "invalidate", PF, "1", mask], "MASK")
        self.ctl_fails(2, ["block", "invalidate", PF, "some", "1"], "VF index")
        self.ctl_fails(1, ["block", "invalidate", PF_EMPTY, "all", "1"],
                       PF_EMPTY, "no VFs")

    def test_wait_wakes_on_invalidate(self):
        waiter = self.spawn("--json", "block", "wait", PF, "4", "--count", "1",
                            "--timeout", "30", ready="waiting")
        self.ctl_ok("block", "invalidate", PF, "4", "0x10")
        rc, out, err = waiter.finish()
        self.assertEqual(rc, 0, err)
        self.assertEqual(json_lines(out), [{"index": 4, "mask": 0x10}])

    def test_wait_text_one_line_per_wakeup(self):
        waiter = self.spawn("block", "wait", "enp0s4", "6", "--count", "2",
                            "--timeout", "30", ready="waiting")
        self.ctl_ok("block", "invalidate", PF, "6", "1")
        waiter.wait_for("VF 6 mask 0x0000000000000001", "stdout")
        self.ctl_ok("block", "invalidate", PF, "all", "0x8002")
        rc, out, err = waiter.finish()
        self.assertEqual(rc, 0, err)
        self.assertEqual(out, "VF 6 mask 0x0000000000000001\n"
                         "VF 6 mask 0x0000000000008002\n")


class TestBlockWatch(RuntimeTest):
    """block watch: the PF side learns of the VF side's writes."""

    def test_vf_side_write_reported(self):
        watcher = self.spawn("--json", "block", "watch", PF, "--count", "1",
                             "--timeout", "30", ready="watching")
        # A PF-side write is the PF's own: not reported. The VF-side write
        # after it is then the first line.
        self.ctl_ok("block", "write", PF, "2", "5", "00")
        self.ctl_ok("block", "write", "--vf-side", PF, "3", "0xffffffff", "0102")
        rc, out, err = watcher.finish()
        self.assertEqual(rc, 0, err)
        self.assertEqual(json_lines(out), [{"index": 3, "id": 0xffffffff}])

    def test_text(self):
        watcher = self.spawn("block", "watch", "enp0s4", "--count", "2",
                             "--timeout", "30", ready="watching")
        self.ctl_ok("block", "write", "--vf-side", PF, "7", "9", "aa")
        watcher.wait_for("VF 7 wrote block 9", "stdout")
        self.ctl_ok("block", "write", PF, "0", "1", "bb")
        self.ctl_ok("block", "write", "--vf-side", PF, "0", "1", "cc")
        rc, out, err = watcher.finish()
        self.assertEqual(rc, 0, err)
        self.assertEqual(out, "VF 7 wrote block 9\nVF 0 wrote block 1\n")

    def test_other_pf_not_reported(self):
        watcher = self.spawn("--json", "block", "watch", PF_ARI, "--count", "1",
                             "--timeout", "30", ready="watching")
        self.ctl_ok("block", "write", "--vf-side", PF, "1", "1", "00")
        self.ctl_ok("block", "write", "--vf-side", PF_ARI, "255", "2", "00")
        rc, out, err = watcher.finish()
        self.assertEqual((rc, json_lines(out)), (0, [{"index": 255, "id": 2}]),
                         err)

    def test_timeout_zero_returns(self):
        rc, out, err = self.ctl("--json", "block", "watch", PF, "--timeout", "0")
        self.assertEqual((rc, out), (0, ""), err)


class TestRuntimeDir(RuntimeTest):
    """--runtime-dir and the rules of the directory it names."""

    def test_relative_is_usage_error(self):
        for bad in ("rel/rt", "rt", "./rt", ""):
            rc, _, err = run(self.tree, "--runtime-dir", bad, "block", "read",
                             PF, "1", "1")
            self.assertEqual(rc, 2, "%r: %s" % (bad, err))
            self.assertIn("absolute", err)
        rc, _, err = run(self.tree, "block", "read", PF, "1", "1",
                         "--runtime-dir", self.rt)
        self.assertEqual(rc, 2, err)   # global, before the command
        rc, _, err = run(self.tree, "--runtime-dir")
        self.assertEqual(rc, 2, err)
        self.assertIn("needs a value", err)

    def test_created_0700(self):
        self.ctl_ok("block", "write", PF, "1", "1", "00")
        self.assertEqual(os.stat(self.rt).st_mode & 0o7777, 0o700)

    def test_mode_0755_refused(self):
        os.mkdir(self.rt)
        os.chmod(self.rt, 0o755)
        for args in (["block", "write", PF, "1", "1", "00"],
                     ["block", "read", PF, "1", "1"],
                     ["attach", PF, "--timeout", "0"]):
            self.ctl_fails(1, args, self.rt, "mode 0755", "0700")
        self.assertEqual(os.listdir(self.rt), [])
        os.chmod(self.rt, 0o700)
        self.ctl_ok("block", "write", PF, "1", "1", "00")

    def test_not_a_directory(self):
        with open(self.rt, "w"):
            pass
        self.ctl_fails(1, ["block", "read", PF, "1", "1"], self.rt,
                       "not a directory")
        os.unlink(self.rt)
        other = tempfile.mkdtemp(dir=self.rt_parent)
        os.chmod(other, 0o700)
        os.symlink(other, self.rt)
        self.ctl_fails(1, ["block", "read", PF, "1", "1"], self.rt, "symlink")

    def test_too_long_for_the_event_socket(self):
        self.rt = os.path.join(self.rt_parent, "d" * (108 - len(self.rt_parent)))
        self.ctl_fails(1, ["attach", PF, "--timeout", "0"], PF, "too long")
        # Blocks need no socket.
        self.ctl_ok("block", "write", PF, "1", "1", "00")

    @unittest.skipUnless(hasattr(os, "geteuid") and os.geteuid() == 0,
                         "needs root, to run a command as another user")
    @unittest.skipUnless(shutil.which("setpriv"), "no setpriv")
    def test_another_users_directory(self):
        os.chmod(self.rt_parent, 0o711)   # nobody may reach rt, not list it
        os.mkdir(self.rt, 0o700)          # root's
        cmd = (["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
               + WRAPPER + [SRIOVCTL, "--sysfs-root", self.tree.root,
                            "--runtime-dir", self.rt])
        probe = subprocess.run(cmd + ["--version"], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, timeout=60)
        if probe.returncode != 0:
            self.skipTest("sriovctl does not run as UID 65534: " + probe.stderr)
        for args in (["block", "read", PF, "1", "1"],
                     ["block", "write", PF, "1", "1", "00"],
                     ["attach", PF, "--timeout", "0"]):
            p = subprocess.run(cmd + args, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, timeout=60)
            self.assertEqual(p.returncode, 1, "%s: %s" % (args, p.stderr))
            self.assertIn(self.rt, p.stderr)
            self.assertIn("belongs to UID 0", p.stderr)
        self.assertEqual(os.listdir(self.rt), [])


def start_fake_kernel(test, tree, delay_ms=0):
    """fakekernel on @tree, once it watches every PF's sriov_numvfs: its
    inotify watches, counted in /proc, say when (it prints nothing)."""
    k = Background(test, [FAKEKERNEL, tree.root, "--delay-ms", str(delay_ms)])
    devices = os.path.join(tree.root, "bus/pci/devices")
    pfs = sum(os.path.exists(os.path.join(devices, d, "sriov_totalvfs"))
              for d in os.listdir(devices))
    deadline = time.monotonic() + 20
    while True:
        watches = 0
        fdinfo = "/proc/%d/fdinfo" % k.pid
        try:
            for fd in os.listdir(fdinfo):
                with open(os.path.join(fdinfo, fd)) as f:
                    watches += sum(line.startswith("inotify wd:") for line in f)
        except OSError:
            pass
        if watches >= pfs:
            return k
        if k.proc.poll() is not None or time.monotonic() > deadline:
            raise AssertionError("fakekernel did not start: %s" % k.finish())
        time.sleep(0.01)


class TestAttach(RuntimeTest):
    """attach: the PF's virtualization stack, asked before disable."""

    FRESH_TREE = True   # disable changes it

    def attach(self, *args):
        return self.spawn("attach", PF, *args, ready="attached to %s" % PF)

    def test_veto_text(self):
        stack = self.attach("--veto")
        self.ctl_fails(1, ["attach", PF, "--timeout", "0"],
                       "already attached", "PID %d" % stack.pid)
        before = self.tree.snapshot(PF)
        self.ctl_fails(1, ["disable", PF], PF, "vetoed")
        self.assertEqual(self.tree.snapshot(PF), before)
        self.assertEqual(self.numvfs(), b"8")
        rc, out, err = stack.finish(signal.SIGTERM)
        self.assertEqual(rc, 0, err)
        lines = out.splitlines()
        self.assertEqual(len(lines), 2, out)
        self.assertRegex(lines[0], r"^query_stop_device +%s disable by PID \d+: "
                         r"vetoed$" % PF)
        self.assertRegex(lines[1], r"^restart +%s disable by PID \d+ \(.+\)$" % PF)
        # A second attach works once the first one detached.
        self.assertEqual(self.attach().finish(signal.SIGTERM)[0], 0)

    def test_veto_json(self):
        stack = self.spawn("--json", "attach", PF, "--veto",
                           ready="attached to %s, vetoing" % PF)
        disabler = Background(self, WRAPPER + [
            SRIOVCTL, "--sysfs-root", self.tree.root, "--runtime-dir", self.rt,
            "--json", "disable", PF])
        rc, out, err = disabler.finish()
        self.assertEqual((rc, out), (1, ""), err)
        self.assertIn("vetoed", err)
        self.assertEqual(self.numvfs(), b"8")
        rc, out, err = stack.finish(signal.SIGTERM)
        self.assertEqual(rc, 0, err)
        self.assertEqual(len(out.splitlines()), 2, out)
        query, restart = json_lines(out)
        self.assertEqual(query, {"event": "query_stop_device", "code": 0,
                                 "address": PF, "vf": None,
                                 "operation": "disable", "pid": disabler.pid,
                                 "answer": "vetoed"})
        self.assertEqual(restart, {"event": "restart", "code": 1, "address": PF,
                                   "vf": None, "operation": "disable",
                                   "pid": disabler.pid,
                                   "status": -errno.ECANCELED})

    def test_allow_with_fake_kernel(self):
        start_fake_kernel(self, self.tree)
        stack = self.spawn("--json", "attach", PF, ready="attached to %s" % PF)
        self.assertEqual(self.ctl_json("disable", PF, "--wait=20"),
                         {"address": PF, "num_vfs": 0})
        self.assertEqual([n for n in os.listdir(self.tree.dev(PF))
                          if n.startswith("virtfn")], [])
        rc, out, err = stack.finish(signal.SIGINT)
        self.assertEqual(rc, 0, err)
        events = json_lines(out)
        self.assertEqual([(e["event"], e.get("answer"), e.get("status"))
                          for e in events],
                         [("query_stop_device", "allowed", None),
                          ("restart", None, 0)], out)
        for e in events:
            self.assertEqual((e["address"], e["vf"], e["operation"]),
                             (PF, None, "disable"))
            assert_ints(self, [e["code"], e["pid"]])

    def test_allow_text(self):
        stack = self.attach()
        self.ctl_ok("disable", PF)
        rc, out, err = stack.finish(signal.SIGTERM)
        self.assertEqual(rc, 0, err)
        lines = out.splitlines()
        self.assertEqual(len(lines), 2, out)
        self.assertTrue(lines[0].startswith("query_stop_device"), out)
        self.assertTrue(lines[0].endswith(": allowed"), out)
        self.assertRegex(lines[1], r"^restart +%s disable by PID \d+$" % PF)

    def test_force_does_not_ask(self):
        stack = self.attach("--veto")
        self.assertEqual(self.ctl_json("disable", PF, "--force"),
                         {"address": PF, "num_vfs": 0})
        self.assertEqual(self.numvfs(), b"0")
        rc, out, err = stack.finish(signal.SIGTERM)
        self.assertEqual((rc, out), (0, ""), err)

    def test_query_options_usage(self):
        before = self.tree.snapshot(PF)
        for cmd in (["disable", PF], ["unbind", PF, "1"],
                    ["bind", PF, "1", "vfio-pci"]):
            self.ctl_fails(2, cmd + ["--force", "--query-timeout", "3"],
                           "--force and --query-timeout")
            self.ctl_fails(2, cmd + ["--query-timeout", "0"], "at least 1")
            self.ctl_fails(2, cmd + ["--query-timeout", "x"], "--query-timeout")
            self.ctl_fails(2, cmd + ["--query-timeout", "3601"], "out of range")
            self.ctl_fails(2, cmd + ["--query-timeout"], "needs a value")
        self.assertEqual(self.tree.snapshot(PF), before)

    def test_silent_attacher_times_out(self):
        stack = self.spawn("--json", "attach", PF, ready="attached to %s" % PF)
        stack.proc.send_signal(signal.SIGSTOP)
        self.addCleanup(lambda: stack.proc.poll() is None and
                        stack.proc.send_signal(signal.SIGCONT))
        start = time.monotonic()
        self.ctl_fails(1, ["disable", PF, "--query-timeout", "1"], PF,
                       "did not answer")
        self.assertLess(time.monotonic() - start, 10)
        self.assertEqual(self.numvfs(), b"8")
        # Stopped, it finds the query, its RESTART and SIGTERM all pending
        # when it goes on: the events came first, and are printed.
        stack.proc.send_signal(signal.SIGTERM)
        rc, out, err = stack.finish(signal.SIGCONT)
        self.assertEqual(rc, 0, err)
        self.assertEqual([(e["event"], e.get("status")) for e in json_lines(out)],
                         [("query_stop_device", None),
                          ("restart", -errno.ETIMEDOUT)], out)

    def test_killed_attacher_is_not_asked(self):
        stack = self.attach("--veto")
        rc, _, _ = stack.finish(signal.SIGKILL)
        self.assertEqual(rc, -signal.SIGKILL)
        start = time.monotonic()
        self.ctl_ok("disable", PF)   # the default 10 s query timeout
        self.assertLess(time.monotonic() - start, 5)
        self.assertEqual(self.numvfs(), b"0")
        # Its socket is no obstacle to the next attacher.
        self.assertEqual(self.attach().finish(signal.SIGTERM)[0], 0)

    def test_signal_right_after_ready_detaches(self):
        # "attached" means ready: SIGINT or SIGTERM from then on detaches
        # and exits 0, never kills.
        for sig in (signal.SIGTERM, signal.SIGINT) * 5:
            rc, _, err = self.attach().finish(sig)
            self.assertEqual(rc, 0, "%s: %s" % (sig, err))

    def test_timeout(self):
        rc, out, err = self.ctl("attach", PF, "--timeout", "0")
        self.assertEqual((rc, out), (0, ""), err)
        self.assertIn("attached to %s" % PF, err)
        self.ctl_fails(2, ["attach", PF, "--timeout", "x"], "--timeout")
        self.ctl_fails(2, ["attach", PF, "--timeout", "-1"], "--timeout")
        self.ctl_fails(2, ["attach", PF, "--timeout", "86401"], "--timeout")
        self.ctl_fails(2, ["attach"], "missing operand")
        self.ctl_fails(2, ["attach", PF, PF_EMPTY], "unexpected operand")
        self.ctl_fails(2, ["attach", "../../etc"], "PCI address")
        self.ctl_fails(1, ["attach", NON_SRIOV, "--timeout", "0"], NON_SRIOV)


class TestMonitor(RuntimeTest):
    def test_no_kernel_events_from_a_fake_tree(self):
        for args in (["monitor"], ["monitor", PF], ["monitor", "--timeout", "0"]):
            rc, out, err = self.ctl(*args)
            self.assertEqual((rc, out), (1, ""), "%s: %s" % (args, err))
            self.assertIn("not sysfs", err)
            self.assertIn("no kernel events", err)

    def test_usage(self):
        self.ctl_fails(2, ["monitor", "--timeout", "x"], "--timeout")
        self.ctl_fails(2, ["monitor", PF, PF_EMPTY], "unexpected operand")
        self.ctl_fails(2, ["monitor", "../../etc"], "PCI address")
        self.ctl_fails(2, ["monitor", "--veto"], "unknown option")


class TestHelp(CliTest):
    COMMANDS = ["list", "show", "enable", "disable", "config-read",
                "config-write", "reset", "power", "bars", "luid", "vf-from-luid",
                "bind", "unbind", "vfio", "mitigations", "mmio-read",
                "mmio-write", "watch-mitigations", "block", "attach",
                "monitor", "completion", "vf-set"]

    def test_every_command_has_help(self):
        for c in self.COMMANDS:
            rc, out, _ = run(self.tree, c, "--help")
            self.assertEqual(rc, 0, c)
            self.assertIn("Usage: sriovctl", out)
            self.assertIn(c, out)
        rc, out, _ = run(self.tree, "--help")
        self.assertEqual(rc, 0)
        for c in self.COMMANDS:
            self.assertIn(c, out)

    def test_usage_errors(self):
        self.assertFails(2, ["frobnicate"], "unknown command")
        self.assertFails(2, ["list", "--bogus"], "unknown option")
        self.assertFails(2, ["list", "extra"], "unexpected operand")
        rc, _, _ = run(self.tree)
        self.assertEqual(rc, 2)


def listed_commands():
    """The commands `sriovctl --help` lists: the reference for completion."""
    rc, out, _ = run(None, "--help", root=False)
    assert rc == 0
    lines = out.split("Commands:\n", 1)[1].split("\n\n", 1)[0].splitlines()
    return [line.split()[0] for line in lines if line.strip()]


def command_options(command):
    """The long options `sriovctl COMMAND --help` documents."""
    rc, out, _ = run(None, command, "--help", root=False)
    assert rc == 0
    section = out.split("Options:\n", 1)[1]
    return sorted({w.split("=")[0].split("[")[0] for line in section.splitlines()
                   for w in line.split() if w.startswith("--")})


class TestCompletion(CliTest):
    """The bash completion `sriovctl completion bash` prints, run in bash."""

    def setUp(self):
        super().setUp()
        if not shutil.which("bash"):
            self.skipTest("no bash")
        rc, out, err = run(None, "completion", "bash", root=False)
        self.assertEqual(rc, 0, err)
        fd, self.script = tempfile.mkstemp(suffix=".bash")
        with os.fdopen(fd, "w") as f:
            f.write(out)
        self.addCleanup(os.unlink, self.script)

    def complete(self, *words):
        """The words bash would complete WORDS (the last one being typed) to.

        bash runs the function with COMP_LINE and COMP_POINT, and COMP_WORDS
        split at its COMP_WORDBREAKS, ':' and '=' included; it then replaces
        only the part of the current word after the last such character
        with each of COMPREPLY. Done the same way here, and the result put
        back together, so a reply that would garble the line shows.
        """
        line = " ".join(("sriovctl",) + words)
        code = ('source "$1"; COMP_LINE=$2; COMP_POINT=${#2}; '
                'COMP_WORDBREAKS=$\' \\t\\n"\\\'><=;|&(:\'; '
                'COMP_WORDS=(); COMP_CWORD=0; _sriovctl; '
                'printf "%s\\n" "${COMPREPLY[@]}"')
        p = subprocess.run(["bash", "-c", code, "bash", self.script, line],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           text=True, timeout=60)
        self.assertEqual(p.stderr, "", p.stderr)
        typed = words[-1]
        cut = max(typed.rfind(":"), typed.rfind("=")) + 1
        return sorted(typed[:cut] + w for w in p.stdout.split("\n") if w)

    def test_every_command(self):
        commands = listed_commands()
        self.assertIn("completion", commands)
        self.assertEqual(self.complete(""), sorted(commands + ["help"]))
        self.assertEqual(self.complete("help", "con"),
                         ["config-read", "config-write"])
        for c in commands:
            want = sorted(set(command_options(c)) | {"--json", "--help"})
            self.assertEqual(self.complete(c, "--"), want, c)
            # Options go after the command's operands too.
            self.assertEqual(self.complete("--json", c, PF, "--"), want, c)

    def test_global_options(self):
        self.assertEqual(self.complete("--"),
                         ["--help", "--json", "--runtime-dir", "--sysfs-root",
                          "--verbose", "--version"])

    def test_runtime_dir(self):
        # The value after --runtime-dir is not taken for the command.
        self.assertIn("--runtime-dir", self.complete("--"))
        self.assertEqual(self.complete("--runtime-dir", "/run/x", "attach", "--"),
                         ["--help", "--json", "--timeout", "--veto"])

    def test_pfs_below_sysfs_root(self):
        got = self.complete("--sysfs-root", self.tree.root, "show", "")
        self.assertEqual(got, sorted([PF, PF_EMPTY, PF_NODRIVER, PF_ARI,
                                      "enp0s4"]))
        self.assertEqual(self.complete("--sysfs-root", self.tree.root,
                                       "show", "0000:81"), [PF_ARI])
        self.assertEqual(self.complete("--sysfs-root", self.tree.root,
                                       "show", "0000:81:00"), [PF_ARI])
        self.assertEqual(self.complete("--sysfs-root=" + self.tree.root,
                                       "show", "0000:00:0"),
                         [PF, PF_EMPTY, PF_NODRIVER])

    def test_vf_indexes_of_the_pf(self):
        root = ["--sysfs-root", self.tree.root]
        self.assertEqual(self.complete(*root, "reset", PF, ""),
                         sorted(str(i) for i in range(8)))
        self.assertEqual(self.complete(*root, "reset", "enp0s4", "7"), ["7"])
        self.assertEqual(self.complete(*root, "reset", PF_EMPTY, ""), [])
        self.assertEqual(self.complete(*root, "reset", PF[5:], ""),
                         sorted(str(i) for i in range(8)))
        self.assertEqual(self.complete(*root, "config-write", "--width=2",
                                       PF, "1", "0x4", "--f"), ["--force"])
        # --width takes a value, which is not an operand.
        self.assertEqual(self.complete(*root, "config-write", "--width", "2",
                                       PF, ""),
                         sorted(str(i) for i in range(8)))

    def test_values(self):
        root = ["--sysfs-root", self.tree.root]
        self.assertEqual(self.complete(*root, "power", PF, "1", "D"),
                         ["D0", "D1", "D2", "D3hot"])
        self.assertEqual(self.complete("config-write", "--width", ""),
                         ["1", "2", "4"])
        self.assertEqual(self.complete("config-write", "--width="),
                         ["--width=1", "--width=2", "--width=4"])
        self.assertEqual(self.complete(*root, "power", "enp0s4", "1", "D3"),
                         ["D3hot"])
        self.assertEqual(self.complete("completion", ""), ["bash"])

    def test_vf_set(self):
        root = ["--sysfs-root", self.tree.root]
        settings = ["mac", "vlan", "qos", "proto", "spoofchk", "trust",
                    "state", "min_tx_rate", "max_tx_rate"]
        self.assertIn("vf-set", self.complete("vf"))
        self.assertEqual(self.complete(*root, "vf-set", ""),
                         sorted([PF, PF_EMPTY, PF_NODRIVER, PF_ARI, "enp0s4"]))
        self.assertEqual(self.complete(*root, "vf-set", PF, ""),
                         sorted(str(i) for i in range(8)))
        self.assertEqual(self.complete("vf-set", PF, "0", ""), sorted(settings))
        self.assertEqual(self.complete("vf-set", PF, "0", "s"),
                         ["spoofchk", "state"])
        for setting, values in (("spoofchk", ["off", "on"]),
                                ("trust", ["off", "on"]),
                                ("state", ["auto", "disable", "enable"]),
                                ("proto", ["802.1Q", "802.1ad"]),
                                ("mac", []), ("vlan", []), ("max_tx_rate", [])):
            self.assertEqual(self.complete("vf-set", PF, "0", setting, ""),
                             values, setting)
        # The pairs repeat; a setting given is not offered again.
        self.assertEqual(self.complete("vf-set", PF, "0", "trust", "on",
                                       "vlan", "5", ""),
                         sorted(set(settings) - {"trust", "vlan"}))
        self.assertEqual(self.complete("vf-set", PF, "0", "trust", "on",
                                       "vlan", "5", "proto", "802.1a"),
                         ["802.1ad"])
        self.assertEqual(self.complete("vf-set", PF, "0", "vlan", "5",
                                       "--json", "state", "d"), ["disable"])

    def test_refusals(self):
        self.assertFails(2, ["completion", "zsh"], "only bash")
        self.assertFails(2, ["--json", "completion", "bash"], "does not apply")


class TestMalformed(unittest.TestCase):
    """Broken files give clean errors (exit 1), never a crash (exit >= 128)."""

    def test_no_crash(self):
        tree = Tree("malformed")
        self.addCleanup(tree.cleanup)
        rc, out, err = run(tree, "--json", "list")
        self.assertIn(rc, (0, 1), err)
        for addr in os.listdir(os.path.join(tree.root, "bus/pci/devices")):
            for args in (["show", addr], ["bars", addr], ["luid", addr],
                         ["config-read", addr, "0", "0"], ["enable", addr, "1"]):
                rc, out, err = run(tree, *args)
                self.assertIn(rc, (0, 1), "%s: rc %d %s" % (args, rc, err))
                if rc == 1:
                    self.assertTrue(err.startswith("sriovctl: "), err)


class TestApply(CliTest):
    """apply: documents checked whole, plans, idempotence (fake trees; the
    real convergence, NIC settings included, is proven in vm-netvf)."""

    def write(self, doc, name="doc.json"):
        path = os.path.join(self.tree.root, name)
        with open(path, "w") as f:
            f.write(doc if isinstance(doc, str) else json.dumps(doc))
        return path

    def refused(self, doc, *needles):
        before = {pf: self.tree.snapshot(pf) for pf in (PF, PF_EMPTY, PF_ARI)}
        err = self.assertFails(2, ["apply", self.write(doc)], *needles)
        for pf, state in before.items():
            self.assertEqual(self.tree.snapshot(pf), state, "%s changed" % pf)
        return err

    def test_show_output_is_a_no_op(self):
        for pf in (PF, PF_EMPTY, PF_ARI):
            _, shown, _ = run(self.tree, "--json", "show", pf)
            out = run_json(self.tree, "apply", self.write(shown))
            self.assertEqual(out, {"dry_run": False, "changed": False,
                                   "changes": []}, pf)
            rc, text, err = run(self.tree, "apply", self.write(shown))
            self.assertEqual(rc, 0, err)
            self.assertIn("no change", text)

    def test_bad_documents_change_nothing(self):
        self.refused("{", "not a JSON document")
        self.refused('"text"', "a PF object or an array")
        self.refused({"address": PF, "bogus": 1}, "bogus: unknown field")
        self.refused({"num_vfs": 1}, "address: missing")
        self.refused({"address": "0000:99:00.0", "num_vfs": 1}, "0000:99:00.0")
        self.refused({"address": "not-an-address!"}, "address")
        self.refused({"address": PF_EMPTY, "num_vfs": 9}, "num_vfs",
                     "above the PF's TotalVFs, 8")
        self.refused({"address": PF_EMPTY, "num_vfs": -1}, "num_vfs")
        self.refused({"address": PF_EMPTY, "num_vfs": "2"}, "must be a whole number")
        self.refused({"address": PF_EMPTY, "autoprobe": 1}, "autoprobe",
                     "true or false")
        self.refused({"address": PF_EMPTY, "num_vfs": 2,
                      "sriov": {"num_vfs": 3}}, "sriov.num_vfs", "disagrees")
        self.refused({"address": PF_EMPTY, "vendor_id": 1}, "vendor_id",
                     "but the device has")
        self.refused({"address": PF_EMPTY, "driver": "igb"}, "driver",
                     "apply does not change it")
        self.refused({"address": PF, "vfs": [{"driver": "vfio-pci"}]},
                     "index: missing")
        self.refused({"address": PF, "vfs": [{"index": 8}]},
                     "VF 8 is declared, but the PF will have 8 VFs")
        self.refused({"address": PF, "vfs": [{"index": 1}, {"index": 1}]},
                     "declared twice")
        self.refused({"address": PF, "vfs": [{"index": 0, "vlan": 4096}]},
                     "vfs[0].vlan", "from 0 to 4095")
        self.refused({"address": PF, "vfs": [{"index": 0, "qos": 3}]},
                     "qos", "without vlan")
        self.refused({"address": PF, "vfs": [{"index": 0, "mac": "01:00:00:00:00:01"}]},
                     "not a unicast MAC")
        self.refused({"address": PF, "vfs": [{"index": 0, "link_state": "up"}]},
                     "not auto, enable or disable")
        self.refused({"address": PF, "vfs": [{"index": 0, "spoofchk": "on"}]},
                     "true or false")
        self.refused({"address": PF, "vfs": [{"index": 0, "driver": "a/b"}]},
                     "not a driver's name")
        # A driver that is not loaded would fail half way: refused first.
        self.refused({"address": PF_EMPTY, "num_vfs": 2,
                      "vfs": [{"index": 1, "driver": "nosuchdrv"}]},
                     "vfs[0].driver", "not loaded")
        self.refused({"address": PF_EMPTY, "sriov": {"num_vf": 3}},
                     "sriov.num_vf: unknown field")
        self.refused({"address": PF, "vfs": [{"index": 0, "vlan": 0,
                      "vlan_protocol": "802.1ad"}]}, "802.1ad needs a VLAN")
        self.refused({"address": PF_ARI, "vfs": [{"index": 0, "trust": True}]},
                     "no network interface")
        self.refused([{"address": PF_EMPTY}, {"netdev": "enp0s4",
                      "address": PF_EMPTY}], "not the network interface")
        self.refused([{"address": PF_EMPTY}, {"address": PF_EMPTY}],
                     "declared again")
        # A good document next to a bad one is refused with it.
        self.refused([{"address": PF_EMPTY, "autoprobe": False},
                      {"address": PF, "bogus": True}], "[1].bogus")

    def test_dry_run_plans_and_changes_nothing(self):
        doc = {"address": PF_EMPTY, "autoprobe": False, "num_vfs": 2,
               "vfs": [{"index": 1, "driver": "nvme"}]}
        before = self.tree.snapshot(PF_EMPTY)
        out = run_json(self.tree, "apply", self.write(doc), "--dry-run")
        self.assertTrue(out["dry_run"])
        self.assertEqual([(c["action"], c["vf"], c["setting"], c["to"])
                          for c in out["changes"]],
                         [("autoprobe", None, "autoprobe", "off"),
                          ("enable", None, "num_vfs", "2"),
                          ("bind", 1, "driver", "nvme")])
        self.assertEqual(self.tree.snapshot(PF_EMPTY), before)

    def test_count_change_disables_first(self):
        doc = {"address": PF, "num_vfs": 4}
        out = run_json(self.tree, "apply", self.write(doc), "--dry-run")
        self.assertEqual([(c["action"], c["from"], c["to"]) for c in out["changes"]],
                         [("disable", "8", "0"), ("enable", "0", "4")])

    def test_converges_then_no_change(self):
        k = subprocess.Popen([FAKEKERNEL, self.tree.root, "--delay-ms", "50"])
        self.addCleanup(lambda: (k.send_signal(signal.SIGTERM), k.wait()))
        time.sleep(0.3)
        path = self.write({"address": PF_EMPTY, "autoprobe": False,
                           "num_vfs": 3})
        out = run_json(self.tree, "apply", path)
        self.assertTrue(out["changed"])
        self.assertEqual(self.tree.read(PF_EMPTY, "sriov_numvfs").strip(), b"3")
        self.assertEqual(self.tree.read(PF_EMPTY, "sriov_drivers_autoprobe").strip(), b"0")
        out = run_json(self.tree, "apply", path)
        self.assertEqual(out["changes"], [])
        rc, text, _ = run(self.tree, "apply", path)
        self.assertEqual((rc, text.strip()), (0, "no change: the host is as declared"))

    def test_directory(self):
        d = os.path.join(self.tree.root, "conf")
        os.mkdir(d)
        self.write({"address": PF_EMPTY, "autoprobe": False}, "conf/b.json")
        self.write({"address": PF, "bogus": 1}, "conf/a.txt")  # not *.json
        out = run_json(self.tree, "apply", d, "--dry-run")
        self.assertEqual([c["setting"] for c in out["changes"]], ["autoprobe"])
        self.assertFails(2, ["apply", os.path.join(self.tree.root, "missing")],
                         "missing")

    def test_pf_only(self):
        # Another PF's object is passed over unchecked, even one naming a
        # PF that does not exist (at boot its driver may not be there yet).
        path = self.write([{"address": "0000:99:00.0", "num_vfs": 1},
                           {"netdev": "nosuchif", "bogus": 1},
                           {"address": PF_EMPTY, "autoprobe": False}])
        out = run_json(self.tree, "apply", "--pf", PF_EMPTY, path, "--dry-run")
        self.assertEqual([(c["pf"], c["setting"]) for c in out["changes"]],
                         [(PF_EMPTY, "autoprobe")])
        out = run_json(self.tree, "apply", "--pf", PF_ARI, path, "--dry-run")
        self.assertEqual(out["changes"], [])
        # Its own object is checked as ever.
        bad = self.write({"address": PF_EMPTY, "num_vfs": 9}, "bad.json")
        self.assertFails(2, ["apply", "--pf", PF_EMPTY, bad], "TotalVFs")
        self.assertFails(2, ["apply", "--pf", "a/b", path], "a/b")
        self.assertFails(1, ["apply", "--pf", "0000:99:00.0", path])

    def test_usage(self):
        self.assertFails(2, ["apply"])
        self.assertFails(2, ["apply", "x.json", "--dry"])
        rc, out, _ = run(self.tree, "apply", "--help")
        self.assertEqual(rc, 0)
        self.assertIn("--dry-run", out)


if __name__ == "__main__":
    unittest.main(verbosity=2)
