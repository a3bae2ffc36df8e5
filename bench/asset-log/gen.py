#!/usr/bin/env python3
"""Generates a register of ASSETS rows and an asset journal of EVENTS events
for the asset-log benchmark, consistent with each other (the register is
the journal's final state, so `asset-log check` finds nothing), with the
hash chain of libofficeadm/chain.h computed here with hashlib, independently
of the C code.

usage: gen.py ASSETS EVENTS REGISTER JOURNAL

Event i concerns asset i % ASSETS; each asset goes through the cycle
transfer (custodian and place), lend, return, repair, repaired, transfer
(department), starting at the first, fourth or sixth step, so every event
is legal and (with 8 events an asset) a third of the assets end lent.  Dates rise from 2020-01-01 to
2026-11-30 in journal order; loans are due 14 days later, and the assets
whose last event is a loan are overdue.  A commit record follows every 100
events, as asset-log writes them.
"""
import datetime
import hashlib
import sys

HEADER = ("seq,time,date,tag,event,actor,department,custodian,location,status,"
          "from_department,from_custodian,from_location,from_status,borrower,"
          "borrower_department,due,method,reason,approver,document,note,chain")
DEPTS = ["办公室", "财务科", "人事科", "信息中心", "后勤服务中心",
         "法规科", "审批一科", "审批二科", "督查室", "档案室"]


def main():
    assets, events, reg_path, jnl_path = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4]
    state = []
    for a in range(assets):
        d = DEPTS[a % len(DEPTS)]
        state.append([d, "职工%d" % (a % 997), "%d室" % (100 + a % 300), "in-use"])
    start = datetime.date(2020, 1, 1)
    span = (datetime.date(2026, 11, 30) - start).days
    chain = hashlib.sha256(HEADER.encode()).hexdigest()
    seq = 0
    batch = 0
    out = open(jnl_path, "w", encoding="utf-8", newline="\n")
    out.write(HEADER + "\n")

    def emit(fields):
        nonlocal chain, seq
        body = ",".join(fields) + ","
        chain = hashlib.sha256((chain + body).encode()).hexdigest()
        out.write(body + chain + "\n")

    for i in range(events):
        a = i % assets
        k = (i // assets + (0, 3, 5)[a % 3]) % 6
        day = start + datetime.timedelta(days=i * span // events)
        date = day.isoformat()
        tag = "A%07d" % a
        before = state[a][:]
        borrower = bdept = due = ""
        if k == 0:
            state[a][1] = "职工%d-%d" % (a % 997, i // assets)
            state[a][2] = "%d室" % (100 + (a + i) % 300)
            ev = "transfer"
        elif k == 1:
            ev = "lend"
            state[a][3] = "lent"
            borrower = "借用人%d" % (i % 101)
            bdept = DEPTS[(a + 3) % len(DEPTS)]
            due = (day + datetime.timedelta(days=14)).isoformat()
        elif k == 2:
            ev = "return"
            state[a][3] = "in-use"
        elif k == 3:
            ev = "repair"
            state[a][3] = "repair"
        elif k == 4:
            ev = "repaired"
            state[a][3] = "in-use"
        else:
            ev = "transfer"
            state[a][0] = DEPTS[(DEPTS.index(state[a][0]) + 1) % len(DEPTS)]
        seq += 1
        emit([str(seq), "2026-11-30 09:00", date, tag, ev, "王秘书"] + state[a] + before +
             [borrower, bdept, due, "", "", "", "", ""])
        batch += 1
        if batch == 100 or i == events - 1:
            seq += 1
            emit([str(seq), "2026-11-30 09:00", "", "", "commit", "asset-log"] + [""] * 15 +
                 [str(batch)])
            batch = 0
    out.close()

    with open(reg_path, "w", encoding="utf-8", newline="\n") as r:
        r.write("tag,name,category,class,value,acquired,life,department,custodian,location,"
                "status,last_audit,note\n")
        for a in range(assets):
            d, c, loc, st = state[a]
            r.write("A%07d,资产%d,计算机设备,fixed,%d.%02d,2019-06-01,6,%s,%s,%s,%s,2026-06-28,\n"
                    % (a, a, 2000 + a % 50000, a % 100, d, c, loc, st))


if __name__ == "__main__":
    main()
