# gen.awk - N newly acquired items for the asset-tag benchmark (awk -v n=N):
# register columns with the tag column present but empty, ten departments,
# five categories, values around the 2000 yuan threshold, dates 2019-2025
# (never after today: asset-tag refuses those).
BEGIN {
	split("办公室 财务科 人事科 信息中心 档案室 后勤科 法规科 宣传科 保卫科 工会", dept, " ")
	split("电子设备 办公设备 家具 车辆 房屋", cat, " ")
	split("台式电脑 笔记本电脑 打印机 办公桌 文件柜 投影仪 空调 交换机 碎纸机 轿车", item, " ")
	split("王芳 李明 张伟 刘洋 陈静 杨帆 赵磊 黄敏 周杰 吴婷", who, " ")
	print "tag,name,category,value,acquired,department,custodian,location,note"
	srand(42)
	for (i = 1; i <= n; i++) {
		k = int(rand() * 10) + 1
		printf ",%s%d,%s,%d.%02d,%d-%02d-%02d,%s,%s,%d室,\n", item[k], i, cat[int(rand() * 5) + 1],
		    int(rand() * 8000), int(rand() * 100), 2019 + int(rand() * 7), int(rand() * 12) + 1,
		    int(rand() * 28) + 1, dept[int(rand() * 10) + 1], who[k], 100 + int(rand() * 400)
	}
}
