/*
 * gen.c - test data for the inventory-diff benchmark.
 *
 *     gen N DIR
 *
 * writes DIR/register.csv (N rows, 8 columns, Chinese text; every 16th row
 * has a note with a quoted comma and newline) and DIR/scans.csv (tag,
 * location, scanned_by, scanned_at; shuffled) in which 2% of the register is
 * missing, 1% is found at another location, and 1% of N unregistered tags
 * are added.  Same N, same files: the generator is deterministic.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t rng = 0x2545F4914F6CDD1DULL;

static uint64_t
next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

/* ISO/IEC 7064 MOD 37,36 check character over the letters and digits of s. */
static char
check_char(const char *s)
{
	int p = 36, c;

	for (; *s; s++) {
		int a, t;

		if (*s >= '0' && *s <= '9')
			a = *s - '0';
		else if (*s >= 'A' && *s <= 'Z')
			a = *s - 'A' + 10;
		else
			continue;
		t = (p % 37 + a) % 36;
		if (t == 0)
			t = 36;
		p = 2 * t;
	}
	c = ((1 - p % 37) % 36 + 36) % 36;
	return c < 10 ? (char)('0' + c) : (char)('A' + c - 10);
}

static const char *codes[] = { "BGS", "CWC", "RSC", "XXZX", "HQC", "DWB", "JJJC", "GHC" };
static const char *depts[] = { "办公室", "财务处", "人事处", "信息中心", "后勤处", "党委办公室",
                               "纪检监察室", "规划处" };
static const char *names[] = { "联想台式机 ThinkCentre M920", "惠普激光打印机", "办公桌",
                               "文件柜", "会议桌", "投影仪", "笔记本电脑", "碎纸机", "空调",
                               "保险柜", "交换机", "服务器" };
static const char *cats[] = { "电子设备", "办公家具", "办公设备", "通用设备" };
static const char *people[] = { "张伟", "王芳", "李娜", "刘洋", "陈静", "杨帆", "赵敏",
                                "黄磊", "周杰", "吴霞", "徐明", "孙丽" };

static void
tag(char *out, size_t i)
{
	char base[48];

	snprintf(base, sizeof base, "%s-%08zu-", codes[i % 8], i);
	snprintf(out, 64, "%s%c", base, check_char(base));
}

static void
location(char *out, size_t i)
{
	snprintf(out, 64, "%d号楼%d室", (int)(i / 97 % 6) + 1, (int)(i / 13 % 40) + 101);
}

int
main(int argc, char **argv)
{
	size_t n, i, nsurplus, nscan = 0;
	uint32_t *order;
	uint8_t *kind; /* 0 found, 1 missing, 2 moved */
	char path[4096], t[64], loc[64];
	FILE *reg, *scan;

	if (argc != 3) {
		fprintf(stderr, "usage: gen N DIR\n");
		return 2;
	}
	n = strtoul(argv[1], NULL, 10);
	nsurplus = n / 100;
	snprintf(path, sizeof path, "%s/register.csv", argv[2]);
	reg = fopen(path, "w");
	snprintf(path, sizeof path, "%s/scans.csv", argv[2]);
	scan = fopen(path, "w");
	order = malloc((n + nsurplus) * sizeof *order);
	kind = malloc(n);
	if (!reg || !scan || !order || !kind) {
		perror("gen");
		return 2;
	}
	fputs("资产编号,资产名称,资产类别,原值,使用部门,责任人,存放地点,备注\n", reg);
	for (i = 0; i < n; i++) {
		uint64_t r = next() % 100;

		kind[i] = r < 2 ? 1 : r < 3 ? 2 : 0;
		tag(t, i);
		location(loc, i);
		fprintf(reg, "%s,%s,%s,%zu.%02zu,%s,%s,%s,", t, names[i % 12], cats[i % 4],
		        (size_t)(next() % 20000) + 100, i % 100, depts[i % 8], people[i % 12], loc);
		if (i % 16 == 0)
			fprintf(reg, "\"%zu年购置, 含附件\n见合同\"\n", 2015 + i % 10);
		else
			fprintf(reg, "资产卡片%zu\n", i % 1000);
		if (kind[i] != 1)
			order[nscan++] = (uint32_t)i;
	}
	for (i = 0; i < nsurplus; i++)
		order[nscan++] = (uint32_t)(n + i);
	for (i = nscan; i > 1; i--) {
		size_t j = next() % i;
		uint32_t x = order[i - 1];

		order[i - 1] = order[j];
		order[j] = x;
	}
	fputs("tag,location,scanned_by,scanned_at\n", scan);
	for (i = 0; i < nscan; i++) {
		size_t k = order[i];

		tag(t, k);
		location(loc, k < n && kind[k] == 2 ? k + 13 * 7 : k);
		fprintf(scan, "%s,%s,%s,2026-06-%02zu %02zu:%02zu\n", t, loc, people[k % 12],
		        20 + k % 10, 8 + k % 9, k % 60);
	}
	if (fclose(reg) != 0 || fclose(scan) != 0) {
		perror("gen");
		return 2;
	}
	return 0;
}
