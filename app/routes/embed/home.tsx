/** The portal's home page inside the embed frame (same loader and component). */
export { loader, default } from "../portal/home";
