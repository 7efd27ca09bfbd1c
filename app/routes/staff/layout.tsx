import { useTranslation } from "~/utils/i18n";
import { Form, isRouteErrorResponse, NavLink, Outlet, useRouteLoaderData } from "react-router";
import { useDocumentLanguage } from "~/components/document-language";
import { ErrorPage, errorTitleKey } from "~/components/error-page";
import { can, type Permission } from "~/domain/permissions";
import { requireStaff, staffMiddleware } from "~/middleware/staff.server";
import staffStylesUrl from "~/styles/staff.css?url";
import type { Route } from "./+types/layout";

export const middleware: Route.MiddlewareFunction[] = [staffMiddleware];

export const links: Route.LinksFunction = () => [{ rel: "stylesheet", href: staffStylesUrl }];

export function loader({ request, context }: Route.LoaderArgs) {
  const staff = requireStaff(context, request);
  return { staff: { id: staff.id, name: staff.name, role: staff.role } };
}

const SECTIONS: { to: string; label: string; permission: Permission }[] = [
  { to: "/staff", label: "staff:nav.start", permission: "concerns.work" },
  { to: "/staff/concerns", label: "staff:nav.queue", permission: "concerns.work" },
  { to: "/staff/report", label: "staff:nav.report", permission: "concerns.work" },
  { to: "/staff/canned-replies", label: "staff:nav.cannedReplies", permission: "concerns.assign" },
  { to: "/staff/reports", label: "staff:nav.reports", permission: "reports.view" },
  { to: "/staff/monitoring", label: "monitoring:nav", permission: "reports.view" },
  { to: "/staff/ai-systems", label: "staff:nav.register", permission: "register.edit" },
  { to: "/staff/translations", label: "translations:nav", permission: "register.edit" },
  { to: "/staff/trainings", label: "trainings:nav", permission: "trainings.view" },
  { to: "/staff/audit", label: "staff:nav.audit", permission: "audit.view" },
  { to: "/staff/users", label: "staff:nav.users", permission: "admin.manage" },
  { to: "/staff/outbox", label: "staff:nav.outbox", permission: "admin.manage" },
  { to: "/staff/webhooks", label: "staff:nav.webhooks", permission: "admin.manage" },
  { to: "/staff/api-keys", label: "staff:nav.apiKeys", permission: "admin.manage" },
  { to: "/staff/embed-sites", label: "staff:nav.embedSites", permission: "admin.manage" },
  { to: "/staff/settings", label: "settings:nav", permission: "settings.manage" },
  { to: "/staff/choices", label: "settings:navChoices", permission: "settings.manage" },
];

function Chrome({ children }: { children: React.ReactNode }) {
  const { t } = useTranslation();
  useDocumentLanguage();
  const layout = useRouteLoaderData<typeof loader>("routes/staff/layout");
  const staff = layout?.staff;
  return (
    <>
      <a className="skip-link" href="#main">
        {t("layout.skipToContent")}
      </a>
      <header className="site-header staff-header">
        <div className="site-header__inner">
          <span className="brand">
            <span className="brand__mark" aria-hidden="true" />
            <span>
              <span className="brand__company">{t("staff:product")}</span>
              {staff ? <span className="brand__product">{t("staff:signedInAs", { name: staff.name, role: t(`staff:roles.${staff.role}`) })}</span> : null}
            </span>
          </span>
          {staff ? (
            // A whole document: the sign-in page follows the browser's language, not the account's.
            <Form method="post" action="/staff/logout" className="inline-form" reloadDocument>
              <button type="submit" className="link-button">{t("nav.signOut")}</button>
            </Form>
          ) : null}
        </div>
        {staff ? (
          <nav aria-label={t("layout.mainNav")} className="main-nav">
            <ul>
              {SECTIONS.filter((s) => can(staff.role, s.permission)).map((s) => (
                <li key={s.to}><NavLink to={s.to} end={s.to === "/staff"}>{t(s.label)}</NavLink></li>
              ))}
              <li><NavLink to="/staff/account">{t("staff:nav.account")}</NavLink></li>
            </ul>
          </nav>
        ) : null}
      </header>
      <main id="main" className="page page--wide" tabIndex={-1}>
        {children}
      </main>
    </>
  );
}

export default function StaffLayout() {
  return (
    <Chrome>
      <Outlet />
    </Chrome>
  );
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  const { t } = useTranslation();
  const status = isRouteErrorResponse(error) ? error.status : 500;
  const reason = isRouteErrorResponse(error) ? (error.data as { reason?: string } | null)?.reason : undefined;
  if (!isRouteErrorResponse(error)) console.error(error);
  return (
    <Chrome>
      <title>{t(errorTitleKey(status, reason))}</title>
      <ErrorPage status={status} reason={reason} home="/staff" />
    </Chrome>
  );
}
