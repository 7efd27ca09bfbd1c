import { action as portalAction } from "../portal/concern-tracked";
import { keepInFrame } from "./embed.server";

/** The portal's concern-tracked page inside the embed frame: same loader, action and component. */
export { loader, default } from "../portal/concern-tracked";

// The embed route's params ({ site, lang, … }) include everything the portal action reads.
export function action(args: Parameters<typeof portalAction>[0]): Promise<unknown> {
  return keepInFrame(args.request, args.params, () => portalAction(args));
}
