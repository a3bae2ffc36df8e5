#!/usr/bin/env python3
"""Independent checker for meeting-sched on a generated instance.

usage: check.py INSTANCE.json SCHEDULE.csv

Re-reads the schedule CSV that meeting-sched wrote, checks every hard
constraint against the instance (grid, office hours, one working day,
window, room capacity and fixed room, no required attendee and no room
in two places, busy times), and computes the objective of
meeting-sched(1) from scratch.  Prints "violations N objective F" and
exits 1 when there is a violation.  Shares no code with meeting-sched.
"""
import csv
import json
import sys


def main():
    inst = json.load(open(sys.argv[1]))
    rows = list(csv.DictReader(open(sys.argv[2], encoding="utf-8")))
    W = inst["weights"]
    grain, buf = inst["grain"], inst["buffer"]
    days = inst["days"]
    periods = inst["periods"]
    slots_per_day = sum((b - a) // grain for a, b in periods)
    rooms = {r["name"]: r["capacity"] for r in inst["rooms"]}
    meet = {m["id"]: m for m in inst["meetings"]}
    bad = []
    placed = {}
    for r in rows:
        m = meet.get(r["id"])
        if m is None:
            bad.append("unknown id %s" % r["id"])
            continue
        if r["id"] in placed:
            bad.append("%s placed twice" % r["id"])
        h, mi = map(int, r["start"].split(":"))
        s = h * 60 + mi
        h, mi = map(int, r["end"].split(":"))
        e = h * 60 + mi
        if e - s != m["duration"]:
            bad.append("%s: duration %d" % (r["id"], e - s))
        if r["date"] not in days:
            bad.append("%s: %s is not a working day" % (r["id"], r["date"]))
            continue
        per = [p for p in periods if p[0] <= s and e <= p[1] and (s - p[0]) % grain == 0]
        if not per:
            bad.append("%s: %s-%s not in one office period on the grid" % (r["id"], r["start"], r["end"]))
        if not (m["earliest"] <= r["date"] <= m["latest"]):
            bad.append("%s: %s outside its window" % (r["id"], r["date"]))
        if r["room"] not in rooms:
            bad.append("%s: unknown room %s" % (r["id"], r["room"]))
        elif rooms[r["room"]] < m["seats"]:
            bad.append("%s: room %s too small" % (r["id"], r["room"]))
        if m["room"] and r["room"] != m["room"]:
            bad.append("%s: not in its fixed room" % r["id"])
        placed[r["id"]] = (days.index(r["date"]), s, e, r["room"])

    def ov(a, b, gap):
        return a[0] == b[0] and a[1] < b[2] + gap and b[1] < a[2] + gap

    busy = {}
    for b in inst["busy"]:
        busy.setdefault(b["person"], []).append((days.index(b["date"]), b["start"], b["end"]))
    ids = sorted(placed)
    for i, a in enumerate(ids):
        for p in meet[a]["required"]:
            for bb in busy.get(p, []):
                if ov(placed[a], bb, buf):
                    bad.append("%s: %s is busy" % (a, p))
        for b in ids[i + 1:]:
            if placed[a][3] == placed[b][3] and ov(placed[a], placed[b], 0):
                bad.append("%s and %s share room %s" % (a, b, placed[a][3]))
            both = set(meet[a]["required"]) & set(meet[b]["required"])
            if both and ov(placed[a], placed[b], buf):
                bad.append("%s and %s share %s" % (a, b, ",".join(sorted(both))))
    # The objective.  An optional attendee is absent when busy or required
    # at an overlapping meeting; else the meetings where they are optional
    # are taken by priority, start, input order, and they attend each that
    # overlaps none they already attend (nobody is present twice at once).
    order = list(meet)

    def committed(o, mid):
        return (any(ov(placed[mid], bb, buf) for bb in busy.get(o, [])) or
                any(o in meet[x]["required"] and ov(placed[mid], placed[x], buf)
                    for x in placed if x != mid))

    def present(o, mid):
        if committed(o, mid):
            return False
        key = lambda x: (meet[x]["priority"], placed[x][0], placed[x][1], order.index(x))
        attended = []
        for x in sorted((x for x in placed if o in meet[x]["optional"]), key=key):
            if key(x) >= key(mid):
                break
            if committed(o, x) or any(ov(placed[x], placed[y], buf) for y in attended):
                continue
            attended.append(x)
        return not any(ov(placed[mid], placed[y], buf) for y in attended)

    unplaced = optional = late = room = 0
    for mid, m in meet.items():
        p = m["priority"]
        if mid not in placed:
            unplaced += W["unplaced"] * 2 ** (5 - p)
            continue
        d, s, e, rn = placed[mid]
        e0 = days.index(m["earliest"])
        k = (d - e0) * slots_per_day
        for a, b in periods:
            for t in range(a, b, grain):
                k += t < s
        late += W["late"] * (6 - p) * k
        room += W["room"] * sum(1 for c in rooms.values() if c >= m["seats"] and c < rooms[rn])
        for o in m["optional"]:
            optional += W["optional"] * (not present(o, mid))
    total = unplaced + optional + late + room
    for b in bad[:10]:
        print("violation:", b, file=sys.stderr)
    print("violations %d objective %d unplaced %d optional %d late %d room %d placed %d" % (
        len(bad), total, unplaced, optional, late, room, len(placed)))
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
