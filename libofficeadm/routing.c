/*
 * routing.c - loading the routing rules from [doc-route.rules] and applying
 * them to a document.  See routing.h for the rule language.
 *
 * A rule is a list of conditions and four assignments.  Conditions are
 * compiled once at load time (regular expressions with regcomp); routing a
 * document walks the rules in order and, when asked, writes one line of
 * explanation per rule into a memory stream.
 */
#include "routing.h"

#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum field {
	F_DIRECTION, F_TYPE, F_ISSUER, F_URGENCY, F_SECRECY, F_TITLE, F_KEYWORDS, F_TEXT,
	F_NCOND,
	F_LEAD = F_NCOND, F_CO, F_LEADER, F_CIRCULATE, F_CONTINUE, F_DEFAULT,
	F_COUNT
};

static const char *const field_names[F_COUNT] = {
	"direction", "type", "issuer", "urgency", "secrecy", "title", "keywords", "text",
	"lead", "co", "leader", "circulate", "continue", "default",
};

enum mode { M_ANY, M_ALL, M_EXACT, M_REGEX };
static const char *const mode_names[] = { "any", "all", "exact", "regex" };

typedef struct condition {
	enum field field;
	enum mode mode;
	bool negate;
	char **items;    /* one malloc'd block (oa_config_split_list) */
	size_t nitems;
	char *pattern;   /* the regex text */
	regex_t re;
	bool compiled;
} condition;

typedef struct rule {
	char *name;
	condition *conds;
	size_t nconds;
	char *assign[4];  /* lead, co, leader, circulate; NULL when not set */
	bool cont, is_default;
} rule;

struct oa_rules {
	rule *items;
	size_t count;
};

size_t
oa_rules_count(const oa_rules *rules)
{
	return rules ? rules->count : 0;
}

static void
rule_release(rule *r)
{
	for (size_t i = 0; i < r->nconds; i++) {
		free(r->conds[i].items);
		free(r->conds[i].pattern);
		if (r->conds[i].compiled)
			regfree(&r->conds[i].re);
	}
	free(r->conds);
	for (int i = 0; i < 4; i++)
		free(r->assign[i]);
	free(r->name);
}

void
oa_rules_free(oa_rules *rules)
{
	if (rules == NULL)
		return;
	for (size_t i = 0; i < rules->count; i++)
		rule_release(&rules->items[i]);
	free(rules->items);
	free(rules);
}

static rule *
find_rule(oa_rules *rules, const char *name, size_t len, oa_error *err)
{
	rule *v;

	for (size_t i = 0; i < rules->count; i++)
		if (strlen(rules->items[i].name) == len &&
		    memcmp(rules->items[i].name, name, len) == 0)
			return &rules->items[i];
	v = realloc(rules->items, (rules->count + 1) * sizeof *v);
	if (v == NULL)
		goto oom;
	rules->items = v;
	v = &rules->items[rules->count];
	memset(v, 0, sizeof *v);
	v->name = strndup(name, len);
	if (v->name == NULL)
		goto oom;
	rules->count++;
	return v;
oom:
	oa_error_set(err, NULL, 0, "out of memory");
	return NULL;
}

static int
parse_bool(const char *v, bool *out)
{
	if (!strcasecmp(v, "yes") || !strcasecmp(v, "true") || !strcmp(v, "1") ||
	    !strcasecmp(v, "on") || !strcmp(v, "是")) {
		*out = true;
		return 0;
	}
	if (!strcasecmp(v, "no") || !strcasecmp(v, "false") || !strcmp(v, "0") ||
	    !strcasecmp(v, "off") || !strcmp(v, "否")) {
		*out = false;
		return 0;
	}
	return -1;
}

/*
 * A copy of VALUE with the list separators a Chinese keyboard gives, ，
 * (U+FF0C) and 、 (U+3001), turned into ", ".  NULL when out of memory.
 */
static char *
ascii_commas(const char *value)
{
	size_t len = strlen(value);
	char *out = malloc(len + 1), *o = out;

	if (out == NULL)
		return NULL;
	for (const char *p = value; *p;) {
		if (strncmp(p, "\xef\xbc\x8c", 3) == 0 || strncmp(p, "\xe3\x80\x81", 3) == 0) {
			*o++ = ',';
			*o++ = ' ';
			p += 3;
		} else {
			*o++ = *p++;
		}
	}
	*o = '\0';
	return out;
}

