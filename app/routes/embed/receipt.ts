/** A consent receipt download inside the embed frame (same loader). */
export { loader } from "../portal/receipt";
