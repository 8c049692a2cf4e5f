/*
 * The street's audit log for administrators and street staff
 * (AUTHZ_VIEW_AUDIT), newest first, a page at a time by record id, with how
 * to check the hash chain from the command line.  Summaries never hold
 * restricted data (see domain/audit.h), so the page shows them as stored.
 */
#include "pages/page-admin.h"
#include "util/timeutil.h"

static const field audit_fields[] = {
	{ "before", FIELD_ID, false, 0, 0, NULL },
};

static void audit_table(request *r, const audit_row *rows_, size_t count)
{
	html_fmt(r, "<div class=\"table-wrap\"><table class=\"audit\"><thead><tr><th class=\"num\">#</th><th>%s</th><th>%s</th>"
		    "<th>%s</th><th>%s</th><th>%s</th></tr></thead><tbody>",
		 tr(r, "admin.audit.at"), tr(r, "admin.audit.actor"), tr(r, "admin.audit.action"),
		 tr(r, "admin.audit.object"), tr(r, "admin.audit.summary"));
	for (size_t i = 0; i < count; i++) {
		const audit_row *a = &rows_[i];
		char at[17];
		time_format_minute(a->at, at);
		html_fmt(r, "<tr><td class=\"num\">%lld</td><td><time>%s</time></td><td>", (long long)a->id, at);
		if (*a->actor_login)
			html_fmt(r, "%s (%s, %s)", a->actor_name, a->actor_login, a->actor_role);
		else
			html_text(r, tr(r, "admin.audit.system"));
		html_fmt(r, "</td><td><code>%s</code></td><td>%s %lld</td><td>%s</td></tr>", a->action, a->object_type,
			 (long long)a->object_id, a->summary);
	}
	html_markup(r, "</tbody></table></div>");
}

gz_err admin_audit_page(request *r)
{
	if (!admin_can(r, AUTHZ_VIEW_AUDIT, ""))
		return admin_refuse(r, "admin.refused.audit");
	field_value v[1];
	const char *bad;
	if (input_read(r, audit_fields, 1, v, &bad))
		return admin_fail(r, GZ_EINVAL, "admin.audit.bad.before");
	audit_row *rows_;
	size_t count;
	/* One more than a page tells whether an older page exists. */
	gz_err rc = audit_page(r->db, &r->mem, req_app(r)->street_id, v[0].present ? v[0].number : 0,
			       ADMIN_PAGE_SIZE + 1, &rows_, &count);
	if (rc)
		return rc;
	bool older = count > ADMIN_PAGE_SIZE;
	if (older)
		count = ADMIN_PAGE_SIZE;
	page_begin(r, tr(r, "admin.audit.title"));
	admin_heading(r, tr(r, "admin.audit.title"));
	html_fmt(r, "<p class=\"hint\">%s <a href=\"#verify\">%s</a></p>", tr(r, "admin.audit.about"),
		 tr(r, "admin.audit.verify_link"));
	if (count)
		audit_table(r, rows_, count);
	else
		html_fmt(r, "<p>%s</p>", tr(r, "admin.audit.empty"));
	html_markup(r, "<nav class=\"pager\">");
	if (v[0].present)
		html_fmt(r, "<a href=\"/admin/audit\">%s</a> ", tr(r, "admin.audit.newest"));
	if (older)
		html_fmt(r, "<a href=\"/admin/audit?before=%lld\" rel=\"next\">%s</a>", (long long)rows_[count - 1].id,
			 tr(r, "admin.audit.older"));
	html_fmt(r, "</nav><section id=\"verify\"><h2>%s</h2><p>%s</p><pre><code>gongzhi audit verify --db %s</code></pre>"
		    "<p>%s</p></section>",
		 tr(r, "admin.audit.verify_title"), tr(r, "admin.audit.verify_about"), tr(r, "admin.audit.db_placeholder"),
		 tr(r, "admin.audit.verify_result"));
	page_end(r);
	return GZ_OK;
}
