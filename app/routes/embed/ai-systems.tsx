/** The portal's ai-systems page inside the embed frame (same loader and component). */
export { loader, default } from "../portal/ai-systems";
