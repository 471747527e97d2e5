#!/usr/bin/env python3
"""Draws Stillpoint's app icons (a calm ring on teal) as PNGs with the standard library only.

Run from the project root: python3 scripts/make-icons.py
"""
import math
import struct
import zlib

TEAL = (47, 93, 98)
CREAM = (246, 244, 239)


def png(path, size, ring_outer, ring_inner, dot, rounded):
    rows = []
    c = (size - 1) / 2
    corner = size * 0.18 if rounded else 0
    for y in range(size):
        row = bytearray([0])
        for x in range(size):
            # Anti-aliasing by 4x4 supersampling.
            cover_bg = cover_fg = 0
            for sy in range(4):
                for sx in range(4):
                    px = x + (sx + 0.5) / 4 - 0.5
                    py = y + (sy + 0.5) / 4 - 0.5
                    inside = True
                    if corner:
                        qx = min(px, size - 1 - px)
                        qy = min(py, size - 1 - py)
                        if qx < corner and qy < corner:
                            inside = math.hypot(corner - qx, corner - qy) <= corner
                    if not inside:
                        continue
                    cover_bg += 1
                    d = math.hypot(px - c, py - c)
                    if ring_inner <= d <= ring_outer or d <= dot:
                        cover_fg += 1
            a = cover_bg / 16
            f = cover_fg / max(cover_bg, 1)
            r, g, b = (round(TEAL[i] * (1 - f) + CREAM[i] * f) for i in range(3))
            row += bytes([r, g, b, round(a * 255)])
        rows.append(bytes(row))
    raw = zlib.compress(b"".join(rows), 9)

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)
    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", raw) + chunk(b"IEND", b""))


for size in (192, 512):
    s = size / 512
    png(f"public/icons/icon-{size}.png", size, 150 * s, 118 * s, 38 * s, rounded=True)
# Maskable: full-bleed background, artwork inside the central 80 % safe zone.
png("public/icons/maskable-512.png", 512, 120, 94, 30, rounded=False)
