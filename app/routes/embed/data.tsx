/** The portal's "my data" page inside the embed frame (same loader and component). */
export { loader, default } from "../portal/data";
