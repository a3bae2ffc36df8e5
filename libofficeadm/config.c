/*
 * config.c - loading officeadm.ini with iniparser, typed getters, and the
 * check for unknown sections and keys.  See config.h.
 *
 * iniparser reports syntax errors through a global printf-like callback;
 * it is pointed at a static buffer while a file loads, so nothing reaches
 * stderr and the message can be returned in an oa_error.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <iniparser/iniparser.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "utf8.h"

/* iniparser reads lines of up to 1024 bytes: a section or key is never longer. */
#define NAME_MAX_LEN (2 * 1024 + 2)

struct oa_config {
	dictionary *dict; /* NULL when empty */
	char *path;       /* NULL when built-in defaults */
	const char **keys_cache[64];
	size_t nkeys_cache;
};

static char ini_message[512];

static int
ini_error(const char *fmt, ...)
{
	va_list ap;
	size_t used = strlen(ini_message);

	if (used + 1 >= sizeof ini_message)
		return 0;
	va_start(ap, fmt);
	vsnprintf(ini_message + used, sizeof ini_message - used, fmt, ap);
	va_end(ap);
	return 0;
}

oa_config *
oa_config_empty(void)
{
	return calloc(1, sizeof(oa_config));
}

static int
is_regular_file(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/*
 * Reads the file whole (a config is small) to check it is UTF-8: a file
 * saved as GB18030 would load, and its Chinese names would then silently
 * match nothing.  Returns the contents (free()), or NULL with err.
 */
static char *
read_config_text(const char *path, size_t *len, oa_error *err)
{
	FILE *fp = fopen(path, "rb");
	char *text;
	size_t bad;
	long size;

	if (fp == NULL) {
		oa_error_sys(err, path, "cannot open config");
		return NULL;
	}
	if (fseek(fp, 0, SEEK_END) < 0 || (size = ftell(fp)) < 0 || fseek(fp, 0, SEEK_SET) < 0) {
		oa_error_sys(err, path, "cannot read config");
		fclose(fp);
		return NULL;
	}
	if (size > 1024 * 1024) {
		oa_error_set(err, path, 0, "config is larger than 1 MiB");
		fclose(fp);
		return NULL;
	}
	text = malloc((size_t)size + 1);
	if (text == NULL || fread(text, 1, (size_t)size, fp) != (size_t)size) {
		oa_error_sys(err, path, "cannot read config");
		free(text);
		fclose(fp);
		return NULL;
	}
	fclose(fp);
	text[size] = '\0';
	*len = (size_t)size;
	if (oa_utf8_valid(text, *len, &bad) < 0) {
		long line = 1;
		for (size_t i = 0; i < bad; i++)
			line += text[i] == '\n';
		oa_error_set(err, path, line, "config is not UTF-8 (save it as UTF-8, not GB18030)");
		free(text);
		return NULL;
	}
	return text;
}

/* One "section:key" of the file, for the check for repeated keys. */
typedef struct ini_entry {
	char *name; /* "section:key", lower-cased as iniparser does */
	long line;
} ini_entry;

static int
cmp_entry(const void *a, const void *b)
{
	const ini_entry *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	return c != 0 ? c : (x->line > y->line) - (x->line < y->line);
}

/* S[0..len) trimmed of white space and lower-cased, appended to BUF at *used. */
static void
put_lower_trimmed(char *buf, size_t *used, const char *s, size_t len)
{
	while (len > 0 && isspace((unsigned char)*s))
		s++, len--;
	while (len > 0 && isspace((unsigned char)s[len - 1]))
		len--;
	for (size_t i = 0; i < len; i++)
		buf[(*used)++] = (char)tolower((unsigned char)s[i]);
}

/*
 * iniparser keeps the last of two values given to one key of a section and
 * says nothing: a second "holidays =" would silently replace the first.
 * This reads TEXT as iniparser does (comments, [section], key = value, a
 * line ending in a backslash continued on the next) and makes a key given
 * twice in one section an error naming both lines.  A section may appear
 * more than once: iniparser merges its keys, and a key repeated across the
 * parts is caught all the same.
 */
static int
check_repeated_keys(const char *text, size_t len, const char *path, oa_error *err)
{
	ini_entry *v = NULL;
	size_t n = 0, cap = 0;
	char section[NAME_MAX_LEN] = "";
	size_t seclen = 0;
	long line = 0;
	int rc = 0;

	for (size_t pos = 0; pos < len;) {
		/* A logical line: physical lines joined by a final backslash. */
		long first = line + 1;
		size_t start = pos, end;
		bool more;

		do {
			const char *nl = memchr(text + pos, '\n', len - pos);
			size_t stop = nl ? (size_t)(nl - text) : len;
			size_t e = stop;

			line++;
			while (e > pos && isspace((unsigned char)text[e - 1]))
				e--;
			more = e > pos && text[e - 1] == '\\' && stop < len;
			end = e;
			pos = stop < len ? stop + 1 : len;
		} while (more);
		const char *s = text + start;
		size_t slen = end - start;
		while (slen > 0 && isspace((unsigned char)*s))
			s++, slen--;
		if (slen == 0 || *s == '#' || *s == ';')
			continue;
		if (*s == '[' && s[slen - 1] == ']') {
			seclen = 0;
			if (slen - 2 < sizeof section / 2)
				put_lower_trimmed(section, &seclen, s + 1, slen - 2);
			section[seclen] = '\0';
			continue;
		}
		const char *eq = memchr(s, '=', slen);
		if (eq == NULL || (size_t)(eq - s) >= NAME_MAX_LEN - seclen - 2)
			continue; /* iniparser reports it, or it is too long for a key */
		if (n == cap) {
			size_t ncap = cap ? cap * 2 : 64;
			ini_entry *nv = realloc(v, ncap * sizeof *nv);
			if (nv == NULL) {
				rc = oa_error_set(err, path, 0, "out of memory");
				goto out;
			}
			v = nv;
			cap = ncap;
		}
		v[n].name = malloc(seclen + (size_t)(eq - s) + 2);
		if (v[n].name == NULL) {
			rc = oa_error_set(err, path, 0, "out of memory");
			goto out;
		}
		memcpy(v[n].name, section, seclen);
		size_t used = seclen;
		v[n].name[used++] = ':';
		put_lower_trimmed(v[n].name, &used, s, (size_t)(eq - s));
		v[n].name[used] = '\0';
		v[n].line = first;
		n++;
	}
	if (n > 1) {
		const ini_entry *dup = NULL, *orig = NULL;

		qsort(v, n, sizeof *v, cmp_entry);
		/* Of all repeats, the one whose second line comes first. */
		for (size_t i = 1; i < n; i++)
			if (strcmp(v[i].name, v[i - 1].name) == 0 &&
			    (i < 2 || strcmp(v[i].name, v[i - 2].name) != 0) &&
			    (dup == NULL || v[i].line < dup->line))
				dup = &v[i], orig = &v[i - 1];
		if (dup != NULL) {
			const char *colon = strchr(dup->name, ':');
			rc = oa_error_set(err, path, dup->line,
			                  "key \"%s\" of [%.*s] is given twice, on lines %ld and %ld "
			                  "(only the last would count): keep one",
			                  colon + 1, (int)(colon - dup->name), dup->name, orig->line,
			                  dup->line);
		}
	}
out:
	for (size_t i = 0; i < n; i++)
		free(v[i].name);
	free(v);
	return rc;
}

static oa_config *
load_file(const char *path, oa_error *err)
{
	oa_config *cfg;
	long line = 0;
	const char *p;
	char *text;
	size_t len;
	int memfd = -1;
	char fdpath[64];
	const char *load_path = path;

	if (!is_regular_file(path)) {
		if (access(path, F_OK) < 0)
			oa_error_sys(err, path, "cannot open config");
		else
			oa_error_set(err, path, 0, "config is not a regular file");
		return NULL;
	}
	text = read_config_text(path, &len, err);
	if (text == NULL)
		return NULL;
	if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) {
		/* Notepad's byte-order mark: iniparser would choke on it. */
		memfd = memfd_create("officeadm.ini", MFD_CLOEXEC);
		if (memfd < 0 || write(memfd, text + 3, len - 3) != (ssize_t)(len - 3)) {
			oa_error_sys(err, path, "cannot read config");
			if (memfd >= 0)
				close(memfd);
			free(text);
			return NULL;
		}
		snprintf(fdpath, sizeof fdpath, "/proc/self/fd/%d", memfd);
		load_path = fdpath;
	}
	{
		size_t skip = len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
		if (check_repeated_keys(text + skip, len - skip, path, err) < 0) {
			if (memfd >= 0)
				close(memfd);
			free(text);
			return NULL;
		}
	}
	free(text);
	cfg = oa_config_empty();
	if (cfg == NULL) {
		if (memfd >= 0)
			close(memfd);
		oa_error_set(err, path, 0, "out of memory");
		return NULL;
	}
	ini_message[0] = '\0';
	iniparser_set_error_callback(ini_error);
	cfg->dict = iniparser_load(load_path);
	iniparser_set_error_callback(NULL);
	if (memfd >= 0)
		close(memfd);
	if (cfg->dict == NULL) {
		/* "iniparser: syntax error in FILE (LINE):\n-> TEXT\n" */
		p = strrchr(ini_message, '(');
		if (p != NULL)
			line = strtol(p + 1, NULL, 10);
		p = strstr(ini_message, "-> ");
		oa_error_set(err, path, line, "config syntax error%s%.*s", p ? ": " : "",
		             p ? (int)strcspn(p + 3, "\n") : 0, p ? p + 3 : "");
		free(cfg);
		return NULL;
	}
	cfg->path = strdup(path);
	return cfg;
}

