#!/usr/bin/env python3
"""Draws the app icon (a white house with a heart-shaped window on dark teal) as RGBA PNGs.
Run once when the icon changes; the PNGs are committed. Pure standard library."""
import struct, zlib, sys, os

TEAL = (14, 94, 99, 255)
WHITE = (255, 255, 255, 255)
CLEAR = (0, 0, 0, 0)

def pixel(x, y):
    # Rounded square background.
    r = 0.18
    cx = min(max(x, r), 1 - r); cy = min(max(y, r), 1 - r)
    if (x - cx) ** 2 + (y - cy) ** 2 > r * r:
        return CLEAR
    # House: roof triangle and body.
    if 0.22 <= y <= 0.46 and abs(x - 0.5) <= (y - 0.22) * 1.25:
        return WHITE
    if 0.46 <= y <= 0.78 and 0.28 <= x <= 0.72:
        # Heart-shaped window.
        hx, hy = (x - 0.5) / 0.1, (0.6 - y) / 0.1
        if (hx * hx + hy * hy - 1) ** 3 - hx * hx * hy ** 3 <= 0:
            return TEAL
        return WHITE
    return TEAL

def png(size):
    rows = []
    for j in range(size):
        row = bytearray([0])
        for i in range(size):
            row.extend(pixel((i + 0.5) / size, (j + 0.5) / size))
        rows.append(bytes(row))
    raw = zlib.compress(b"".join(rows), 9)
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0))
            + chunk(b"IDAT", raw) + chunk(b"IEND", b""))

out = sys.argv[1] if len(sys.argv) > 1 else "src-tauri/icons"
os.makedirs(out, exist_ok=True)
for name, size in [("32x32.png", 32), ("128x128.png", 128), ("icon.png", 512)]:
    with open(os.path.join(out, name), "wb") as f:
        f.write(png(size))
