#!/usr/bin/env python3
"""The meeting-sched objective as an integer program, for CBC.

usage: lp.py INSTANCE.json MODEL.lp [--exclusive]

x[m,c,r] = 1 when meeting m starts at grid time c in room r (only the
times and rooms its window, office hours, room size, fixed room and its
required attendees' busy times allow); u[m] = 1 when m is left out;
a[m,o] = 1 when optional attendee o misses m because o is required at an
overlapping meeting.  Constraints: each meeting placed once or left out;
per person and half-hour slot at most one meeting they are required at;
per room and slot at most one meeting.  Objective: exactly that of
meeting-sched(1):
  sum U*2^(5-p) u[m] + sum x[m,c,r] (L*(6-p)*k(c) + W*rank(r) + O*busy_optional(m,c))
  + O * sum a[m,o]

With --exclusive, the objective of meeting-sched since issue 14: an
optional attendee is present at one meeting at a time.  Instead of a[m,o],
z[m,o,c] = 1 when o attends m placed at c (o not busy then): the meetings
where o is optional are taken by priority, start, input order, and o
attends each that meets no meeting o is required at and none o already
attends.  Rows: z <= x[m,c,.]; z + (o required, slot) <= 1 per slot of m;
per o and slot at most one z; x[m,c,.] - z - (o's required meetings
meeting it) - (z of o that come first and meet it) <= 0.  Start costs
O per optional attendee, each z gives O back.
"""
import json
import sys


def main():
    inst = json.load(open(sys.argv[1]))
    exclusive = "--exclusive" in sys.argv[3:]
    W = inst["weights"]
    grain, days, periods = inst["grain"], inst["days"], inst["periods"]
    assert inst["buffer"] == 0
    grid = []  # (index within the day, start minute, end of its period)
    for a, b in periods:
        for t in range(a, b, grain):
            grid.append((len(grid), t, b))
    spd = len(grid)
    rooms = inst["rooms"]
    busy = {}
    for b in inst["busy"]:
        di = days.index(b["date"])
        for t in range(b["start"], b["end"], grain):
            busy.setdefault(b["person"], set()).add(di * 1440 + t)
    meets = inst["meetings"]
    obj, cons, bins = [], [], []
    cover = {}   # ("p", person, abs slot) or ("r", room, abs slot) -> [var]
    mcover = {}  # (m, abs slot) -> [(var, c)]
    xs = {}
    starts = {}  # mi -> [(d, gi, abs start, [x vars], set(slots), optional not busy)]
    for mi, m in enumerate(meets):
        p = m["priority"]
        e0, l0 = days.index(m["earliest"]), days.index(m["latest"])
        nsl = m["duration"] // grain
        fit = [r for r in rooms if r["capacity"] >= m["seats"]]
        ranks = {r["name"]: sum(1 for q in fit if q["capacity"] < r["capacity"]) for r in fit}
        if m["room"]:
            fit = [r for r in fit if r["name"] == m["room"]]
        u = "u%d" % mi
        bins.append(u)
        obj.append((W["unplaced"] * 2 ** (5 - p), u))
        once = [u]
        xs[mi] = []
        for d in range(e0, l0 + 1):
            for gi, t, pend in grid:
                if t + m["duration"] > pend:
                    continue
                slots = [d * 1440 + t + j * grain for j in range(nsl)]
                if any(s in busy.get(q, ()) for q in m["required"] for s in slots):
                    continue
                k = (d - e0) * spd + gi
                opt_busy = [o for o in m["optional"] if any(s in busy.get(o, ()) for s in slots)]
                group = []
                if exclusive and fit:
                    opt_free = [o for o in m["optional"] if o not in opt_busy]
                    starts.setdefault(mi, []).append((d, gi, d * 1440 + t, group, set(slots), opt_free))
                for r in fit:
                    v = "x%d_%d_%d_%s" % (mi, d, gi, r["name"])
                    bins.append(v)
                    once.append(v)
                    group.append(v)
                    c = W["late"] * (6 - p) * k + W["room"] * ranks[r["name"]] + W["optional"] * len(opt_busy)
                    if exclusive:
                        c += W["optional"] * (len(m["optional"]) - len(opt_busy))
                    if c:
                        obj.append((c, v))
                    for s in slots:
                        for q in m["required"]:
                            cover.setdefault(("p", q, s), []).append(v)
                        cover.setdefault(("r", r["name"], s), []).append(v)
                        mcover.setdefault((mi, s), []).append((v, set(opt_busy)))
        cons.append(" + ".join(once) + " = 1")
    for key, vs in cover.items():
        if len(vs) > 1:
            cons.append(" + ".join(vs) + " <= 1")
    if exclusive:
        presence(meets, W, starts, cover, cons, bins, obj)
    # Optional attendees who are required elsewhere at the same time.
    for mi, m in enumerate(meets):
        if exclusive:
            break
        for o in m["optional"]:
            others = [oi for oi, om in enumerate(meets) if o in om["required"]]
            if not others:
                continue
            a = "a%d_%s" % (mi, o)
            used = False
            for (mj, s), vs in mcover.items():
                if mj != mi:
                    continue
                mine = [v for v, ob in vs if o not in ob]
                theirs = cover.get(("p", o, s), [])
                if mine and theirs:
                    cons.append("%s - %s - %s >= -1" % (a, " - ".join(mine), " - ".join(theirs)))
                    used = True
            if used:
                bins.append(a)
                obj.append((W["optional"], a))
    with open(sys.argv[2], "w") as f:
        f.write("Minimize\n obj:")
        for i, (c, v) in enumerate(obj):
            f.write(" %s %d %s" % ("-" if c < 0 else "+", abs(c), v) + ("\n" if i % 8 == 7 else ""))
        f.write("\nSubject To\n")
        for i, c in enumerate(cons):
            # Break long rows: LP format allows a new line between terms.
            f.write(" c%d: %s\n" % (i, c.replace(" + ", "\n + ").replace(" - ", "\n - ")))
        f.write("Binary\n")
        for v in bins:
            f.write(" %s\n" % v)
        f.write("End\n")


