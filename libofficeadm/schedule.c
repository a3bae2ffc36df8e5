/*
 * schedule.c - meeting requests, people, rooms and busy times; the
 * placement of requests on the working-day calendar; the objective; the
 * independent check of the hard constraints; common free slots.
 *
 * Organisation: input (people, rooms, busy and requests CSV readers), then
 * the solver (one timeline of intervals per person and per room, a greedy
 * pass by priority, then improvement moves: relocation, ejection of one
 * blocking meeting, insertion of unplaced requests by ejection, and a
 * ruin-and-recreate search while time is left; every move is costed by its
 * exact change of the objective, the optional attendees' term included:
 * absent_delta), then the reasons for the unplaced requests, then output.  The objective is documented in
 * schedule.h and meeting-sched(1).
 */
#include "schedule.h"

#include <errno.h>
#include <stdarg.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "columns.h"
#include "utf8.h"

#define MEETINGS "meetings"

/* ---- lifecycle and settings ---- */

void
oa_schedule_init(oa_schedule *s)
{
	memset(s, 0, sizeof *s);
	oa_calendar_init(&s->cal);
	s->grain = 15;
	s->buffer = 0;
	s->horizon = 14;
	s->search_seconds = 3.0;
	s->max_window = 366;
	s->w.unplaced = 10000;
	s->w.optional = 100;
	s->w.late = 1;
	s->w.room = 1;
	s->w.move = 1000;
}

static void
request_release(oa_sched_request *r)
{
	free(r->id);
	free(r->title);
	free(r->required);
	free(r->optional);
	free(r->reason);
	free(r->conflicts);
}

void
oa_schedule_release(oa_schedule *s)
{
	for (size_t i = 0; i < s->npeople; i++) {
		free(s->people[i].name);
		free(s->people[i].email);
		free(s->people[i].department);
	}
	free(s->people);
	for (size_t i = 0; i < s->nrooms; i++)
		free(s->rooms[i].name);
	free(s->rooms);
	free(s->busy);
	for (size_t i = 0; i < s->nreq; i++)
		request_release(&s->req[i]);
	free(s->req);
	free(s->requests_name);
	free(s->organizer);
	free(s->uid_domain);
	free(s->ix_name);
	free(s->ix_mail);
	for (size_t i = 0; i < s->nwarnings; i++) {
		free(s->warnings[i].file);
		free(s->warnings[i].msg);
	}
	free(s->warnings);
	oa_calendar_release(&s->cal);
	memset(s, 0, sizeof *s);
}

/* Grows *arr (of *cap elements of SIZE) to hold at least N. */
static int
grow(void **arr, size_t *cap, size_t n, size_t size, oa_error *err)
{
	size_t ncap;
	void *p;

	if (n <= *cap)
		return 0;
	ncap = *cap ? *cap * 2 : 16;
	while (ncap < n)
		ncap *= 2;
	p = realloc(*arr, ncap * size);
	if (p == NULL)
		return oa_error_sys(err, NULL, "out of memory");
	*arr = p;
	*cap = ncap;
	return 0;
}

static char *
xstrndup(const char *s, size_t n, oa_error *err)
{
	char *p = strndup(s, n);

	if (p == NULL)
		oa_error_sys(err, NULL, "out of memory");
	return p;
}

/*
 * KEY of SECTION as written in the config file (iniparser gives it
 * lower-cased), into buf.  False when the file cannot tell.
 */
static bool
raw_key(const oa_config *cfg, const char *section, const char *key, char *buf, size_t cap)
{
	long line = oa_config_line(cfg, section, key), n = 0;
	const char *path = oa_config_path(cfg);
	char text[1100];
	FILE *fp;
	bool ok = false;

	if (line <= 0 || path == NULL || (fp = fopen(path, "r")) == NULL)
		return false;
	while (fgets(text, sizeof text, fp) != NULL)
		if (++n == line) {
			char *p = text;
			size_t klen = strlen(key);
			while (*p == ' ' || *p == '\t')
				p++;
			if (strncasecmp(p, key, klen) == 0 && klen < cap) {
				memcpy(buf, p, klen);
				buf[klen] = '\0';
				ok = true;
			}
			break;
		}
	fclose(fp);
	return ok;
}

int
oa_schedule_configure(oa_schedule *s, const oa_config *cfg, oa_error *err)
{
	long v;
	const char **keys;
	size_t n;
	const char *org;

	oa_calendar_release(&s->cal);
	if (oa_calendar_load(&s->cal, cfg, err) < 0) {
		oa_calendar_init(&s->cal);
		return -1;
	}
	if (oa_config_get_long(cfg, MEETINGS, "grain", 15, 1, 240, &v, err) < 0)
		return -1;
	s->grain = (int)v;
	if (oa_config_get_long(cfg, MEETINGS, "buffer", 0, 0, 240, &v, err) < 0)
		return -1;
	s->buffer = (int)v;
	if (oa_config_get_long(cfg, MEETINGS, "horizon", 14, 1, 3660, &v, err) < 0)
		return -1;
	s->horizon = (int)v;
	if (oa_config_get_long(cfg, MEETINGS, "weight_unplaced", 10000, 0, 100000000, &s->w.unplaced,
	                       err) < 0 ||
	    oa_config_get_long(cfg, MEETINGS, "weight_optional", 100, 0, 100000000, &s->w.optional,
	                       err) < 0 ||
	    oa_config_get_long(cfg, MEETINGS, "weight_late", 1, 0, 100000000, &s->w.late, err) < 0 ||
	    oa_config_get_long(cfg, MEETINGS, "weight_room", 1, 0, 100000000, &s->w.room, err) < 0 ||
	    oa_config_get_long(cfg, MEETINGS, "move_cost", 1000, 0, 100000000, &s->w.move, err) < 0)
		return -1;
	if (oa_config_get_double(cfg, MEETINGS, "search_seconds", 3.0, 0.0, 3600.0,
	                         &s->search_seconds, err) < 0)
		return -1;
	if (oa_config_get_long(cfg, MEETINGS, "max_window", 366, 1, 36600, &v, err) < 0)
		return -1;
	s->max_window = (int)v;
	if (s->horizon + 1 > s->max_window)
		return oa_error_set(err, oa_config_path(cfg), oa_config_line(cfg, MEETINGS, "horizon"),
		                    "[meetings] horizon (%d days) is not shorter than max_window "
		                    "(%d days)", s->horizon, s->max_window);
	if (oa_config_get_bool(cfg, MEETINGS, "span_breaks", false, &s->span_breaks, err) < 0)
		return -1;
	org = oa_config_get_string(cfg, MEETINGS, "organizer", NULL);
	if (org != NULL && *org != '\0') {
		free(s->organizer);
		if ((s->organizer = xstrndup(org, strlen(org), err)) == NULL)
			return -1;
	}
	org = oa_config_get_string(cfg, MEETINGS, "uid_domain", NULL);
	if (org != NULL && *org != '\0') {
		for (const char *c = org; *c; c++)
			if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
			      (*c >= '0' && *c <= '9') || *c == '.' || *c == '-'))
				return oa_error_set(err, oa_config_path(cfg),
				                    oa_config_line(cfg, MEETINGS, "uid_domain"),
				                    "[meetings] uid_domain = \"%s\": expected a domain name "
				                    "(letters, digits, '.' and '-')", org);
		free(s->uid_domain);
		if ((s->uid_domain = xstrndup(org, strlen(org), err)) == NULL)
			return -1;
	}
	n = oa_config_keys(cfg, "rooms", &keys);
	for (size_t i = 0; i < n; i++) {
		const char *val = oa_config_get_string(cfg, "rooms", keys[i], "");
		const char *name = strchr(keys[i], ':');
		char raw[256];
		char *end;
		long cap;

		name = name ? name + 1 : keys[i];
		/* iniparser lower-cases keys: take the name as written in the file. */
		if (raw_key(cfg, "rooms", name, raw, sizeof raw))
			name = raw;
		errno = 0;
		cap = strtol(val, &end, 10);
		while (*end == ' ' || *end == '\t')
			end++;
		if (errno != 0 || end == val || *end != '\0' || cap < 1 || cap > 100000)
			return oa_error_set(err, oa_config_path(cfg), 0,
			                    "[rooms] %s: capacity \"%s\" is not a number of seats", name,
			                    val);
		if (oa_schedule_find_room(s, name) >= 0)
			return oa_error_set(err, oa_config_path(cfg), 0, "[rooms] %s: room defined twice",
			                    name);
		if (oa_schedule_add_room(s, name, (int)cap, err) < 0)
			return -1;
	}
	return 0;
}

/* ---- people, rooms, busy ---- */

static int
name_eq(const char *a, const char *b)
{
	char fa[256], fb[256];

	if (strcmp(a, b) == 0)
		return 1;
	oa_utf8_fold(a, strlen(a), fa, sizeof fa, 0);
	oa_utf8_fold(b, strlen(b), fb, sizeof fb, 0);
	return fa[0] != '\0' && strcmp(fa, fb) == 0;
}

/*
 * The people indexes: open addressing over ix_cap slots (a power of two,
 * at least twice the people), -1 for empty.  ix_name is keyed by the
 * folded name (as name_eq compares), ix_mail by the lower-cased e-mail.
 */
static uint64_t
hash_str(const char *p)
{
	uint64_t h = 0xcbf29ce484222325ull;

	for (; *p; p++) {
		h ^= (unsigned char)*p;
		h *= 0x100000001b3ull;
	}
	return h;
}

/* The key of NAME in ix_name: its folded form, or NAME itself when that is empty. */
static const char *
name_key(const char *name, char *buf, size_t cap)
{
	oa_utf8_fold(name, strlen(name), buf, cap, 0);
	return buf[0] != '\0' ? buf : name;
}

static const char *
mail_key(const char *mail, char *buf, size_t cap)
{
	size_t i;

	for (i = 0; mail[i] && i + 1 < cap; i++)
		buf[i] = (char)(mail[i] >= 'A' && mail[i] <= 'Z' ? mail[i] + 32 : mail[i]);
	buf[i] = '\0';
	return buf;
}

static void
ix_put(int *ix, size_t cap, const char *key, int person)
{
	size_t i = (size_t)hash_str(key) & (cap - 1);

	while (ix[i] >= 0)
		i = (i + 1) & (cap - 1);
	ix[i] = person;
}

static int
ix_add(oa_schedule *s, int person, oa_error *err)
{
	char buf[256];

	if (2 * (s->npeople + 1) > s->ix_cap) {
		size_t nc = s->ix_cap ? s->ix_cap * 2 : 64;
		int *a = malloc(nc * sizeof *a), *b = malloc(nc * sizeof *b);
		if (a == NULL || b == NULL) {
			free(a);
			free(b);
			return oa_error_sys(err, NULL, "out of memory");
		}
		memset(a, 0xff, nc * sizeof *a);
		memset(b, 0xff, nc * sizeof *b);
		free(s->ix_name);
		free(s->ix_mail);
		s->ix_name = a;
		s->ix_mail = b;
		s->ix_cap = nc;
		for (int i = 0; i < person; i++) {
			ix_put(a, nc, name_key(s->people[i].name, buf, sizeof buf), i);
			if (s->people[i].email[0] != '\0')
				ix_put(b, nc, mail_key(s->people[i].email, buf, sizeof buf), i);
		}
	}
	ix_put(s->ix_name, s->ix_cap, name_key(s->people[person].name, buf, sizeof buf), person);
	if (s->people[person].email[0] != '\0')
		ix_put(s->ix_mail, s->ix_cap, mail_key(s->people[person].email, buf, sizeof buf),
		       person);
	return 0;
}

int
oa_schedule_find_person(const oa_schedule *s, const char *name)
{
	char buf[256], other[256];
	const char *key;
	int best = -1;

	if (s->ix_cap == 0)
		return -1;
	/* An exact name first, then a name equal when folded, then an e-mail. */
	key = name_key(name, buf, sizeof buf);
	for (size_t i = (size_t)hash_str(key) & (s->ix_cap - 1); s->ix_name[i] >= 0;
	     i = (i + 1) & (s->ix_cap - 1)) {
		int p = s->ix_name[i];
		((oa_schedule *)s)->ix_probes++;
		if (strcmp(s->people[p].name, name) == 0)
			return p;
		if (best < 0 && strcmp(name_key(s->people[p].name, other, sizeof other), key) == 0 &&
		    name_eq(s->people[p].name, name))
			best = p;
	}
	if (best >= 0)
		return best;
	key = mail_key(name, buf, sizeof buf);
	for (size_t i = (size_t)hash_str(key) & (s->ix_cap - 1); s->ix_mail[i] >= 0;
	     i = (i + 1) & (s->ix_cap - 1)) {
		int p = s->ix_mail[i];
		((oa_schedule *)s)->ix_probes++;
		if (strcasecmp(s->people[p].email, name) == 0)
			return p;
	}
	return -1;
}

static int
add_person(oa_schedule *s, const char *name, const char *email, const char *dept,
           oa_error *err)
{
	oa_sched_person *p;

	if (grow((void **)&s->people, &s->cap_people, s->npeople + 1, sizeof *s->people, err) < 0)
		return -1;
	p = &s->people[s->npeople];
	p->name = strdup(name);
	p->email = strdup(email ? email : "");
	p->department = strdup(dept ? dept : "");
	if (p->name == NULL || p->email == NULL || p->department == NULL) {
		free(p->name);
		free(p->email);
		free(p->department);
		return oa_error_sys(err, NULL, "out of memory");
	}
	if (ix_add(s, (int)s->npeople, err) < 0) {
		free(p->name);
		free(p->email);
		free(p->department);
		return -1;
	}
	return (int)s->npeople++;
}

