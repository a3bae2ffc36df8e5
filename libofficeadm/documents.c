/*
 * documents.c - document elements, step names and the transition table,
 * deadlines, and reading the documents CSV.  See documents.h.
 *
 * The transition table is written as one list of (from, to) pairs per
 * direction; oa_step_legal looks a pair up.  Everything else here is
 * parsing of the elements a person types into a spreadsheet.
 */
#include "documents.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "utf8.h"

const char *const oa_doc_types[OA_DOC_NTYPES] = {
	"决议", "决定", "命令", "公报", "公告", "通告", "意见", "通知",
	"通报", "报告", "请示", "批复", "议案", "函", "纪要",
};

static const char *const type_english[OA_DOC_NTYPES] = {
	"resolution", "decision", "order", "communique", "announcement", "circular",
	"opinion", "notice", "bulletin", "report", "request", "reply", "motion",
	"letter", "minutes",
};

static const struct {
	const char *zh, *en;
} step_names[OA_STEP_COUNT] = {
	[OA_STEP_NONE] = { "", "" },
	[OA_STEP_RECEIVED] = { "签收", "received" },
	[OA_STEP_REGISTERED] = { "登记", "registered" },
	[OA_STEP_SCREENED] = { "初审", "screened" },
	[OA_STEP_RETURNED] = { "退回", "returned" },
	[OA_STEP_PROPOSED] = { "拟办", "proposed" },
	[OA_STEP_INSTRUCTED] = { "批办", "instructed" },
	[OA_STEP_HANDLED] = { "承办", "handled" },
	[OA_STEP_CIRCULATED] = { "传阅", "circulated" },
	[OA_STEP_COMPLETED] = { "办结", "completed" },
	[OA_STEP_ARCHIVED] = { "归档", "archived" },
	[OA_STEP_DRAFTED] = { "起草", "drafted" },
	[OA_STEP_REVIEWED] = { "审核", "reviewed" },
	[OA_STEP_SIGNED] = { "签发", "signed" },
	[OA_STEP_CHECKED] = { "复核", "checked" },
	[OA_STEP_PRINTED] = { "印制", "printed" },
	[OA_STEP_ISSUED] = { "核发", "issued" },
	[OA_STEP_REASSIGNED] = { "改办", "reassigned" },
	[OA_STEP_REPLIED] = { "答复", "replied" },
	[OA_STEP_URGED] = { "催办", "urged" },
	[OA_STEP_EXTENDED] = { "延期", "extended" },
	[OA_STEP_RECOMPUTED] = { "重算", "recomputed" },
};

/* Legal (from, to) pairs; the events are handled apart.  Kept in step with
 * the table in doc-route(1). */
typedef struct { oa_doc_step from, to; } transition;

