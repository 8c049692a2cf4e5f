/* Administration: the organisation tree, people, roles, the year, the audit log. */
#include "pages/pages.h"
#include "routes/routes.h"

const route page_admin_routes[] = {
	{ 0 },
};