static int
add_condition(rule *r, enum field f, const char *value, const char *file, long line,
              const char *key, oa_error *err)
{
	condition *c, *v;
	const char *colon;

	v = realloc(r->conds, (r->nconds + 1) * sizeof *v);
	if (v == NULL)
		return oa_error_set(err, file, line, "out of memory");
	r->conds = v;
	c = &r->conds[r->nconds];
	memset(c, 0, sizeof *c);
	r->nconds++;
	c->field = f;
	while (*value == ' ')
		value++;
	if (*value == '!') {
		c->negate = true;
		value++;
		while (*value == ' ')
			value++;
	}
	c->mode = (f == F_DIRECTION || f == F_TYPE || f == F_URGENCY || f == F_SECRECY)
	          ? M_EXACT : M_ANY;
	colon = strchr(value, ':');
	if (colon != NULL) {
		for (int m = 0; m < 4; m++) {
			size_t n = strlen(mode_names[m]);
			if ((size_t)(colon - value) == n && strncasecmp(value, mode_names[m], n) == 0) {
				c->mode = (enum mode)m;
				value = colon + 1;
				break;
			}
		}
	}
	if (c->mode == M_REGEX) {
		int rc;
		while (*value == ' ')
			value++;
		/* glibc's regcomp can take gigabytes on a long run of quantifiers. */
		if (strlen(value) > 256)
			return oa_error_set(err, file, line,
			                    "regular expression longer than 256 bytes");
		c->pattern = strdup(value);
		if (c->pattern == NULL)
			return oa_error_set(err, file, line, "out of memory");
		rc = regcomp(&c->re, value, REG_EXTENDED | REG_NOSUB);
		if (rc != 0) {
			char msg[256];
			regerror(rc, &c->re, msg, sizeof msg);
			return oa_error_set(err, file, line, "[%s] %s: bad regular expression \"%s\": %s",
			                    OA_RULES_SECTION, key, value, msg);
		}
		c->compiled = true;
		return 0;
	}
	{
		char *list = ascii_commas(value);
		if (list == NULL)
			return oa_error_set(err, file, line, "out of memory");
		c->nitems = oa_config_split_list(list, &c->items);
		free(list);
	}
	if (c->nitems == 0)
		return oa_error_set(err, file, line, "[%s] %s: no value to match", OA_RULES_SECTION,
		                    key);
	/* Normalise the fixed-vocabulary fields so that English works too. */
	for (size_t i = 0; i < c->nitems; i++) {
		char *it = c->items[i];
		size_t len = strlen(it);
		oa_doc_direction d;
		oa_urgency u;
		oa_secrecy s;
		int t;
		const char *canon = NULL;

		if (f == F_DIRECTION && oa_doc_parse_direction(it, len, &d) == 0)
			canon = oa_direction_name(d);
		else if (f == F_TYPE && c->mode == M_EXACT && oa_doc_parse_type(it, len, &t) == 0)
			canon = oa_doc_types[t];
		else if (f == F_URGENCY && c->mode == M_EXACT && oa_doc_parse_urgency(it, len, &u) == 0)
			canon = u == OA_URGENCY_NONE ? "无" : oa_urgency_name(u);
		else if (f == F_SECRECY && c->mode == M_EXACT && oa_doc_parse_secrecy(it, len, &s) == 0)
			canon = s == OA_SECRECY_NONE ? "无" : oa_secrecy_name(s);
		else if (c->mode == M_EXACT && (f == F_DIRECTION || f == F_TYPE ||
		                                f == F_URGENCY || f == F_SECRECY))
			return oa_error_set(err, file, line, "[%s] %s: unknown %s \"%s\"",
			                    OA_RULES_SECTION, key, field_names[f], it);
		if (canon != NULL && strlen(canon) <= len)
			memcpy(it, canon, strlen(canon) + 1); /* fits in the item's room */
		else if (canon != NULL)
			return oa_error_set(err, file, line, "[%s] %s: write \"%s\" as \"%s\"",
			                    OA_RULES_SECTION, key, it, canon);
	}
	return 0;
}

