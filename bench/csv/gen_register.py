#!/usr/bin/env python3
"""Writes a synthetic asset register: N rows, 8 columns, Chinese text, some
fields with quoted commas, quotes and newlines.  Deterministic (seeded).

usage: gen_register.py ROWS > register.csv
"""
import random
import sys

rows = int(sys.argv[1])
rnd = random.Random(20261128)
names = ["台式电脑", "笔记本电脑", "激光打印机", "办公桌", "文件柜", "投影仪", "复印机",
         "空调", "会议桌", "碎纸机", "扫描仪", "服务器", "交换机", "保险柜", "沙发"]
depts = ["办公室", "财务科", "人事科", "信息中心", "后勤服务中心", "法规科", "征管科"]
people = ["王明", "李华", "张伟", "刘洋", "陈静", "杨帆", "赵磊", "黄丽", "周杰", "吴敏"]
places = ["主楼301", "主楼302", "主楼405", "副楼101", "副楼203", "档案室", "机房", "会议室A"]
out = sys.stdout
w = out.write
w("tag,name,department,custodian,location,value,acquired,note\n")
for i in range(rows):
    tag = "ADM-2026-%07d" % i
    name = rnd.choice(names)
    r = rnd.random()
    if r < 0.05:
        name = '"%s, 型号 ""X%d"""' % (name, rnd.randint(1, 99))
    note = ""
    if r > 0.97:
        note = '"第一行\n第二行, 含逗号"'
    elif r > 0.5:
        note = "正常使用"
    w("%s,%s,%s,%s,%s,%d.%02d,2026-%02d-%02d,%s\n" % (
        tag, name, rnd.choice(depts), rnd.choice(people), rnd.choice(places),
        rnd.randint(100, 50000), rnd.randint(0, 99), rnd.randint(1, 12), rnd.randint(1, 28), note))