oa_config *
oa_config_load(const char *explicit_path, oa_error *err)
{
	const char *env, *home;
	char buf[4096];

	if (explicit_path != NULL)
		return load_file(explicit_path, err);
	env = getenv("OFFICEADM_CONFIG");
	if (env != NULL && env[0] != '\0')
		return load_file(env, err);
	if (is_regular_file("officeadm.ini"))
		return load_file("officeadm.ini", err);
	env = getenv("XDG_CONFIG_HOME");
	home = getenv("HOME");
	buf[0] = '\0';
	if (env != NULL && env[0] != '\0')
		snprintf(buf, sizeof buf, "%s/officeadm/officeadm.ini", env);
	else if (home != NULL && home[0] != '\0')
		snprintf(buf, sizeof buf, "%s/.config/officeadm/officeadm.ini", home);
	if (buf[0] != '\0' && is_regular_file(buf))
		return load_file(buf, err);
	if (is_regular_file("/etc/officeadm.ini"))
		return load_file("/etc/officeadm.ini", err);
	return oa_config_empty();
}

void
oa_config_free(oa_config *cfg)
{
	if (cfg == NULL)
		return;
	if (cfg->dict != NULL)
		iniparser_freedict(cfg->dict);
	for (size_t i = 0; i < cfg->nkeys_cache; i++)
		free(cfg->keys_cache[i]);
	free(cfg->path);
	free(cfg);
}