static const transition in_transitions[] = {
	{ OA_STEP_NONE, OA_STEP_RECEIVED },
	{ OA_STEP_RECEIVED, OA_STEP_REGISTERED },
	{ OA_STEP_RECEIVED, OA_STEP_RETURNED },    /* refused at 签收 */
	{ OA_STEP_REGISTERED, OA_STEP_SCREENED },
	{ OA_STEP_REGISTERED, OA_STEP_RETURNED },
	{ OA_STEP_REGISTERED, OA_STEP_PROPOSED },  /* 初审 not recorded apart */
	{ OA_STEP_REGISTERED, OA_STEP_HANDLED },   /* sent straight to its department */
	{ OA_STEP_REGISTERED, OA_STEP_CIRCULATED }, /* 阅知性: read only */
	{ OA_STEP_SCREENED, OA_STEP_RETURNED },
	{ OA_STEP_SCREENED, OA_STEP_PROPOSED },
	{ OA_STEP_SCREENED, OA_STEP_HANDLED },
	{ OA_STEP_SCREENED, OA_STEP_CIRCULATED },
	{ OA_STEP_PROPOSED, OA_STEP_INSTRUCTED },
	{ OA_STEP_PROPOSED, OA_STEP_HANDLED },     /* 拟办 enough: no leader needed */
	{ OA_STEP_PROPOSED, OA_STEP_CIRCULATED },
	{ OA_STEP_PROPOSED, OA_STEP_REASSIGNED },
	{ OA_STEP_INSTRUCTED, OA_STEP_INSTRUCTED }, /* a second leader's 批示 */
	{ OA_STEP_INSTRUCTED, OA_STEP_HANDLED },
	{ OA_STEP_INSTRUCTED, OA_STEP_CIRCULATED },
	{ OA_STEP_INSTRUCTED, OA_STEP_REASSIGNED },
	{ OA_STEP_REASSIGNED, OA_STEP_INSTRUCTED },
	{ OA_STEP_REASSIGNED, OA_STEP_HANDLED },
	{ OA_STEP_HANDLED, OA_STEP_HANDLED },      /* another department's part */
	{ OA_STEP_HANDLED, OA_STEP_CIRCULATED },
	{ OA_STEP_HANDLED, OA_STEP_REASSIGNED },
	{ OA_STEP_HANDLED, OA_STEP_REPLIED },
	{ OA_STEP_HANDLED, OA_STEP_COMPLETED },
	{ OA_STEP_CIRCULATED, OA_STEP_CIRCULATED },
	{ OA_STEP_CIRCULATED, OA_STEP_HANDLED },
	{ OA_STEP_CIRCULATED, OA_STEP_REPLIED },
	{ OA_STEP_CIRCULATED, OA_STEP_COMPLETED },
	{ OA_STEP_REPLIED, OA_STEP_COMPLETED },
	{ OA_STEP_COMPLETED, OA_STEP_ARCHIVED },
};

static const transition out_transitions[] = {
	{ OA_STEP_NONE, OA_STEP_DRAFTED },
	{ OA_STEP_DRAFTED, OA_STEP_REVIEWED },
	{ OA_STEP_REVIEWED, OA_STEP_REVIEWED },    /* a second 审核 (法制, 会签) */
	{ OA_STEP_REVIEWED, OA_STEP_DRAFTED },
	{ OA_STEP_REVIEWED, OA_STEP_RETURNED },
	{ OA_STEP_REVIEWED, OA_STEP_SIGNED },
	{ OA_STEP_SIGNED, OA_STEP_CHECKED },
	{ OA_STEP_SIGNED, OA_STEP_DRAFTED },       /* the signer sends it back */
	{ OA_STEP_SIGNED, OA_STEP_RETURNED },
	{ OA_STEP_CHECKED, OA_STEP_SIGNED },
	{ OA_STEP_CHECKED, OA_STEP_DRAFTED },
	{ OA_STEP_CHECKED, OA_STEP_RETURNED },
	{ OA_STEP_CHECKED, OA_STEP_REGISTERED },
	{ OA_STEP_RETURNED, OA_STEP_DRAFTED },     /* 退回修改: drafted again */
	{ OA_STEP_REGISTERED, OA_STEP_PRINTED },
	{ OA_STEP_PRINTED, OA_STEP_ISSUED },
	{ OA_STEP_ISSUED, OA_STEP_ARCHIVED },
};

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

const char *
oa_step_name(oa_doc_step step)
{
	return step < OA_STEP_COUNT ? step_names[step].zh : "";
}

const char *
oa_step_english(oa_doc_step step)
{
	return step < OA_STEP_COUNT ? step_names[step].en : "";
}

/* Trims ASCII white space and U+3000 from both ends of s[0..*len). */
static const char *
trim(const char *s, size_t *len)
{
	size_t n = *len;

	for (;;) {
		if (n > 0 && (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')) {
			s++;
			n--;
		} else if (n >= 3 && memcmp(s, "\xe3\x80\x80", 3) == 0) {
			s += 3;
			n -= 3;
		} else {
			break;
		}
	}
	for (;;) {
		if (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' ||
		              s[n - 1] == '\n'))
			n--;
		else if (n >= 3 && memcmp(s + n - 3, "\xe3\x80\x80", 3) == 0)
			n -= 3;
		else
			break;
	}
	*len = n;
	return s;
}

static bool
eq(const char *s, size_t len, const char *word)
{
	return strlen(word) == len && memcmp(s, word, len) == 0;
}