int
oa_schedule_warn(oa_schedule *s, const char *file, long line, oa_error *err, const char *fmt,
                 ...)
{
	va_list ap;
	oa_sched_warning *w;

	if (grow((void **)&s->warnings, &s->cap_warnings, s->nwarnings + 1, sizeof *s->warnings,
	         err) < 0)
		return -1;
	w = &s->warnings[s->nwarnings];
	w->line = line;
	w->file = strdup(file ? file : "");
	va_start(ap, fmt);
	if (vasprintf(&w->msg, fmt, ap) < 0)
		w->msg = NULL;
	va_end(ap);
	if (w->file == NULL || w->msg == NULL) {
		free(w->file);
		free(w->msg);
		return oa_error_sys(err, NULL, "out of memory");
	}
	s->nwarnings++;
	return 0;
}

int
oa_schedule_person(oa_schedule *s, const char *name, oa_error *err)
{
	int i = oa_schedule_find_person(s, name);

	return i >= 0 ? i : add_person(s, name, "", "", err);
}

int
oa_schedule_find_room(const oa_schedule *s, const char *name)
{
	for (size_t i = 0; i < s->nrooms; i++)
		if (name_eq(s->rooms[i].name, name))
			return (int)i;
	return -1;
}

int
oa_schedule_add_room(oa_schedule *s, const char *name, int capacity, oa_error *err)
{
	if (oa_schedule_find_room(s, name) >= 0)
		return oa_error_set(err, NULL, 0, "room \"%s\" defined twice", name);
	if (grow((void **)&s->rooms, &s->cap_rooms, s->nrooms + 1, sizeof *s->rooms, err) < 0)
		return -1;
	if ((s->rooms[s->nrooms].name = xstrndup(name, strlen(name), err)) == NULL)
		return -1;
	s->rooms[s->nrooms].capacity = capacity;
	return (int)s->nrooms++;
}

int
oa_schedule_add_busy(oa_schedule *s, int person, oa_minute start, oa_minute end, oa_error *err)
{
	if (end <= start)
		return 0;
	if (grow((void **)&s->busy, &s->cap_busy, s->nbusy + 1, sizeof *s->busy, err) < 0)
		return -1;
	s->busy[s->nbusy].person = person;
	s->busy[s->nbusy].start = start;
	s->busy[s->nbusy].end = end;
	s->nbusy++;
	return 0;
}

/* ---- CSV input ---- */

enum { P_NAME, P_EMAIL, P_DEPT, P_NCOLS };
static const oa_column people_columns[P_NCOLS] = {
	[P_NAME] = { "name", "姓名|名字|人员|参会人" },
	[P_EMAIL] = { "email", "e_mail|mail|邮箱|电子邮件|电子邮箱|邮件" },
	[P_DEPT] = { "department", "部门|单位|处室" },
};

enum { RM_NAME, RM_CAPACITY, RM_NCOLS };
static const oa_column room_columns[RM_NCOLS] = {
	[RM_NAME] = { "name", "room|会议室|名称|房间" },
	[RM_CAPACITY] = { "capacity", "seats|容量|座位|座位数|容纳人数|人数" },
};

enum { B_PERSON, B_START, B_END, B_NCOLS };
static const oa_column busy_columns[B_NCOLS] = {
	[B_PERSON] = { "person", "name|姓名|人员|领导" },
	[B_START] = { "start", "开始|开始时间|起始时间" },
	[B_END] = { "end", "结束|结束时间|终止时间" },
};

enum {
	R_ID, R_TITLE, R_DURATION, R_REQUIRED, R_OPTIONAL, R_PRIORITY, R_EARLIEST, R_LATEST,
	R_ROOM, R_SEATS, R_ORGANIZER, R_START, R_NCOLS
};
static const oa_column request_columns[R_NCOLS] = {
	[R_ID] = { "id", "编号|序号|会议编号" },
	[R_TITLE] = { "title", "议题|会议名称|会议|名称|标题|主题" },
	[R_DURATION] = { "duration", "时长|会议时长|用时" },
	[R_REQUIRED] = { "required", "attendees|参会人|参会人员|出席|出席人|必须参加" },
	[R_OPTIONAL] = { "optional", "列席|列席人|列席人员|可选参加" },
	[R_PRIORITY] = { "priority", "优先级|紧急程度|缓急" },
	[R_EARLIEST] = { "earliest", "最早|最早时间|最早日期|不早于" },
	[R_LATEST] = { "latest", "最晚|最晚时间|最晚日期|不晚于|截止" },
	[R_ROOM] = { "room", "会议室|地点|会场" },
	[R_SEATS] = { "seats", "座位|座位数|人数" },
	[R_ORGANIZER] = { "organizer", "organiser|召集人|组织者|发起人" },
	[R_START] = { "start", "开始时间|固定时间|已定时间" },
};

static const char *
field(const oa_csv_reader *r, const int *ix, int col)
{
	return ix[col] >= 0 ? oa_csv_field(r, (size_t)ix[col]) : "";
}

/*
 * True when every field of the current record is blank: the rows of bare
 * commas Excel writes for formatted but empty cells, skipped by every reader.
 */
static bool
blank_record(const oa_csv_reader *r)
{
	for (size_t i = 0; i < oa_csv_nfields(r); i++) {
		const char *f = oa_csv_field(r, i);
		for (size_t k = 0; k < oa_csv_field_len(r, i); k++)
			if (f[k] != ' ' && f[k] != '\t')
				return false;
	}
	return true;
}

/* Trimmed copy of s[0..n) into buf (cap bytes); returns buf. */
static char *
trim_copy(const char *s, size_t n, char *buf, size_t cap)
{
	while (n > 0 && (*s == ' ' || *s == '\t'))
		s++, n--;
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	if (n >= cap)
		n = cap - 1;
	memcpy(buf, s, n);
	buf[n] = '\0';
	return buf;
}

static oa_csv_reader *
open_csv(const char *path, const oa_csv_options *opt, const oa_column *cols, size_t ncols,
         uint64_t required, int *ix, oa_error *err)
{
	oa_csv_reader *r = oa_csv_reader_open(path, opt, err);
	int rc;

	if (r == NULL)
		return NULL;
	rc = oa_csv_read(r, err);
	if (rc == 0)
		oa_error_set(err, oa_csv_name(r), 0, "empty file: no header");
	if (rc <= 0 || oa_columns_map(r, cols, ncols, required, ix, err) < 0) {
		oa_csv_reader_free(r);
		return NULL;
	}
	return r;
}

int
oa_schedule_read_people(oa_schedule *s, const char *path, const oa_csv_options *opt,
                        oa_error *err)
{
	int ix[P_NCOLS], rc;
	oa_csv_reader *r = open_csv(path, opt, people_columns, P_NCOLS, OA_BIT(P_NAME), ix, err);
	char name[256], email[256], dept[256];

	if (r == NULL)
		return -1;
	while ((rc = oa_csv_read(r, err)) > 0) {
		const char *f;

		if (blank_record(r))
			continue;
		f = field(r, ix, P_NAME);
		trim_copy(f, strlen(f), name, sizeof name);
		f = field(r, ix, P_EMAIL);
		trim_copy(f, strlen(f), email, sizeof email);
		f = field(r, ix, P_DEPT);
		trim_copy(f, strlen(f), dept, sizeof dept);
		if (name[0] == '\0') {
			rc = oa_error_set(err, oa_csv_name(r), oa_csv_line(r), "empty name");
			break;
		}
		if (email[0] != '\0' && strchr(email, '@') == NULL) {
			rc = oa_error_set(err, oa_csv_name(r), oa_csv_line(r),
			                  "\"%s\" is not an e-mail address", email);
			break;
		}
		{
			int other = oa_schedule_find_person(s, name);
			if (other >= 0 && name_eq(s->people[other].name, name)) {
				rc = oa_error_set(err, oa_csv_name(r), oa_csv_line(r),
				                  "person \"%s\" listed twice", name);
				goto out;
			}
		}
		if (add_person(s, name, email, dept, err) < 0) {
			rc = -1;
			break;
		}
	}
out:
	oa_csv_reader_free(r);
	if (rc < 0)
		return -1;
	s->people_closed = true;
	return 0;
}

int
oa_schedule_read_rooms(oa_schedule *s, const char *path, const oa_csv_options *opt,
                       oa_error *err)
{
	int ix[RM_NCOLS], rc;
	oa_csv_reader *r = open_csv(path, opt, room_columns, RM_NCOLS,
	                            OA_BIT(RM_NAME) | OA_BIT(RM_CAPACITY), ix, err);
	char name[256], cap[64];

	if (r == NULL)
		return -1;
	/* The file replaces the rooms of the config. */
	for (size_t i = 0; i < s->nrooms; i++)
		free(s->rooms[i].name);
	s->nrooms = 0;
	while ((rc = oa_csv_read(r, err)) > 0) {
		const char *f = field(r, ix, RM_NAME);
		char *end;
		long c;

		if (blank_record(r))
			continue;
		trim_copy(f, strlen(f), name, sizeof name);
		f = field(r, ix, RM_CAPACITY);
		trim_copy(f, strlen(f), cap, sizeof cap);
		errno = 0;
		c = strtol(cap, &end, 10);
		if (name[0] == '\0') {
			rc = oa_error_set(err, oa_csv_name(r), oa_csv_line(r), "empty room name");
			break;
		}
		if (errno != 0 || end == cap || *end != '\0' || c < 1 || c > 100000) {
			rc = oa_error_set(err, oa_csv_name(r), oa_csv_line(r),
			                  "capacity \"%s\" is not a number of seats", cap);
			break;
		}
		if (oa_schedule_find_room(s, name) >= 0) {
			rc = oa_error_set(err, oa_csv_name(r), oa_csv_line(r), "room \"%s\" listed twice",
			                  name);
			break;
		}
		if (oa_schedule_add_room(s, name, (int)c, err) < 0) {
			rc = -1;
			break;
		}
	}
	oa_csv_reader_free(r);
	return rc < 0 ? -1 : 0;
}

/* "H:MM" or "HH:MM", optionally ":SS" (dropped), as a spreadsheet writes a time. */
static int
parse_clock(const char *s, int *minutes)
{
	int h = 0, m, nd = 0;

	while (*s >= '0' && *s <= '9' && nd < 3)
		h = h * 10 + (*s++ - '0'), nd++;
	if (nd < 1 || nd > 2 || *s++ != ':' || s[0] < '0' || s[0] > '5' || s[1] < '0' ||
	    s[1] > '9')
		return -1;
	m = (s[0] - '0') * 10 + (s[1] - '0');
	s += 2;
	if (*s == ':') {
		if (s[1] < '0' || s[1] > '5' || s[2] < '0' || s[2] > '9')
			return -1;
		s += 3;
	}
	if (*s != '\0' || h > 23)
		return -1;
	*minutes = h * 60 + m;
	return 0;
}

/*
 * Parses a date or date-time as typed or as Excel and WPS export it: ISO
 * ("2026-05-06", "2026-05-06 09:00", "2026-05-06T09:00"), or a date of
 * oa_date_parse_excel ("2026/5/6", "2026.5.6", "2026年5月6日") followed by a
 * space (none needed after 日) and "H:MM[:SS]".  A bare date is 00:00 of it,
 * or with END_OF_DAY the next 00:00; with NEED_TIME it is refused.
 */
static int
parse_moment_as(const char *s, bool end_of_day, bool need_time, oa_minute *out)
{
	char buf[64];
	size_t len, dlen;
	const char *tp = NULL;
	const char *ri = NULL;
	oa_date d;
	int mins = 0;

	trim_copy(s, strlen(s), buf, sizeof buf);
	len = strlen(buf);
	if (oa_datetime_parse(buf, len, 0, out) == 0)
		return 0;
	/* The date ends at the first space, or after 日. */
	dlen = strcspn(buf, " \t");
	if (dlen == len && (ri = strstr(buf, "日")) != NULL)
		dlen = (size_t)(ri - buf) + strlen("日");
	if (oa_date_parse_excel(buf, dlen, &d) < 0)
		return -1;
	tp = buf + dlen;
	while (*tp == ' ' || *tp == '\t')
		tp++;
	if (*tp != '\0') {
		if (parse_clock(tp, &mins) < 0)
			return -1;
	} else if (need_time) {
		return -1;
	} else if (end_of_day) {
		d++;
	}
	*out = (oa_minute)d * OA_MINUTES_PER_DAY + mins;
	return 0;
}

/* Parses a date or date-time (see parse_moment_as). */
static int
parse_moment(const char *s, bool end_of_day, oa_minute *out)
{
	return parse_moment_as(s, end_of_day, false, out);
}

/* The message for an unreadable date S in column WHAT. */
static int
bad_moment(oa_error *err, const char *file, long line, const char *what, const char *s,
           bool need_time)
{
	char buf[64];

	trim_copy(s, strlen(s), buf, sizeof buf);
	if (oa_date_looks_like_serial(buf, strlen(buf)))
		return oa_error_set(err, file, line,
		                    "%s \"%s\" is a spreadsheet day number, not a date: format the "
		                    "column as a date (2026-05-06) before saving the CSV", what, buf);
	return oa_error_set(err, file, line,
	                    "%s \"%s\" is not a %s (2026-05-06 09:00, 2026/5/6 9:00 or "
	                    "2026年5月6日%s)", what, buf,
	                    need_time ? "date-time" : "date or date-time",
	                    need_time ? " 9:00" : "");
}

