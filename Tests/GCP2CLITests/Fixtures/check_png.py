#!/usr/bin/env python3
"""Checks a browser screenshot is not blank, with nothing but the standard library (zlib).

Usage: check_png.py FILE.png '#RRGGBB' [--crop Y0 Y1 OUT.png]
Prints JSON: width, height, distinct colours, the share of non-white pixels, and how many pixels have the
given colour (a chart's bar colour: the charts were drawn). --crop writes rows Y0..Y1 to OUT.png (for looking).
"""
import json
import struct
import sys
import zlib


def decode(path):
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise SystemExit("not a PNG: " + path)
    pos, idat, header = 8, b"", None
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos:pos + 4])
        kind = data[pos + 4:pos + 8]
        body = data[pos + 8:pos + 8 + length]
        pos += 12 + length
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        elif kind == b"IEND":
            break
    width, height, depth, colour, _, _, interlace = header
    if depth != 8 or colour not in (2, 6) or interlace != 0:
        raise SystemExit("unsupported PNG (8-bit RGB or RGBA, not interlaced, expected)")
    bpp = 3 if colour == 2 else 4
    raw = zlib.decompress(idat)
    stride = width * bpp
    rows, prev, i = [], bytearray(stride), 0
    for _ in range(height):
        f = raw[i]
        line = bytearray(raw[i + 1:i + 1 + stride])
        i += 1 + stride
        for x in range(stride):
            a = line[x - bpp] if x >= bpp else 0
            b = prev[x]
            c = prev[x - bpp] if x >= bpp else 0
            if f == 1:
                line[x] = (line[x] + a) & 255
            elif f == 2:
                line[x] = (line[x] + b) & 255
            elif f == 3:
                line[x] = (line[x] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line))
        prev = line
    return width, height, bpp, rows


def write(path, width, bpp, rows):
    raw = b"".join(b"\x00" + r for r in rows)
    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)
    head = struct.pack(">IIBBBBB", width, len(rows), 8, 2 if bpp == 3 else 6, 0, 0, 0)
    open(path, "wb").write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", head) + chunk(b"IDAT", zlib.compress(raw, 6)) + chunk(b"IEND", b""))


def main():
    path, colour = sys.argv[1], sys.argv[2]
    want = bytes(int(colour[k:k + 2], 16) for k in (1, 3, 5))
    width, height, bpp, rows = decode(path)
    if "--crop" in sys.argv:
        k = sys.argv.index("--crop")
        y0, y1, out = int(sys.argv[k + 1]), int(sys.argv[k + 2]), sys.argv[k + 3]
        write(out, width, bpp, rows[y0:y1])
    colours, ink, marked = set(), 0, 0
    for r in rows:
        for x in range(0, len(r), bpp):
            px = r[x:x + 3]
            colours.add(px)
            if px != b"\xff\xff\xff":
                ink += 1
            if px == want:
                marked += 1
    print(json.dumps({"width": width, "height": height, "colours": len(colours),
                      "ink": round(ink / float(width * height), 4), "chartPixels": marked}))


main()