oa_rules *
oa_rules_load(const oa_config *cfg, oa_error *err)
{
	oa_rules *rules = calloc(1, sizeof *rules);
	const char *file = oa_config_path(cfg);
	const char **keys = NULL;
	size_t nkeys;

	if (rules == NULL) {
		oa_error_set(err, NULL, 0, "out of memory");
		return NULL;
	}
	nkeys = oa_config_keys(cfg, OA_RULES_SECTION, &keys);
	for (size_t i = 0; i < nkeys; i++) {
		const char *key = keys[i], *colon = strrchr(key, ':'), *dot, *value;
		rule *r;
		int f;
		long line;

		/* iniparser names keys "section:key"; accept both forms. */
		if (colon != NULL && (size_t)(colon - key) == strlen(OA_RULES_SECTION) &&
		    strncasecmp(key, OA_RULES_SECTION, strlen(OA_RULES_SECTION)) == 0)
			key = colon + 1;
		value = oa_config_get_string(cfg, OA_RULES_SECTION, key, "");
		line = oa_config_line(cfg, OA_RULES_SECTION, key);
		dot = strrchr(key, '.');
		if (dot == NULL || dot == key) {
			oa_error_set(err, file, line, "[%s] %s: a key is RULE.FIELD, e.g. 请示.type",
			             OA_RULES_SECTION, key);
			goto fail;
		}
		for (f = 0; f < F_COUNT; f++)
			if (strcasecmp(dot + 1, field_names[f]) == 0)
				break;
		if (f == F_COUNT) {
			oa_error_set(err, file, line,
			             "[%s] %s: unknown field \"%s\" (direction, type, issuer, urgency, "
			             "secrecy, title, keywords, text, lead, co, leader, circulate, "
			             "continue, default)", OA_RULES_SECTION, key, dot + 1);
			goto fail;
		}
		r = find_rule(rules, key, (size_t)(dot - key), err);
		if (r == NULL)
			goto fail;
		if (f < F_NCOND) {
			if (add_condition(r, (enum field)f, value, file, line, key, err) < 0)
				goto fail;
		} else if (f == F_CONTINUE || f == F_DEFAULT) {
			bool b;
			if (parse_bool(value, &b) < 0) {
				oa_error_set(err, file, line, "[%s] %s: \"%s\" is not yes or no",
				             OA_RULES_SECTION, key, value);
				goto fail;
			}
			if (f == F_CONTINUE)
				r->cont = b;
			else
				r->is_default = b;
		} else {
			free(r->assign[f - F_LEAD]);
			r->assign[f - F_LEAD] = ascii_commas(value);
			if (r->assign[f - F_LEAD] == NULL) {
				oa_error_set(err, file, line, "out of memory");
				goto fail;
			}
		}
	}
	return rules;
fail:
	oa_rules_free(rules);
	return NULL;
}

/* The document's value for a condition field, in a scratch buffer if needed. */
static const char *
doc_value(const oa_doc *d, enum field f, char **scratch)
{
	switch (f) {
	case F_DIRECTION: return oa_direction_name(d->direction);
	case F_TYPE: return oa_doc_types[d->type];
	case F_ISSUER: return d->issuer ? d->issuer : "";
	case F_URGENCY: return d->urgency == OA_URGENCY_NONE ? "无" : oa_urgency_name(d->urgency);
	case F_SECRECY: return d->secrecy == OA_SECRECY_NONE ? "无" : oa_secrecy_name(d->secrecy);
	case F_TITLE: return d->title ? d->title : "";
	case F_KEYWORDS: return d->keywords ? d->keywords : "";
	case F_TEXT:
		if (asprintf(scratch, "%s %s", d->title ? d->title : "",
		             d->keywords ? d->keywords : "") < 0) {
			*scratch = NULL;
			return "";
		}
		return *scratch;
	default: return "";
	}
}