int
oa_schedule_read_busy(oa_schedule *s, const char *path, const oa_csv_options *opt,
                      oa_error *err)
{
	int ix[B_NCOLS], rc;
	oa_csv_reader *r = open_csv(path, opt, busy_columns, B_NCOLS,
	                            OA_BIT(B_PERSON) | OA_BIT(B_START) | OA_BIT(B_END), ix, err);
	char name[256];
	struct unknown {
		char *name;
		long line, rows;
	} *unk = NULL;
	size_t nunk = 0, capunk = 0, nknown = 0;
	unsigned char *in_req = NULL;

	if (r == NULL)
		return -1;
	/*
	 * Without a people file, a name that is in no request (a typo such as
	 * 赵志钢) would be busy time for nobody being planned: kept, but warned
	 * about per name.  Who is in a request:
	 */
	if (!s->people_closed && s->nreq > 0) {
		nknown = s->npeople;
		if ((in_req = calloc(nknown ? nknown : 1, 1)) == NULL) {
			oa_csv_reader_free(r);
			return oa_error_sys(err, path, "out of memory");
		}
		for (size_t i = 0; i < s->nreq; i++) {
			const oa_sched_request *q = &s->req[i];
			for (size_t j = 0; j < q->nrequired; j++)
				in_req[q->required[j]] = 1;
			for (size_t j = 0; j < q->noptional; j++)
				in_req[q->optional[j]] = 1;
			if (q->organizer >= 0)
				in_req[q->organizer] = 1;
		}
	}
	while ((rc = oa_csv_read(r, err)) > 0) {
		const char *f = field(r, ix, B_PERSON);
		oa_minute a, b;
		int p;

		if (blank_record(r))
			continue;
		trim_copy(f, strlen(f), name, sizeof name);
		if (name[0] == '\0') {
			rc = oa_error_set(err, oa_csv_name(r), oa_csv_line(r), "empty person");
			break;
		}
		if (parse_moment(field(r, ix, B_START), false, &a) < 0) {
			rc = bad_moment(err, oa_csv_name(r), oa_csv_line(r), "start",
			                field(r, ix, B_START), false);
			break;
		}
		if (parse_moment(field(r, ix, B_END), true, &b) < 0) {
			rc = bad_moment(err, oa_csv_name(r), oa_csv_line(r), "end", field(r, ix, B_END),
			                false);
			break;
		}
		if (b <= a) {
			rc = oa_error_set(err, oa_csv_name(r), oa_csv_line(r),
			                  "end is not after start");
			break;
		}
		p = oa_schedule_find_person(s, name);
		if ((p < 0 && s->people_closed) ||
		    (in_req != NULL && (p < 0 || (size_t)p >= nknown || !in_req[p]))) {
			/* Not in this planning: skipped (kept without a people file), with a
			 * warning per name. */
			size_t u = nunk;
			while (u > 0 && strcmp(unk[u - 1].name, name) != 0)
				u--;
			if (u > 0) {
				unk[u - 1].rows++;
			} else {
				if (grow((void **)&unk, &capunk, nunk + 1, sizeof *unk, err) < 0 ||
				    (unk[nunk].name = xstrndup(name, strlen(name), err)) == NULL) {
					rc = -1;
					break;
				}
				unk[nunk].line = oa_csv_line(r);
				unk[nunk++].rows = 1;
			}
			if (s->people_closed)
				continue;
		}
		if (p < 0 && (p = add_person(s, name, "", "", err)) < 0) {
			rc = -1;
			break;
		}
		if (oa_schedule_add_busy(s, p, a, b, err) < 0) {
			rc = -1;
			break;
		}
	}
	for (size_t u = 0; u < nunk; u++) {
		if (rc >= 0 && s->people_closed &&
		    oa_schedule_warn(s, oa_csv_name(r), unk[u].line, err,
		                     "\"%s\" is not in the people file: %ld busy row%s ignored",
		                     unk[u].name, unk[u].rows, unk[u].rows == 1 ? "" : "s") < 0)
			rc = -1;
		if (rc >= 0 && !s->people_closed &&
		    oa_schedule_warn(s, oa_csv_name(r), unk[u].line, err,
		                     "\"%s\" is in no request: %ld busy row%s for nobody being "
		                     "planned (a misspelt name? -p people.csv checks names)",
		                     unk[u].name, unk[u].rows, unk[u].rows == 1 ? "" : "s") < 0)
			rc = -1;
		free(unk[u].name);
	}
	free(unk);
	free(in_req);
	oa_csv_reader_free(r);
	return rc < 0 ? -1 : 0;
}

int
oa_schedule_parse_priority(const char *s)
{
	char buf[32];

	trim_copy(s, strlen(s), buf, sizeof buf);
	if (buf[0] == '\0')
		return 3;
	if (buf[0] >= '1' && buf[0] <= '5' && buf[1] == '\0')
		return buf[0] - '0';
	if (strcmp(buf, "特急") == 0)
		return 1;
	if (strcmp(buf, "紧急") == 0 || strcmp(buf, "加急") == 0)
		return 2;
	if (strcmp(buf, "一般") == 0 || strcmp(buf, "普通") == 0)
		return 3;
	return -1;
}

/* Splits a list of names at ; , and their full-width forms and 、. */
static int
parse_people(oa_schedule *s, const char *list, int **out, size_t *n, oa_csv_reader *r,
             const char *what, oa_error *err)
{
	const char *p = list;
	size_t cap = 0;

	*out = NULL;
	*n = 0;
	while (*p != '\0') {
		const char *q = p;
		size_t seplen = 0;
		char name[256];
		int idx;

		while (*q != '\0') {
			if (*q == ';' || *q == ',') {
				seplen = 1;
				break;
			}
			if (strncmp(q, "；", 3) == 0 || strncmp(q, "，", 3) == 0 ||
			    strncmp(q, "、", 3) == 0) {
				seplen = 3;
				break;
			}
			q++;
		}
		trim_copy(p, (size_t)(q - p), name, sizeof name);
		p = q + seplen;
		if (*q == '\0')
			p = q;
		if (name[0] == '\0')
			continue;
		idx = oa_schedule_find_person(s, name);
		if (idx < 0 && s->people_closed)
			return oa_error_set(err, oa_csv_name(r), oa_csv_line(r),
			                    "%s \"%s\" is not in the people file", what, name);
		if (idx < 0 && (idx = add_person(s, name, "", "", err)) < 0)
			return -1;
		for (size_t i = 0; i < *n; i++)
			if ((*out)[i] == idx)
				goto next;
		if (grow((void **)out, &cap, *n + 1, sizeof **out, err) < 0)
			return -1;
		(*out)[(*n)++] = idx;
next:;
	}
	return 0;
}

/* A day unit in a duration: 天, 日, or d/day after a number. */
static bool
has_day_unit(const char *t)
{
	if (strstr(t, "天") != NULL || strstr(t, "日") != NULL)
		return true;
	for (const char *p = t; *p; p++) {
		const char *b = p;
		if (*p != 'd' && *p != 'D')
			continue;
		while (b > t && b[-1] == ' ')
			b--;
		if (b > t && ((b[-1] >= '0' && b[-1] <= '9') || b[-1] == '.'))
			return true;
	}
	return false;
}

int
oa_schedule_parse_duration(const oa_schedule *s, const char *text, long *minutes,
                           bool *whole_day, oa_error *err)
{
	long m;

	*whole_day = false;
	if (oa_duration_parse(text, strlen(text), &m) < 0)
		return oa_error_set(err, NULL, 0, "duration \"%s\" is not a duration", text);
	if (has_day_unit(text)) {
		const oa_calendar *c = &s->cal;
		if (c->nhours == 0)
			return oa_error_set(err, NULL, 0, "duration \"%s\": no office hours", text);
		if (m == 720) {
			/* Half a working day: half its office minutes. */
			*minutes = (oa_calendar_minutes_per_day(c) + 1) / 2;
			return 0;
		}
		if (m == 1440) {
			/* The whole working day, through the breaks. */
			*minutes = c->hours[c->nhours - 1].end - c->hours[0].start;
			*whole_day = true;
			return 0;
		}
		return oa_error_set(err, NULL, 0,
		                    "duration \"%s\": a meeting in days is 半天 (half a working day) "
		                    "or 1天 (the whole working day); split longer ones", text);
	}
	if (m > 1440)
		return oa_error_set(err, NULL, 0, "duration \"%s\" is longer than a day", text);
	*minutes = m;
	return 0;
}

static int
read_request(oa_schedule *s, oa_csv_reader *r, const int *ix, oa_date from,
             oa_sched_request *q, oa_error *err)
{
	const char *f;
	char buf[256];
	const char *file = oa_csv_name(r);
	long line = oa_csv_line(r);

	q->line = line;
	q->room = -1;
	q->organizer = -1;
	q->placed_room = -1;
	f = field(r, ix, R_ID);
	trim_copy(f, strlen(f), buf, sizeof buf);
	if (buf[0] == '\0')
		return oa_error_set(err, file, line, "empty id");
	if ((q->id = xstrndup(buf, strlen(buf), err)) == NULL)
		return -1;
	f = field(r, ix, R_TITLE);
	if ((q->title = xstrndup(f, strlen(f), err)) == NULL)
		return -1;
	f = field(r, ix, R_DURATION);
	trim_copy(f, strlen(f), buf, sizeof buf);
	if (oa_schedule_parse_duration(s, buf, &q->duration, &q->whole_day, err) < 0) {
		char msg[sizeof err->msg];
		snprintf(msg, sizeof msg, "%s", err->msg);
		return oa_error_set(err, file, line, "%s", msg);
	}
	if (parse_people(s, field(r, ix, R_REQUIRED), &q->required, &q->nrequired, r,
	                 "attendee", err) < 0 ||
	    parse_people(s, field(r, ix, R_OPTIONAL), &q->optional, &q->noptional, r,
	                 "optional attendee", err) < 0)
		return -1;
	/* Someone both required and optional is required. */
	for (size_t i = 0; i < q->noptional;) {
		bool dup = false;
		for (size_t j = 0; j < q->nrequired; j++)
			dup |= q->required[j] == q->optional[i];
		if (dup)
			q->optional[i] = q->optional[--q->noptional];
		else
			i++;
	}
	if ((q->priority = oa_schedule_parse_priority(field(r, ix, R_PRIORITY))) < 0)
		return oa_error_set(err, file, line,
		                    "priority \"%s\" is not 1..5, 特急, 紧急 or 一般",
		                    field(r, ix, R_PRIORITY));
	f = field(r, ix, R_EARLIEST);
	trim_copy(f, strlen(f), buf, sizeof buf);
	if (buf[0] == '\0')
		q->earliest = (oa_minute)from * OA_MINUTES_PER_DAY;
	else if (parse_moment(buf, false, &q->earliest) < 0)
		return bad_moment(err, file, line, "earliest", buf, false);
	f = field(r, ix, R_LATEST);
	trim_copy(f, strlen(f), buf, sizeof buf);
	if (buf[0] == '\0') {
		oa_minute day0 = q->earliest - q->earliest % OA_MINUTES_PER_DAY;
		q->latest = day0 + (oa_minute)(s->horizon + 1) * OA_MINUTES_PER_DAY;
	} else if (parse_moment(buf, true, &q->latest) < 0) {
		return bad_moment(err, file, line, "latest", buf, false);
	}
	if (q->latest <= q->earliest)
		return oa_error_set(err, file, line, "latest is not after earliest");
	if (q->earliest < 0)
		return oa_error_set(err, file, line,
		                    "the window starts before 1970-01-01, which meeting-sched does "
		                    "not plan");
	if (q->latest - q->earliest > (oa_minute)s->max_window * OA_MINUTES_PER_DAY) {
		char a[32], b[32];
		oa_datetime_format(q->earliest, a);
		oa_datetime_format(q->latest - 1, b);
		return oa_error_set(err, file, line,
		                    "the window %s .. %s is longer than [meetings] max_window "
		                    "(%d days)", a, b, s->max_window);
	}
	f = field(r, ix, R_ROOM);
	trim_copy(f, strlen(f), buf, sizeof buf);
	if (buf[0] != '\0' && (q->room = oa_schedule_find_room(s, buf)) < 0)
		return oa_error_set(err, file, line, "unknown room \"%s\"", buf);
	f = field(r, ix, R_SEATS);
	trim_copy(f, strlen(f), buf, sizeof buf);
	if (buf[0] == '\0') {
		q->seats = (int)(q->nrequired + q->noptional);
	} else {
		char *end;
		long v;
		errno = 0;
		v = strtol(buf, &end, 10);
		if (errno != 0 || *end != '\0' || v < 0 || v > 100000)
			return oa_error_set(err, file, line, "seats \"%s\" is not a number", buf);
		q->seats = (int)v;
	}
	f = field(r, ix, R_ORGANIZER);
	trim_copy(f, strlen(f), buf, sizeof buf);
	if (buf[0] != '\0') {
		q->organizer = oa_schedule_find_person(s, buf);
		if (q->organizer < 0 && s->people_closed)
			return oa_error_set(err, file, line,
			                    "organizer \"%s\" is not in the people file", buf);
		if (q->organizer < 0 && (q->organizer = add_person(s, buf, "", "", err)) < 0)
			return -1;
	}
	f = field(r, ix, R_START);
	trim_copy(f, strlen(f), buf, sizeof buf);
	if (buf[0] != '\0') {
		if (parse_moment_as(buf, false, true, &q->fixed_start) < 0)
			return bad_moment(err, file, line, "start", buf, true);
		if (q->fixed_start < 0)
			return oa_error_set(err, file, line,
			                    "start \"%s\" is before 1970-01-01, which meeting-sched does "
			                    "not plan", buf);
		q->fixed = true;
	}
	if (q->nrequired == 0)
		return oa_error_set(err, file, line, "no required attendee");
	return 0;
}