const char *
oa_config_path(const oa_config *cfg)
{
	return cfg->path;
}

static void
entry_name(char *buf, size_t size, const char *section, const char *key)
{
	snprintf(buf, size, "%s:%s", section, key);
	for (char *p = buf; *p; p++)
		*p = (char)tolower((unsigned char)*p);
}

const char *
oa_config_get_string(const oa_config *cfg, const char *section, const char *key,
                     const char *def)
{
	char name[NAME_MAX_LEN];

	if (cfg == NULL || cfg->dict == NULL)
		return def;
	entry_name(name, sizeof name, section, key);
	return iniparser_getstring(cfg->dict, name, def);
}

bool
oa_config_has(const oa_config *cfg, const char *section, const char *key)
{
	char name[NAME_MAX_LEN];

	if (cfg == NULL || cfg->dict == NULL)
		return false;
	entry_name(name, sizeof name, section, key);
	return iniparser_find_entry(cfg->dict, name) != 0;
}

long
oa_config_line(const oa_config *cfg, const char *section, const char *key)
{
	FILE *fp;
	char buf[1100];
	long line = 0, found = 0;
	int in_section = 0;
	size_t klen = strlen(key);

	if (cfg->path == NULL || (fp = fopen(cfg->path, "r")) == NULL)
		return 0;
	while (fgets(buf, sizeof buf, fp) != NULL) {
		char *p = buf;
		line++;
		while (isspace((unsigned char)*p))
			p++;
		if (*p == '[') {
			char *end = strchr(p, ']');
			in_section = end != NULL && (size_t)(end - p - 1) == strlen(section) &&
			             strncasecmp(p + 1, section, strlen(section)) == 0;
			continue;
		}
		if (in_section && strncasecmp(p, key, klen) == 0) {
			char *q = p + klen;
			while (*q == ' ' || *q == '\t')
				q++;
			if (*q == '=' || *q == ':') {
				found = line;
				break;
			}
		}
	}
	fclose(fp);
	return found;
}

