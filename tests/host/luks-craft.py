#!/usr/bin/env python3
"""Rewrites fields of a LUKS1 or LUKS2 header the way an attacker with a hex editor would, and
keeps the header valid: for LUKS2 both binary headers (primary at 0, secondary at hdr_size) get
their SHA-256 checksum recomputed, so libcryptsetup still loads the image.

    luks-craft.py IMAGE FIELD VALUE [FIELD VALUE]...

FIELD: uuid (LUKS1 and LUKS2), label, subsystem (LUKS2), cipher-mode (LUKS1),
json:OLD (LUKS2: replace the text OLD in the JSON area with VALUE).
VALUE takes Python escapes ('q\\nevil', '\\x1b[31m'), so tests stay readable.
"""

import codecs
import hashlib
import struct
import sys

# Offset and size of each field in the binary headers (LUKS1: luks1 on-disk format; LUKS2:
# struct luks2_hdr_disk in libcryptsetup).
LUKS1_FIELDS = {"uuid": (168, 40), "cipher-mode": (40, 32)}
LUKS2_FIELDS = {"uuid": (168, 40), "label": (24, 48), "subsystem": (208, 48)}
LUKS2_CSUM = (448, 64)
LUKS2_BINARY = 4096


def put(buf, offset, size, value):
    if len(value) >= size:
        sys.exit(f"value too long for a {size}-byte field: {value!r}")
    buf[offset:offset + size] = value + b"\0" * (size - len(value))


def luks2_header(img, at, edits):
    img.seek(at)
    head = bytearray(img.read(LUKS2_BINARY))
    hdr_size = struct.unpack(">Q", head[8:16])[0]
    img.seek(at)
    hdr = bytearray(img.read(hdr_size))
    for field, value in edits:
        if field.startswith("json:"):
            old = field[5:].encode()
            area = hdr[LUKS2_BINARY:]
            text = bytes(area).rstrip(b"\0")
            if old not in text:
                sys.exit(f"{old!r} is not in the JSON area at {at}")
            new = text.replace(old, value)
            hdr[LUKS2_BINARY:] = new + b"\0" * (len(area) - len(new))
        elif field in LUKS2_FIELDS:
            put(hdr, *LUKS2_FIELDS[field], value)
        else:
            sys.exit(f"LUKS2 has no field {field}")
    offset, size = LUKS2_CSUM
    hdr[offset:offset + size] = b"\0" * size
    hdr[offset:offset + 32] = hashlib.sha256(hdr).digest()
    img.seek(at)
    img.write(hdr)
    return hdr_size


def main():
    if len(sys.argv) < 4 or len(sys.argv) % 2:
        sys.exit(__doc__)
    edits = [(f, codecs.escape_decode(v.encode())[0])
             for f, v in zip(sys.argv[2::2], sys.argv[3::2])]
    with open(sys.argv[1], "r+b") as img:
        magic = img.read(8)
        if magic[:6] != b"LUKS\xba\xbe":
            sys.exit("no LUKS header")
        version = struct.unpack(">H", magic[6:8])[0]
        if version == 1:
            head = bytearray(magic + img.read(592 - 8))
            for field, value in edits:
                if field not in LUKS1_FIELDS:
                    sys.exit(f"LUKS1 has no field {field}")
                put(head, *LUKS1_FIELDS[field], value)
            img.seek(0)
            img.write(head)
            return
        hdr_size = luks2_header(img, 0, edits)
        luks2_header(img, hdr_size, edits)


if __name__ == "__main__":
    main()
