/*
 * config.h - settings from an INI file (over iniparser).
 *
 * Search order when no file is named: $OFFICEADM_CONFIG, ./officeadm.ini,
 * $XDG_CONFIG_HOME/officeadm/officeadm.ini (XDG_CONFIG_HOME defaults to
 * ~/.config), /etc/officeadm.ini; the first that exists is used.  When none
 * exists every setting takes its built-in default.
 *
 * iniparser lower-cases section and key names, so lookups are
 * case-insensitive.  Getters take the default the caller documents; a value
 * that is present but malformed is an error naming the file, section, key and
 * what was expected.  Every setting the toolkit knows is listed in
 * settings.c (and documented in officeadm.ini(5)); oa_config_check reports
 * any other section or key as a warning, to catch typos.
 */
#ifndef OA_CONFIG_H
#define OA_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"

typedef struct oa_config oa_config;

/*
 * Loads EXPLICIT_PATH when not NULL (it must exist), else searches.  Returns
 * a config (possibly empty) or NULL on error.  Free with oa_config_free.
 */
oa_config *oa_config_load(const char *explicit_path, oa_error *err);
/* An empty config: every getter returns its default. */
oa_config *oa_config_empty(void);
void oa_config_free(oa_config *cfg);

/* The file the settings came from, or NULL for built-in defaults. */
const char *oa_config_path(const oa_config *cfg);

/* Raw string value, or DEF when absent.  Owned by cfg. */
const char *oa_config_get_string(const oa_config *cfg, const char *section,
                                 const char *key, const char *def);
bool oa_config_has(const oa_config *cfg, const char *section, const char *key);
/* The line KEY of SECTION is on in the file, for messages; 0 when unknown. */
long oa_config_line(const oa_config *cfg, const char *section, const char *key);

/* Typed getters: 0 and *out set (DEF when absent), or -1 with err. */
int oa_config_get_long(const oa_config *cfg, const char *section, const char *key,
                       long def, long min, long max, long *out, oa_error *err);
int oa_config_get_double(const oa_config *cfg, const char *section, const char *key,
                         double def, double min, double max, double *out, oa_error *err);
int oa_config_get_bool(const oa_config *cfg, const char *section, const char *key,
                       bool def, bool *out, oa_error *err);

/* Keys of SECTION in file order; valid while cfg lives.  Returns the count. */
size_t oa_config_keys(const oa_config *cfg, const char *section, const char ***keys);
/* Section names; returns the count.  Free *names with free(). */
size_t oa_config_sections(const oa_config *cfg, const char ***names);

/*
 * Calls WARN for every section or key that the toolkit does not know
 * (see settings.c), with a message like `unknown key "treshold" in [assets]`.
 */
void oa_config_check(const oa_config *cfg,
                     void (*warn)(void *ctx, const char *file, const char *msg), void *ctx);

/* A known setting: section, key ("*" = any key, the section is a table). */
typedef struct oa_setting {
	const char *section;
	const char *key;
} oa_setting;
extern const oa_setting oa_settings[];

/*
 * [general] lock_timeout (seconds, default 10) in milliseconds, for
 * oa_lock_acquire.  -1 with err on a bad value.
 */
int oa_config_lock_timeout_ms(const oa_config *cfg, oa_error *err);

/*
 * Splits a comma-separated list value into trimmed items (empty items
 * dropped).  Returns the count; *items is one malloc'd block: free(*items).
 */
size_t oa_config_split_list(const char *value, char ***items);

#endif
