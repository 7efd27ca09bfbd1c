/** Small test-data factories: each test says only what matters to it. */
import { fileConcern } from "../../app/domain/concerns/index.server";
import type { Db } from "../../app/utils/db.server";

type ConcernInput = Parameters<typeof fileConcern>[1];

/**
 * Files a concern directly through the domain (not through a form under test): by default one of
 * `demo-customer-1`, kind "other", followed in the portal, about no interaction or system.
 */
export async function concernFor(db: Db, overrides: Partial<ConcernInput> = {}): ReturnType<typeof fileConcern> {
  return fileConcern(db, {
    customerId: "demo-customer-1",
    contactEmail: null,
    contactMethod: "portal",
    lang: "en",
    kind: "other",
    interactionId: null,
    systemId: null,
    description: "Something went wrong here.",
    desiredOutcome: "",
    ...overrides,
  });
}