/* Case-insensitive for ASCII letters. */
static bool
eq_ascii_case(const char *s, size_t len, const char *word)
{
	return strlen(word) == len && strncasecmp(s, word, len) == 0;
}

static bool
starts(const char *s, size_t len, const char *prefix)
{
	size_t n = strlen(prefix);

	return len >= n && memcmp(s, prefix, n) == 0;
}

oa_doc_step
oa_step_parse(const char *s, size_t len)
{
	s = trim(s, &len);
	for (int i = 1; i < OA_STEP_COUNT; i++)
		if (eq(s, len, step_names[i].zh) || eq_ascii_case(s, len, step_names[i].en))
			return (oa_doc_step)i;
	return OA_STEP_NONE;
}

bool
oa_step_done(oa_doc_direction dir, oa_doc_step cur)
{
	if (cur == OA_STEP_ARCHIVED)
		return true;
	if (dir == OA_DOC_IN)
		return cur == OA_STEP_COMPLETED || cur == OA_STEP_RETURNED;
	return cur == OA_STEP_ISSUED;
}

/* legal[dir][from] has bit `to` set for each legal pair: built once. */
static unsigned legal[2][OA_STEP_COUNT];
static bool legal_built;

static void
build_legal(void)
{
	for (size_t i = 0; i < NELEM(in_transitions); i++)
		legal[OA_DOC_IN][in_transitions[i].from] |= 1u << in_transitions[i].to;
	for (size_t i = 0; i < NELEM(out_transitions); i++)
		legal[OA_DOC_OUT][out_transitions[i].from] |= 1u << out_transitions[i].to;
	legal_built = true;
}

bool
oa_step_is_event(oa_doc_step step)
{
	return step == OA_STEP_URGED || step == OA_STEP_EXTENDED || step == OA_STEP_RECOMPUTED;
}

bool
oa_step_sets_lead(const oa_doc *doc, oa_doc_step step, const char *department, size_t len)
{
	char **items;
	size_t n;
	bool co = false;

	if (len == 0)
		return false;
	if (step == OA_STEP_INSTRUCTED || step == OA_STEP_REASSIGNED)
		return true;
	if (step != OA_STEP_HANDLED)
		return false;
	/* 承办 by a 协办 department is its part of the work, not a new lead. */
	n = oa_config_split_list(doc->co ? doc->co : "", &items);
	for (size_t i = 0; i < n; i++)
		if (strlen(items[i]) == len && memcmp(items[i], department, len) == 0)
			co = true;
	free(items);
	return !co;
}

bool
oa_step_legal(oa_doc_direction dir, oa_doc_step cur, oa_doc_step step)
{
	if (oa_step_is_event(step))
		return cur != OA_STEP_NONE && !oa_step_done(dir, cur);
	if (!legal_built)
		build_legal();
	return (unsigned)cur < OA_STEP_COUNT && (unsigned)step < OA_STEP_COUNT &&
	       (legal[dir != OA_DOC_IN][cur] >> step & 1u);
}

void
oa_step_legal_list(oa_doc_direction dir, oa_doc_step cur, char *buf, size_t cap)
{
	size_t used = 0;

	if (cap == 0)
		return;
	buf[0] = '\0';
	for (int s = 1; s < OA_STEP_COUNT; s++) {
		if (!oa_step_legal(dir, cur, (oa_doc_step)s))
			continue;
		int n = snprintf(buf + used, cap - used, "%s%s", used ? ", " : "",
		                 step_names[s].zh);
		if (n < 0 || (size_t)n >= cap - used)
			break;
		used += (size_t)n;
	}
	if (used == 0)
		snprintf(buf, cap, "none");
}

int
oa_doc_parse_direction(const char *s, size_t len, oa_doc_direction *out)
{
	s = trim(s, &len);
	if (eq_ascii_case(s, len, "in") || eq(s, len, "收文") || eq(s, len, "收") ||
	    eq_ascii_case(s, len, "incoming")) {
		*out = OA_DOC_IN;
		return 0;
	}
	if (eq_ascii_case(s, len, "out") || eq(s, len, "发文") || eq(s, len, "发") ||
	    eq_ascii_case(s, len, "outgoing")) {
		*out = OA_DOC_OUT;
		return 0;
	}
	return -1;
}