def presence(meets, W, starts, cover, cons, bins, obj):
    """The z columns and rows of --exclusive (see the top of the file)."""
    zs = {}  # o -> [(z, mi, abs start, slots, x vars)]
    for mi, lst in starts.items():
        for d, gi, at, group, slots, opt_free in lst:
            for o in opt_free:
                z = "z%d_%s_%d_%d" % (mi, o, d, gi)
                bins.append(z)
                obj.append((-W["optional"], z))
                zs.setdefault(o, []).append((z, mi, at, slots, group))
    for o, lst in zs.items():
        for z, mi, at, slots, group in lst:
            cons.append("%s - %s <= 0" % (z, " - ".join(group)))
            req = set()
            for s in sorted(slots):
                theirs = cover.get(("p", o, s), [])
                if theirs:
                    cons.append("%s + %s <= 1" % (z, " + ".join(theirs)))
                    req.update(theirs)
            key = (meets[mi]["priority"], at, mi)
            first = [z2 for z2, mj, at2, slots2, _ in lst
                     if mj != mi and slots & slots2 and (meets[mj]["priority"], at2, mj) < key]
            cons.append("%s - %s%s <= 0" % (" + ".join(group), z,
                        "".join(" - " + v for v in sorted(req) + first)))
        by_slot = {}
        for z, mi, at, slots, group in lst:
            for s in slots:
                by_slot.setdefault(s, []).append((z, mi))
        for s, zl in by_slot.items():
            if len({mi for _, mi in zl}) > 1:
                cons.append(" + ".join(z for z, _ in zl) + " <= 1")


if __name__ == "__main__":
    main()
