#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Host-side check of the pcivirt case: every answer the sample stack
(docs/examples/pcivirt-stack.c) got through the Windows tables of
sriovvirt-pcivirt.h against sriovctl's JSON for the same fact, field by
field; each misuse against the status the header documents; the events an
attached stack saw; the guest's view through VFIO; the config blocks.

usage: pcivirt.py ARTIFACTS_DIR
"""

import json
import sys
from pathlib import Path

PFS = ["0000:00:04.0", "0000:02:00.0"]
# The NVMe PF behind a root port: QEMU routes its VF BARs (PF_ROOT's read
# 0), so the VFIO view is checked there too, on a register that answers.
PF_ARI = "0000:01:00.0"
PF_NIC = "0000:02:00.0"
# What a register read through VFIO and one through barpeek may differ in:
# the igb VF's STATUS.LU (link up) comes back some time after the FLR that
# opening the VF's VFIO device does.
VOLATILE_BITS = {PF_NIC: 0x2}
REPORT_VFS = [0, 2]
# The VF the blocks subcommand used, and what it wrote (pcivirt-stack.c).
BLOCK_VF = 1
PF_DATA = [0x70, 0x66, 0x2d, 0x3e, 0x76, 0x66]
VF_DATA = [0x76, 0x66, 0x2d, 0x3e, 0x70, 0x66, 0x21]
IOCTL_DATA = [i * 3 for i in range(20)]
BLOCK_READ_LEN = 16
PF_EVENT_SIZE = 44  # sizeof(struct sriovvirt_pf_event)

# wdm.h values the header defines.
CM_TYPE_PORT, CM_TYPE_MEMORY, CM_TYPE_MEMORY_LARGE = 1, 3, 7
CM_SHARE_DEVICE_EXCLUSIVE = 1
CM_PREFETCHABLE, CM_BAR = 0x0004, 0x0080
CM_LARGE = {0x0200: 8, 0x0400: 16, 0x0800: 32}
CM_PORT_IO = 0x0001
# sriovvirt.h's kernel resource flags.
RES_IO, RES_PREFETCH = 0x100, 0x2000

# What sriovvirt-pcivirt.h documents for each misuse of the sample.
MISUSE = {
    # sriovvirt_query_interface(), sriovvirt_vf_query_interface()
    "unknown_guid": "STATUS_NOT_SUPPORTED",
    "vpci_guid_on_pf": "STATUS_NOT_SUPPORTED",
    "short_size": "STATUS_INVALID_PARAMETER",
    "bad_version": "STATUS_INVALID_PARAMETER",
    "null_table": "STATUS_INVALID_PARAMETER",
    "vf_query_past_numvfs": "STATUS_INVALID_PARAMETER",
    # GetLocation: below TotalVFs
    "get_location_total": "STATUS_INVALID_PARAMETER",
    # EnableVirtualization
    "disable_none": "STATUS_INVALID_DEVICE_STATE",
    "enable_zero": "STATUS_INVALID_PARAMETER",
    "enable_over_total": "STATUS_INVALID_PARAMETER",
    "enable_migration": "STATUS_NOT_SUPPORTED",
    "migration_interrupt_alone": "STATUS_INVALID_PARAMETER",
    "enable_two": "STATUS_SUCCESS",
    "enable_twice": "STATUS_INVALID_DEVICE_STATE",
    "disable_with_numvfs": "STATUS_INVALID_PARAMETER",
    # VfIndex below NumVFs
    "read_config_past_numvfs": "STATUS_INVALID_PARAMETER",
    "reset_past_numvfs": "STATUS_INVALID_PARAMETER",
    "bar_past_numvfs": "STATUS_INVALID_PARAMETER",
    "probed_bars_2_past_numvfs": "STATUS_INVALID_PARAMETER",
    "vf_luid_past_numvfs": "STATUS_INVALID_PARAMETER",
    # GetResourceForBar: a BAR the VF does not implement
    "bar_6": "STATUS_INVALID_PARAMETER",
    "bar_upper_half": "STATUS_INVALID_PARAMETER",
    # The routines that cannot report failure
    "vendor_device_past_numvfs": "0xffff:0xffff",
    "device_location_past_total": "0xffff:0xff:0xff",
    "get_data_past_config": "0",
    "set_data_past_config": "0",
    # Only through VFIO
    "write_config_without_vfio": "STATUS_INVALID_DEVICE_STATE",
    "mitigated_register_without_vfio": "STATUS_INVALID_DEVICE_STATE",
    # SetVfPowerState
    "power_unspecified": "STATUS_INVALID_PARAMETER",
    "power_maximum": "STATUS_INVALID_PARAMETER",
    "power_wake_d0": "STATUS_INVALID_PARAMETER",
    # Blocks: Length 1..128, never written
    "read_block_never_written": "STATUS_NOT_FOUND",
    "read_block_length_0": "STATUS_INVALID_PARAMETER",
    "read_block_length_129": "STATUS_INVALID_PARAMETER",
    "write_block_past_numvfs": "STATUS_INVALID_PARAMETER",
    "luid_vf_of_pf_luid": "STATUS_NOT_FOUND",
    # sriovvirt_device_io_control()'s buffer rules
    "unknown_ioctl": "STATUS_INVALID_DEVICE_REQUEST",
    "short_output": "STATUS_BUFFER_TOO_SMALL",
    "short_input": "STATUS_BUFFER_TOO_SMALL",
    "null_output_with_length": "STATUS_INVALID_PARAMETER",
    "ranges_bar_6": "STATUS_INVALID_PARAMETER",
    "range_count_past_numvfs": "STATUS_INVALID_PARAMETER",
    "invalidate_past_numvfs": "STATUS_INVALID_PARAMETER",
    # ATTACH, DETACH, NOTIFICATION, EVENT_COMPLETE
    "detach_not_attached": "STATUS_INVALID_DEVICE_STATE",
    "notification_not_attached": "STATUS_INVALID_DEVICE_STATE",
    "event_complete_not_attached": "STATUS_INVALID_DEVICE_STATE",
    "attach": "STATUS_SUCCESS",
    "attach_second_handle": "STATUS_SHARING_VIOLATION",
    "attach_child": "STATUS_SHARING_VIOLATION",
    "detach": "STATUS_SUCCESS",
    # The VF side
    "vf_query_interface": "STATUS_SUCCESS",
    "vpci_unknown_ioctl": "STATUS_INVALID_DEVICE_REQUEST",
    "vpci_read_short_output": "STATUS_BUFFER_TOO_SMALL",
    "vpci_read_never_written": "STATUS_NOT_FOUND",
    "vpci_read_block_never_written": "STATUS_NOT_FOUND",
    "disable": "STATUS_SUCCESS",
}

problems = []


def check(cond, what):
    print(("ok: " if cond else "FAIL: ") + what)
    if not cond:
        problems.append(what)
    return cond


def load(art, name):
    return json.loads((art / name).read_text())


def status_ok(obj, what, want="STATUS_SUCCESS"):
    return check(obj.get("status_name") == want,
                 "%s: %s (want %s)" % (what, obj.get("status_name"), want))


def same(got, want, what):
    return check(got == want, "%s: %r%s" % (
        what, got, "" if got == want else " != %r" % (want,)))


def luid_fields(what, got, want):
    status_ok(got, what)
    for k in ("low_part", "high_part", "value"):
        same(got.get(k), want["luid"][k] if k != "value" else want["value"],
             "%s %s" % (what, k))


def check_resources(pf, vf, rep, bars_vf):
    res = {r["index"]: r for r in bars_vf["resources"]}
    for got in rep["GetResourceForBar"]:
        bar = got["bar"]
        what = "%s VF %d GetResourceForBar(%d)" % (pf, vf, bar)
        if bar not in res:
            status_ok(got, what + " of an unimplemented BAR",
                      "STATUS_INVALID_PARAMETER")
            continue
        if not status_ok(got, what):
            continue
        r = res[bar]
        same(got["start"], r["start"], what + " start")
        same(got["length"], r["size"], what + " length")
        same(got["share_disposition"], CM_SHARE_DEVICE_EXCLUSIVE,
             what + " ShareDisposition")
        if r["flags"] & RES_IO:
            same(got["type"], CM_TYPE_PORT, what + " Type")
            same(got["flags"], CM_PORT_IO, what + " Flags")
            continue
        large = r["size"] >= 1 << 32
        same(got["type"], CM_TYPE_MEMORY_LARGE if large else CM_TYPE_MEMORY,
             what + " Type")
        want = CM_BAR | (CM_PREFETCHABLE if r["flags"] & RES_PREFETCH else 0)
        same(got["flags"] & ~sum(CM_LARGE), want, what + " Flags")
        check(bool(got["flags"] & sum(CM_LARGE)) == large,
              what + " a Large flag exactly for 4 GiB or more")


def check_ranges(what, rep, mit):
    """The count and ranges IOCTLs against sriovctl mitigations."""
    count = rep["IOCTL_SRIOV_QUERY_MITIGATED_RANGE_COUNT"]
    status_ok(count, what + " QUERY_MITIGATED_RANGE_COUNT")
    same(count["information"], 24, what + " RANGE_COUNT Information")
    want_count = [sum(1 for r in mit["ranges"] if r["bar"] == b)
                  for b in range(6)]
    same(count.get("range_count"), want_count, what + " RangeCount[6]")
    for got in rep["IOCTL_SRIOV_QUERY_MITIGATED_RANGES"]:
        bar = got["bar"]
        w = "%s QUERY_MITIGATED_RANGES(BAR %d)" % (what, bar)
        status_ok(got, w)
        want = [{k: r[k] for k in ("base_page", "page_count",
                                    "intercept_reads", "intercept_writes")}
                for r in mit["ranges"] if r["bar"] == bar]
        same(got["ranges"], want, w + " ranges")
        same(got["information"], 16 * len(want), w + " Information")


def check_report(art, pf, vf, show):
    rep = load(art, "report-%s-vf%d.json" % (pf, vf))
    bars_pf = load(art, "bars-%s.json" % pf)
    bars_vf = load(art, "bars-%s-vf%d.json" % (pf, vf))
    luid_pf = load(art, "luid-%s.json" % pf)
    luid_vf = load(art, "luid-%s-vf%d.json" % (pf, vf))
    back = load(art, "vf-from-luid-%s-vf%d.json" % (pf, vf))
    mit = load(art, "mitigations-%s-vf%d.json" % (pf, vf))
    config = load(art, "config-%s-vf%d.json" % (pf, vf))
    svf = show["vfs"][vf]
    w = "%s VF %d" % (pf, vf)

    for guid, size, version in (("GUID_PCI_VIRTUALIZATION_INTERFACE", 80, 1),
                                ("GUID_SRIOV_DEVICE_INTERFACE_STANDARD", 144, 2),
                                ("GUID_MITIGABLE_DEVICE_INTERFACE", 40, 1)):
        i = rep["interfaces"][guid]
        status_ok(i, "%s %s" % (pf, guid))
        same((i.get("size"), i.get("version")), (size, version),
             "%s %s Size, Version" % (pf, guid))

    same(rep["GetResources"]["captured_bus_numbers"],
         show["sriov"]["captured_bus_numbers"], pf + " GetResources")
    got = rep["GetVirtualFunctionProbedBars"]
    status_ok(got, pf + " GetVirtualFunctionProbedBars")
    same(got.get("vf_probed"), bars_pf["vf_probed"],
         pf + " GetVirtualFunctionProbedBars = bars vf_probed")
    got = rep["QueryProbedBars"]
    status_ok(got, pf + " QueryProbedBars")
    same(got.get("probed"), bars_pf["probed"], pf + " QueryProbedBars = bars probed")
    got = rep["QueryProbedBars_2"]
    status_ok(got, w + " QueryProbedBars_2")
    same(got.get("probed"), bars_vf["probed"],
         w + " QueryProbedBars_2 = bars PF VF probed")

    got = rep["GetVendorAndDevice"]
    same((got["vendor_id"], got["device_id"]),
         (svf["vendor_id"], svf["device_id"]), w + " GetVendorAndDevice")
    got = rep["GetLocation"]
    status_ok(got, w + " GetLocation")
    same(got.get("address"), svf["address"], w + " GetLocation")
    same(rep["GetDeviceLocation"]["address"], svf["address"],
         w + " GetDeviceLocation")

    got = rep["ReadVfConfig"]
    status_ok(got, w + " ReadVfConfig")
    same(got.get("bytes"), config["bytes"], w + " ReadVfConfig(0, 64)")
    same(got.get("bytes", [0])[:4], [0xff] * 4,
         w + " ReadVfConfig without VFIO: the hardware's ffff IDs")
    got = rep["GetVirtualFunctionData"]
    same(got["returned"], 64, w + " GetVirtualFunctionData returned")
    same(got["bytes"], config["bytes"], w + " GetVirtualFunctionData(0, 64)")

    check_resources(pf, vf, rep, bars_vf)

    luid_fields(w + " QueryLuid", rep["QueryLuid"], luid_pf)
    luid_fields(w + " QueryVfLuid", rep["QueryVfLuid"], luid_vf)
    got = rep["QueryLuidVf"]
    status_ok(got, w + " QueryLuidVf")
    same(got.get("vf_index"), back["index"], w + " QueryLuidVf = vf-from-luid")
    same(got.get("vf_index"), vf, w + " QueryLuidVf is the VF")
    got = rep["IOCTL_SRIOV_PROXY_QUERY_LUID"]
    luid_fields(w + " PROXY_QUERY_LUID", got, luid_pf)
    same(got["information"], 8, w + " PROXY_QUERY_LUID Information")

    check_ranges(w, rep, mit)


def check_misuse(art, pf, show):
    lines = (art / ("misuse-%s.txt" % pf)).read_text().split("\n")
    got = {}
    for line in lines:
        f = line.split()
        if len(f) >= 2:
            got[f[0]] = f[1:]
    for name, want in MISUSE.items():
        if not check(name in got, "%s misuse %s was run" % (pf, name)):
            continue
        same(got[name][0], want, "%s misuse %s (header: %s)" % (pf, name, want))
    extra = sorted(set(got) - set(MISUSE))
    check(not extra, "%s no misuse without a documented status: %s" % (pf, extra))
    if "get_location_total" in got:
        # "TotalVFs" is sriov_totalvfs, the driver's limit (igb: 7 of the
        # capability's 8), as sriovvirt_pf_get_total_vfs() has it.
        same(int(got["get_location_total"][1]),
             show["sriov"]["driver_total_vfs"],
             pf + " GetLocation answers below TotalVFs (sriov_totalvfs) exactly")
    if "short_size" in got:
        same(got["short_size"][1:], ["untouched"],
             pf + " a refused QUERY_INTERFACE writes nothing")
    if "short_output" in got:
        same(got["short_output"][1:], ["information=8"],
             pf + " STATUS_BUFFER_TOO_SMALL: Information is the bytes needed")


def events(lines):
    """The (code, name, fields) of each event line of serve's output."""
    out = []
    for line in lines:
        f = line.split()
        if f and f[0] == "event":
            out.append((int(f[1]), f[2], dict(x.split("=", 1) for x in f[3:])))
    return out


