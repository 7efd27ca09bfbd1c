import { buildTemplate } from "./database";

/** Vitest global setup: one migrated, seeded template database per run; tests copy it. */
export default async function setup() {
  await buildTemplate();
}