static int
bad_value(const oa_config *cfg, const char *section, const char *key, const char *value,
          const char *expected, oa_error *err)
{
	return oa_error_set(err, cfg->path, oa_config_line(cfg, section, key),
	                    "[%s] %s = \"%s\": expected %s", section, key, value, expected);
}

int
oa_config_get_long(const oa_config *cfg, const char *section, const char *key, long def,
                   long min, long max, long *out, oa_error *err)
{
	const char *v = oa_config_get_string(cfg, section, key, NULL);
	char *end;
	char expected[96];
	long n;

	*out = def;
	if (v == NULL)
		return 0;
	errno = 0;
	n = strtol(v, &end, 10);
	snprintf(expected, sizeof expected, "a whole number from %ld to %ld", min, max);
	if (end == v || *end != '\0' || errno != 0 || n < min || n > max)
		return bad_value(cfg, section, key, v, expected, err);
	*out = n;
	return 0;
}

int
oa_config_get_double(const oa_config *cfg, const char *section, const char *key, double def,
                     double min, double max, double *out, oa_error *err)
{
	const char *v = oa_config_get_string(cfg, section, key, NULL);
	char *end;
	char expected[96];
	double d;

	*out = def;
	if (v == NULL)
		return 0;
	errno = 0;
	d = strtod(v, &end);
	snprintf(expected, sizeof expected, "a number from %g to %g", min, max);
	if (end == v || *end != '\0' || errno != 0 || !(d >= min && d <= max))
		return bad_value(cfg, section, key, v, expected, err);
	*out = d;
	return 0;
}

int
oa_config_get_bool(const oa_config *cfg, const char *section, const char *key, bool def,
                   bool *out, oa_error *err)
{
	static const char *const yes[] = { "1", "yes", "true", "on", "是", NULL };
	static const char *const no[] = { "0", "no", "false", "off", "否", NULL };
	const char *v = oa_config_get_string(cfg, section, key, NULL);

	*out = def;
	if (v == NULL)
		return 0;
	for (int i = 0; yes[i]; i++)
		if (strcasecmp(v, yes[i]) == 0)
			return (*out = true), 0;
	for (int i = 0; no[i]; i++)
		if (strcasecmp(v, no[i]) == 0)
			return (*out = false), 0;
	return bad_value(cfg, section, key, v, "yes or no", err);
}

