import { redirect } from "react-router";
import { getLang } from "~/middleware/i18n.server";
import type { Route } from "./+types/language-redirect";

export function loader({ context }: Route.LoaderArgs) {
  return redirect(`/${getLang(context)}`, { headers: { Vary: "Accept-Language" } });
}