/* Evaluates C; *item is the item that decided it (or NULL). */
static bool
eval(const condition *c, const char *value, const char **item)
{
	bool hit = false;

	*item = NULL;
	switch (c->mode) {
	case M_REGEX:
		hit = regexec(&c->re, value, 0, NULL, 0) == 0;
		break;
	case M_EXACT:
		for (size_t i = 0; i < c->nitems && !hit; i++)
			if (strcmp(value, c->items[i]) == 0)
				hit = true, *item = c->items[i];
		break;
	case M_ANY:
		for (size_t i = 0; i < c->nitems && !hit; i++)
			if (strstr(value, c->items[i]) != NULL)
				hit = true, *item = c->items[i];
		break;
	case M_ALL:
		hit = true;
		for (size_t i = 0; i < c->nitems && hit; i++)
			if (strstr(value, c->items[i]) == NULL)
				hit = false, *item = c->items[i];
		break;
	}
	return c->negate ? !hit : hit;
}

static void
explain_condition(FILE *fp, const condition *c, const char *value, bool result,
                  const char *item, bool withhold)
{
	static const char *const verbs[] = { "contains", "contains all of", "is", "matches" };
	bool show_value = c->field != F_TITLE && c->field != F_KEYWORDS && c->field != F_TEXT;

	fprintf(fp, "%s%s", c->negate ? "not " : "", field_names[c->field]);
	if (show_value)
		fprintf(fp, " (%s)", value[0] ? value : "\"\"");
	fprintf(fp, " %s ", verbs[c->mode]);
	if (withhold) {
		fputs("(withheld: classified)", fp);
	} else if (c->mode == M_REGEX) {
		fprintf(fp, "/%s/", c->pattern);
	} else {
		for (size_t i = 0; i < c->nitems; i++)
			fprintf(fp, "%s\"%s\"", i ? "|" : "", c->items[i]);
	}
	/* The verdict on a classified title tells its words: withheld too. */
	if (withhold) {
		fputs("? (withheld)", fp);
		return;
	}
	fprintf(fp, "? %s", result ? "yes" : "no");
	if (item != NULL)
		fprintf(fp, " (%s \"%s\")", c->mode == M_ALL ? "missing" : "found", item);
}

/* Appends the comma-separated items of ADD to *list that are not there yet. */
static int
merge_list(char **list, const char *add)
{
	char **items;
	size_t n = oa_config_split_list(add, &items);

	for (size_t i = 0; i < n; i++) {
		char **have;
		size_t nh = oa_config_split_list(*list, &have);
		bool dup = false;
		for (size_t k = 0; k < nh; k++)
			if (strcmp(have[k], items[i]) == 0)
				dup = true;
		free(have);
		if (dup)
			continue;
		char *joined;
		if (asprintf(&joined, "%s%s%s", *list, (*list)[0] ? ", " : "", items[i]) < 0) {
			free(items);
			return -1;
		}
		free(*list);
		*list = joined;
	}
	free(items);
	return 0;
}

static int
assign(oa_doc *doc, const rule *r)
{
	char **slot[4] = { &doc->lead, &doc->co, &doc->leader, &doc->circulate };

	for (int i = 0; i < 4; i++) {
		if (r->assign[i] == NULL)
			continue;
		if (i == 1 || i == 3) {
			if (merge_list(slot[i], r->assign[i]) < 0)
				return -1;
		} else if ((*slot[i])[0] == '\0') {
			char *v = strdup(r->assign[i]);
			if (v == NULL)
				return -1;
			free(*slot[i]);
			*slot[i] = v;
		}
	}
	return 0;
}

/*
 * Whether R matches DOC.  With FP, explains each condition; *SECRET is then
 * set when the verdict turns on a withheld condition (every condition
 * shown holds, and one on the classified title is left), so that it must
 * not be told either.
 */
static bool
rule_matches(const rule *r, const oa_doc *doc, FILE *fp, bool withhold, bool *secret)
{
	bool all = true, shown_all = true, any_withheld = false;

	for (size_t i = 0; i < r->nconds; i++) {
		const condition *c = &r->conds[i];
		char *scratch = NULL;
		const char *item, *value = doc_value(doc, c->field, &scratch);
		bool hit = eval(c, value, &item);
		bool hide = withhold && (c->field == F_TITLE || c->field == F_TEXT);
		if (fp != NULL) {
			fputs(i ? "; " : "", fp);
			explain_condition(fp, c, value, hit, item, hide);
		}
		free(scratch);
		if (hide)
			any_withheld = true;
		else if (!hit)
			shown_all = false;
		if (!hit) {
			all = false;
			if (fp == NULL)
				break;
		}
	}
	if (fp != NULL && r->nconds == 0)
		fputs("no conditions", fp);
	*secret = any_withheld && shown_all;
	return all;
}

