import os from "node:os";
import { z } from "zod";
import { isTimeZone } from "./calendar";

const EnvSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  HOST: z.string().default("0.0.0.0"),
  /**
   * Which database: unset or `file:<path>` → the embedded SQLite file; `postgres://user:pass@host:5432/db`
   * → PostgreSQL 15+ (any number of instances).
   */
  DATABASE_URL: z.preprocess((v) => (v === "" ? undefined : v), z.string().regex(/^(file:|postgres(ql)?:\/\/)/, "file:… or postgres://…").optional()),
  /** Where the SQLite file lives when DATABASE_URL is unset; its folder is created on start. */
  DATABASE_PATH: z.string().min(1).default("data/candor.sqlite"),
  /** The portal's public base URL, used in personal links. Default: http://localhost:PORT. */
  PUBLIC_URL: z.url().optional(),
  /**
   * The company's IANA time zone: dates shown to customers and staff, and every calendar
   * computation (statutory deadlines, reopen and incident periods, link lifetimes, report weeks).
   */
  DISPLAY_TIME_ZONE: z.string().default("Europe/Brussels").refine(isTimeZone, "not an IANA time zone this Node knows"),
  /** Marks cookies Secure; on by default in production. */
  COOKIE_SECURE: z
    .enum(["true", "false"])
    .optional()
    .transform((v) => (v === undefined ? undefined : v === "true")),
  /** Set to "off" only in load tests: disables the in-memory rate limits. */
  RATE_LIMITS: z.enum(["on", "off"]).default("on"),
  /** Calls per minute allowed to each API key (in-memory, per process). */
  API_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).max(10_000_000).default(6000),
  /**
   * SMTP server for notification emails, e.g. smtp://user:pass@host:587 (smtps:// for implicit
   * TLS). Unset: no emails are sent; they stay in the outbox, readable by admins.
   */
  SMTP_URL: z.preprocess((v) => (v === "" ? undefined : v), z.url({ protocol: /^smtps?$/ }).optional()),
  /**
   * Threads that render pages (app/page-threads.server.ts), beside the main thread that keeps the
   * integration API, health checks and static files. Unset: one fewer than the cores (at least 1);
   * `0`: pages render on the main thread.
   */
  PAGE_THREADS: z.preprocess((v) => (v === "" ? undefined : v), z.coerce.number().int().min(0).max(64).optional()),
  /** Sender of notification emails. */
  MAIL_FROM: z.string().min(3).max(320).default("Candor <no-reply@localhost>"),
});

export type Env = Omit<z.infer<typeof EnvSchema>, "PUBLIC_URL" | "PAGE_THREADS"> & { PUBLIC_URL: string; PAGE_THREADS: number };

let cached: Env | undefined;

export function env(): Env {
  if (!cached) {
    const parsed = EnvSchema.safeParse(process.env);
    if (!parsed.success) {
      throw new Error(`Invalid environment: ${z.prettifyError(parsed.error)}`);
    }
    const publicUrl = parsed.data.PUBLIC_URL ?? `http://localhost:${parsed.data.PORT}`;
    // One per core: page threads run at a lower OS priority (page-thread-worker.server.ts), so the
    // main thread's hot path takes a core whenever it needs one and pages use the rest.
    const pageThreads = parsed.data.PAGE_THREADS ?? Math.max(1, os.availableParallelism());
    cached = { ...parsed.data, PUBLIC_URL: publicUrl.replace(/\/+$/, ""), PAGE_THREADS: pageThreads };
  }
  return cached;
}

export function cookiesAreSecure(): boolean {
  const { COOKIE_SECURE, NODE_ENV } = env();
  return COOKIE_SECURE ?? NODE_ENV === "production";
}
