import { redirect } from "react-router";
import { appendAudit } from "~/domain/audit.server";
import { endStaffSession } from "~/domain/staff.server";
import { staffContext } from "~/context";
import { staffSessionCookie } from "~/utils/cookies.server";
import { getDb } from "~/utils/db.server";
import type { Route } from "./+types/logout";

export async function action({ request, context }: Route.ActionArgs) {
  const token = await staffSessionCookie.parse(request.headers.get("Cookie"));
  const staff = context.get(staffContext);
  if (typeof token === "string") {
    const db = getDb();
    db.transaction(
      (tx) => {
        endStaffSession(tx, token);
        if (staff) appendAudit(tx, { actor: { type: "staff", id: staff.id }, action: "staff.logout", target: { type: "staff", id: staff.id } });
      },
      { behavior: "immediate" },
    );
  }
  return redirect("/staff/login?signedOut=1", { status: 303, headers: { "Set-Cookie": await staffSessionCookie.serialize("", { maxAge: 0 }) } });
}

export function loader() {
  return redirect("/staff");
}