int
oa_doc_parse_type(const char *s, size_t len, int *type)
{
	s = trim(s, &len);
	/* Chinese first: it is what the journal holds. */
	for (int i = 0; i < OA_DOC_NTYPES; i++) {
		if (eq(s, len, oa_doc_types[i])) {
			*type = i;
			return 0;
		}
	}
	for (int i = 0; i < OA_DOC_NTYPES; i++) {
		if (eq_ascii_case(s, len, type_english[i])) {
			*type = i;
			return 0;
		}
	}
	return -1;
}

static bool
is_none_word(const char *s, size_t len)
{
	return len == 0 || eq(s, len, "无") || eq_ascii_case(s, len, "none") ||
	       eq(s, len, "普通") || eq(s, len, "平件") || eq(s, len, "公开") || eq(s, len, "-");
}

int
oa_doc_parse_urgency(const char *s, size_t len, oa_urgency *out)
{
	s = trim(s, &len);
	if (is_none_word(s, len))
		*out = OA_URGENCY_NONE;
	else if (eq(s, len, "特急") || eq_ascii_case(s, len, "immediate") ||
	         eq_ascii_case(s, len, "extra-urgent"))
		*out = OA_URGENCY_IMMEDIATE;
	else if (eq(s, len, "加急") || eq_ascii_case(s, len, "urgent"))
		*out = OA_URGENCY_URGENT;
	else
		return -1;
	return 0;
}

int
oa_doc_parse_secrecy(const char *s, size_t len, oa_secrecy *out)
{
	s = trim(s, &len);
	if (is_none_word(s, len))
		*out = OA_SECRECY_NONE;
	else if (starts(s, len, "绝密") || eq_ascii_case(s, len, "top-secret"))
		*out = OA_SECRECY_TOP_SECRET;
	else if (starts(s, len, "机密") || eq_ascii_case(s, len, "secret"))
		*out = OA_SECRECY_SECRET;
	else if (starts(s, len, "秘密") || eq_ascii_case(s, len, "confidential"))
		*out = OA_SECRECY_CONFIDENTIAL;
	else
		return -1;
	return 0;
}

const char *
oa_urgency_name(oa_urgency u)
{
	switch (u) {
	case OA_URGENCY_IMMEDIATE: return "特急";
	case OA_URGENCY_URGENT: return "加急";
	default: return "";
	}
}

const char *
oa_secrecy_name(oa_secrecy s)
{
	switch (s) {
	case OA_SECRECY_TOP_SECRET: return "绝密";
	case OA_SECRECY_SECRET: return "机密";
	case OA_SECRECY_CONFIDENTIAL: return "秘密";
	default: return "";
	}
}

const char *
oa_direction_name(oa_doc_direction d)
{
	return d == OA_DOC_OUT ? "发文" : "收文";
}

void
oa_doc_release(oa_doc *doc)
{
	if (doc->block != NULL) {
		free(doc->block);
		free(doc->number);
		free(doc->lead_owned);
		memset(doc, 0, sizeof *doc);
		return;
	}
	free(doc->title);
	free(doc->issuer);
	free(doc->ref);
	free(doc->secrecy_text);
	free(doc->keywords);
	free(doc->code);
	free(doc->number);
	if (doc->lead_owned != doc->lead)
		free(doc->lead_owned);
	free(doc->lead);
	free(doc->co);
	free(doc->leader);
	free(doc->circulate);
	memset(doc, 0, sizeof *doc);
}

bool
oa_doc_done_late(const oa_doc *doc)
{
	return (doc->step == OA_STEP_COMPLETED || doc->step == OA_STEP_ISSUED ||
	        doc->step == OA_STEP_ARCHIVED) &&
	       doc->done_on != 0 && doc->done_on > doc->deadline;
}

bool
oa_doc_classified(const oa_doc *doc)
{
	return doc->secrecy >= OA_SECRECY_SECRET;
}

const char *
oa_doc_title_shown(const oa_doc *doc, bool show_classified)
{
	if (oa_doc_classified(doc) && !show_classified)
		return OA_DOC_TITLE_WITHHELD;
	return doc->title ? doc->title : "";
}

