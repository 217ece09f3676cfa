#!/usr/bin/env python3
"""Checks a macOS executable built here, where it cannot be run: that it is a
64-bit Mach-O executable for the expected CPU, which libraries dyld will load
(each must be one every Mac has: /usr/lib/ or /System/Library/), the lowest
macOS it asks for, and that it carries a code signature when it is for arm64 (arm64 Macs refuse to start an unsigned
executable; Intel Macs do not ask for one, and Apple's linker signs only
arm64 by default).

    packaging/macho.py FILE {arm64|x86_64}

Prints what it found; exits 1 naming the first thing that is wrong.
"""

import struct
import sys

MH_MAGIC_64 = 0xFEEDFACF
MH_EXECUTE = 2
CPU = {"x86_64": 0x01000007, "arm64": 0x0100000C}
LC_LOAD_DYLIB, LC_LOAD_WEAK_DYLIB = 0xC, 0x80000018
LC_CODE_SIGNATURE, LC_VERSION_MIN_MACOSX, LC_BUILD_VERSION = 0x1D, 0x24, 0x32


def load_commands(data):
    """(command, body) for each load command of a 64-bit Mach-O image."""
    magic, cpu, _sub, filetype, ncmds, _size, _flags, _res = struct.unpack_from("<8I", data)
    if magic != MH_MAGIC_64:
        raise ValueError(f"not a 64-bit little-endian Mach-O (magic {magic:#x})")
    offset = 32
    commands = []
    for _ in range(ncmds):
        cmd, size = struct.unpack_from("<2I", data, offset)
        commands.append((cmd, data[offset : offset + size]))
        offset += size
    return cpu, filetype, commands


def dylib_name(body):
    (name_offset,) = struct.unpack_from("<I", body, 8)
    return body[name_offset:].split(b"\0", 1)[0].decode()


def version(packed):
    return f"{packed >> 16}.{(packed >> 8) & 0xFF}"


def main(path, arch):
    with open(path, "rb") as f:
        data = f.read()
    cpu, filetype, commands = load_commands(data)
    problems = []
    if cpu != CPU[arch]:
        problems.append(f"CPU type {cpu:#x}, not {arch}")
    if filetype != MH_EXECUTE:
        problems.append(f"file type {filetype}, not an executable")
    dylibs = [dylib_name(b) for c, b in commands if c in (LC_LOAD_DYLIB, LC_LOAD_WEAK_DYLIB)]
    for name in dylibs:
        print(f"loads {name}")
        if not name.startswith(("/usr/lib/", "/System/Library/")):
            problems.append(f"loads {name}, which a Mac does not have")
    for cmd, body in commands:
        if cmd == LC_BUILD_VERSION:
            _c, _s, _platform, minos, sdk = struct.unpack_from("<5I", body)
            print(f"needs macOS {version(minos)} (SDK {version(sdk)})")
        elif cmd == LC_VERSION_MIN_MACOSX:
            _c, _s, minos, sdk = struct.unpack_from("<4I", body)
            print(f"needs macOS {version(minos)} (SDK {version(sdk)})")
    if any(cmd == LC_CODE_SIGNATURE for cmd, _ in commands):
        print("carries a code signature")
    elif arch == "arm64":
        problems.append("no code signature, which arm64 Macs require")
    for problem in problems:
        print(f"{path}: {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[2] not in CPU:
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1], sys.argv[2]))
