import { RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";
import { env } from "./env.server";

/**
 * In-memory limits (one server process). Keys are chosen by the caller: the client address for
 * anonymous visitors, the customer id for signed-in customers, the concern for tracking links.
 * Numbers are generous for people and tight for scripts.
 */
const limiters = {
  /** Opening or redeeming personal links: guessing tokens is pointless, but cheap to stop. */
  linkOpen: new RateLimiterMemory({ keyPrefix: "link", points: 30, duration: 60 }),
  /** Filing concerns. */
  concernFile: new RateLimiterMemory({ keyPrefix: "concern", points: 5, duration: 60 * 60 }),
  /** Replies, reopening and withdrawing concerns. */
  concernWrite: new RateLimiterMemory({ keyPrefix: "concern-write", points: 30, duration: 60 * 60 }),
};

export type RateLimitName = keyof typeof limiters;

/** Consumes one point; returns the seconds to wait when the limit is reached, else null. */
export async function rateLimit(name: RateLimitName, key: string): Promise<number | null> {
  if (env().RATE_LIMITS === "off") return null;
  try {
    await limiters[name].consume(key);
    return null;
  } catch (rejection) {
    if (rejection instanceof RateLimiterRes) return Math.ceil(rejection.msBeforeNext / 1000);
    throw rejection;
  }
}