int
oa_schedule_read_requests(oa_schedule *s, const char *path, const oa_csv_options *opt,
                          oa_date from, oa_error *err)
{
	int ix[R_NCOLS], rc;
	oa_csv_reader *r = open_csv(path, opt, request_columns, R_NCOLS,
	                            OA_BIT(R_ID) | OA_BIT(R_DURATION) | OA_BIT(R_REQUIRED), ix,
	                            err);
	size_t nbefore;

	if (r == NULL)
		return -1;
	nbefore = s->nreq;
	free(s->requests_name);
	s->requests_name = strdup(oa_csv_name(r));
	while ((rc = oa_csv_read(r, err)) > 0) {
		oa_sched_request *q;

		if (blank_record(r))
			continue;

		if (grow((void **)&s->req, &s->cap_req, s->nreq + 1, sizeof *s->req, err) < 0) {
			rc = -1;
			break;
		}
		q = &s->req[s->nreq++];
		memset(q, 0, sizeof *q);
		if (read_request(s, r, ix, from, q, err) < 0) {
			rc = -1;
			break;
		}
		for (size_t i = 0; i + 1 < s->nreq; i++)
			if (strcmp(s->req[i].id, q->id) == 0) {
				rc = oa_error_set(err, oa_csv_name(r), oa_csv_line(r),
				                  "id \"%s\" already used on line %ld", q->id,
				                  s->req[i].line);
				break;
			}
		if (rc < 0)
			break;
	}
	if (rc == 0 && s->nreq == nbefore)
		rc = oa_error_set(err, oa_csv_name(r), 0,
		                  "no requests below the header (an empty batch "
		                  "would place nothing and cancel every previous meeting)");
	oa_csv_reader_free(r);
	return rc < 0 ? -1 : 0;
}

void
oa_schedule_window(const oa_schedule *s, oa_minute *from, oa_minute *to)
{
	oa_minute a = INT64_MAX, b = INT64_MIN;

	for (size_t i = 0; i < s->nreq; i++) {
		const oa_sched_request *q = &s->req[i];
		oa_minute e = q->fixed ? q->fixed_start : q->earliest;
		oa_minute l = q->fixed ? q->fixed_start + q->duration : q->latest;
		if (e < a)
			a = e;
		if (l > b)
			b = l;
	}
	if (a > b)
		a = b = 0;
	*from = a;
	*to = b;
}

/* ---- the solver ---- */

static bool
overlaps(oa_minute s1, oa_minute e1, oa_minute s2, oa_minute e2, int b)
{
	return s1 < e2 + b && s2 < e1 + b;
}

static bool
in_list(const int *a, size_t n, int x)
{
	for (size_t i = 0; i < n; i++)
		if (a[i] == x)
			return true;
	return false;
}


typedef struct iv {
	oa_minute s, e;
	int owner; /* request, or -1 for busy time */
} iv;

typedef struct tline {
	iv *st;  /* busy time and fixed meetings: sorted, disjoint */
	size_t nst, capst;
	iv *dy;  /* placed meetings: sorted, disjoint */
	size_t ndy, capdy;
} tline;

typedef struct cand {
	oa_minute t;
	int k;
} cand;

typedef struct solver {
	oa_schedule *s;
	tline *tl;       /* npeople persons, then nrooms rooms */
	cand **cand;     /* per request */
	size_t *ncand;
	int **fit;       /* per request: rooms that fit, by capacity */
	int **rank;
	size_t *nfit;
	int **optin;     /* per person: requests where optional */
	size_t *noptin;
	size_t *glist, *gorder, *gat; /* nreq + 1 each, for absent_delta */
	bool *gbusy;
	oa_minute *stamp;
	struct timespec t0, w0; /* processor and wall-clock time at the start */
	double limit;
	uint64_t rng;
	oa_error *err;
	bool nomem;
} solver;

