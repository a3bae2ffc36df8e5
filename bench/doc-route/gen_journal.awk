# gen_journal.awk - a valid doc-route journal of DOCS documents with 10
# records each (DOCS=100000 gives 1M records), for the benchmark.
#   awk -v DOCS=100000 -f bench/doc-route/gen_journal.awk >journal.csv
# Documents come in blocks of 100 whose steps interleave, as in an office.
# 80% incoming, 20% outgoing; of the incoming, one in three is still open
# (承办 then three 催办), the rest go through to 归档.  One in fifty is 机密.
# Dates run over 2026 (received day 1..300, deadline 10 days later).
BEGIN {
	split("31 28 31 30 31 30 31 31 30 31 30 31", ml, " ")
	split("签收 登记 初审 拟办 批办 承办 传阅 传阅 办结 归档", inpath, " ")
	split("签收 登记 初审 拟办 批办 承办 催办 催办 催办 催办", openpath, " ")
	split("起草 审核 起草 审核 签发 复核 登记 印制 核发 归档", outpath, " ")
	split("办公室 财务科 人事科 信息中心 后勤服务中心", depts, " ")
	split("通知 请示 报告 函 通报 意见 批复 纪要", types, " ")
	print "seq,time,doc,step,actor,department,note,direction,type,title,issuer,ref,urgency,secrecy,received,deadline,keywords,code,number,lead,co,leader,circulate"
	seq = 0; nin = 0; nout = 0
	for (b = 0; b < DOCS; b += 100) {
		n = (DOCS - b < 100) ? DOCS - b : 100
		for (k = 1; k <= 10; k++)
			for (j = 1; j <= n; j++)
				emit(b + j, k)
	}
}
function date(day,    m) { # day 1.. of 2026 to YYYY-MM-DD
	for (m = 1; day > ml[m]; m++) day -= ml[m]
	return sprintf("2026-%02d-%02d", m, day)
}
function emit(id, k,    out, open, step, rday, t, rest, num) {
	out = (id % 5 == 0)
	open = !out && (id % 3 == 0)
	step = out ? outpath[k] : (open ? openpath[k] : inpath[k])
	rday = 1 + id % 300
	t = date(rday + int(k / 4)) sprintf(" %02d:%02d", 8 + k, id % 60)
	rest = ",,,,,,,,,,,,,,,,"
	num = ""
	if (step == "登记")
		num = out ? sprintf("示行服发〔2026〕%d号", ++nout) : sprintf("收文〔2026〕%d号", ++nin)
	if (k == 1)
		rest = sprintf(",%s,%s,关于第%d项工作的%s,市人民政府,,%s,%s,%s,%s,,%s,,%s,,%s,",
		    out ? "发文" : "收文", types[1 + id % 8], id, types[1 + id % 8],
		    (id % 7 == 0) ? "加急" : "", (id % 50 == 0) ? "机密" : "",
		    date(rday), date(rday + 10), out ? "示行服发" : "", depts[1 + id % 5],
		    (id % 4 == 0) ? "张局长" : "")
	else
		rest = ",,,,,,,,,,,," num ",,,,"
	printf "%d,%s,%d,%s,王秘书,,%s%s\n", ++seq, t, id, step, (step == "催办") ? "电话催办" : "", rest
}
