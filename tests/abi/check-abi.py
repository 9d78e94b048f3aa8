#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""ABI checks: the public header, the version script and the built library
must agree, and every public function must be documented. The newest
version node is named after the project version, and a program built now
(PROGRAM, e.g. sriovctl) binds to the default version of every symbol that
has several.

usage: check-abi.py HEADER[,HEADER...] SYMFILE LIBRARY VERSION PROGRAM
"""

import re
import subprocess
import sys

DECL = re.compile(r"^[A-Za-z].*?\b(sriovvirt_[a-z0-9_]+)\(", re.M)
KDOC = re.compile(r"/\*\*\n \* (sriovvirt_[a-z0-9_]+)\(\) - .+?\*/\n", re.S)


def header_functions(text):
    """Function declarations of the header (not typedefs)."""
    body = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    names = set()
    for m in DECL.finditer(body):
        line = body[m.start():body.index("\n", m.start())]
        if not line.startswith("typedef"):
            names.add(m.group(1))
    return names


def documented(text):
    """Functions with a kernel-doc block that has a Return: section, or void."""
    ok, problems = set(), []
    for m in KDOC.finditer(text):
        name, block = m.group(1), m.group(0)
        after = text[m.end():m.end() + 200]
        returns_void = after.startswith("void ")
        if "Return:" not in block and not returns_void:
            problems.append("%s: kernel-doc has no 'Return:' section" % name)
        if "Return:" in block and returns_void:
            problems.append("%s: void function documents a return value" % name)
        if not re.match(r"[^;]*\b%s\(" % name, after, re.S):
            problems.append("%s: kernel-doc is not right above its declaration" % name)
        ok.add(name)
    return ok, problems


def symfile_names(text):
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    return set(re.findall(r"^\s*(sriovvirt_[a-z0-9_]+);", text, re.M))


def symfile_nodes(text):
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    return re.findall(r"^(LIBSRIOVVIRT_[0-9.]+)\s*\{", text, re.M)


def node_for(version):
    """LIBSRIOVVIRT_MAJOR.MINOR; release 0.1's node is LIBSRIOVVIRT_0."""
    major, minor = version.split(".")[:2]
    if (major, minor) == ("0", "1"):
        return "LIBSRIOVVIRT_0"
    return "LIBSRIOVVIRT_%s.%s" % (major, minor)


def versions(binary, defined):
    """{name: set of (version, is_default)} from nm -D."""
    args = ["nm", "-D", "--defined-only" if defined else "--undefined-only",
            binary]
    out = subprocess.run(args, check=True, capture_output=True,
                         text=True).stdout
    found = {}
    for line in out.splitlines():
        sym = line.split()[-1]
        if "@" not in sym or not sym.startswith("sriovvirt_"):
            continue
        name, _, ver = sym.partition("@")
        default = ver.startswith("@")
        found.setdefault(name, set()).add((ver.lstrip("@"), default))
    return found


def check_versions(symfile_text, library, version, program):
    problems = []
    nodes = symfile_nodes(symfile_text)
    if not nodes or nodes[-1] != node_for(version):
        problems.append("the newest node of the version script is %s, but "
                        "version %s needs %s" % (nodes[-1] if nodes else None,
                                                 version, node_for(version)))
    lib = versions(library, True)
    used = versions(program, False)
    for name, vers in sorted(lib.items()):
        defaults = [v for v, d in vers if d]
        if len(vers) > 1 and len(defaults) != 1:
            problems.append("%s has %d versions but %d defaults" %
                            (name, len(vers), len(defaults)))
        if len(vers) > 1 and name in used:
            bound = {v for v, _ in used[name]}
            if bound != set(defaults):
                problems.append("%s: a program built now binds to %s, not "
                                "the default %s" % (name, bound, defaults))
    return problems


def exported(library):
    out = subprocess.run(["nm", "-D", "--defined-only", library], check=True,
                         capture_output=True, text=True).stdout
    names = set()
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[1] in "TtDdBbRrWwVvi":
            names.add(parts[2].split("@")[0])
    return {n for n in names if not n.startswith("LIBSRIOVVIRT_")}


def main():
    headers, symfile, library, version, program = sys.argv[1:6]
    declared, documented_names, problems = set(), set(), []
    for header in headers.split(","):
        text = open(header).read()
        declared |= header_functions(text)
        names, found = documented(text)
        documented_names |= names
        problems += found
    in_sym = symfile_names(open(symfile).read())
    in_lib = exported(library)

    for name in sorted(declared - documented_names):
        problems.append("%s: declared without kernel-doc" % name)
    for name in sorted(declared - in_sym):
        problems.append("%s: declared in the header, missing from %s" % (name, symfile))
    for name in sorted(in_sym - declared):
        problems.append("%s: in %s but not declared in the header" % (name, symfile))
    for name in sorted(in_sym - in_lib):
        problems.append("%s: in %s but not exported by the library" % (name, symfile))
    for name in sorted(in_lib - in_sym):
        problems.append("%s: exported by the library but not in %s" % (name, symfile))
    if not declared:
        problems.append("no declarations found in %s" % headers)
    problems += check_versions(open(symfile).read(), library, version, program)
    for p in problems:
        print("FAIL:", p)
    print("%d functions declared, %d documented, %d in the version script, "
          "%d exported" % (len(declared), len(documented_names), len(in_sym), len(in_lib)))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