def check_serve(art, pf, veto):
    name = "serve%s-%s.txt" % ("--veto" if veto else "", pf)
    lines = (art / name).read_text().splitlines()
    w = "%s serve%s" % (pf, " --veto" if veto else "")
    ev = events(lines)
    asked = [(c, n, f) for c, n, f in ev if c in (0, 1)]
    same([(c, n) for c, n, _ in asked], [(0, "query_stop_device"), (1, "restart")],
         w + ": query_stop_device then restart")
    for c, n, f in asked:
        same(f.get("operation"), "1", "%s: %s is about the disable" % (w, n))
        same(f.get("information"), str(PF_EVENT_SIZE),
             "%s: %s Information is the whole native event" % (w, n))
    if len(asked) == 2:
        same(asked[1][2].get("status"), "-125" if veto else "0",
             w + ": restart carries the disable's result")
    completes = [l.split() for l in lines if l.startswith("complete ")]
    same(len(completes), len(ev), w + ": every event answered with EVENT_COMPLETE")
    first = next((i for i, l in enumerate(lines) if l.startswith("event 0 ")), None)
    if first is not None and first + 1 < len(lines):
        same(lines[first + 1],
             "complete %s STATUS_SUCCESS" %
             ("STATUS_DEVICE_BUSY" if veto else "STATUS_SUCCESS"),
             w + ": the query's answer")
    same([c[2] for c in completes], ["STATUS_SUCCESS"] * len(completes),
         w + ": EVENT_COMPLETE succeeds, also after events that ask nothing")
    if not veto:
        check(any(c == 0x100 for c, _, _ in ev),
              w + ": the VFs' surprise_removal reached the stack")
    same([l for l in lines if l.startswith(("stopped", "detach"))],
         ["stopped STATUS_CANCELLED", "detach STATUS_SUCCESS"],
         w + ": SIGTERM cancels the pended NOTIFICATION, then DETACH")


