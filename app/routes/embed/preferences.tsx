import { action as portalAction } from "../portal/preferences";
import { keepInFrame } from "./embed.server";

/** The portal's preferences page inside the embed frame: same loader, action and component. */
export { loader, clientLoader, default } from "../portal/preferences";

// The embed route's params ({ site, lang, … }) include everything the portal action reads.
export function action(args: Parameters<typeof portalAction>[0]): Promise<unknown> {
  return keepInFrame(args.request, args.params, () => portalAction(args));
}
