/*
 * test_routing.c - routing rules from [doc-route.rules] (routing.h): match
 * modes, negation, order, continue, default, explanations, and bad rules.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "documents.h"
#include "routing.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const char rules_ini[] =
	"[doc-route.rules]\n"
	"密件.secrecy = 绝密, 机密\n"
	"密件.lead = 办公室\n"
	"密件.leader = 局长\n"
	"安全.text = 安全, 消防\n"
	"安全.co = 保卫科\n"
	"安全.circulate = 李副局长\n"
	"安全.continue = yes\n"
	"人事.title = regex:(任免|招聘)[^，]*通知$\n"
	"人事.lead = 人事科\n"
	"财务.title = all:经费, 请示\n"
	"财务.lead = 财务科\n"
	"财务.co = 保卫科, 办公室\n"
	"财务.leader = 王副局长\n"
	"外单位.type = 函\n"
	"外单位.issuer = !any:省, 市\n"
	"外单位.lead = 综合科\n"
	"上级.issuer = exact:市政府办公室\n"
	"上级.urgency = 特急, 加急\n"
	"上级.lead = 办公室\n"
	"上级.circulate = 张局长, 李副局长\n"
	"其他.default = yes\n"
	"其他.lead = 办公室\n"
	"其他.leader = 张局长\n";

static char ini_path[64];

/* Loads TEXT from a temporary file, removed by drop_ini (messages read
 * the file again for line numbers). */