size_t
oa_config_keys(const oa_config *cfg, const char *section, const char ***keys)
{
	oa_config *mut = (oa_config *)cfg;
	char lower[NAME_MAX_LEN];
	const char **list;
	int n;

	*keys = NULL;
	if (cfg == NULL || cfg->dict == NULL)
		return 0;
	snprintf(lower, sizeof lower, "%s", section);
	for (char *p = lower; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	n = iniparser_getsecnkeys(cfg->dict, lower);
	if (n <= 0 || mut->nkeys_cache == sizeof mut->keys_cache / sizeof mut->keys_cache[0])
		return 0;
	list = calloc((size_t)n + 1, sizeof *list);
	if (list == NULL)
		return 0;
	iniparser_getseckeys(cfg->dict, lower, list);
	for (int i = 0; i < n; i++) {
		const char *colon = strchr(list[i], ':');
		if (colon != NULL)
			list[i] = colon + 1;
	}
	mut->keys_cache[mut->nkeys_cache++] = list;
	*keys = list;
	return (size_t)n;
}

size_t
oa_config_sections(const oa_config *cfg, const char ***names)
{
	int n;
	const char **list;

	*names = NULL;
	if (cfg == NULL || cfg->dict == NULL)
		return 0;
	n = iniparser_getnsec(cfg->dict);
	if (n <= 0)
		return 0;
	list = calloc((size_t)n, sizeof *list);
	if (list == NULL)
		return 0;
	for (int i = 0; i < n; i++)
		list[i] = iniparser_getsecname(cfg->dict, i);
	*names = list;
	return (size_t)n;
}

static int
known(const char *section, const char *key)
{
	for (const oa_setting *s = oa_settings; s->section != NULL; s++) {
		if (strcasecmp(s->section, section) != 0)
			continue;
		if (key == NULL || strcmp(s->key, "*") == 0 || strcasecmp(s->key, key) == 0)
			return 1;
	}
	return 0;
}

void
oa_config_check(const oa_config *cfg, void (*warn)(void *ctx, const char *file, const char *msg),
                void *ctx)
{
	const char **sections, **keys;
	size_t ns = oa_config_sections(cfg, &sections);
	char msg[512];

	for (size_t i = 0; i < ns; i++) {
		if (!known(sections[i], NULL)) {
			snprintf(msg, sizeof msg, "unknown section [%s]", sections[i]);
			warn(ctx, cfg->path, msg);
			continue;
		}
		size_t nk = oa_config_keys(cfg, sections[i], &keys);
		for (size_t k = 0; k < nk; k++) {
			if (!known(sections[i], keys[k])) {
				snprintf(msg, sizeof msg, "unknown key \"%s\" in [%s]", keys[k],
				         sections[i]);
				warn(ctx, cfg->path, msg);
			}
		}
	}
	free(sections);
}

size_t
oa_config_split_list(const char *value, char ***items)
{
	size_t n = 1, len = strlen(value), count = 0;
	char **list;
	char *text;
	const char *p;

	for (p = value; *p; p++)
		n += *p == ',';
	list = malloc(n * sizeof *list + len + 1);
	*items = list;
	if (list == NULL)
		return 0;
	text = (char *)(list + n);
	memcpy(text, value, len + 1);
	for (char *tok = text; tok != NULL;) {
		char *comma = strchr(tok, ',');
		if (comma != NULL)
			*comma = '\0';
		while (*tok == ' ' || *tok == '\t')
			tok++;
		char *end = tok + strlen(tok);
		while (end > tok && (end[-1] == ' ' || end[-1] == '\t'))
			*--end = '\0';
		if (*tok != '\0')
			list[count++] = tok;
		tok = comma ? comma + 1 : NULL;
	}
	return count;
}

int
oa_config_lock_timeout_ms(const oa_config *cfg, oa_error *err)
{
	long seconds;

	if (oa_config_get_long(cfg, "general", "lock_timeout", 10, 0, 86400, &seconds, err) < 0)
		return -1;
	return (int)(seconds * 1000);
}