def le32(b):
    return b[0] | b[1] << 8 | b[2] << 16 | b[3] << 24


def check_vfio(art, pf, show):
    v = load(art, "vfio-%s.json" % pf)
    mit = load(art, "mitigations-vfio-%s.json" % pf)
    rep = load(art, "report-%s-vf0.json" % pf)
    peek = int((art / ("barpeek-%s.txt" % pf)).read_text().split()[0], 16)
    w = "%s VF 0 through VFIO" % pf
    if not same(v["vfio_open"], 0, w + ": sriovvirt_vf_vfio_open"):
        return
    got = v["ReadVfConfig"]
    status_ok(got, w + " ReadVfConfig")
    vendor, device = show["vfs"][0]["vendor_id"], show["vfs"][0]["device_id"]
    same(got.get("bytes", [])[:4],
         [vendor & 0xff, vendor >> 8, device & 0xff, device >> 8],
         w + ": ReadVfConfig shows the real IDs (the guest's view)")
    for key in ("WriteVfConfig_bar0", "WriteVfConfig_command"):
        status_ok(v[key], "%s %s" % (w, key))
    got = v["ReadVfConfig_bar0"]
    status_ok(got, w + " ReadVfConfig(BAR0) after all ones")
    same(le32(got.get("bytes", [0] * 4)), rep["QueryProbedBars_2"]["probed"][0],
         w + ": BAR0 reads back the size mask = QueryProbedBars_2[0]")
    got = v["ReadWriteMitigatedRegister"]
    status_ok(got, w + " ReadWriteMitigatedRegister(read BAR0+8)")
    mask = ~VOLATILE_BITS.get(pf, 0)
    same(got["value"] & mask, peek & mask,
         w + ": BAR0+8 through the table = barpeek")
    if pf in (PF_ARI, PF_NIC):
        check(got["value"] != 0, w + ": the VF's register answers (%#x)"
              % got["value"])
    check_ranges(w, v, mit)
    same(v["vfio_close"], 0, w + ": sriovvirt_vf_vfio_close")


