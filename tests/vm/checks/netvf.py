#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Host-side check of the netvf case: at every snapshot the case took,
`sriovctl --json show` (show-NAME.json) and, after a vf-set, its output
(vfset-NAME.json) agree field by field with what iproute2's
`ip -s -j -d link show` reported just after (ip-NAME.json).

ip's shape of a VF (iproute2 6.1, both kernels; "qos" only when not 0,
"tx_rate" only when a maximum is set, "stats" only with -s):
  {"vf":0,"link_type":"ether","address":"..","broadcast":"..",
   "vlan_list":[{"vlan":100,"qos":5}] or [{}],"tx_rate":100,
   "rate":{"max_tx":100,"min_tx":0},"spoofchk":true,"link_state":"auto",
   "trust":false,"stats":{"rx":{"bytes","packets","multicast","broadcast",
   "dropped"},"tx":{"tx_bytes","tx_packets","dropped"}}}

usage: netvf.py ARTIFACTS_DIR
"""

import json
import sys
from pathlib import Path

problems = []


def check(cond, what):
    print(("ok: " if cond else "FAIL: ") + what)
    if not cond:
        problems.append(what)


def from_ip(vf):
    """ip's VF object in sriovctl's flat fields."""
    vlan = (vf.get("vlan_list") or [{}])[0]
    proto = "802.1Q"
    for key, value in vlan.items():
        if "proto" in key and ("802.1ad" in str(value).lower() or "88a8" in str(value)):
            proto = "802.1ad"
    rate = vf.get("rate", {})
    stats = vf.get("stats")
    return {
        "mac": vf["address"],
        "vlan": vlan.get("vlan", 0),
        "qos": vlan.get("qos", 0),
        "vlan_protocol": proto,
        "spoofchk": vf.get("spoofchk"),
        "trust": vf.get("trust"),
        "link_state": vf.get("link_state"),
        "min_tx_rate": rate.get("min_tx"),
        "max_tx_rate": rate.get("max_tx", vf.get("tx_rate")),
        "stats": None if stats is None else {
            "rx_packets": stats["rx"]["packets"],
            "tx_packets": stats["tx"]["tx_packets"],
            "rx_bytes": stats["rx"]["bytes"],
            "tx_bytes": stats["tx"]["tx_bytes"],
            "broadcast": stats["rx"]["broadcast"],
            "multicast": stats["rx"]["multicast"],
        },
    }


def compare(where, ours, ip):
    for key, want in ip.items():
        got = ours.get(key, "(absent)")
        check(got == want, "%s %s: sriovctl %s, ip %s"
              % (where, key, json.dumps(got), json.dumps(want)))


def main(art):
    art = Path(art)
    snaps = sorted(p.name[3:-5] for p in art.glob("ip-*.json"))
    check(len(snaps) > 10, "%d snapshots" % len(snaps))
    for name in snaps:
        ip = json.loads((art / ("ip-%s.json" % name)).read_text())[0]
        vfs = {vf["vf"]: from_ip(vf) for vf in ip["vfinfo_list"]}
        show = json.loads((art / ("show-%s.json" % name)).read_text())
        check(show.get("netdev") == ip["ifname"],
              "%s: show's netdev %s" % (name, show.get("netdev")))
        check(sorted(v["index"] for v in show["vfs"]) == sorted(vfs),
              "%s: show and ip list the same VFs" % name)
        for vf in show["vfs"]:
            if vf["index"] in vfs:
                compare("%s: show VF %d" % (name, vf["index"]), vf,
                        vfs[vf["index"]])
        path = art / ("vfset-%s.json" % name)
        if path.exists():
            out = json.loads(path.read_text())
            compare("%s: vf-set VF %d" % (name, out["index"]), out,
                    vfs[out["index"]])
    print("check-netvf: %d problem(s)" % len(problems))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
