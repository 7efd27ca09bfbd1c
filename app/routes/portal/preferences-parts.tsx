/**
 * The parts of "My choices" whose code is not in the page's first JavaScript: the server renders
 * them, the browser loads this module when they are wanted (preferences-later.tsx).
 */
export { ChoiceHistory } from "~/components/choice-history";
export { ReconfirmChoice } from "~/components/reconfirm-choice";
export { ChoicesForm } from "./preferences-main-form";
