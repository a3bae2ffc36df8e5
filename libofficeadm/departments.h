/*
 * departments.h - the organisation's departments, from the config:
 *
 *     [departments]
 *     办公室 = BGS, 王主任, wang@example.org
 *
 * name = code, head, email (head and email optional).  Names match after
 * oa_utf8_fold.  Used for tag prefixes, for checking the department column,
 * and for addressing notices to the department head.
 */
#ifndef OA_DEPARTMENTS_H
#define OA_DEPARTMENTS_H

#include <stddef.h>

#include "config.h"
#include "error.h"

typedef struct oa_department {
	char *name;  /* as written in the config (iniparser lower-cases ASCII) */
	char *code;  /* e.g. "BGS" */
	char *head;  /* may be "" */
	char *email; /* may be "" */
} oa_department;

typedef struct oa_departments {
	oa_department *items;
	size_t count;
} oa_departments;

/*
 * Fills DEPTS from [departments]; an empty table when the section is
 * absent.  Two departments with the same code (case ignored) are an error
 * naming both lines.
 */
int oa_departments_load(oa_departments *depts, const oa_config *cfg, oa_error *err);
void oa_departments_release(oa_departments *depts);

/* The department named NAME (folded match), or NULL. */
const oa_department *oa_departments_find(const oa_departments *depts, const char *name, size_t len);

/*
 * Up to MAX departments closest to NAME by edit distance (at most half the
 * name's length, or containing it), best first.  Returns the count.
 */
size_t oa_departments_suggest(const oa_departments *depts, const char *name, size_t len,
                              const oa_department **out, size_t max);

/*
 * The same for any list of N names, GET(CTX, i) giving name i: writes up
 * to MAX (at most 64) indexes into OUT, best first, names that fold alike
 * once.  Returns the count.  Used for categories too.
 */
size_t oa_names_suggest(const char *name, size_t len, const char *(*get)(const void *ctx, size_t i),
                        const void *ctx, size_t n, size_t *out, size_t max);

/*
 * File names for the notices of one run, one per department, never two
 * alike.  oa_notice_name makes "BASE.txt" from BASE (a department's code,
 * or its name when it has none): '/', '\\', control characters and a
 * leading '.' become '_', and BASE is cut to OA_NOTICE_BASE_MAX bytes
 * without splitting a UTF-8 character.  A name the set already holds gets
 * "-2", "-3", ... before ".txt", so "a/b" and "a_b" cannot overwrite each
 * other's notice.  The result lives in the set; NULL when out of memory.
 */
#define OA_NOTICE_BASE_MAX 200

typedef struct oa_notice_names {
	char **names;
	size_t count, cap;
} oa_notice_names;

const char *oa_notice_name(oa_notice_names *set, const char *base);
void oa_notice_names_release(oa_notice_names *set);

#endif
