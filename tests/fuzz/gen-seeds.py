#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Writes the seed corpora in corpus/<target>/.

The seeds are committed; this script documents how they were made and remakes
them (python3 gen-seeds.py, from any directory) when an input layout changes.
Each target's layout is described at the top of its fuzz-<target>.c. The
regress-* seeds are inputs that once found a bug; keep them.
"""
import os
import shutil
import struct

HERE = os.path.dirname(os.path.abspath(__file__))
CORPUS = os.path.join(HERE, 'corpus')


def put(target, name, data):
    if isinstance(data, str):
        data = data.encode('latin-1')
    with open(os.path.join(CORPUS, target, name), 'wb') as f:
        f.write(data)


# ---------------------------------------------------------------- addr

ADDR = {
    'full': '0000:03:00.0',
    'short': '3b:00.1',
    'short-max': '00:1f.7',
    'domain-max': 'ffffffff:ff:1f.7',
    'domain-5-digits': '10000:00:02.0',
    'uppercase': '0000:3B:0A.2',
    'one-digit-fields': '0:0:0.0',
    'bad-device': '0000:00:20.0',
    'bad-function': '0000:00:02.8',
    'bad-newline': '0000:00:02.0\n',
    'bad-no-function': '0000:00:02',
    'bad-domain-9-digits': '000000000:00:00.0',
    'bad-bus-3-digits': '0000:000:00.0',
    'bad-trailing-colon': '0000:00:00.0:',
    'bad-leading-space': ' 0000:00:00.0',
    'bad-two-digit-function': '0000:00:00.00',
    'bad-sign': '+000:00:00.0',
    'bad-ifname': 'eth0',
    'bad-empty': '',
    # Seven bytes as a struct: domain, bus, device, function.
    'struct-valid': struct.pack('<IBBB', 0x10000, 0x3b, 0x1f, 7),
    'struct-bad-device': struct.pack('<IBBB', 0, 0, 0x20, 0),
    'struct-bad-function': struct.pack('<IBBB', 0, 0, 0, 8),
}

# ---------------------------------------------------------------- parse
# Byte 0: base (0: 10, 1: 16); byte 1: index into max_table; byte 2: lines.
B10, B16 = 0, 1
MAX_1, MAX_FFFF, MAX_U32, MAX_U64 = 1, 11, 13, 20

NVME_PF_RESOURCE = (
    '0x00000000fe800000 0x00000000fe803fff 0x0000000000140204\n'
    + '0x0000000000000000 0x0000000000000000 0x0000000000000000\n' * 6
    + '0x00000000fe804000 0x00000000fe823fff 0x0000000000140204\n'
    + '0x0000000000000000 0x0000000000000000 0x0000000000000000\n' * 5)
IXGBE_PF_RESOURCE = (
    '0x00000000fb800000 0x00000000fbbfffff 0x000000000014220c\n'
    '0x0000000000000000 0x0000000000000000 0x0000000000000000\n'
    '0x000000000000e020 0x000000000000e03f 0x0000000000040101\n'
    '0x00000000fbc04000 0x00000000fbc07fff 0x000000000014220c\n'
    '0x0000000000000000 0x0000000000000000 0x0000000000000000\n'
    '0x0000000000000000 0x0000000000000000 0x0000000000000000\n'
    '0x00000000fbc80000 0x00000000fbcfffff 0x0000000000046200\n'
    '0x00000000fbd00000 0x00000000fbdfffff 0x000000000014220c\n'
    '0x0000000000000000 0x0000000000000000 0x0000000000000000\n'
    '0x0000000000000000 0x0000000000000000 0x0000000000000000\n'
    '0x00000000fbe00000 0x00000000fbefffff 0x000000000014220c\n'
    '0x0000000000000000 0x0000000000000000 0x0000000000000000\n'
    '0x0000000000000000 0x0000000000000000 0x0000000000000000\n')
BRIDGE_RESOURCE = (
    '0x0000000000000000 0x0000000000000000 0x0000000000000000\n' * 13
    + '0x000000000000c000 0x000000000000cfff 0x0000000000000101\n'
    + '0x00000000fe600000 0x00000000fe7fffff 0x0000000000000200\n'
    + '0x00000000fc000000 0x00000000fdffffff 0x0000000000102201\n'
    + '0x0000000000000000 0x0000000000000000 0x0000000000000000\n')


def parse_seed(base, max_index, lines, text):
    return bytes([base, max_index, lines]) + text.encode('latin-1')


PARSE = {
    'numvfs': parse_seed(B10, MAX_FFFF, 0, '8\n'),
    'numvfs-zero': parse_seed(B10, MAX_FFFF, 0, '0\n'),
    'numvfs-max': parse_seed(B10, MAX_FFFF, 0, '65535\n'),
    'numvfs-over': parse_seed(B10, MAX_FFFF, 0, '65536\n'),
    'vendor': parse_seed(B16, MAX_FFFF, 0, '0x8086\n'),
    'vf-device': parse_seed(B16, MAX_FFFF, 0, '10ed\n'),
    'autoprobe': parse_seed(B10, MAX_1, 0, '1\n'),
    'iommu-group': parse_seed(B10, MAX_U32, 0, '42'),
    'u64-max': parse_seed(B16, MAX_U64, 0, '0xffffffffffffffff\n'),
    'u64-over': parse_seed(B10, MAX_U64, 0, '18446744073709551616\n'),
    'bad-sign': parse_seed(B10, MAX_FFFF, 0, '-1\n'),
    'bad-two-newlines': parse_seed(B10, MAX_FFFF, 0, '1\n\n'),
    'resource-line': parse_seed(B16, MAX_U64, 1,
                                '0x00000000fe800000 0x00000000fe803fff '
                                '0x0000000000140204\n'),
    'resource-nvme-pf': parse_seed(B10, MAX_U64, 13, NVME_PF_RESOURCE),
    'resource-nvme-pf-6': parse_seed(B10, MAX_U64, 6, NVME_PF_RESOURCE),
    'resource-ixgbe-pf': parse_seed(B10, MAX_U64, 13, IXGBE_PF_RESOURCE),
    'resource-bridge': parse_seed(B10, MAX_U64, 23, BRIDGE_RESOURCE),
    'resource-truncated': parse_seed(B10, MAX_U64, 13,
                                     NVME_PF_RESOURCE[:-1]),
    'resource-end-before-start': parse_seed(B16, MAX_U64, 1,
                                            '0x2000 0x1fff 0x200\n'),
    'resource-overflow': parse_seed(B16, MAX_U64, 1,
                                    '0x1ffffffffffffffff 0x0 0x0\n'),
    'resource-uppercase-x': parse_seed(B16, MAX_U64, 1, '0X1000 0x1fff 0x200\n'),
    'ifname': parse_seed(B10, MAX_FFFF, 0, 'enp59s0f0'),
    'ifname-15': parse_seed(B10, MAX_FFFF, 0, '0123456789abcde'),
    'ifname-16': parse_seed(B10, MAX_FFFF, 0, '0123456789abcdef'),
    'ifname-dotdot': parse_seed(B10, MAX_FFFF, 0, '..'),
    'ifname-slash': parse_seed(B10, MAX_FFFF, 0, 'a/b'),
    'ifname-space': parse_seed(B10, MAX_FFFF, 0, 'eth 0'),
    'ifname-control': parse_seed(B10, MAX_FFFF, 0, 'a\x01b'),
    # sv_parse_uint() let a digit above @max through ("2" with max 1).
    'regress-uint-digit-above-max': parse_seed(B10, MAX_1, 0, '2\n'),
    # sv_parse_resource_line() took a newline inside a field.
    'regress-resource-inner-newline': parse_seed(B16, MAX_U64, 0,
                                                 '0x1\n 0x2 0x3'),
    # sv_ifname_valid() took 0xa0, a space to the kernel's isspace().
    'regress-ifname-latin1-space': parse_seed(B10, MAX_FFFF, 0, 'eth\xa00'),
}

# ---------------------------------------------------------------- capwalk
# Bytes 0-1: extended cap ID; 2: standard cap ID; 3-4: offset to decode.


def ext_header(cap_id, version, nxt):
    return struct.pack('<I', cap_id | version << 16 | nxt << 20)


def sriov_cap(nxt, control=0, initial=8, total=8, num=0, offset=1, stride=1,
              vf_device=0x0010, bars=(0, 0, 0, 0, 0, 0)):
    cap = ext_header(0x10, 1, nxt)
    cap += struct.pack('<IHHHHHBB', 0, control, 0, initial, total, num, 0, 0)
    cap += struct.pack('<HHHH', offset, stride, 0, vf_device)
    cap += struct.pack('<II', 0x553, 1)		# page sizes: 4K..., system 4K
    cap += struct.pack('<6I', *bars)
    cap += struct.pack('<I', 0)			# VF Migration State
    assert len(cap) == 0x40
    return cap


def config(vendor, device, std_caps, ext_caps, size=4096):
    """std_caps: (offset, id, body) in list order; ext_caps: (offset, bytes)."""
    cfg = bytearray(size)
    struct.pack_into('<HHHH', cfg, 0, vendor, device, 0x0406, 0x0010)
    cfg[0x0e] = 0				# type 0 header
    cfg[0x34] = std_caps[0][0] if std_caps else 0
    for i, (off, cap_id, body) in enumerate(std_caps):
        nxt = std_caps[i + 1][0] if i + 1 < len(std_caps) else 0
        cfg[off:off + 2 + len(body)] = bytes([cap_id, nxt]) + body
    for off, data in ext_caps:
        cfg[off:off + len(data)] = data
    return bytes(cfg)


def capwalk_seed(ext_id, std_id, decode_at, image):
    return struct.pack('<HBH', ext_id, std_id, decode_at) + image


STD_NVME = [(0x40, 0x11, bytes(10)), (0x60, 0x01, bytes([0x03, 0x00])),
            (0x80, 0x10, bytes([0x02, 0x00]))]
# QEMU's SR-IOV NVMe PF: ARI, then SR-IOV at 0x120 with a 64-bit VF BAR 0.
NVME_PF = config(0x1b36, 0x0010, STD_NVME, [
    (0x100, ext_header(0x000e, 1, 0x120) + bytes(4)),
    (0x120, sriov_cap(0x160, bars=(0xfe804004, 0, 0, 0, 0, 0))),
    (0x160, ext_header(0x000f, 1, 0) + bytes(4)),
])
NVME_PF_ENABLED = config(0x1b36, 0x0010, STD_NVME, [
    (0x100, ext_header(0x000e, 1, 0x120) + bytes(4)),
    (0x120, sriov_cap(0x160, control=0x19, num=4,
                      bars=(0xfe804004, 0, 0, 0, 0, 0))),
    (0x160, ext_header(0x000f, 1, 0) + bytes(4)),
], size=0x200)
# An 82599-like PF: AER, ARI, SR-IOV at 0x160, two prefetchable 64-bit BARs.
IXGBE_PF = config(0x8086, 0x10fb, STD_NVME, [
    (0x100, ext_header(0x0001, 2, 0x140) + bytes(0x3c)),
    (0x140, ext_header(0x000e, 1, 0x160) + bytes(4)),
    (0x160, sriov_cap(0, initial=64, total=64, offset=0x180, stride=2,
                      vf_device=0x10ed,
                      bars=(0xfbd0000c, 0, 0, 0xfbe0000c, 0, 0))),
], size=0x200)
MIXED_BARS = config(0x1234, 0x5678, [], [
    (0x100, sriov_cap(0, bars=(0xe001, 0xfc000008, 0xffffffff, 0,
                               0xfd000000, 0xf000000c))),
], size=0x140)

CAPWALK = {
    'nvme-pf-4k': capwalk_seed(0x10, 0x10, 0x120, NVME_PF),
    'nvme-pf-enabled': capwalk_seed(0x0f, 0x01, 0x120, NVME_PF_ENABLED),
    'ixgbe-pf': capwalk_seed(0x10, 0x01, 0x160, IXGBE_PF),
    'mixed-vf-bars': capwalk_seed(0x10, 0x11, 0x100, MIXED_BARS),
    'unprivileged-64': capwalk_seed(0x10, 0x10, 0x120, NVME_PF[:64]),
    'conventional-256': capwalk_seed(0x10, 0x01, 0x120, NVME_PF[:256]),
    'sriov-cut-off': capwalk_seed(0x10, 0x10, 0x120, NVME_PF[:0x150]),
    'sriov-header-only': capwalk_seed(0x10, 0x10, 0x120, NVME_PF[:0x124]),
    'longer-than-4k': capwalk_seed(0x10, 0x10, 0x120, NVME_PF + bytes(16)),
    'ext-self-loop': capwalk_seed(0x10, 0x10, 0x100, config(
        0x1234, 0x5678, [], [(0x100, ext_header(0x0001, 1, 0x100))],
        size=0x140)),
    'ext-two-loop': capwalk_seed(0x10, 0x10, 0x140, config(
        0x1234, 0x5678, [], [(0x100, ext_header(0x0001, 1, 0x140)),
                             (0x140, ext_header(0x000e, 1, 0x100))],
        size=0x180)),
    'ext-unaligned-next': capwalk_seed(0x10, 0x10, 0x123, config(
        0x1234, 0x5678, [], [(0x100, ext_header(0x0001, 1, 0x123)),
                             (0x120, sriov_cap(0))], size=0x180)),
    'ext-next-below-0x100': capwalk_seed(0x10, 0x10, 0x100, config(
        0x1234, 0x5678, [], [(0x100, ext_header(0x0001, 1, 0x0fc))],
        size=0x140)),
    'ext-next-last-dword': capwalk_seed(0x10, 0x10, 0xffc, config(
        0x1234, 0x5678, [], [(0x100, ext_header(0x0001, 1, 0xffc)),
                             (0xffc, ext_header(0x0010, 1, 0))])),
    'std-self-loop': capwalk_seed(0x10, 0x05, 0, config(
        0x1234, 0x5678, [(0x40, 0x01, b'')], [], size=0x100)
        [:0x41] + bytes([0x40]) + bytes(0xbe)),
    'std-unaligned-ptr': capwalk_seed(0x10, 0x01, 0, bytes(
        bytearray(config(0x1234, 0x5678, STD_NVME, [], size=0x100))
        [:0x34]) + bytes([0x43]) + NVME_PF[0x35:0x100]),
    'all-ones': capwalk_seed(0x10, 0x10, 0x120, b'\xff' * 0x200),
    'empty': capwalk_seed(0x10, 0x10, 0x120, b''),
}

# ---------------------------------------------------------------- location
# PF domain, bus, devfn; First VF Offset, VF Stride, VF index.


def loc(domain, bus, dev, fn, offset, stride, vf):
    return struct.pack('<IBBHHH', domain, bus, dev << 3 | fn, offset, stride,
                       vf)


LOCATION = {
    'root-pf-last-vf': loc(0, 0, 4, 0, 1, 1, 7),	# 00:05.0
    'ari-pf-last-vf': loc(0, 1, 0, 0, 1, 1, 31),	# 01:04.0
    'ixgbe-next-bus': loc(0, 3, 0, 0, 0x180, 2, 63),
    'domain-high': loc(0x10000, 0x3b, 0, 1, 0x7f, 2, 3),
    'past-bus-255': loc(0, 0xff, 0x1f, 7, 1, 1, 0),
    'offset-zero': loc(0, 0, 4, 0, 0, 1, 0),
    'stride-zero-vf0': loc(0, 0, 4, 0, 1, 0, 0),
    'stride-zero-vf1': loc(0, 0, 4, 0, 1, 0, 1),
    'all-max': loc(0xffffffff, 0xff, 0x1f, 7, 0xffff, 0xffff, 0xffff),
}

# ---------------------------------------------------------------- bars
# Per BAR: type | prefetchable << 2 | size mode << 3, then the size.
UNUSED, MEM32, MEM64, IO = 0, 1, 2, 3


def bar(kind, log2=None, prefetch=False, raw=None, times3=None):
    if raw is not None:
        return bytes([kind | prefetch << 2 | 2 << 3]) + struct.pack('<Q', raw)
    if times3 is not None:
        return bytes([kind | prefetch << 2 | 3 << 3, times3])
    if log2 is None:
        return bytes([kind])
    return bytes([kind | prefetch << 2 | 1 << 3, log2])


NONE = bar(UNUSED)
BARS = {
    'nvme-pf': bar(MEM64, 14) + NONE * 5,
    'ixgbe-vf': bar(MEM64, 14, True) + NONE + NONE + bar(MEM64, 14, True)
    + NONE + NONE,
    'io-and-mem32': bar(IO, 5) + bar(MEM32, 12, True) + bar(MEM32, 31)
    + bar(IO, 0) + bar(MEM32, 2) + NONE,
    'mem64-huge': bar(MEM64, 40, True) + NONE + bar(MEM64, 63) + NONE
    + NONE + bar(MEM64, 33),
    'mem64-hides-next': bar(MEM64, 20) + bar(MEM32, times3=4) + NONE * 4,
    'not-power-of-two': bar(MEM32, times3=12) + NONE * 5,
    'raw-size': bar(MEM32, raw=0x100000) + bar(IO, raw=0x30) + NONE * 4,
}


def main():
    for target, seeds in (('addr', ADDR), ('parse', PARSE),
                          ('capwalk', CAPWALK), ('location', LOCATION),
                          ('bars', BARS)):
        d = os.path.join(CORPUS, target)
        shutil.rmtree(d, ignore_errors=True)
        os.makedirs(d)
        for name, data in seeds.items():
            put(target, name, data)


if __name__ == '__main__':
    main()
