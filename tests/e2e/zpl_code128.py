#!/usr/bin/env python3
"""Checks the Code 128 barcodes of a ZPL file as a Zebra printer would draw
them, independently of officeadm's code: for each label (^XA ... ^XZ) the
^BC field data (mode N, with its invocation codes and ^FH _XX escapes) is
encoded from the Code 128 table of ISO/IEC 15417, its width computed as
^BY module dots times modules, and

  - the symbol with its quiet zones (10 modules each side) must lie within
    ^PW (the label width): printed "fits" or "overflows";
  - the bars are drawn into a PBM image of exactly the label's width (what
    lies beyond ^PW is lost, as on the printer), one pixel per dot, which
    zbarimg must decode back to the expected tag.

usage: zpl_code128.py FILE.zpl OUTDIR   (writes OUTDIR/labelN.pbm and prints
one line per label: "N fits|overflows MODULE-DOTS QUIET-LEFT QUIET-RIGHT")
"""
import re
import sys

# Code 128 symbol patterns, values 0..105 (bar/space widths), and the stop.
PATTERNS = (
    "212222 222122 222221 121223 121322 131222 122213 122312 132212 221213 "
    "221312 231212 112232 122132 122231 113222 123122 123221 223211 221132 "
    "221231 213212 223112 312131 311222 321122 321221 312212 322112 322211 "
    "212123 212321 232121 111323 131123 131321 112313 132113 132311 211313 "
    "231113 231311 112133 112331 132131 113123 113321 133121 313121 211331 "
    "231131 213113 213311 213131 311123 311321 331121 312113 312311 332111 "
    "314111 221411 431111 111224 111422 121124 121421 141122 141221 112214 "
    "112412 122114 122411 142112 142211 241211 221114 413111 241112 134111 "
    "111242 121142 121241 114212 124112 124211 411212 421112 421211 212141 "
    "214121 412121 111143 111341 131141 114113 114311 411113 411311 113141 "
    "114131 311141 411131 211412 211214 211232"
).split()
STOP = "2331112"
START = {"A": 103, "B": 104, "C": 105}
SWITCH = {"A": 101, "B": 100, "C": 99}  # the code that switches TO the subset


def encode(data):
    """Symbol values for ^BC mode N field data with invocation codes."""
    subset, values, i = "B", [], 0
    if data.startswith(">9"):
        subset, i = "A", 2
    elif data.startswith(">:"):
        subset, i = "B", 2
    elif data.startswith(">;"):
        subset, i = "C", 2
    values.append(START[subset])
    while i < len(data):
        if data[i] == ">" and i + 1 < len(data):
            code = data[i + 1]
            i += 2
            if code == "<":
                values.append(ord(">") - 32)
            elif code in "567":
                subset = {"5": "C", "6": "B", "7": "A"}[code]
                values.append(SWITCH[subset])
            else:
                raise ValueError("unsupported invocation code >" + code)
            continue
        if subset == "C":
            values.append(int(data[i:i + 2]))
            i += 2
        elif subset == "B":
            values.append(ord(data[i]) - 32)
            i += 1
        else:
            c = ord(data[i])
            values.append(c - 32 if c >= 32 else c + 64)
            i += 1
    check = values[0]
    for pos, v in enumerate(values[1:], 1):
        check += pos * v
    values.append(check % 103)
    return values


def modules(values):
    widths = "".join(PATTERNS[v] for v in values) + STOP
    return [int(w) for w in widths]


def unescape(fd):
    return re.sub(r"_([0-9A-Fa-f]{2})", lambda m: chr(int(m.group(1), 16)), fd)


def main():
    text = open(sys.argv[1], encoding="utf-8").read()
    outdir = sys.argv[2]
    for n, label in enumerate(re.findall(r"\^XA(.*?)\^XZ", text, re.S), 1):
        pw = int(re.search(r"\^PW(\d+)", label).group(1))
        m = re.search(r"\^FO(\d+),(\d+)\^BY(\d+)[^\^]*\^BCN[^\^]*\^FH_\^FD(.*?)\^FS", label)
        x, dots, fd = int(m.group(1)), int(m.group(3)), unescape(m.group(4))
        widths = modules(encode(fd))
        total = sum(widths)
        left = x - 10 * dots
        right = pw - (x + total * dots + 10 * dots)
        print(n, "fits" if left >= 0 and right >= 0 else "overflows", dots, left, right)
        # Render: white, bars in black, cut at the label's width; 60 rows.
        row = [0] * pw
        pos, bar = x, True
        for w in widths:
            for k in range(w * dots):
                if bar and 0 <= pos + k < pw:
                    row[pos + k] = 1
            pos += w * dots
            bar = not bar
        with open("%s/label%d.pbm" % (outdir, n), "w") as f:
            f.write("P1\n%d 60\n" % pw)
            line = " ".join(str(b) for b in row) + "\n"
            f.write(line * 60)


if __name__ == "__main__":
    main()
