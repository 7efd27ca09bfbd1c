import { redirect } from "react-router";
import { appendAudit } from "~/domain/audit.server";
import { endStaffSession } from "~/domain/staff.server";
import { servicesContext, staffContext } from "~/context";
import { staffSessionCookie } from "~/utils/cookies.server";
import type { Route } from "./+types/logout";

export async function action({ request, context }: Route.ActionArgs) {
  const { db } = context.get(servicesContext);
  const token = await staffSessionCookie.parse(request.headers.get("Cookie"));
  const staff = context.get(staffContext);
  if (typeof token === "string") {
    await db.transaction(async (tx) => {
      await endStaffSession(tx, token);
      if (staff) await appendAudit(tx, { actor: { type: "staff", id: staff.id }, action: "staff.logout", target: { type: "staff", id: staff.id } });
    });
  }
  return redirect("/staff/login?signedOut=1", { status: 303, headers: { "Set-Cookie": await staffSessionCookie.serialize("", { maxAge: 0 }) } });
}

export function loader() {
  return redirect("/staff");
}
