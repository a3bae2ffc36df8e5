#!/usr/bin/env python3
"""Random meeting-sched instances for the quality and scale benchmarks.

usage: gen.py SEED OUTDIR [--meetings N] [--people N] [--days N] [--rooms N] [--tight 1]

Writes OUTDIR/{instance.json, requests.csv, people.csv, rooms.csv, busy.csv,
officeadm.ini}.  The calendar: Monday to Friday from 2026-03-02, office
hours 08:00-12:00 and 13:00-17:00 (16 half-hour slots a day), grain 30
minutes, no buffer.  instance.json is what lp.py and check.py read; the
CSV files are what meeting-sched reads.
"""
import datetime
import json
import os
import random
import sys

START = datetime.date(2026, 3, 2)  # a Monday
PERIODS = [(8 * 60, 12 * 60), (13 * 60, 17 * 60)]
GRAIN = 30


def workdays(n):
    days, d = [], START
    while len(days) < n:
        if d.weekday() < 5:
            days.append(d)
        d += datetime.timedelta(days=1)
    return days


def main():
    args = sys.argv[1:]
    seed, out = int(args[0]), args[1]
    opt = {"--meetings": 30, "--people": 40, "--days": 5, "--rooms": 5, "--tight": 0}
    for i in range(2, len(args), 2):
        opt[args[i]] = int(args[i + 1])
    rng = random.Random(seed)
    nm, npp, nd, nr = opt["--meetings"], opt["--people"], opt["--days"], opt["--rooms"]
    days = workdays(nd)
    people = ["P%02d" % (i + 1) for i in range(npp)]
    caps = [4, 6, 8, 12, 20, 30, 50][:nr]
    rooms = [{"name": "R%d" % (i + 1), "capacity": c} for i, c in enumerate(caps)]
    meetings = []
    for i in range(nm):
        dur = rng.choice([30, 60, 60, 90, 120])
        k = rng.choice([2, 2, 3, 3, 4, 5])
        req = rng.sample(people, k)
        rest = [p for p in people if p not in req]
        opt_att = rng.sample(rest, rng.choice([1, 2, 3] if opt["--tight"] else [0, 0, 1, 2]))
        e = rng.randrange(0, max(1, nd - 1)) if nd > 5 else rng.randrange(0, 3)
        span = rng.randrange(1, 4) if nd <= 5 else rng.randrange(2, 11)
        if opt["--tight"]:
            span = rng.randrange(0, 2)
        l = min(nd - 1, e + span)
        room = rng.choice(rooms)["name"] if rng.random() < 0.1 else ""
        seats = len(req) + len(opt_att)
        if room and next(r for r in rooms if r["name"] == room)["capacity"] < seats:
            room = ""
        meetings.append({
            "id": "M%03d" % (i + 1), "title": "Meeting %d" % (i + 1),
            "duration": dur, "required": req, "optional": opt_att,
            "priority": rng.randrange(1, 6), "earliest": days[e].isoformat(),
            "latest": days[l].isoformat(), "room": room, "seats": seats,
        })
    busy = []
    for p in people:
        nbusy = [0, 1, 2, 3] if nd <= 5 else [5, 10, 15]
        if opt["--tight"]:
            nbusy = [2, 3, 4, 5, 6]
        for _ in range(rng.choice(nbusy)):
            d = rng.choice(days)
            per = rng.choice(PERIODS)
            s = per[0] + GRAIN * rng.randrange(0, (per[1] - per[0]) // GRAIN)
            e = min(per[1], s + GRAIN * rng.randrange(1, 5))
            busy.append({"person": p, "date": d.isoformat(), "start": s, "end": e})
    inst = {"days": [d.isoformat() for d in days], "periods": PERIODS, "grain": GRAIN,
            "buffer": 0, "weights": {"unplaced": 10000, "optional": 100, "late": 1, "room": 1},
            "people": people, "rooms": rooms, "meetings": meetings, "busy": busy}
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "instance.json"), "w") as f:
        json.dump(inst, f)
    hm = lambda m: "%02d:%02d" % (m // 60, m % 60)
    with open(os.path.join(out, "requests.csv"), "w") as f:
        f.write("id,title,duration,required,optional,priority,earliest,latest,room\n")
        for m in meetings:
            f.write("%s,%s,%d,%s,%s,%d,%s,%s,%s\n" % (
                m["id"], m["title"], m["duration"], ";".join(m["required"]),
                ";".join(m["optional"]), m["priority"], m["earliest"], m["latest"], m["room"]))
    with open(os.path.join(out, "people.csv"), "w") as f:
        f.write("name,email\n")
        for p in people:
            f.write("%s,%s@example.org\n" % (p, p.lower()))
    with open(os.path.join(out, "rooms.csv"), "w") as f:
        f.write("name,capacity\n")
        for r in rooms:
            f.write("%s,%d\n" % (r["name"], r["capacity"]))
    with open(os.path.join(out, "busy.csv"), "w") as f:
        f.write("person,start,end\n")
        for b in busy:
            f.write("%s,%s %s,%s %s\n" % (b["person"], b["date"], hm(b["start"]), b["date"], hm(b["end"])))
    with open(os.path.join(out, "officeadm.ini"), "w") as f:
        f.write("[calendar]\nworkdays = mon-fri\nhours = 08:00-12:00, 13:00-17:00\n"
                "timezone = Asia/Shanghai\n[meetings]\ngrain = 30\nbuffer = 0\n")


if __name__ == "__main__":
    main()
