#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""ABI checks: the public header, the version script and the built library
must agree, and every public function must be documented.

usage: check-abi.py HEADER SYMFILE LIBRARY
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
    header, symfile, library = sys.argv[1:4]
    text = open(header).read()
    declared = header_functions(text)
    documented_names, problems = documented(text)
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
        problems.append("no declarations found in %s" % header)
    for p in problems:
        print("FAIL:", p)
    print("%d functions declared, %d documented, %d in the version script, "
          "%d exported" % (len(declared), len(documented_names), len(in_sym), len(in_lib)))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