int
oa_doc_limits_load(oa_doc_limits *lim, const oa_config *cfg, oa_error *err)
{
	if (oa_config_get_long(cfg, "doc-route", "deadline_normal", 7, 0, 3650,
	                       &lim->days[OA_URGENCY_NONE], err) < 0 ||
	    oa_config_get_long(cfg, "doc-route", "deadline_urgent", 3, 0, 3650,
	                       &lim->days[OA_URGENCY_URGENT], err) < 0 ||
	    oa_config_get_long(cfg, "doc-route", "deadline_immediate", 1, 0, 3650,
	                       &lim->days[OA_URGENCY_IMMEDIATE], err) < 0)
		return -1;
	return 0;
}

oa_date
oa_doc_deadline(const oa_doc_limits *lim, const oa_calendar *cal, oa_date received,
                oa_urgency urgency)
{
	return oa_calendar_add_workdays(cal, received, (int)lim->days[urgency]);
}

oa_due
oa_doc_due(const oa_doc *doc, oa_date as_of, oa_date soon_until)
{
	if (doc->step == OA_STEP_NONE || oa_step_done(doc->direction, doc->step))
		return OA_DUE_OK;
	if (doc->deadline < as_of)
		return OA_DUE_OVERDUE;
	if (doc->deadline <= soon_until)
		return OA_DUE_SOON;
	return OA_DUE_OK;
}

static int
overdue_cmp(const void *a, const void *b)
{
	const oa_overdue *x = a, *y = b;
	int c = strcmp(x->department, y->department);

	if (c != 0)
		return c;
	if (x->due != y->due)
		return x->due == OA_DUE_OVERDUE ? -1 : 1;
	if (x->doc->deadline != y->doc->deadline)
		return x->doc->deadline < y->doc->deadline ? -1 : 1;
	return x->doc->id < y->doc->id ? -1 : x->doc->id > y->doc->id;
}

long
oa_docs_overdue(const oa_doc *docs, size_t n, const oa_calendar *cal, oa_date as_of,
                int soon, oa_overdue **out, oa_error *err)
{
	oa_date soon_until = soon < 0 ? as_of - 1 : oa_calendar_add_workdays(cal, as_of, soon);
	oa_overdue *v = NULL;
	size_t count = 0, cap = 0;

	*out = NULL;
	for (size_t i = 0; i < n; i++) {
		const oa_doc *d = &docs[i];
		oa_due due = oa_doc_due(d, as_of, soon_until);

		if (due == OA_DUE_OK)
			continue;
		if (count == cap) {
			size_t ncap = cap ? cap * 2 : 64;
			oa_overdue *nv = realloc(v, ncap * sizeof *nv);
			if (nv == NULL) {
				free(v);
				return oa_error_set(err, NULL, 0, "out of memory");
			}
			v = nv;
			cap = ncap;
		}
		v[count].doc = d;
		v[count].department = d->lead && d->lead[0] ? d->lead : OA_DOC_UNASSIGNED;
		v[count].due = due;
		v[count].days = due == OA_DUE_OVERDUE
		                ? oa_calendar_count_workdays(cal, d->deadline + 1, as_of)
		                : oa_calendar_count_workdays(cal, as_of + 1, d->deadline);
		count++;
	}
	if (count > 0)
		qsort(v, count, sizeof *v, overdue_cmp);
	*out = v;
	return (long)count;
}

/* ---- the documents CSV ---- */

