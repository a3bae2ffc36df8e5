#!/usr/bin/env python3
"""Turns CBC's solution of lp.py's model into a schedule CSV, so that
check.py can verify it and recompute its objective (the model and the
checker then agree, or the benchmark says so).

usage: sol2csv.py INSTANCE.json SOLUTION.txt > schedule.csv
"""
import json
import sys


def main():
    inst = json.load(open(sys.argv[1]))
    grain, days, periods = inst["grain"], inst["days"], inst["periods"]
    grid = [t for a, b in periods for t in range(a, b, grain)]
    meets = inst["meetings"]
    print("id,title,date,start,end,room,attendees,optional_absent")
    for line in open(sys.argv[2]):
        f = line.split()
        if len(f) < 3 or not f[1].startswith("x") or float(f[2]) < 0.5:
            continue
        mi, d, gi, room = f[1][1:].split("_")
        m = meets[int(mi)]
        s = grid[int(gi)]
        e = s + m["duration"]
        print("%s,%s,%s,%02d:%02d,%02d:%02d,%s,," % (m["id"], m["title"], days[int(d)],
              s // 60, s % 60, e // 60, e % 60, room))


if __name__ == "__main__":
    main()
