/** The data export download inside the embed frame (same loader). */
export { loader } from "../portal/data-export";
