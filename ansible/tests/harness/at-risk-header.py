#!/usr/bin/python3
"""Marks keyslot 0 of a LUKS2 image as encrypted with serpent-xts-plain64, the way a volume
formatted with a kernel-only keyslot cipher looks (that needs AF_ALG, which this host lacks):
rewrites the JSON area of both header copies and their SHA-256 checksums. The keyslot's data
stays AES-encrypted, so only the header says "at risk"; nothing can unlock it. Test use only.
Usage: at-risk-header.py IMAGE"""

import hashlib
import json
import struct
import sys

BIN_SIZE = 4096
CSUM_OFFSET = 448  # magic 6, version 2, hdr_size 8, seqid 8, label 48, csum_alg 32, salt 64,
CSUM_SIZE = 64     # uuid 40, subsystem 48, hdr_offset 8, padding 184: then the checksum


def rewrite(img, offset):
    img.seek(offset)
    binary = bytearray(img.read(BIN_SIZE))
    if binary[:6] not in (b'LUKS\xba\xbe', b'SKUL\xba\xbe'):
        raise SystemExit('no LUKS2 header at %d' % offset)
    hdr_size = struct.unpack('>Q', binary[8:16])[0]
    area = img.read(hdr_size - BIN_SIZE)
    meta = json.loads(area.rstrip(b'\0').decode())
    meta['keyslots']['0']['area']['encryption'] = 'serpent-xts-plain64'
    text = json.dumps(meta, separators=(',', ':')).encode()
    area = text + b'\0' * (len(area) - len(text))
    binary[CSUM_OFFSET:CSUM_OFFSET + CSUM_SIZE] = b'\0' * CSUM_SIZE
    digest = hashlib.sha256(bytes(binary) + area).digest()
    binary[CSUM_OFFSET:CSUM_OFFSET + len(digest)] = digest
    img.seek(offset)
    img.write(bytes(binary) + area)
    return hdr_size


def main():
    with open(sys.argv[1], 'r+b') as img:
        hdr_size = rewrite(img, 0)
        rewrite(img, hdr_size)


if __name__ == '__main__':
    main()
