/** The portal's concerns list inside the embed frame (same loader and component). */
export { loader, default } from "../portal/concerns";