def check_blocks(art, pf):
    b = load(art, "blocks-%s.json" % pf)
    w = "%s VF %d blocks" % (pf, BLOCK_VF)

    def padded(data):
        return (data + [0] * BLOCK_READ_LEN)[:BLOCK_READ_LEN]

    status_ok(b["WriteVfConfigBlock"], w + " WriteVfConfigBlock")
    got = b["ReadVfConfigBlock"]
    status_ok(got, w + " ReadVfConfigBlock")
    same(got.get("bytes"), padded(PF_DATA),
         w + ": ReadVfConfigBlock: the bytes, then zeros")
    i = b["GUID_VPCI_INTERFACE_STANDARD"]
    status_ok(i, w + " sriovvirt_vf_query_interface")
    same((i.get("size"), i.get("version")), (56, 1), w + " VPCI Size, Version")
    got = b["vpci_ReadVfConfigBlock"]
    status_ok(got, w + " VPCI ReadVfConfigBlock")
    same(got.get("bytes"), padded(PF_DATA), w + ": the VF side reads the PF's block")
    status_ok(b["vpci_WriteVfConfigBlock"], w + " VPCI WriteVfConfigBlock")
    got = b["ReadVfConfigBlock_vf_written"]
    status_ok(got, w + " ReadVfConfigBlock of the VF's block")
    same(got.get("bytes"), padded(VF_DATA), w + ": the PF side reads the VF's block")
    sn = b["SerialNumber"]
    status_ok(sn, w + " QueryVfLuid")
    same(sn["serial_number"], sn["vf_luid_low_part"],
         w + ": SerialNumber is the VF LUID's low part")
    got = b["IOCTL_VPCI_WRITE_BLOCK"]
    status_ok(got, w + " IOCTL_VPCI_WRITE_BLOCK")
    same(got["information"], len(IOCTL_DATA), w + " WRITE_BLOCK Information")
    got = b["IOCTL_VPCI_READ_BLOCK"]
    status_ok(got, w + " IOCTL_VPCI_READ_BLOCK")
    same(got["information"], len(IOCTL_DATA),
         w + " READ_BLOCK Information: the smaller of BytesRequested and the block")
    same(got.get("bytes", [])[:len(IOCTL_DATA)], IOCTL_DATA, w + " READ_BLOCK bytes")
    got = b["ReadVfConfigBlock_ioctl_written"]
    same(got.get("bytes"), padded(IOCTL_DATA), w + ": the PF side reads it too")

    for key, asked, mask in (("IOCTL_SRIOV_INVALIDATE_BLOCK", BLOCK_VF, 0x5),
                             ("IOCTL_SRIOV_INVALIDATE_BLOCK_ALL_VFS", 0xffff, 0x30)):
        got = b[key]
        check(got["child_ok"], "%s %s: the child invalidated" % (w, key))
        status_ok(got, "%s %s" % (w, key))
        same((got["vf_index"], got["block_mask"]), (BLOCK_VF, mask),
             "%s %s(VfIndex %#x): VfIndex and BlockMask" % (w, key, asked))
        same(got["information"], 16, "%s %s Information" % (w, key))
    got = b["IOCTL_VPCI_INVALIDATE_BLOCK"]
    check(got["child_ok"], w + " IOCTL_VPCI_INVALIDATE_BLOCK: the child invalidated")
    status_ok(got, w + " IOCTL_VPCI_INVALIDATE_BLOCK")
    same(got["block_mask"], 0x100, w + " IOCTL_VPCI_INVALIDATE_BLOCK BlockMask")
    # Windows' page: completed with Information 0 (the header is silent).
    same(got["information"], 0, w + " IOCTL_VPCI_INVALIDATE_BLOCK Information")

    for block, data in ((3, PF_DATA), (4, VF_DATA)):
        r = load(art, "block-read-%s-%d.json" % (pf, block))
        same(r["bytes"], data, "%s: sriovctl block read %d" % (w, block))


def main(art):
    art = Path(art)
    for pf in PFS:
        show = load(art, "show-%s.json" % pf)
        for vf in REPORT_VFS:
            check_report(art, pf, vf, show)
        check_misuse(art, pf, show)
        check_serve(art, pf, True)
        check_serve(art, pf, False)
        check_vfio(art, pf, show)
        check_blocks(art, pf)
    check_vfio(art, PF_ARI, load(art, "show-%s.json" % PF_ARI))
    print("check-pcivirt: %d problem(s)" % len(problems))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
