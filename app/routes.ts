import { index, route, type RouteConfig } from "@react-router/dev/routes";

/** Every URL of Candor. Route modules are thin: parse → call app/domain → render. */
export default [
  // "/" → the visitor's language (Accept-Language)
  index("routes/language-redirect.ts"),
  // Personal links: GET shows "Continue", POST starts the session (SPEC §3.1)
  route("l/:token", "routes/link.tsx"),

  // Help-center embedding (SPEC §6): chrome-less pages framed by a registered site's origins
  route("embed/:site/:lang", "routes/embed/layout.tsx", [
    index("routes/embed/home.tsx"),
    route("ai-systems", "routes/embed/ai-systems.tsx"),
    route("ai-systems/:slug", "routes/embed/ai-system.tsx"),
    route("concerns/new", "routes/embed/concern-new.tsx"),
    route("concerns/track/:token", "routes/embed/concern-tracked.tsx"),
    route("me/preferences", "routes/embed/preferences.tsx"),
    route("me/concerns", "routes/embed/concerns.tsx"),
    route("me/concerns/:ref", "routes/embed/concern.tsx"),
    route("me/interactions", "routes/embed/interactions.tsx"),
    route("me/confirmations/:id", "routes/embed/confirmation.tsx"),
    route("me/data", "routes/embed/data.tsx"),
    route("me/data/export.json", "routes/embed/data-export.ts"),
    route("me/data/receipts/:receiptId.json", "routes/embed/receipt.ts"),
    // "Open in a new tab": exchanges the embed session for a portal session (POST, target=_blank)
    route("open", "routes/embed/open.ts"),
    // Unknown pages inside a frame: the embed's own 404 page, whose links stay in the frame
    route("*", "routes/not-found.tsx", { id: "routes/embed/not-found" }),
  ]),

  // The company's logo (SPEC §12 settings): a versioned, cacheable URL
  route("brand/logo/:version", "routes/brand-logo.ts"),

  route(":lang", "routes/portal/layout.tsx", [
    index("routes/portal/home.tsx"),
    route("ai-systems", "routes/portal/ai-systems.tsx"),
    route("ai-systems/:slug", "routes/portal/ai-system.tsx"),
    route("me/interactions", "routes/portal/interactions.tsx"),
    // "Ask me first": one request of an AI agent, answered here (SPEC §11.1)
    route("me/confirmations/:id", "routes/portal/confirmation.tsx"),
    route("me/preferences", "routes/portal/preferences.tsx"),
    route("me/concerns", "routes/portal/concerns.tsx"),
    route("me/concerns/new", "routes/portal/concern-new.tsx"),
    // Employees report AI concerns too (SPEC §12): a public form, optional name
    route("report", "routes/portal/report.tsx"),
    route("me/concerns/:ref", "routes/portal/concern.tsx"),
    // Anonymous filers follow their concern through a private link
    route("concerns/track/:token", "routes/portal/concern-tracked.tsx"),
    route("me/data", "routes/portal/data.tsx"),
    route("me/data/export.json", "routes/portal/data-export.ts"),
    route("me/data/receipts/:receiptId.json", "routes/portal/receipt.ts"),
    // Public accountability (SPEC §12): figures per AI system and quarter
    route("statistics", "routes/portal/statistics.tsx"),
    route("sign-out", "routes/portal/sign-out.ts"),
    route("*", "routes/not-found.tsx", { id: "routes/portal/not-found" }),
  ]),
  // Staff console (SPEC §4): sign-in outside the authenticated layout
  route("staff/login", "routes/staff/login.tsx"),
  route("staff", "routes/staff/layout.tsx", [
    index("routes/staff/index.tsx"),
    route("concerns", "routes/staff/concerns.tsx"),
    route("concerns/:ref", "routes/staff/concern.tsx"),
    route("report", "routes/staff/report.tsx"),
    route("canned-replies", "routes/staff/canned-replies.tsx"),
    route("ai-systems", "routes/staff/ai-systems.tsx"),
    route("ai-systems/new", "routes/staff/ai-system-new.tsx"),
    route("ai-systems/:slug", "routes/staff/ai-system-edit.tsx"),
    route("ai-systems/:slug/audits", "routes/staff/ai-system-audits.tsx"),
    route("customers/:id", "routes/staff/customer.tsx"),
    route("trainings", "routes/staff/trainings.tsx"),
    route("monitoring", "routes/staff/monitoring.tsx"),
    route("monitoring.csv", "routes/staff/monitoring-export.ts", { id: "routes/staff/monitoring-csv" }),
    route("monitoring.json", "routes/staff/monitoring-export.ts", { id: "routes/staff/monitoring-json" }),
    route("settings", "routes/staff/settings.tsx"),
    route("choices", "routes/staff/choices.tsx"),
    route("choices/:key", "routes/staff/choices-edit.tsx"),
    route("translations", "routes/staff/translations.tsx"),
    route("reports", "routes/staff/reports.tsx"),
    route("reports/:report.csv", "routes/staff/reports-csv.ts"),
    route("audit", "routes/staff/audit.tsx"),
    route("users", "routes/staff/users.tsx"),
    route("outbox", "routes/staff/outbox.tsx"),
    route("webhooks", "routes/staff/webhooks.tsx"),
    route("api-keys", "routes/staff/api-keys.tsx"),
    route("embed-sites", "routes/staff/embed-sites.tsx"),
    route("account", "routes/staff/account.tsx"),
    route("account/notifications", "routes/staff/account-notifications.tsx"),
    route("logout", "routes/staff/logout.ts"),
  ]),

  route("*", "routes/not-found.tsx"),
] satisfies RouteConfig;