static double
seconds_since(clockid_t clock, const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(clock, &t);
	return (double)(t.tv_sec - t0->tv_sec) + (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

/*
 * The search's time in units of the limit: processor time, or half the
 * wall-clock time when the machine is so loaded that that is larger.
 */
static double
elapsed(const solver *sv)
{
	double cpu = seconds_since(CLOCK_PROCESS_CPUTIME_ID, &sv->t0);
	double wall = seconds_since(CLOCK_MONOTONIC, &sv->w0) / 2;

	return cpu > wall ? cpu : wall;
}

static uint64_t
rnd(solver *sv)
{
	uint64_t x = sv->rng;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return sv->rng = x;
}

/* First index in A (n, sorted disjoint) whose end + b > t. */
static size_t
first_after(const iv *a, size_t n, oa_minute t, int b)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (a[mid].e + b > t)
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

static bool
hits(const iv *a, size_t n, oa_minute s, oa_minute e, int b)
{
	size_t i = first_after(a, n, s, b);

	return i < n && a[i].s < e + b;
}

static bool
tl_busy(const tline *t, oa_minute s, oa_minute e, int b)
{
	return hits(t->st, t->nst, s, e, b) || hits(t->dy, t->ndy, s, e, b);
}

static int
tl_insert(solver *sv, tline *t, oa_minute s, oa_minute e, int owner)
{
	size_t i = first_after(t->dy, t->ndy, s, 0);

	if (grow((void **)&t->dy, &t->capdy, t->ndy + 1, sizeof *t->dy, sv->err) < 0) {
		sv->nomem = true;
		return -1;
	}
	memmove(&t->dy[i + 1], &t->dy[i], (t->ndy - i) * sizeof *t->dy);
	t->dy[i] = (iv){ s, e, owner };
	t->ndy++;
	return 0;
}

static void
tl_remove(tline *t, oa_minute s, int owner)
{
	size_t i = first_after(t->dy, t->ndy, s, 0);

	while (i < t->ndy && t->dy[i].owner != owner)
		i++;
	if (i < t->ndy) {
		memmove(&t->dy[i], &t->dy[i + 1], (t->ndy - i - 1) * sizeof *t->dy);
		t->ndy--;
	}
}

static int
cmp_iv(const void *a, const void *b)
{
	const iv *x = a, *y = b;

	return x->s < y->s ? -1 : x->s > y->s ? 1 : (x->e > y->e) - (x->e < y->e);
}

static int
tl_add_static(solver *sv, tline *t, oa_minute s, oa_minute e)
{
	if (grow((void **)&t->st, &t->capst, t->nst + 1, sizeof *t->st, sv->err) < 0)
		return -1;
	t->st[t->nst++] = (iv){ s, e, -1 };
	return 0;
}

static void
tl_merge_static(tline *t)
{
	size_t n = 0;

	if (t->nst == 0)
		return;
	qsort(t->st, t->nst, sizeof *t->st, cmp_iv);
	for (size_t i = 1; i < t->nst; i++) {
		if (t->st[i].s <= t->st[n].e) {
			if (t->st[i].e > t->st[n].e)
				t->st[n].e = t->st[i].e;
		} else {
			t->st[++n] = t->st[i];
		}
	}
	t->nst = n + 1;
}

/*
 * Whether a meeting of Q starting at minute M of a working day, M on the
 * grid of office period P, keeps to the office hours: it ends inside P, or,
 * when it may run through the breaks, inside a later period of the day.
 */
bool
oa_schedule_fits_hours(const oa_schedule *s, const oa_sched_request *q, int m, size_t p)
{
	long e = m + q->duration;

	if (e <= s->cal.hours[p].end)
		return true;
	if (!s->span_breaks && !q->whole_day)
		return false;
	for (size_t j = p + 1; j < s->cal.nhours; j++)
		if (e > s->cal.hours[j].start && e <= s->cal.hours[j].end)
			return true;
	return false;
}

/* M * moved(R) of schedule.h for R placed (or not) at T in ROOM. */
static long
move_cost(const oa_schedule *s, const oa_sched_request *q, bool placed, oa_minute t, int room)
{
	if (!q->has_prev || q->fixed)
		return 0;
	return placed && t == q->prev_start && room == q->prev_room ? 0 : s->w.move;
}

/* What leaving Q out costs: its penalty, and the move cost of a meeting sent before. */
static long
unplaced_cost(const oa_schedule *s, const oa_sched_request *q)
{
	return (s->w.unplaced << (5 - q->priority)) + move_cost(s, q, false, 0, -1);
}

/* Lists the grid start times of request Q; see schedule.h for k. */
static int
make_cands(solver *sv, size_t r)
{
	oa_schedule *s = sv->s;
	oa_sched_request *q = &s->req[r];
	size_t cap = 0, n = 0;
	cand *c = NULL;
	oa_date d0 = (oa_date)(q->earliest / OA_MINUTES_PER_DAY);
	int k = 0;

	for (oa_date d = d0; (oa_minute)d * OA_MINUTES_PER_DAY < q->latest; d++) {
		if (!oa_calendar_is_workday(&s->cal, d))
			continue;
		for (size_t p = 0; p < s->cal.nhours; p++) {
			const oa_period *per = &s->cal.hours[p];
			for (int m = per->start; m < per->end; m += s->grain, k++) {
				oa_minute t = (oa_minute)d * OA_MINUTES_PER_DAY + m;
				if (!oa_schedule_fits_hours(s, q, m, p) || t < q->earliest ||
				    t + q->duration > q->latest)
					continue;
				if (grow((void **)&c, &cap, n + 1, sizeof *c, sv->err) < 0)
					return -1;
				c[n++] = (cand){ t, k };
			}
		}
	}
	sv->cand[r] = c;
	sv->ncand[r] = n;
	return 0;
}

static int
make_fit(solver *sv, size_t r)
{
	oa_schedule *s = sv->s;
	oa_sched_request *q = &s->req[r];
	size_t n = 0;

	sv->fit[r] = malloc((s->nrooms + 1) * sizeof(int));
	sv->rank[r] = malloc((s->nrooms + 1) * sizeof(int));
	if (sv->fit[r] == NULL || sv->rank[r] == NULL)
		return oa_error_sys(sv->err, NULL, "out of memory");
	for (size_t i = 0; i < s->nrooms; i++)
		if (s->rooms[i].capacity >= q->seats)
			sv->fit[r][n++] = (int)i;
	/* Insertion sort by capacity, stable. */
	for (size_t i = 1; i < n; i++) {
		int x = sv->fit[r][i];
		size_t j = i;
		while (j > 0 && s->rooms[sv->fit[r][j - 1]].capacity > s->rooms[x].capacity) {
			sv->fit[r][j] = sv->fit[r][j - 1];
			j--;
		}
		sv->fit[r][j] = x;
	}
	for (size_t i = 0; i < n; i++) {
		int rk = 0;
		for (size_t j = 0; j < n; j++)
			rk += s->rooms[sv->fit[r][j]].capacity < s->rooms[sv->fit[r][i]].capacity;
		sv->rank[r][i] = rk;
	}
	if (q->room >= 0) {
		/* The named room only, with its rank among those that fit. */
		int rk = -1;
		for (size_t i = 0; i < n; i++)
			if (sv->fit[r][i] == q->room)
				rk = sv->rank[r][i];
		n = 0;
		if (rk >= 0) {
			sv->fit[r][0] = q->room;
			sv->rank[r][0] = rk;
			n = 1;
		}
	}
	sv->nfit[r] = n;
	return 0;
}

static bool comes_first(const oa_schedule *s, size_t a, oa_minute at, size_t b, oa_minute bt);

/*
 * The optional attendees' term of F, person by person.  Person P misses
 * some of the placed meetings (not fixed) where P is optional, by the rule
 * of schedule.h (oa_schedule_absent): those meetings are taken in the order
 * of comes_first, and P attends each that P is not committed elsewhere for
 * (busy time, a fixed meeting, a placed meeting P is required at) and that
 * does not overlap one P already attends.  Only P's own meetings change
 * P's count, so placing R changes F's optional term by the change of this
 * count for R's required and optional attendees alone.
 *
 * Whether P attends a meeting depends only on the meetings overlapping it
 * (with the buffer): the count splits over the groups of P's meetings that
 * overlap in a chain.  absent_delta(P, R, T) is the change of P's count
 * when R (not placed) is placed at T: the count of R's group with R less
 * the count of the same meetings without R.  That is how the search sees
 * the term exactly, at the price of a few meetings a person.
 */

/*
 * P's count over the meetings LIST[0..n), BUSY[i] when P is committed
 * elsewhere at LIST[i]; HYP, when among them, at HT, and P required at HYP
 * when HREQ.
 */
static long
group_absent(solver *sv, const size_t *list, size_t n, long hyp, oa_minute ht,
             const bool *busy, bool hreq)
{
	const oa_schedule *s = sv->s;
	const oa_sched_request *h = hyp >= 0 ? &s->req[hyp] : NULL;
	size_t *order = sv->gorder, *at = sv->gat, nat = 0;
	long absent = 0;

	/* Insertion sort of the indexes by comes_first (the groups are short). */
	for (size_t i = 0; i < n; i++) {
		size_t j = i;
		oa_minute xt = list[i] == (size_t)hyp ? ht : s->req[list[i]].start;
		while (j > 0) {
			size_t y = list[order[j - 1]];
			oa_minute yt = y == (size_t)hyp ? ht : s->req[y].start;
			if (!comes_first(s, list[i], xt, y, yt))
				break;
			order[j] = order[j - 1];
			j--;
		}
		order[j] = i;
	}
	for (size_t k = 0; k < n; k++) {
		size_t i = order[k];
		const oa_sched_request *m = &s->req[list[i]];
		oa_minute t = list[i] == (size_t)hyp ? ht : m->start, e = t + m->duration;
		bool clash = busy[i] || (hreq && overlaps(t, e, ht, ht + h->duration, s->buffer));
		for (size_t j = 0; j < nat && !clash; j++) {
			const oa_sched_request *x = &s->req[list[at[j]]];
			oa_minute xt = list[at[j]] == (size_t)hyp ? ht : x->start;
			clash = overlaps(t, e, xt, xt + x->duration, s->buffer);
		}
		if (clash)
			absent++;
		else
			at[nat++] = i;
	}
	return absent;
}

/* The change of P's count when R (not placed) is placed at HT. */
static long
absent_delta(solver *sv, int p, size_t r, oa_minute ht)
{
	const oa_schedule *s = sv->s;
	const oa_sched_request *h = &s->req[r];
	bool hreq = in_list(h->required, h->nrequired, p);
	bool hopt = !hreq && in_list(h->optional, h->noptional, p);
	oa_minute lo = ht, hi = ht + h->duration + s->buffer; /* R's group, widened */
	size_t *list = sv->glist, n = 0;
	bool *busy = sv->gbusy, grew = true;
	long with, without;

	/*
	 * R's group: P's placed meetings chained to R by overlaps.  Each
	 * meeting is [start, end + buffer); two overlap when these intersect.
	 */
	while (grew) {
		grew = false;
		for (size_t j = 0; j < sv->noptin[p]; j++) {
			size_t mi = (size_t)sv->optin[p][j];
			const oa_sched_request *m = &s->req[mi];
			oa_minute ms, me;
			bool seen = false;
			if (mi == r || !m->placed || m->fixed)
				continue;
			ms = m->start;
			me = m->start + m->duration + s->buffer;
			if (!(ms < hi && lo < me))
				continue;
			for (size_t i = 0; i < n && !seen; i++)
				seen = list[i] == mi;
			if (seen)
				continue;
			list[n++] = mi;
			if (ms < lo)
				lo = ms;
			if (me > hi)
				hi = me;
			grew = true;
		}
	}
	if (n == 0)
		return hopt && tl_busy(&sv->tl[p], ht, ht + h->duration, s->buffer);
	for (size_t i = 0; i < n; i++)
		busy[i] = tl_busy(&sv->tl[p], s->req[list[i]].start,
		                  s->req[list[i]].start + s->req[list[i]].duration, s->buffer);
	without = group_absent(sv, list, n, -1, 0, busy, false);
	if (hopt) {
		busy[n] = tl_busy(&sv->tl[p], ht, ht + h->duration, s->buffer);
		list[n++] = r;
	}
	with = group_absent(sv, list, n, (long)r, ht, busy, hreq);
	return with - without;
}

/*
 * Cost of placing R at T in fit[r][fi], given the others as they are (R not
 * placed): the change of F, exactly.  The optional attendees' term is the
 * change of the absences of R's required and optional attendees, at R and
 * at their other meetings (person_absent).  Returns early, with a partial
 * cost, once the other terms reach BOUND.
 */
static long long
place_cost(solver *sv, size_t r, oa_minute t, int k, size_t fi, long long bound)
{
	oa_schedule *s = sv->s;
	oa_sched_request *q = &s->req[r];
	long long c = (long long)s->w.late * (6 - q->priority) * k +
	              (long long)s->w.room * sv->rank[r][fi] +
	              move_cost(s, q, true, t, sv->fit[r][fi]);
	long d = 0;

	if (c >= bound || s->w.optional == 0)
		return c;
	for (size_t i = 0; i < q->nrequired + q->noptional; i++) {
		int p = i < q->nrequired ? q->required[i] : q->optional[i - q->nrequired];
		if (sv->noptin[p] > 0)
			d += absent_delta(sv, p, r, t);
	}
	return c + (long long)s->w.optional * d;
}

static bool
persons_free(solver *sv, size_t r, oa_minute t)
{
	oa_sched_request *q = &sv->s->req[r];

	for (size_t i = 0; i < q->nrequired; i++)
		if (tl_busy(&sv->tl[q->required[i]], t, t + q->duration, sv->s->buffer))
			return false;
	return true;
}

static bool
room_free(solver *sv, int room, oa_minute t, oa_minute e)
{
	return !tl_busy(&sv->tl[sv->s->npeople + room], t, e, 0);
}

typedef struct spot {
	oa_minute t;
	int room;
	long long cost; /* LLONG_MAX: nowhere */
} spot;

/* The cheapest feasible place for R (not placed), or cost LLONG_MAX. */
static spot
best_spot(solver *sv, size_t r)
{
	oa_schedule *s = sv->s;
	oa_sched_request *q = &s->req[r];
	spot best = { 0, -1, LLONG_MAX };
	long long slope = (long long)s->w.late * (6 - q->priority);

	for (size_t c = 0; c < sv->ncand[r]; c++) {
		oa_minute t = sv->cand[r][c].t;
		if (slope * sv->cand[r][c].k >= best.cost)
			break;
		if (!persons_free(sv, r, t))
			continue;
		for (size_t fi = 0; fi < sv->nfit[r]; fi++) {
			int room = sv->fit[r][fi];
			long long cost;
			if (!room_free(sv, room, t, t + q->duration))
				continue;
			cost = place_cost(sv, r, t, sv->cand[r][c].k, fi, best.cost);
			if (cost < best.cost)
				best = (spot){ t, room, cost };
			/*
			 * The first free room in size order is the cheapest, but at
			 * the previous start the previous room saves the move cost.
			 */
			if (!q->has_prev || t != q->prev_start)
				break;
		}
	}
	return best;
}

static int
place(solver *sv, size_t r, oa_minute t, int room)
{
	oa_schedule *s = sv->s;
	oa_sched_request *q = &s->req[r];

	for (size_t i = 0; i < q->nrequired; i++)
		if (tl_insert(sv, &sv->tl[q->required[i]], t, t + q->duration, (int)r) < 0)
			return -1;
	if (tl_insert(sv, &sv->tl[s->npeople + room], t, t + q->duration, (int)r) < 0)
		return -1;
	q->placed = true;
	q->start = t;
	q->placed_room = room;
	return 0;
}

static void
unplace(solver *sv, size_t r)
{
	oa_schedule *s = sv->s;
	oa_sched_request *q = &s->req[r];

	if (!q->placed)
		return;
	for (size_t i = 0; i < q->nrequired; i++)
		tl_remove(&sv->tl[q->required[i]], q->start, (int)r);
	tl_remove(&sv->tl[s->npeople + q->placed_room], q->start, (int)r);
	q->placed = false;
}

/* k and fit index of R's current placement. */
static long long
current_cost(solver *sv, size_t r)
{
	oa_sched_request *q = &sv->s->req[r];
	size_t lo = 0, hi = sv->ncand[r], fi = 0;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (sv->cand[r][mid].t < q->start)
			lo = mid + 1;
		else
			hi = mid;
	}
	while (fi < sv->nfit[r] && sv->fit[r][fi] != q->placed_room)
		fi++;
	return place_cost(sv, r, q->start, sv->cand[r][lo].k, fi, LLONG_MAX);
}

/*
 * Takes R out (when placed) and returns what R cost where it was: its place
 * cost including its effect on others, or its unplaced penalty.
 */
static long long
remove_cost(solver *sv, size_t r)
{
	oa_sched_request *q = &sv->s->req[r];

	if (!q->placed)
		return unplaced_cost(sv->s, q);
	unplace(sv, r);
	return current_cost(sv, r);
}

/*
 * Puts R (not placed) in its best place, or leaves it out when that is
 * cheaper.  Returns what R costs now: the place cost or the penalty.
 */
static long long
put_best(solver *sv, size_t r)
{
	spot sp = best_spot(sv, r);
	long long pen = unplaced_cost(sv->s, &sv->s->req[r]);

	if (sp.cost >= pen)
		return pen;
	if (place(sv, r, sp.t, sp.room) < 0)
		return pen;
	return sp.cost;
}

typedef struct saved {
	size_t r;
	bool placed;
	oa_minute t;
	int room;
} saved;

static void
save(const solver *sv, size_t r, saved *out)
{
	const oa_sched_request *q = &sv->s->req[r];

	*out = (saved){ r, q->placed, q->start, q->placed_room };
}

/* Puts the saved requests back as they were (all of them taken out first). */
static void
restore(solver *sv, const saved *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		unplace(sv, list[i].r);
	for (size_t i = 0; i < n; i++)
		if (list[i].placed)
			place(sv, list[i].r, list[i].t, list[i].room);
}

/* Meetings blocking R at T in ROOM; -1 when busy time, a fixed meeting or too many block. */
static int
blockers(solver *sv, size_t r, oa_minute t, int room, int *out, int max)
{
	oa_schedule *s = sv->s;
	oa_sched_request *q = &s->req[r];
	oa_minute e = t + q->duration;
	int n = 0;

	for (size_t i = 0; i <= q->nrequired; i++) {
		tline *tl = i < q->nrequired ? &sv->tl[q->required[i]] : &sv->tl[s->npeople + room];
		int b = i < q->nrequired ? s->buffer : 0;
		size_t j;

		if (hits(tl->st, tl->nst, t, e, b))
			return -1;
		for (j = first_after(tl->dy, tl->ndy, t, b); j < tl->ndy && tl->dy[j].s < e + b; j++) {
			int o = tl->dy[j].owner, seen = 0;
			for (int x = 0; x < n; x++)
				seen |= out[x] == o;
			if (seen)
				continue;
			if (n == max)
				return -1;
			out[n++] = o;
		}
	}
	return n;
}

/*
 * Tries to move R (placed or not) to a place where at most MAXB other
 * meetings block it; those are then put in their best places.  Keeps the
 * first change that lowers the objective.  Returns the gain (0: no change).
 */
static long long
eject_move(solver *sv, size_t r, int maxb)
{
	oa_schedule *s = sv->s;
	oa_sched_request *q = &s->req[r];
	saved keep[4], orig;
	long long gain0;
	long long slope = (long long)s->w.late * (6 - q->priority);
	int bl[3];

	save(sv, r, &orig);
	gain0 = remove_cost(sv, r);
	for (size_t c = 0; c < sv->ncand[r]; c++) {
		oa_minute t = sv->cand[r][c].t;
		if (slope * sv->cand[r][c].k >= gain0)
			break;
		for (size_t fi = 0; fi < sv->nfit[r]; fi++) {
			int room = sv->fit[r][fi];
			long long delta = -gain0;
			int nb = blockers(sv, r, t, room, bl, maxb);

			if (nb <= 0)
				continue; /* blocked by busy time, or free (relocation's job) */
			keep[0] = (saved){ r, false, 0, -1 };
			for (int x = 0; x < nb; x++) {
				save(sv, (size_t)bl[x], &keep[x + 1]);
				delta -= remove_cost(sv, (size_t)bl[x]);
			}
			if (persons_free(sv, r, t) && room_free(sv, room, t, t + q->duration)) {
				delta += place_cost(sv, r, t, sv->cand[r][c].k, fi, LLONG_MAX);
				place(sv, r, t, room);
				for (int x = 0; x < nb; x++)
					delta += put_best(sv, (size_t)bl[x]);
				if (delta < 0 && !sv->nomem)
					return -delta;
			}
			restore(sv, keep, (size_t)nb + 1);
		}
	}
	if (orig.placed)
		place(sv, r, orig.t, orig.room);
	return 0;
}

/* Moves R to its best place if that is cheaper.  Returns the gain. */
static long long
relocate(solver *sv, size_t r)
{
	saved keep;
	long long now;
	spot sp;

	save(sv, r, &keep);
	now = remove_cost(sv, r);
	sp = best_spot(sv, r);
	if (sp.cost < now) {
		place(sv, r, sp.t, sp.room);
		return now - sp.cost;
	}
	if (keep.placed)
		place(sv, r, keep.t, keep.room);
	return 0;
}

/*
 * Order for the greedy pass: priority, then more required attendees, then
 * fewer possible places, then input order.
 */
static int
cmp_greedy(const void *a, const void *b, void *ctx)
{
	const solver *sv = ctx;
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	const oa_sched_request *qx = &sv->s->req[x], *qy = &sv->s->req[y];
	size_t wx = sv->ncand[x] * sv->nfit[x], wy = sv->ncand[y] * sv->nfit[y];

	if (qx->priority != qy->priority)
		return qx->priority - qy->priority;
	if (qx->nrequired != qy->nrequired)
		return qx->nrequired > qy->nrequired ? -1 : 1;
	if (wx != wy)
		return wx < wy ? -1 : 1;
	return (x > y) - (x < y);
}

/*
 * Ruin and recreate: takes out a random request and a few related ones
 * (those placed near it on the same day, which compete for rooms and
 * people; those among them that hold one of its optional attendees; or
 * those sharing its people; or those placed around another possible time of
 * it), puts them back in priority order or
 * in a random order, and keeps the result when it is worse by at most
 * THRESHOLD.  Returns the change of the objective, or LLONG_MAX when
 * nothing changed.
 */
#define RUIN_MAX 20
#define RUIN_STEPS 200000
static long long
ruin_recreate(solver *sv, const size_t *list, size_t nlist, long long threshold)
{
	oa_schedule *s = sv->s;
	saved keep[RUIN_MAX];
	size_t pick[RUIN_MAX], n = 0, want = 2 + rnd(sv) % (RUIN_MAX - 1);
	size_t seed = list[rnd(sv) % nlist], off = rnd(sv) % nlist;
	const oa_sched_request *q0 = &s->req[seed];
	unsigned mode = (unsigned)(rnd(sv) % 4);
	oa_minute at = q0->placed ? q0->start : 0;

	/* Mode 3: the meetings around another possible time of the seed. */
	if (mode == 3 && sv->ncand[seed] > 0)
		at = sv->cand[seed][rnd(sv) % sv->ncand[seed]].t;
	else if (!q0->placed)
		mode = 2;
	oa_minute margin = (oa_minute)(rnd(sv) % 5) * 30;
	long long delta = 0;

	pick[n++] = seed;
	for (size_t i = 0; i < nlist && n < want; i++) {
		size_t r = list[(off + i) % nlist];
		const oa_sched_request *q = &s->req[r];
		bool near = false;

		if (r == seed)
			continue;
		if (mode != 2) {
			/* Near in time; in mode 1 also holding one of its optional attendees. */
			near = q->placed && q->start < at + q0->duration + margin &&
			       at < q->start + q->duration + margin &&
			       q->start / OA_MINUTES_PER_DAY == at / OA_MINUTES_PER_DAY;
			if (mode == 1 && near) {
				bool holds = false;
				for (size_t a = 0; a < q->nrequired; a++)
					holds |= in_list(q0->optional, q0->noptional, q->required[a]);
				near = holds;
			}
		} else {
			for (size_t a = 0; a < q->nrequired && !near; a++)
				near = in_list(q0->required, q0->nrequired, q->required[a]) ||
				       in_list(q0->optional, q0->noptional, q->required[a]);
			near = near && rnd(sv) % 2;
		}
		if (near)
			pick[n++] = r;
	}
	for (size_t i = 0; i < n; i++)
		save(sv, pick[i], &keep[i]);
	for (size_t i = 0; i < n; i++)
		delta -= remove_cost(sv, pick[i]);
	for (size_t i = n; i > 1; i--) {
		size_t j = rnd(sv) % i, t = pick[i - 1];
		pick[i - 1] = pick[j];
		pick[j] = t;
	}
	if (rnd(sv) % 2)
		for (size_t i = 1; i < n; i++) {
			size_t x = pick[i], j = i;
			while (j > 0 && s->req[pick[j - 1]].priority > s->req[x].priority) {
				pick[j] = pick[j - 1];
				j--;
			}
			pick[j] = x;
		}
	for (size_t i = 0; i < n; i++)
		delta += put_best(sv, pick[i]);
	for (size_t i = 0; i < n; i++)
		delta -= relocate(sv, pick[i]);
	if (delta <= threshold && !sv->nomem)
		return delta;
	restore(sv, keep, n);
	return LLONG_MAX;
}

static void solver_free(solver *sv);

static int
solver_init(solver *sv, oa_schedule *s, oa_error *err)
{
	size_t ntl = s->npeople + s->nrooms;

	memset(sv, 0, sizeof *sv);
	sv->s = s;
	sv->err = err;
	sv->rng = 0x9e3779b97f4a7c15ull;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &sv->t0);
	clock_gettime(CLOCK_MONOTONIC, &sv->w0);
	sv->limit = s->search_seconds;
	sv->tl = calloc(ntl ? ntl : 1, sizeof *sv->tl);
	sv->cand = calloc(s->nreq + 1, sizeof *sv->cand);
	sv->ncand = calloc(s->nreq + 1, sizeof *sv->ncand);
	sv->fit = calloc(s->nreq + 1, sizeof *sv->fit);
	sv->rank = calloc(s->nreq + 1, sizeof *sv->rank);
	sv->nfit = calloc(s->nreq + 1, sizeof *sv->nfit);
	sv->optin = calloc(s->npeople + 1, sizeof *sv->optin);
	sv->noptin = calloc(s->npeople + 1, sizeof *sv->noptin);
	sv->glist = calloc(s->nreq + 1, sizeof *sv->glist);
	sv->gorder = calloc(s->nreq + 1, sizeof *sv->gorder);
	sv->gat = calloc(s->nreq + 1, sizeof *sv->gat);
	sv->gbusy = calloc(s->nreq + 1, sizeof *sv->gbusy);
	if (!sv->tl || !sv->cand || !sv->ncand || !sv->fit || !sv->rank || !sv->nfit ||
	    !sv->optin || !sv->noptin || !sv->glist || !sv->gorder || !sv->gat || !sv->gbusy)
		return oa_error_sys(err, NULL, "out of memory");
	for (size_t r = 0; r < s->nreq; r++) {
		oa_sched_request *q = &s->req[r];
		if (make_cands(sv, r) < 0 || make_fit(sv, r) < 0)
			return -1;
		for (size_t i = 0; i < q->noptional; i++) {
			int p = q->optional[i];
			int *np = realloc(sv->optin[p], (sv->noptin[p] + 1) * sizeof(int));
			if (np == NULL)
				return oa_error_sys(err, NULL, "out of memory");
			sv->optin[p] = np;
			np[sv->noptin[p]++] = (int)r;
		}
	}
	for (size_t i = 0; i < s->nbusy; i++)
		if (tl_add_static(sv, &sv->tl[s->busy[i].person], s->busy[i].start, s->busy[i].end) < 0)
			return -1;
	return 0;
}