const oa_column oa_doc_columns[OA_DC_NCOLS] = {
	[OA_DC_DIRECTION] = { "direction", "收发|收发文|方向|类别" },
	[OA_DC_TYPE] = { "type", "文种|类型|公文种类" },
	[OA_DC_TITLE] = { "title", "标题|文件标题|公文标题|题名" },
	[OA_DC_ISSUER] = { "issuer", "来文机关|来文单位|发文机关|发文单位" },
	[OA_DC_REF] = { "ref", "来文字号|文号|原文号" },
	[OA_DC_URGENCY] = { "urgency", "紧急程度|缓急" },
	[OA_DC_SECRECY] = { "secrecy", "密级|密级和保密期限" },
	[OA_DC_RECEIVED] = { "received", "收文日期|日期|来文日期|起草日期|收文时间|签收日期" },
	[OA_DC_DEADLINE] = { "deadline", "办理期限|期限|限办日期|截止日期|办理时限|办结时限" },
	[OA_DC_KEYWORDS] = { "keywords", "主题词|关键词" },
	[OA_DC_CODE] = { "code", "机关代字|代字" },
	[OA_DC_LEAD] = { "lead", "主办|主办部门|主办单位" },
	[OA_DC_CO] = { "co", "协办|协办部门|协办单位" },
	[OA_DC_LEADER] = { "leader", "批办|批办领导" },
	[OA_DC_CIRCULATE] = { "circulate", "传阅|传阅范围" },
};

/* Reads 1 to MAX digits at *s (advancing it); -1 when there are none. */
static long
digits(const char **s, const char *end, int max)
{
	long v = 0;
	int n = 0;

	while (*s < end && n < max && **s >= '0' && **s <= '9') {
		v = v * 10 + (**s - '0');
		(*s)++;
		n++;
	}
	return n > 0 ? v : -1;
}

/* Skips the UTF-8 character or byte string SEP at *s. */
static bool
skip(const char **s, const char *end, const char *sep)
{
	size_t n = strlen(sep);

	if ((size_t)(end - *s) < n || memcmp(*s, sep, n) != 0)
		return false;
	*s += n;
	return true;
}

/* A time of day, H:MM or HH:MM with optional :SS, filling s..end. */
static bool
time_of_day(const char *s, const char *end)
{
	long h = digits(&s, end, 2), m, sec = 0;

	if (h < 0 || h > 23 || !skip(&s, end, ":"))
		return false;
	if (end - s < 2 || (m = digits(&s, end, 2)) < 0 || m > 59)
		return false;
	if (s < end) {
		if (!skip(&s, end, ":") || end - s != 2 || (sec = digits(&s, end, 2)) < 0 || sec > 59)
			return false;
	}
	return s == end;
}

int
oa_doc_parse_date(const char *s, size_t len, oa_date *out)
{
	const char *sp;

	s = trim(s, &len);
	/* A date-time cell (2026/1/5 9:30): the date is what is asked for. */
	if ((sp = memchr(s, ' ', len)) != NULL) {
		const char *t = sp;

		while (t < s + len && *t == ' ')
			t++;
		if (!time_of_day(t, s + len))
			return -1;
		len = (size_t)(sp - s);
	}
	return oa_date_parse_excel(s, len, out);
}

int
oa_doc_check_dates(const oa_doc *doc, const char *file, oa_date registered, oa_error *err)
{
	char a[11], b[11];

	if (doc->received > registered) {
		oa_date_format(doc->received, a);
		oa_date_format(registered, b);
		return oa_error_set(err, file, doc->line,
		                    "date received %s is after the day it is registered, %s: "
		                    "check the year (or --at)", a, b);
	}
	if (doc->deadline - doc->received > 366) {
		oa_date_format(doc->deadline, a);
		oa_date_format(doc->received, b);
		return oa_error_set(err, file, doc->line,
		                    "deadline %s is more than a year after the date received, %s: "
		                    "check the year", a, b);
	}
	return 0;
}

static char *
dup_trimmed(const char *s, size_t len)
{
	char *p;

	s = trim(s, &len);
	p = malloc(len + 1);
	if (p != NULL) {
		memcpy(p, s, len);
		p[len] = '\0';
	}
	return p;
}

static const char *
field(const oa_csv_reader *r, const int *index, int col, size_t *len)
{
	if (index[col] < 0) {
		*len = 0;
		return "";
	}
	*len = oa_csv_field_len(r, (size_t)index[col]);
	return oa_csv_field(r, (size_t)index[col]);
}

