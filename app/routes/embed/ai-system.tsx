/** The portal's ai-system page inside the embed frame (same loader and component). */
export { loader, default } from "../portal/ai-system";