static void
solver_free(solver *sv)
{
	oa_schedule *s = sv->s;

	if (sv->tl)
		for (size_t i = 0; i < s->npeople + s->nrooms; i++) {
			free(sv->tl[i].st);
			free(sv->tl[i].dy);
		}
	for (size_t r = 0; r < s->nreq; r++) {
		if (sv->cand)
			free(sv->cand[r]);
		if (sv->fit)
			free(sv->fit[r]);
		if (sv->rank)
			free(sv->rank[r]);
	}
	for (size_t p = 0; sv->optin && p < s->npeople; p++)
		free(sv->optin[p]);
	free(sv->tl);
	free(sv->cand);
	free(sv->ncand);
	free(sv->fit);
	free(sv->rank);
	free(sv->nfit);
	free(sv->optin);
	free(sv->noptin);
	free(sv->glist);
	free(sv->gorder);
	free(sv->gat);
	free(sv->gbusy);
}

static int
set_reason(oa_sched_request *q, oa_error *err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int
set_reason(oa_sched_request *q, oa_error *err, const char *fmt, ...)
{
	va_list ap;
	int rc;

	free(q->reason);
	q->reason = NULL;
	va_start(ap, fmt);
	rc = vasprintf(&q->reason, fmt, ap);
	va_end(ap);
	if (rc < 0) {
		q->reason = NULL;
		return oa_error_sys(err, NULL, "out of memory");
	}
	return 0;
}

/* Places the fixed requests and turns them into busy time.  */
static int
place_fixed(solver *sv)
{
	oa_schedule *s = sv->s;

	for (size_t r = 0; r < s->nreq; r++) {
		oa_sched_request *q = &s->req[r];
		oa_minute t = q->fixed_start, e = t + q->duration;
		int room = -1;

		if (!q->fixed)
			continue;
		if (q->room >= 0) {
			if (s->rooms[q->room].capacity < q->seats) {
				if (set_reason(q, sv->err, "room \"%s\" holds %d, %d seats needed",
				               s->rooms[q->room].name, s->rooms[q->room].capacity,
				               q->seats) < 0)
					return -1;
				continue;
			}
			if (!room_free(sv, q->room, t, e)) {
				const tline *tl = &sv->tl[s->npeople + q->room];
				size_t j = first_after(tl->dy, tl->ndy, t, 0);
				if (set_reason(q, sv->err, "room \"%s\" is taken by \"%s\" at the fixed time",
				               s->rooms[q->room].name, s->req[tl->dy[j].owner].id) < 0)
					return -1;
				continue;
			}
			room = q->room;
		} else {
			for (size_t fi = 0; fi < sv->nfit[r] && room < 0; fi++)
				if (room_free(sv, sv->fit[r][fi], t, e))
					room = sv->fit[r][fi];
			if (room < 0) {
				if (set_reason(q, sv->err, sv->nfit[r] == 0
				               ? "no room holds %d seats"
				               : "every room for %d seats is taken at the fixed time",
				               q->seats) < 0)
					return -1;
				continue;
			}
		}
		/* The room timeline holds it as a placed meeting, never moved. */
		if (tl_insert(sv, &sv->tl[s->npeople + room], t, e, (int)r) < 0)
			return -1;
		q->placed = true;
		q->start = t;
		q->placed_room = room;
		for (size_t i = 0; i < q->nrequired; i++)
			if (tl_add_static(sv, &sv->tl[q->required[i]], t, e) < 0)
				return -1;
		for (size_t i = 0; i < q->noptional; i++)
			if (tl_add_static(sv, &sv->tl[q->optional[i]], t, e) < 0)
				return -1;
	}
	for (size_t i = 0; i < s->npeople; i++)
		tl_merge_static(&sv->tl[i]);
	/* Fixed meetings never move: their rooms' timelines keep them as static. */
	for (size_t i = s->npeople; i < s->npeople + s->nrooms; i++) {
		tline *t = &sv->tl[i];
		t->st = t->dy;
		t->nst = t->ndy;
		t->capst = t->capdy;
		t->dy = NULL;
		t->ndy = t->capdy = 0;
	}
	return 0;
}

/* Appends a line to Q's conflicts. */
static int
add_conflict(oa_sched_request *q, oa_error *err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int
add_conflict(oa_sched_request *q, oa_error *err, const char *fmt, ...)
{
	va_list ap;
	char *line, *all;
	int rc;

	va_start(ap, fmt);
	rc = vasprintf(&line, fmt, ap);
	va_end(ap);
	if (rc < 0)
		return oa_error_sys(err, NULL, "out of memory");
	if (q->conflicts == NULL) {
		q->conflicts = line;
		return 0;
	}
	rc = asprintf(&all, "%s\n%s", q->conflicts, line);
	free(line);
	if (rc < 0)
		return oa_error_sys(err, NULL, "out of memory");
	free(q->conflicts);
	q->conflicts = all;
	return 0;
}

/* "YYYY-MM-DD HH:MM-HH:MM", or with the end's date when it is another day. */
static void
format_span(oa_minute t, oa_minute e, char *buf, size_t cap)
{
	char a[32], b[32];

	oa_datetime_format(t, a);
	if (e / OA_MINUTES_PER_DAY == t / OA_MINUTES_PER_DAY)
		oa_time_format((int)(e % OA_MINUTES_PER_DAY), b);
	else
		oa_datetime_format(e, b);
	snprintf(buf, cap, "%s-%s", a, b);
}

/*
 * Checks the fixed meetings that were placed against the calendar, the
 * other fixed meetings and the busy times of their required attendees
 * (schedule.h); each conflict becomes a line of the request's conflicts.
 */
static int
check_fixed(solver *sv)
{
	oa_schedule *s = sv->s;

	for (size_t r = 0; r < s->nreq; r++) {
		oa_sched_request *q = &s->req[r];
		oa_minute t = q->start, e = q->start + q->duration;
		oa_date d = (oa_date)(t / OA_MINUTES_PER_DAY);
		int m = (int)(t % OA_MINUTES_PER_DAY);
		char span[64], other[64];
		bool inside = false, crosses = false;

		if (!q->fixed || !q->placed)
			continue;
		format_span(t, e, span, sizeof span);
		if (!oa_calendar_is_workday(&s->cal, d)) {
			char day[16];
			oa_date_format(d, day);
			if (add_conflict(q, sv->err, "%s is not a working day", day) < 0)
				return -1;
		}
		for (size_t p = 0; p < s->cal.nhours && !inside; p++) {
			const oa_period *per = &s->cal.hours[p];
			if (m < per->start || m >= per->end)
				continue;
			if (m + q->duration <= per->end) {
				inside = true;
				break;
			}
			for (size_t j = p + 1; j < s->cal.nhours; j++)
				if (m + q->duration > s->cal.hours[j].start &&
				    m + q->duration <= s->cal.hours[j].end)
					inside = crosses = true;
		}
		if (!inside) {
			if (add_conflict(q, sv->err, "%s is outside office hours", span) < 0)
				return -1;
		} else if (crosses && !s->span_breaks && !q->whole_day) {
			if (add_conflict(q, sv->err,
			                 "%s runs through a break in office hours ([meetings] "
			                 "span_breaks = no)", span) < 0)
				return -1;
		}
		for (size_t i = 0; i < q->nrequired; i++) {
			int p = q->required[i];
			for (size_t b = 0; b < s->nbusy; b++) {
				const oa_sched_busy *bz = &s->busy[b];
				if (bz->person != p || !overlaps(t, e, bz->start, bz->end, s->buffer))
					continue;
				format_span(bz->start, bz->end, other, sizeof other);
				if (add_conflict(q, sv->err, "%s is busy %s", s->people[p].name, other) < 0)
					return -1;
			}
			for (size_t o = 0; o < r; o++) {
				const oa_sched_request *x = &s->req[o];
				if (!x->fixed || !x->placed || !in_list(x->required, x->nrequired, p) ||
				    !overlaps(t, e, x->start, x->start + x->duration, s->buffer))
					continue;
				format_span(x->start, x->start + x->duration, other, sizeof other);
				if (add_conflict(q, sv->err, "%s is also at fixed meeting \"%s\" (%s)",
				                 s->people[p].name, x->id, other) < 0)
					return -1;
			}
		}
	}
	return 0;
}

/* Joins up to three names: "A", "A and B", "A, B and C", "A, B, C and others". */
static void
name_list(const oa_schedule *s, const int *who, size_t n, char *buf, size_t cap)
{
	size_t len = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < n && i < 3; i++) {
		const char *sep = i == 0 ? "" : (i + 1 == n ? " and " : ", ");
		len += (size_t)snprintf(buf + len, len < cap ? cap - len : 0, "%s%s", sep,
		                        s->people[who[i]].name);
		if (len >= cap)
			return;
	}
	if (n > 3)
		snprintf(buf + len, len < cap ? cap - len : 0, " and %zu others", n - 3);
}

static int
explain(solver *sv, size_t r)
{
	oa_schedule *s = sv->s;
	oa_sched_request *q = &s->req[r];
	size_t nc = sv->ncand[r];
	size_t *blocked = calloc(q->nrequired + 1, sizeof *blocked);
	int *who = malloc((q->nrequired + 1) * sizeof *who);
	size_t room_blocked = 0, nwho = 0;
	char a[32], b[32], names[512];
	int rc = 0;

	if (blocked == NULL || who == NULL) {
		free(blocked);
		free(who);
		return oa_error_sys(sv->err, NULL, "out of memory");
	}
	if (q->room >= 0 && sv->nfit[r] == 0) {
		rc = set_reason(q, sv->err, "room \"%s\" holds %d, %d seats needed",
		                s->rooms[q->room].name, s->rooms[q->room].capacity, q->seats);
		goto out;
	}
	if (sv->nfit[r] == 0) {
		int big = -1;
		for (size_t i = 0; i < s->nrooms; i++)
			if (big < 0 || s->rooms[i].capacity > s->rooms[big].capacity)
				big = (int)i;
		if (big < 0)
			rc = set_reason(q, sv->err, "no rooms are defined");
		else
			rc = set_reason(q, sv->err, "no room holds %d seats (largest: \"%s\", %d)",
			                q->seats, s->rooms[big].name, s->rooms[big].capacity);
		goto out;
	}
	if (nc == 0) {
		int longest = 0, day = 0;
		bool span = s->span_breaks || q->whole_day, workday = false;
		for (size_t p = 0; p < s->cal.nhours; p++)
			if (s->cal.hours[p].end - s->cal.hours[p].start > longest)
				longest = s->cal.hours[p].end - s->cal.hours[p].start;
		if (s->cal.nhours > 0)
			day = s->cal.hours[s->cal.nhours - 1].end - s->cal.hours[0].start;
		for (oa_date d = (oa_date)(q->earliest / OA_MINUTES_PER_DAY);
		     !workday && (oa_minute)d * OA_MINUTES_PER_DAY < q->latest; d++)
			workday = oa_calendar_is_workday(&s->cal, d);
		oa_datetime_format(q->earliest, a);
		oa_datetime_format(q->latest, b);
		if (!span && q->duration > longest)
			rc = set_reason(q, sv->err,
			                "%ld minutes is longer than any office period (longest %d "
			                "minutes); [meetings] span_breaks = yes lets a meeting run "
			                "through the breaks", q->duration, longest);
		else if (span && q->duration > day)
			rc = set_reason(q, sv->err,
			                "%ld minutes is longer than the office day (%d minutes)",
			                q->duration, day);
		else if (!workday)
			rc = set_reason(q, sv->err, "no working day between %s and %s", a, b);
		else
			rc = set_reason(q, sv->err,
			                "no office time of %ld minutes between %s and %s",
			                q->duration, a, b);
		goto out;
	}
	for (size_t c = 0; c < nc; c++) {
		oa_minute t = sv->cand[r][c].t;
		bool rfree = false;
		for (size_t i = 0; i < q->nrequired; i++)
			if (tl_busy(&sv->tl[q->required[i]], t, t + q->duration, s->buffer))
				blocked[i]++;
		for (size_t fi = 0; fi < sv->nfit[r] && !rfree; fi++)
			rfree = room_free(sv, sv->fit[r][fi], t, t + q->duration);
		if (!rfree)
			room_blocked++;
	}
	for (size_t i = 0; i < q->nrequired; i++)
		if (blocked[i] == nc) {
			rc = set_reason(q, sv->err, "%s is busy at every possible time in the window",
			                s->people[q->required[i]].name);
			goto out;
		}
	if (room_blocked == nc) {
		if (q->room >= 0)
			rc = set_reason(q, sv->err, "room \"%s\" is taken at every possible time",
			                s->rooms[q->room].name);
		else
			rc = set_reason(q, sv->err,
			                "every room for %d seats is taken at every possible time",
			                q->seats);
		goto out;
	}
	/* The people who are busy at some candidate time, most often first. */
	for (size_t i = 0; i < q->nrequired; i++)
		if (blocked[i] > 0)
			who[nwho++] = (int)i;
	for (size_t i = 1; i < nwho; i++) {
		int x = who[i];
		size_t j = i;
		while (j > 0 && blocked[who[j - 1]] < blocked[x]) {
			who[j] = who[j - 1];
			j--;
		}
		who[j] = x;
	}
	for (size_t i = 0; i < nwho; i++)
		who[i] = q->required[who[i]];
	name_list(s, who, nwho, names, sizeof names);
	rc = set_reason(q, sv->err, "no time when %s%s are all free", names,
	                room_blocked > 0 ? " and a room" : "");
out:
	free(blocked);
	free(who);
	return rc;
}

int
oa_schedule_solve(oa_schedule *s, oa_error *err)
{
	solver sv;
	size_t *order = NULL, nfree = 0;
	int unplaced = 0, rc = -1;

	for (size_t r = 0; r < s->nreq; r++) {
		oa_sched_request *q = &s->req[r];
		q->placed = false;
		q->placed_room = -1;
		free(q->reason);
		q->reason = NULL;
		free(q->conflicts);
		q->conflicts = NULL;
	}
	if (solver_init(&sv, s, err) < 0 || place_fixed(&sv) < 0 || check_fixed(&sv) < 0)
		goto out;
	if ((order = malloc((s->nreq + 1) * sizeof *order)) == NULL) {
		oa_error_sys(err, NULL, "out of memory");
		goto out;
	}
	for (size_t r = 0; r < s->nreq; r++)
		if (!s->req[r].fixed)
			order[nfree++] = r;
	qsort_r(order, nfree, sizeof *order, cmp_greedy, &sv);
	for (size_t i = 0; i < nfree; i++)
		put_best(&sv, order[i]);
	/* Improvement: relocation, then ejection, until nothing helps. */
	for (int pass = 0; pass < 50 && nfree > 0; pass++) {
		long long gain = 0;
		for (size_t i = 0; i < nfree; i++)
			gain += relocate(&sv, order[i]);
		for (size_t i = 0; i < nfree && elapsed(&sv) < sv.limit; i++)
			gain += eject_move(&sv, order[i], s->req[order[i]].placed ? 1 : 2);
		if (sv.nomem || gain == 0 || elapsed(&sv) >= sv.limit)
			break;
	}
	/*
	 * Ruin and recreate with threshold accepting: a change may make the
	 * objective worse by a threshold that falls to 0, the best placement
	 * seen is kept.  A fixed number of steps, within the time limit.
	 */
	if (nfree > 1 && !sv.nomem) {
		long long cur = oa_schedule_objective(s, NULL), best = cur;
		long long t0 = 8 * s->w.late + s->w.room;
		long steps = RUIN_STEPS;
		saved *snap = malloc(s->nreq * sizeof *snap);

		if (snap == NULL) {
			oa_error_sys(err, NULL, "out of memory");
			goto out;
		}
		for (size_t r = 0; r < s->nreq; r++)
			save(&sv, r, &snap[r]);
		for (long it = 0; it < steps && !sv.nomem; it++) {
			long long thr = t0 * (steps - it) / steps;
			long long d;
			if ((it & 255) == 0 && elapsed(&sv) >= sv.limit)
				break;
			d = ruin_recreate(&sv, order, nfree, it * 5 < steps * 4 ? thr : 0);
			if (d == LLONG_MAX)
				continue;
			cur += d;
			if (cur < best) {
				best = cur;
				for (size_t r = 0; r < s->nreq; r++)
					save(&sv, r, &snap[r]);
			}
		}
		if (best < cur) {
			for (size_t i = 0; i < nfree; i++)
				unplace(&sv, order[i]);
			for (size_t i = 0; i < nfree; i++)
				if (snap[order[i]].placed)
					place(&sv, order[i], snap[order[i]].t, snap[order[i]].room);
		}
		free(snap);
		for (int pass = 0; pass < 10; pass++) {
			long long gain = 0;
			for (size_t i = 0; i < nfree; i++)
				gain += relocate(&sv, order[i]);
			if (gain == 0)
				break;
		}
	}
	if (sv.nomem)
		goto out;
	for (size_t r = 0; r < s->nreq; r++)
		if (!s->req[r].placed) {
			unplaced++;
			if (s->req[r].reason == NULL && explain(&sv, r) < 0)
				goto out;
		}
	rc = unplaced;
out:
	free(order);
	solver_free(&sv);
	return rc;
}

/* ---- objective, absence, order ---- */

/* Is person P committed elsewhere within the buffer of [t, e), R aside? */
static bool
committed(const oa_schedule *s, int p, size_t r, oa_minute t, oa_minute e)
{
	for (size_t i = 0; i < s->nbusy; i++)
		if (s->busy[i].person == p && overlaps(t, e, s->busy[i].start, s->busy[i].end, s->buffer))
			return true;
	for (size_t m = 0; m < s->nreq; m++) {
		const oa_sched_request *o = &s->req[m];
		if (m == r || !o->placed)
			continue;
		if (!in_list(o->required, o->nrequired, p) &&
		    !(o->fixed && in_list(o->optional, o->noptional, p)))
			continue;
		if (overlaps(t, e, o->start, o->start + o->duration, s->buffer))
			return true;
	}
	return false;
}

/*
 * Does placed request A come before B for an optional attendee of both
 * (schedule.h): higher priority, then earlier start, then input order.
 */
static bool
comes_first(const oa_schedule *s, size_t a, oa_minute at, size_t b, oa_minute bt)
{
	const oa_sched_request *x = &s->req[a], *y = &s->req[b];

	if (x->priority != y->priority)
		return x->priority < y->priority;
	if (at != bt)
		return at < bt;
	return a < b;
}

/*
 * Is optional attendee P present at placed request R?  Not when committed
 * elsewhere; else the meetings (placed, not fixed) where P is optional are
 * taken in the order of comes_first, and P attends each that does not
 * overlap one P already attends.
 */
static bool
optional_present(const oa_schedule *s, int p, size_t r)
{
	const oa_sched_request *q = &s->req[r];
	size_t *list = NULL, n = 0, nat = 0;
	bool here = true;

	if (committed(s, p, r, q->start, q->start + q->duration))
		return false;
	for (size_t m = 0; m < s->nreq; m++) {
		const oa_sched_request *o = &s->req[m];
		if (m == r || !o->placed || o->fixed || !in_list(o->optional, o->noptional, p) ||
		    !comes_first(s, m, o->start, r, q->start))
			continue;
		if (list == NULL && (list = malloc(s->nreq * sizeof *list)) == NULL)
			return true; /* out of memory: counted present, as before */
		list[n++] = m;
	}
	/* Insertion sort by comes_first, then attend greedily: list[0..nat) attended. */
	for (size_t i = 1; i < n; i++) {
		size_t x = list[i], j = i;
		while (j > 0 &&
		       comes_first(s, x, s->req[x].start, list[j - 1], s->req[list[j - 1]].start)) {
			list[j] = list[j - 1];
			j--;
		}
		list[j] = x;
	}
	for (size_t i = 0; i < n && here; i++) {
		const oa_sched_request *o = &s->req[list[i]];
		bool clash = committed(s, p, list[i], o->start, o->start + o->duration);
		for (size_t j = 0; j < nat && !clash; j++) {
			const oa_sched_request *x = &s->req[list[j]];
			clash = overlaps(o->start, o->start + o->duration, x->start,
			                 x->start + x->duration, s->buffer);
		}
		if (clash)
			continue;
		list[nat++] = list[i];
		here = !overlaps(q->start, q->start + q->duration, o->start, o->start + o->duration,
		                 s->buffer);
	}
	free(list);
	return here;
}

size_t
oa_schedule_absent(const oa_schedule *s, size_t r, int *out, size_t cap)
{
	const oa_sched_request *q = &s->req[r];
	size_t n = 0;

	if (!q->placed)
		return 0;
	for (size_t i = 0; i < q->noptional; i++)
		if (!optional_present(s, q->optional[i], r)) {
			if (n < cap)
				out[n] = q->optional[i];
			n++;
		}
	return n;
}

/* k of a start time T for Q: grid start times from the day of earliest before T. */
static long
grid_index(const oa_schedule *s, const oa_sched_request *q, oa_minute t)
{
	long k = 0;
	oa_date d0 = (oa_date)(q->earliest / OA_MINUTES_PER_DAY);

	for (oa_date d = d0; (oa_minute)d * OA_MINUTES_PER_DAY <= t; d++) {
		if (!oa_calendar_is_workday(&s->cal, d))
			continue;
		for (size_t p = 0; p < s->cal.nhours; p++)
			for (int m = s->cal.hours[p].start; m < s->cal.hours[p].end; m += s->grain)
				if ((oa_minute)d * OA_MINUTES_PER_DAY + m < t)
					k++;
	}
	return k;
}

long long
oa_schedule_objective(const oa_schedule *s, oa_sched_cost *parts)
{
	oa_sched_cost c = { 0, 0, 0, 0, 0, 0 };

	for (size_t r = 0; r < s->nreq; r++) {
		const oa_sched_request *q = &s->req[r];
		int rank = 0;

		if (q->fixed)
			continue;
		c.move += move_cost(s, q, q->placed, q->start, q->placed_room);
		if (!q->placed) {
			c.unplaced += (long long)s->w.unplaced << (5 - q->priority);
			continue;
		}
		c.optional += (long long)s->w.optional * (long long)oa_schedule_absent(s, r, NULL, 0);
		c.late += (long long)s->w.late * (6 - q->priority) * grid_index(s, q, q->start);
		for (size_t i = 0; i < s->nrooms; i++)
			rank += s->rooms[i].capacity >= q->seats &&
			        s->rooms[i].capacity < s->rooms[q->placed_room].capacity;
		c.room += (long long)s->w.room * rank;
	}
	c.total = c.unplaced + c.optional + c.late + c.room + c.move;
	if (parts)
		*parts = c;
	return c.total;
}

static int
cmp_time(const void *a, const void *b, void *ctx)
{
	const oa_schedule *s = ctx;
	const oa_sched_request *x = &s->req[*(const size_t *)a];
	const oa_sched_request *y = &s->req[*(const size_t *)b];
	int c;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	if ((c = strcmp(s->rooms[x->placed_room].name, s->rooms[y->placed_room].name)))
		return c;
	return strcmp(x->id, y->id);
}

size_t
oa_schedule_sorted(const oa_schedule *s, size_t **order)
{
	size_t n = 0;

	*order = malloc((s->nreq + 1) * sizeof **order);
	if (*order == NULL)
		return 0;
	for (size_t r = 0; r < s->nreq; r++)
		if (s->req[r].placed)
			(*order)[n++] = r;
	qsort_r(*order, n, sizeof **order, cmp_time, (void *)s);
	return n;
}

/* ---- output ---- */

static int
append(char **buf, size_t *len, size_t *cap, const char *str)
{
	size_t n = strlen(str);

	if (*len + n + 1 > *cap) {
		size_t nc = (*len + n + 1) * 2;
		char *p = realloc(*buf, nc);
		if (p == NULL)
			return -1;
		*buf = p;
		*cap = nc;
	}
	memcpy(*buf + *len, str, n + 1);
	*len += n;
	return 0;
}

int
oa_schedule_write_csv(const oa_schedule *s, FILE *fp, bool excel, const char *name,
                      oa_error *err)
{
	static const char *const head[] = { "id", "title", "date", "start", "end", "room",
		                            "attendees", "optional_absent" };
	oa_csv_writer *w = oa_csv_writer_new(fp, excel);
	size_t *order, n;
	int *absent = malloc((s->npeople + 1) * sizeof *absent);
	char *att = NULL, *abs_list = NULL;
	size_t cap1 = 0, cap2 = 0;
	int rc = 0;

	if (w == NULL || absent == NULL) {
		oa_csv_writer_free(w);
		free(absent);
		return oa_error_sys(err, NULL, "out of memory");
	}
	n = oa_schedule_sorted(s, &order);
	oa_csv_write_record(w, head, 8);
	for (size_t i = 0; i < n && order; i++) {
		const oa_sched_request *q = &s->req[order[i]];
		size_t na = oa_schedule_absent(s, order[i], absent, s->npeople);
		size_t l1 = 0, l2 = 0;
		char date[16], st[8], en[32];
		oa_minute e = q->start + q->duration;

		if (append(&att, &l1, &cap1, "") < 0 || append(&abs_list, &l2, &cap2, "") < 0) {
			rc = oa_error_sys(err, NULL, "out of memory");
			break;
		}
		for (size_t j = 0; j < q->nrequired; j++) {
			if (l1 > 0)
				append(&att, &l1, &cap1, ";");
			append(&att, &l1, &cap1, s->people[q->required[j]].name);
		}
		for (size_t j = 0; j < q->noptional; j++) {
			bool out = in_list(absent, na, q->optional[j]);
			char **b = out ? &abs_list : &att;
			size_t *l = out ? &l2 : &l1, *c = out ? &cap2 : &cap1;
			if (*l > 0)
				append(b, l, c, ";");
			append(b, l, c, s->people[q->optional[j]].name);
		}
		oa_date_format((oa_date)(q->start / OA_MINUTES_PER_DAY), date);
		oa_time_format((int)(q->start % OA_MINUTES_PER_DAY), st);
		if (e / OA_MINUTES_PER_DAY == q->start / OA_MINUTES_PER_DAY)
			oa_time_format((int)(e % OA_MINUTES_PER_DAY), en);
		else if (e == (q->start / OA_MINUTES_PER_DAY + 1) * OA_MINUTES_PER_DAY)
			snprintf(en, sizeof en, "24:00");
		else
			oa_datetime_format(e, en); /* a fixed meeting ending another day */
		oa_csv_write_str(w, q->id);
		oa_csv_write_str(w, q->title);
		oa_csv_write_str(w, date);
		oa_csv_write_str(w, st);
		oa_csv_write_str(w, en);
		oa_csv_write_str(w, s->rooms[q->placed_room].name);
		oa_csv_write_str(w, att);
		oa_csv_write_str(w, abs_list);
		oa_csv_end_record(w);
	}
	if (order == NULL && s->nreq > 0 && rc == 0)
		rc = oa_error_sys(err, NULL, "out of memory");
	if (rc == 0)
		rc = oa_csv_writer_check(w, name, err);
	oa_csv_writer_free(w);
	free(order);
	free(absent);
	free(att);
	free(abs_list);
	return rc;
}

int
oa_schedule_write_unplaced(const oa_schedule *s, FILE *fp, bool excel, const char *name,
                           oa_error *err)
{
	static const char *const head[] = { "id", "title", "priority", "line", "reason" };
	oa_csv_writer *w = oa_csv_writer_new(fp, excel);
	int rc;

	if (w == NULL)
		return oa_error_sys(err, NULL, "out of memory");
	oa_csv_write_record(w, head, 5);
	for (size_t r = 0; r < s->nreq; r++) {
		const oa_sched_request *q = &s->req[r];
		char pr[8], line[24];
		if (q->placed)
			continue;
		snprintf(pr, sizeof pr, "%d", q->priority);
		snprintf(line, sizeof line, "%ld", q->line);
		oa_csv_write_str(w, q->id);
		oa_csv_write_str(w, q->title);
		oa_csv_write_str(w, pr);
		oa_csv_write_str(w, line);
		oa_csv_write_str(w, q->reason ? q->reason : "");
		oa_csv_end_record(w);
	}
	rc = oa_csv_writer_check(w, name, err);
	oa_csv_writer_free(w);
	return rc;
}

/* ---- the independent check ---- */

static bool
on_grid(const oa_schedule *s, const oa_sched_request *q)
{
	oa_date d = (oa_date)(q->start / OA_MINUTES_PER_DAY);
	int m = (int)(q->start % OA_MINUTES_PER_DAY);

	if (!oa_calendar_is_workday(&s->cal, d))
		return false;
	for (size_t p = 0; p < s->cal.nhours; p++) {
		const oa_period *per = &s->cal.hours[p];
		if (m >= per->start && m < per->end && (m - per->start) % s->grain == 0 &&
		    oa_schedule_fits_hours(s, q, m, p))
			return true;
	}
	return false;
}

int
oa_schedule_check(const oa_schedule *s, char *msg, size_t cap)
{
	int bad = 0;

#define VIOLATION(...)                                         \
	do {                                                   \
		if (bad++ == 0 && cap > 0)                     \
			snprintf(msg, cap, __VA_ARGS__);       \
	} while (0)

	if (cap > 0)
		msg[0] = '\0';
	for (size_t r = 0; r < s->nreq; r++) {
		const oa_sched_request *q = &s->req[r];
		oa_minute t = q->start, e = q->start + q->duration;

		if (!q->placed)
			continue;
		if (q->placed_room < 0 || (size_t)q->placed_room >= s->nrooms) {
			VIOLATION("%s: no room", q->id);
			continue;
		}
		if (s->rooms[q->placed_room].capacity < q->seats)
			VIOLATION("%s: room %s too small", q->id, s->rooms[q->placed_room].name);
		if (q->room >= 0 && q->placed_room != q->room)
			VIOLATION("%s: not in its fixed room", q->id);
		for (size_t m = r + 1; m < s->nreq; m++) {
			const oa_sched_request *o = &s->req[m];
			if (o->placed && o->placed_room == q->placed_room &&
			    overlaps(t, e, o->start, o->start + o->duration, 0))
				VIOLATION("%s and %s: both in %s", q->id, o->id, s->rooms[q->placed_room].name);
		}
		if (q->fixed) {
			if (t != q->fixed_start)
				VIOLATION("%s: moved from its fixed start", q->id);
			continue;
		}
		if (!on_grid(s, q))
			VIOLATION("%s: not in office hours on the grid", q->id);
		if (t < q->earliest || e > q->latest)
			VIOLATION("%s: outside its window", q->id);
		for (size_t i = 0; i < q->nrequired; i++)
			if (committed(s, q->required[i], r, t, e))
				VIOLATION("%s: %s is committed elsewhere", q->id,
				          s->people[q->required[i]].name);
	}
#undef VIOLATION
	return bad;
}

/* ---- free slots ---- */

static int
cmp_slot(const void *a, const void *b)
{
	const oa_sched_slot *x = a, *y = b;

	return x->start < y->start ? -1 : x->start > y->start;
}

long
oa_schedule_free_slots(const oa_schedule *s, const int *persons, size_t n, oa_minute from,
                       oa_minute to, long duration, oa_sched_slot **out, oa_error *err)
{
	oa_sched_slot *busy = NULL, *res = NULL;
	size_t nb = 0, capb = 0, nr = 0, capr = 0;
	int b = s->buffer;

	*out = NULL;
	/* Every commitment of the persons, widened by the buffer. */
	for (size_t i = 0; i < s->nbusy; i++)
		if (in_list(persons, n, s->busy[i].person) && s->busy[i].end + b > from &&
		    s->busy[i].start - b < to) {
			if (grow((void **)&busy, &capb, nb + 1, sizeof *busy, err) < 0)
				goto fail;
			busy[nb++] = (oa_sched_slot){ s->busy[i].start - b, s->busy[i].end + b };
		}
	for (size_t r = 0; r < s->nreq; r++) {
		const oa_sched_request *q = &s->req[r];
		bool mine = false;
		if (!q->placed)
			continue;
		for (size_t i = 0; i < n; i++)
			mine |= in_list(q->required, q->nrequired, persons[i]) ||
			        (q->fixed && in_list(q->optional, q->noptional, persons[i]));
		if (!mine)
			continue;
		if (grow((void **)&busy, &capb, nb + 1, sizeof *busy, err) < 0)
			goto fail;
		busy[nb++] = (oa_sched_slot){ q->start - b, q->start + q->duration + b };
	}
	if (nb > 0)
		qsort(busy, nb, sizeof *busy, cmp_slot);
	for (oa_date d = (oa_date)(from / OA_MINUTES_PER_DAY);
	     (oa_minute)d * OA_MINUTES_PER_DAY < to; d++) {
		if (!oa_calendar_is_workday(&s->cal, d))
			continue;
		for (size_t p = 0; p < s->cal.nhours; p++) {
			oa_minute a = (oa_minute)d * OA_MINUTES_PER_DAY + s->cal.hours[p].start;
			oa_minute z = (oa_minute)d * OA_MINUTES_PER_DAY + s->cal.hours[p].end;
			oa_minute cur;
			if (a < from)
				a = from;
			if (z > to)
				z = to;
			cur = a;
			for (size_t i = 0; i <= nb && cur < z; i++) {
				oa_minute gap_end = i < nb ? busy[i].start : z;
				if (i < nb && busy[i].end <= cur)
					continue;
				if (gap_end > z)
					gap_end = z;
				if (gap_end - cur >= duration) {
					if (grow((void **)&res, &capr, nr + 1, sizeof *res, err) < 0)
						goto fail;
					res[nr++] = (oa_sched_slot){ cur, gap_end };
				}
				if (i < nb && busy[i].end > cur)
					cur = busy[i].end;
			}
		}
	}
	free(busy);
	*out = res;
	return (long)nr;
fail:
	free(busy);
	free(res);
	return -1;
}
