#include "domain/privacy.h"

#include <inttypes.h>
#include <string.h>

#include "domain/accounts.h"
#include "domain/audit.h"
#include "domain/org.h"
#include "util/timeutil.h"

/* Rows as an array of objects with the given member names (all text but ints). */
static json_t *rows_json(const rows *r, const char *const *names, const bool *numeric)
{
	json_t *list = json_array();
	for (size_t i = 0; list && i < r->nrows; i++) {
		json_t *o = json_object();
		for (size_t j = 0; j < r->ncols && names[j]; j++)
			json_object_set_new(o, names[j], numeric[j] ? json_integer(rows_int(r, i, j))
								    : json_string(rows_text(r, i, j)));
		json_array_append_new(list, o);
	}
	return list;
}

static gz_err add_section(store_conn *c, arena *a, json_t *root, const char *key, stmt_id id, const actor *who,
			  const char *const *names, const bool *numeric)
{
	rows r;
	gz_err rc = db_run(c, a, id, ARGS(sv_int(who->street_id), sv_int(who->person_id)), &r);
	if (!rc)
		json_object_set_new(root, key, rows_json(&r, names, numeric));
	return rc;
}

gz_err privacy_export(store_conn *c, arena *a, const actor *who, json_t **out)
{
	person_record p;
	gz_err rc = person_get(c, a, who->person_id, &p);
	if (rc)
		return rc;
	json_t *root = json_pack("{s:s, s:I, s:{s:I, s:s, s:s, s:b, s:s, s:b, s:s}, s:{s:s}}", "exported_by", "gongzhi",
				 "exported_at", (json_int_t)time_now(), "person", "id", (json_int_t)p.id, "name", p.name,
				 "phone", p.phone, "party_member", p.party_member, "home_unit", p.home_unit_name,
				 "verified", p.verified, "kind", p.social_unit ? "social_unit" : "resident", "account",
				 "login", who->login ? who->login : "");
	if (!root)
		return GZ_ENOMEM;
	json_t *roles = json_array();
	for (size_t i = 0; i < who->role_count; i++)
		json_array_append_new(roles, json_pack("{s:s, s:s, s:s}", "role", role_name(who->roles[i].role), "delegate",
						       delegate_kind_name(who->roles[i].delegate), "unit",
						       who->roles[i].unit_name ? who->roles[i].unit_name : ""));
	json_object_set_new(root, "roles", roles);
	static const char *const need_names[] = { "id", "title", "body", "category", "status", "created_at", "address", NULL };
	static const bool need_numeric[] = { true, false, false, false, false, true, false };
	static const char *const support_names[] = { "need_id", "created_at", NULL };
	static const bool support_numeric[] = { true, true };
	static const char *const answer_names[] = { "survey_id", "answered_at", "question_id", "option_id", "value", "text", NULL };
	static const bool answer_numeric[] = { true, true, true, true, true, false };
	static const char *const inbox_names[] = { "kind", "need_id", "other_id", "reason", "created_at", NULL };
	static const bool inbox_numeric[] = { false, true, true, false, true };
	rc = add_section(c, a, root, "needs", STMT_PRIVACY_NEEDS_OF_PERSON, who, need_names, need_numeric);
	if (!rc)
		rc = add_section(c, a, root, "supports", STMT_PRIVACY_SUPPORTS_OF_PERSON, who, support_names, support_numeric);
	if (!rc)
		rc = add_section(c, a, root, "survey_answers", STMT_PRIVACY_ANSWERS_OF_PERSON, who, answer_names, answer_numeric);
	if (!rc)
		rc = add_section(c, a, root, "inbox", STMT_PRIVACY_INBOX_OF_PERSON, who, inbox_names, inbox_numeric);
	if (rc) {
		json_decref(root);
		return rc;
	}
	*out = root;
	return GZ_OK;
}

typedef struct forget_job {
	const actor *who;
} forget_job;

static gz_err forget_write(store_conn *c, void *ctx)
{
	const actor *who = ((forget_job *)ctx)->who;
	arena *a = db_arena(c);
	const sval key[] = { sv_int(who->street_id), sv_int(who->person_id) };
	int64_t now = time_now();
	const char *name = arena_printf(a, "已注销用户 %" PRId64, who->person_id);
	const char *login = arena_printf(a, "deleted_%" PRId64, who->person_id);
	gz_err rc = db_run(c, NULL, STMT_PRIVACY_PSEUDONYMISE_PERSON, ARGS(key[0], key[1], sv_text(name)), NULL);
	if (!rc)
		rc = db_run(c, NULL, STMT_PRIVACY_DISABLE_ACCOUNT, ARGS(key[0], key[1], sv_text(login)), NULL);
	if (!rc)
		rc = db_run(c, NULL, STMT_PRIVACY_CLEAR_NEED_NAMES, ARGS(key[0], key[1]), NULL);
	if (!rc)
		rc = db_run(c, NULL, STMT_PRIVACY_END_SESSIONS, ARGS(key[0], key[1]), NULL);
	if (!rc)
		rc = db_run(c, NULL, STMT_PRIVACY_END_ROLES, ARGS(key[0], key[1], sv_int(now)), NULL);
	if (rc)
		return rc;
	audit_entry e = { who->street_id, "person.pseudonymise", "person", who->person_id, "deletion requested by the person" };
	return audit_append(c, who, &e);
}

gz_err privacy_forget_self(store *st, const actor *who, const char *password)
{
	store_conn *c = store_conn_get(st);
	if (!c)
		return GZ_ESTORE;
	arena a = ARENA_INIT;
	rows acc;
	gz_err rc = db_run(c, &a, STMT_ACCOUNT_GET, ARGS(sv_int(who->account_id)), &acc);
	store_conn_put(st, c);
	bool ok = !rc && acc.nrows == 1 && password_matches(rows_text(&acc, 0, 4), password);
	arena_release(&a);
	if (rc)
		return rc;
	if (!ok)
		return GZ_EAUTH;
	forget_job job = { who };
	return store_write(st, forget_write, &job);
}