int
oa_rules_route(const oa_rules *rules, oa_doc *doc, bool show_classified, char **explain,
               oa_error *err)
{
	char **slot[4] = { &doc->lead, &doc->co, &doc->leader, &doc->circulate };
	bool withhold = oa_doc_classified(doc) && !show_classified;
	FILE *fp = NULL;
	size_t size;
	int applied = 0;
	bool stop = false;
	bool secret = false; /* a verdict was withheld: what follows would tell it */
	bool withheld_any = false;

	static const char *const slot_names[4] = { "lead", "co", "leader", "circulate" };
	char *given[4] = { NULL, NULL, NULL, NULL };

	/* What the sheet gives is kept; the rules fill the rest. */
	for (int i = 0; i < 4; i++) {
		if (*slot[i] != NULL && (*slot[i])[0] != '\0')
			given[i] = *slot[i];
		else
			free(*slot[i]);
		*slot[i] = strdup("");
		if (*slot[i] == NULL)
			goto oom;
	}
	if (explain != NULL) {
		*explain = NULL;
		fp = open_memstream(explain, &size);
		if (fp == NULL)
			goto oom;
	}
	for (size_t i = 0; rules && i < rules->count; i++) {
		const rule *r = &rules->items[i];
		bool hit;

		if (r->is_default)
			continue;
		if (stop) {
			if (fp != NULL)
				fprintf(fp, "rule %s: %s\n", r->name,
				        secret ? "(withheld: classified)" : "not tried");
			continue;
		}
		if (fp != NULL)
			fprintf(fp, "rule %s: ", r->name);
		bool this_secret = false;
		hit = rule_matches(r, doc, fp, withhold, &this_secret);
		/* With continue = yes a match stops nothing, so only the verdict
		 * itself is withheld; without, whether later rules were tried
		 * would tell it too. */
		if (this_secret && !r->cont)
			secret = true;
		withheld_any |= this_secret;
		if (fp != NULL)
			fprintf(fp, " => %s\n", this_secret ? "(withheld)"
			        : hit ? (r->cont ? "match, continue" : "match") : "no match");
		if (!hit)
			continue;
		if (assign(doc, r) < 0)
			goto oom;
		applied++;
		if (!r->cont)
			stop = true;
	}
	for (size_t i = 0; rules && i < rules->count; i++) {
		const rule *r = &rules->items[i];
		if (!r->is_default)
			continue;
		if (stop) {
			if (fp != NULL)
				fprintf(fp, "rule %s: %s\n", r->name,
				        secret ? "(withheld: classified)" : "default, not needed");
			continue;
		}
		if (fp != NULL)
			fprintf(fp, "rule %s: %s\n", r->name,
			        secret ? "(withheld: classified)" : "default => match");
		if (assign(doc, r) < 0)
			goto oom;
		applied++;
		break;
	}
	if (fp != NULL && applied == 0 && !withheld_any)
		fputs("no rule matched\n", fp);
	for (int i = 0; i < 4; i++) {
		if (given[i] == NULL)
			continue;
		if (fp != NULL && strcmp(given[i], *slot[i]) != 0)
			fprintf(fp, "%s %s: given in the sheet%s%s%s\n", slot_names[i], given[i],
			        (*slot[i])[0] ? " (the rules say " : "", *slot[i],
			        (*slot[i])[0] ? ")" : "");
		free(*slot[i]);
		*slot[i] = given[i];
		given[i] = NULL;
	}
	if (fp != NULL && fclose(fp) == EOF) {
		fp = NULL;
		goto oom;
	}
	return applied;
oom:
	if (fp != NULL)
		fclose(fp);
	if (explain != NULL) {
		free(*explain);
		*explain = NULL;
	}
	for (int i = 0; i < 4; i++)
		free(given[i]);
	return oa_error_set(err, NULL, 0, "out of memory");
}
