/*
 * routing.h - who handles a document: ordered rules from the config.
 *
 *     [doc-route.rules]
 *     请示.type     = 请示
 *     请示.lead     = 办公室
 *     请示.leader   = 张局长
 *     安全.title    = 安全, 消防
 *     安全.co       = 保卫科
 *     安全.continue = yes
 *     其他.default  = yes
 *     其他.lead     = 办公室
 *
 * Keys are RULE.FIELD; rules are tried in the order their first key appears.
 * Conditions (all must hold; a rule without any matches every document):
 *     direction, type, issuer, urgency, secrecy, title, keywords, text
 * (text = title and keywords).  A condition's value is [!][MODE:]ITEMS:
 *     any:   ITEMS is a comma-separated list; some item is a substring
 *     all:   every item is a substring
 *     exact: the value equals some item
 *     regex: ITEMS is one POSIX extended regular expression (on UTF-8 bytes)
 * and a leading ! negates the result.  Substrings are byte substrings, so
 * Chinese text matches without word boundaries.  The default mode is exact
 * for direction, type, urgency and secrecy, any for the others.  A document
 * without urgency or secrecy has the value 无 there; direction is 收文 or
 * 发文 (in/out are accepted in the rule).  Values with ; or # must be put in
 * double quotes (the INI reader takes those for comments).
 *
 * Assignments: lead (主办 department), co (协办, a list), leader (批办),
 * circulate (传阅, a list).  The first matching rule wins, unless it has
 * continue = yes: then later matching rules are tried too, filling lead and
 * leader when still empty and adding to co and circulate.  A rule with
 * default = yes is used when no rule without continue matched (so it also
 * completes what continuing rules left open); the first default rule counts.
 */
#ifndef OA_ROUTING_H
#define OA_ROUTING_H

#include <stdbool.h>
#include <stddef.h>

#include "config.h"
#include "documents.h"
#include "error.h"

typedef struct oa_rules oa_rules;

#define OA_RULES_SECTION "doc-route.rules"

/* Reads the rules (none when the section is absent).  NULL with err set on
 * a bad key, value or regular expression.  Free with oa_rules_free. */
oa_rules *oa_rules_load(const oa_config *cfg, oa_error *err);
void oa_rules_free(oa_rules *rules);
size_t oa_rules_count(const oa_rules *rules);

/*
 * Routes DOC: sets doc->lead, co, leader and circulate to what the rules
 * assign ("" when nothing matched), except those DOC arrives with filled
 * (given in the sheet, as a route output edited by hand has them): these
 * stay, and the explanation says so.  Returns the number of rules
 * applied.  With EXPLAIN not NULL, *explain gets a malloc'd text, one line per
 * rule tried, saying whether it matched and why; titles of classified
 * documents are left out of it unless SHOW_CLASSIFIED.  -1 when out of memory.
 */
int oa_rules_route(const oa_rules *rules, oa_doc *doc, bool show_classified,
                   char **explain, oa_error *err);

#endif