static oa_config *
load_ini(const char *text, oa_error *err)
{
	int fd;

	snprintf(ini_path, sizeof ini_path, "/tmp/test_routing_XXXXXX");
	fd = mkstemp(ini_path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	return oa_config_load(ini_path, err);
}

static void
drop_ini(oa_config *cfg)
{
	oa_config_free(cfg);
	unlink(ini_path);
}

typedef struct want {
	const char *title, *type, *issuer;
	oa_urgency urgency;
	oa_secrecy secrecy;
	const char *lead, *co, *leader, *circulate;
	int applied;
} want;

static void
test_routes(void **state)
{
	static const want cases[] = {
		/* 1: regex on Chinese, first match stops */
		{ "关于干部任免的通知", "通知", "市委组织部", 0, 0, "人事科", "", "", "", 1 },
		/* 2: regex does not match: the title does not end in 通知 */
		{ "关于干部任免的通知的补充说明", "通报", "省厅", 0, 0, "办公室", "", "张局长", "", 1 },
		/* 3: all: needs both words; continue merges co without duplicates */
		{ "关于消防安全经费的请示", "请示", "市应急局", 0, 0, "财务科", "保卫科, 办公室",
		  "王副局长", "李副局长", 2 },
		/* 4: only one of the all-words: falls to the default */
		{ "关于经费的报告", "报告", "市财政局", 0, 0, "办公室", "", "张局长", "", 1 },
		/* 5: negation: a 函 from a university, not a 省/市 body */
		{ "关于商请协助的函", "函", "某大学", 0, 0, "综合科", "", "", "", 1 },
		/* 6: a 函 from 市 is not 外单位: default */
		{ "关于商请协助的函", "函", "市教育局", 0, 0, "办公室", "", "张局长", "", 1 },
		/* 7: exact issuer and urgency list */
		{ "关于做好节前工作的通知", "通知", "市政府办公室", OA_URGENCY_URGENT, 0, "办公室", "",
		  "", "张局长, 李副局长", 1 },
		/* 8: exact means equal, not substring */
		{ "关于做好节前工作的通知", "通知", "市政府办公室秘书科", OA_URGENCY_URGENT, 0,
		  "办公室", "", "张局长", "", 1 },
		/* 9: urgency none does not match 特急, 加急 */
		{ "关于做好节前工作的通知", "通知", "市政府办公室", 0, 0, "办公室", "", "张局长", "", 1 },
		/* 10: classified first */
		{ "关于消防的通报", "通报", "省厅", 0, OA_SECRECY_SECRET, "办公室", "", "局长", "", 1 },
		/* 11: continue only, then default completes lead and leader */
		{ "关于防汛安全的通知", "通知", "市应急局", 0, 0, "办公室", "保卫科", "张局长",
		  "李副局长", 2 },
	};
	oa_error err;
	oa_config *cfg;
	oa_rules *rules;

	oa_error_clear(&err);
	cfg = load_ini(rules_ini, &err);
	assert_non_null(cfg);
	rules = oa_rules_load(cfg, &err);
	if (rules == NULL)
		fail_msg("%s", err.msg);
	assert_int_equal(oa_rules_count(rules), 7);
	for (size_t i = 0; i < N(cases); i++) {
		oa_doc doc;
		int t;

		memset(&doc, 0, sizeof doc);
		doc.title = strdup(cases[i].title);
		doc.issuer = strdup(cases[i].issuer);
		doc.keywords = strdup("");
		assert_int_equal(oa_doc_parse_type(cases[i].type, strlen(cases[i].type), &t), 0);
		doc.type = t;
		doc.urgency = cases[i].urgency;
		doc.secrecy = cases[i].secrecy;
		int applied = oa_rules_route(rules, &doc, false, NULL, &err);
		if (applied != cases[i].applied || strcmp(doc.lead, cases[i].lead) ||
		    strcmp(doc.co, cases[i].co) || strcmp(doc.leader, cases[i].leader) ||
		    strcmp(doc.circulate, cases[i].circulate))
			fail_msg("case %zu: applied %d lead \"%s\" co \"%s\" leader \"%s\" "
			         "circulate \"%s\"", i + 1, applied, doc.lead, doc.co, doc.leader,
			         doc.circulate);
		oa_doc_release(&doc);
	}
	oa_rules_free(rules);
	drop_ini(cfg);
}

static void
test_explain(void **state)
{
	oa_error err;
	oa_config *cfg;
	oa_rules *rules;
	oa_doc doc;
	char *text = NULL;

	oa_error_clear(&err);
	cfg = load_ini(rules_ini, &err);
	assert_non_null(cfg);
	rules = oa_rules_load(cfg, &err);
	assert_non_null(rules);
	memset(&doc, 0, sizeof doc);
	doc.title = strdup("关于消防安全经费的请示");
	doc.issuer = strdup("市应急局");
	doc.keywords = strdup("");
	doc.type = 10; /* 请示 */
	assert_int_equal(oa_rules_route(rules, &doc, false, &text, &err), 2);
	assert_non_null(strstr(text, "rule 密件: secrecy (无) is \"绝密\"|\"机密\"? no => no match\n"));
	assert_non_null(strstr(text, "rule 安全: text contains \"安全\"|\"消防\"? yes (found \"安全\") "
	                             "=> match, continue\n"));
	assert_non_null(strstr(text, "rule 财务: title contains all of \"经费\"|\"请示\"? yes => match\n"));
	assert_non_null(strstr(text, "rule 外单位: not tried\n"));
	assert_non_null(strstr(text, "rule 其他: default, not needed\n"));
	free(text);
	oa_rules_free(rules);
	drop_ini(cfg);

	/* A classified title is never quoted, nor the patterns that match it. */
	cfg = load_ini("[doc-route.rules]\n"
	               "人事.title = regex:任免\n人事.continue = yes\n人事.co = 人事科\n"
	               "精确.title = exact:关于干部任免的通知\n精确.lead = 办公室\n", &err);
	assert_non_null(cfg);
	rules = oa_rules_load(cfg, &err);
	assert_non_null(rules);
	free(doc.title);
	doc.title = strdup("关于干部任免的通知");
	doc.secrecy = OA_SECRECY_TOP_SECRET;
	assert_int_equal(oa_rules_route(rules, &doc, false, &text, &err), 2);
	assert_null(strstr(text, "任免"));
	/* Nor the verdicts on it: "yes" would tell a word of the title. */
	assert_non_null(strstr(text, "rule 人事: title matches (withheld: classified)? (withheld) "
	                             "=> (withheld)\n"));
	assert_non_null(strstr(text, "rule 精确: title is (withheld: classified)? (withheld) "
	                             "=> (withheld)\n"));
	assert_null(strstr(text, "? yes"));
	assert_null(strstr(text, "? no"));
	free(text);
	/* With show_classified the patterns are shown. */
	assert_int_equal(oa_rules_route(rules, &doc, true, &text, &err), 2);
	assert_non_null(strstr(text, "title matches /任免/? yes"));
	free(text);
	/* A rule whose verdict is withheld and stops: the rules after it are
	 * not told as tried or not tried. */
	drop_ini(cfg);
	oa_rules_free(rules);
	cfg = load_ini("[doc-route.rules]\n"
	               "人事.title = 任免\n人事.lead = 人事科\n"
	               "急件.urgency = 特急\n急件.lead = 办公室\n"
	               "其他.default = yes\n其他.lead = 办公室\n", &err);
	assert_non_null(cfg);
	rules = oa_rules_load(cfg, &err);
	assert_non_null(rules);
	assert_int_equal(oa_rules_route(rules, &doc, false, &text, &err), 1);
	assert_non_null(strstr(text, "rule 人事: title contains (withheld: classified)? (withheld) "
	                             "=> (withheld)\n"));
	assert_non_null(strstr(text, "rule 急件: (withheld: classified)\n"));
	assert_non_null(strstr(text, "rule 其他: (withheld: classified)\n"));
	assert_null(strstr(text, "not tried"));
	free(text);
	oa_doc_release(&doc);
	oa_rules_free(rules);
	drop_ini(cfg);
}

static void
test_bad_rules(void **state)
{
	static const struct {
		const char *ini, *msg;
	} cases[] = {
		{ "[doc-route.rules]\na.title = regex:(任免\n", "bad regular expression" },
		{ "[doc-route.rules]\na.colour = red\n", "unknown field \"colour\"" },
		{ "[doc-route.rules]\nnodot = x\n", "RULE.FIELD" },
		{ "[doc-route.rules]\na.continue = maybe\n", "not yes or no" },
		{ "[doc-route.rules]\na.type = 公函\n", "unknown type \"公函\"" },
		{ "[doc-route.rules]\na.urgency = 急\n", "unknown urgency" },
		{ "[doc-route.rules]\na.title = ,\n", "no value" },
	};

	for (size_t i = 0; i < N(cases); i++) {
		oa_error err;
		oa_config *cfg;

		oa_error_clear(&err);
		cfg = load_ini(cases[i].ini, &err);
		assert_non_null(cfg);
		assert_null(oa_rules_load(cfg, &err));
		if (strstr(err.msg, cases[i].msg) == NULL)
			fail_msg("case %zu: \"%s\" lacks \"%s\"", i, err.msg, cases[i].msg);
		assert_int_equal(err.line, 2); /* the key's line, under the section */
		drop_ini(cfg);
	}
}

/* Lists typed with a Chinese keyboard: ， and 、 separate items too. */
static void
test_chinese_commas(void **state)
{
	oa_error err;
	oa_config *cfg;
	oa_rules *rules;
	oa_doc doc;

	oa_error_clear(&err);
	cfg = load_ini("[doc-route.rules]\n"
	               "甲.title = 预算，采购、审计\n甲.co = 财务科，审计科、办公室\n", &err);
	assert_non_null(cfg);
	rules = oa_rules_load(cfg, &err);
	assert_non_null(rules);
	memset(&doc, 0, sizeof doc);
	doc.title = strdup("关于内部审计的通知");
	assert_int_equal(oa_rules_route(rules, &doc, false, NULL, &err), 1);
	assert_string_equal(doc.co, "财务科, 审计科, 办公室");
	oa_doc_release(&doc);
	oa_rules_free(rules);
	drop_ini(cfg);
}

static void
test_no_rules(void **state)
{
	oa_config *cfg = oa_config_empty();
	oa_error err;
	oa_rules *rules;
	oa_doc doc;

	oa_error_clear(&err);
	rules = oa_rules_load(cfg, &err);
	assert_non_null(rules);
	assert_int_equal(oa_rules_count(rules), 0);
	memset(&doc, 0, sizeof doc);
	doc.title = strdup("x");
	assert_int_equal(oa_rules_route(rules, &doc, false, NULL, &err), 0);
	assert_string_equal(doc.lead, "");
	oa_doc_release(&doc);
	oa_rules_free(rules);
	oa_config_free(cfg);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_routes),
		cmocka_unit_test(test_explain),
		cmocka_unit_test(test_bad_rules),
		cmocka_unit_test(test_chinese_commas),
		cmocka_unit_test(test_no_rules),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
