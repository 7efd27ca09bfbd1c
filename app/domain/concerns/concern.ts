/**
 * The concern row type, on its own (no imports from the rest of the domain), so modules the
 * aggregate builds on — notifications, for one — can name it without an import cycle.
 */
import type { concerns } from "../../../db/schema";

export type Concern = typeof concerns.$inferSelect;
