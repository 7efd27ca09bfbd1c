/** The portal's interactions page inside the embed frame (same loader and component). */
export { loader, default } from "../portal/interactions";