static int
read_row(oa_csv_reader *r, const int *index, const oa_doc_limits *lim,
         const oa_calendar *cal, oa_date today, const char *default_code, oa_doc *d,
         oa_error *err)
{
	const char *name = oa_csv_name(r);
	long line = oa_csv_line(r);
	const char *s;
	size_t len;

	memset(d, 0, sizeof *d);
	d->line = line;
	s = field(r, index, OA_DC_DIRECTION, &len);
	if (trim(s, &len), len == 0)
		d->direction = OA_DOC_IN;
	else if (oa_doc_parse_direction(s, len, &d->direction) < 0)
		return oa_error_set(err, name, line, "direction \"%.*s\" is not in/收文 or out/发文",
		                    (int)len, s);
	s = field(r, index, OA_DC_TYPE, &len);
	if (oa_doc_parse_type(s, len, &d->type) < 0)
		return oa_error_set(err, name, line,
		                    "type \"%.*s\" is not one of the 15 document types "
		                    "(决议 决定 命令 公报 公告 通告 意见 通知 通报 报告 请示 批复 议案 函 纪要)",
		                    (int)len, s);
	s = field(r, index, OA_DC_URGENCY, &len);
	if (oa_doc_parse_urgency(s, len, &d->urgency) < 0)
		return oa_error_set(err, name, line, "urgency \"%.*s\" is not 特急, 加急 or empty",
		                    (int)len, s);
	s = field(r, index, OA_DC_SECRECY, &len);
	if (oa_doc_parse_secrecy(s, len, &d->secrecy) < 0)
		return oa_error_set(err, name, line,
		                    "secrecy \"%.*s\" is not 绝密, 机密, 秘密 or empty", (int)len, s);
	s = field(r, index, OA_DC_RECEIVED, &len);
	s = trim(s, &len);
	if (len == 0)
		d->received = today;
	else if (oa_doc_parse_date(s, len, &d->received) < 0)
		return oa_error_set(err, name, line, "received date \"%.*s\" is not a date "
		                    "(YYYY-MM-DD, 2026/1/5 or 2026年1月5日%s)", (int)len, s,
		                    oa_date_looks_like_serial(s, len)
		                    ? "; an Excel day number: format the column as a date" : "");
	s = field(r, index, OA_DC_DEADLINE, &len);
	s = trim(s, &len);
	if (len == 0) {
		d->deadline = oa_doc_deadline(lim, cal, d->received, d->urgency);
		d->deadline_computed = true;
	} else if (oa_doc_parse_date(s, len, &d->deadline) < 0)
		return oa_error_set(err, name, line, "deadline \"%.*s\" is not a date "
		                    "(YYYY-MM-DD, 2026/1/5 or 2026年1月5日%s)", (int)len, s,
		                    oa_date_looks_like_serial(s, len)
		                    ? "; an Excel day number: format the column as a date" : "");
	else if (d->deadline < d->received)
		return oa_error_set(err, name, line, "deadline %.*s is before the date received",
		                    (int)len, s);

	s = field(r, index, OA_DC_TITLE, &len);
	d->title = dup_trimmed(s, len);
	s = field(r, index, OA_DC_ISSUER, &len);
	d->issuer = dup_trimmed(s, len);
	s = field(r, index, OA_DC_REF, &len);
	d->ref = dup_trimmed(s, len);
	s = field(r, index, OA_DC_SECRECY, &len);
	d->secrecy_text = dup_trimmed(s, len);
	s = field(r, index, OA_DC_KEYWORDS, &len);
	d->keywords = dup_trimmed(s, len);
	s = field(r, index, OA_DC_CODE, &len);
	trim(s, &len);
	if (len == 0 && d->direction == OA_DOC_OUT)
		d->code = strdup(default_code ? default_code : "");
	else
		d->code = dup_trimmed(s, len);
	d->number = strdup("");
	s = field(r, index, OA_DC_LEAD, &len);
	d->lead = dup_trimmed(s, len);
	s = field(r, index, OA_DC_CO, &len);
	d->co = dup_trimmed(s, len);
	s = field(r, index, OA_DC_LEADER, &len);
	d->leader = dup_trimmed(s, len);
	s = field(r, index, OA_DC_CIRCULATE, &len);
	d->circulate = dup_trimmed(s, len);
	if (!d->title || !d->issuer || !d->ref || !d->secrecy_text || !d->keywords ||
	    !d->code || !d->number || !d->lead || !d->co || !d->leader || !d->circulate) {
		oa_doc_release(d);
		return oa_error_set(err, name, line, "out of memory");
	}
	if (d->title[0] == '\0') {
		oa_doc_release(d);
		return oa_error_set(err, name, line, "title is empty");
	}
	if (strcmp(d->title, OA_DOC_TITLE_WITHHELD) == 0) {
		oa_doc_release(d);
		return oa_error_set(err, name, line,
		                    "the title is the placeholder of a withheld classified title "
		                    "(a sheet written by doc-route route or status): use the "
		                    "original sheet");
	}
	if (d->direction == OA_DOC_OUT && d->code[0] == '\0') {
		oa_doc_release(d);
		return oa_error_set(err, name, line,
		                    "outgoing document without 机关代字: give a code column or "
		                    "[doc-route] code");
	}
	return 0;
}

