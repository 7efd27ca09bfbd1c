import { action as portalAction } from "../portal/interactions";
import { keepInFrame } from "./embed.server";

/** The portal's interactions page inside the embed frame: same loader, action and component. */
export { loader, default } from "../portal/interactions";

// The embed route's params ({ site, lang }) include everything the portal action reads.
export function action(args: Parameters<typeof portalAction>[0]): Promise<unknown> {
  return keepInFrame(args.request, args.params, () => portalAction(args));
}