/* A row of empty cells: what a spreadsheet exports for rows once used. */
static bool
blank_row(const oa_csv_reader *r)
{
	for (size_t i = 0; i < oa_csv_nfields(r); i++) {
		size_t len = oa_csv_field_len(r, i);
		trim(oa_csv_field(r, i), &len);
		if (len > 0)
			return false;
	}
	return true;
}

int
oa_docs_each(const char *path, const oa_csv_options *opt, const oa_doc_limits *lim,
             const oa_calendar *cal, oa_date today, const char *default_code,
             oa_doc_each each, void *ctx, oa_error *err)
{
	oa_csv_reader *r;
	int index[OA_DC_NCOLS];
	int rc;

	r = oa_csv_reader_open(path, opt, err);
	if (r == NULL)
		return -1;
	rc = oa_csv_read(r, err);
	if (rc == 0) {
		oa_error_set(err, oa_csv_name(r), 0, "empty input: no header");
		goto fail;
	}
	if (rc < 0 || oa_columns_map(r, oa_doc_columns, OA_DC_NCOLS,
	                             OA_BIT(OA_DC_TYPE) | OA_BIT(OA_DC_TITLE), index, err) < 0 ||
	    each(ctx, NULL, r, index, err) < 0)
		goto fail;
	while ((rc = oa_csv_read(r, err)) == 1) {
		oa_doc d;
		if (blank_row(r))
			continue;
		if (read_row(r, index, lim, cal, today, default_code, &d, err) < 0)
			goto fail;
		rc = each(ctx, &d, r, index, err);
		oa_doc_release(&d);
		if (rc < 0)
			goto fail;
	}
	if (rc < 0)
		goto fail;
	oa_csv_reader_free(r);
	return 0;
fail:
	oa_csv_reader_free(r);
	return -1;
}

typedef struct collect {
	oa_doc *v;
	size_t n, cap;
} collect;

static int
collect_one(void *ctx, oa_doc *doc, const oa_csv_reader *r, const int *index, oa_error *err)
{
	collect *c = ctx;

	(void)index;
	if (doc == NULL)
		return 0;
	if (c->n == c->cap) {
		size_t ncap = c->cap ? c->cap * 2 : 16;
		oa_doc *nv = realloc(c->v, ncap * sizeof *nv);
		if (nv == NULL)
			return oa_error_set(err, oa_csv_name(r), oa_csv_line(r), "out of memory");
		c->v = nv;
		c->cap = ncap;
	}
	c->v[c->n++] = *doc;
	memset(doc, 0, sizeof *doc);
	return 0;
}

int
oa_docs_read(const char *path, const oa_csv_options *opt, const oa_doc_limits *lim,
             const oa_calendar *cal, oa_date today, const char *default_code,
             oa_doc **docs, size_t *count, oa_error *err)
{
	collect c = { NULL, 0, 0 };

	*docs = NULL;
	*count = 0;
	if (oa_docs_each(path, opt, lim, cal, today, default_code, collect_one, &c, err) < 0) {
		oa_docs_free(c.v, c.n);
		return -1;
	}
	*docs = c.v;
	*count = c.n;
	return 0;
}

void
oa_docs_free(oa_doc *docs, size_t count)
{
	for (size_t i = 0; i < count; i++)
		oa_doc_release(&docs[i]);
	free(docs);
}
