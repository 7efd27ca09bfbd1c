/**
 * HTTP as the multi-instance test's clients speak it, always through the balancer: customers'
 * form posts (same-origin, their session cookie, their own address in X-Forwarded-For), the
 * agents' API calls (a bearer key) and staff forms. `instance` pins a request to one instance
 * (X-Candor-Instance, see cluster.ts); every answer says which instance served it.
 */

export interface Answer {
  status: number;
  /** The instance HAProxy sent the request to (its X-Candor-Instance answer header). */
  instance: string | null;
  location: string | null;
  /** `name=value` of the first Set-Cookie, or null. */
  cookie: string | null;
  text: string;
}

export interface CallOptions {
  method?: string;
  form?: Record<string, string> | URLSearchParams;
  json?: unknown;
  cookie?: string;
  bearer?: string;
  instance?: string;
  /** The client's address, as a browser behind the balancer would have one. */
  ip?: string;
}

/** One request through the balancer at `base`; never follows redirects. Network errors reject. */
export async function call(base: string, pathname: string, options: CallOptions = {}): Promise<Answer> {
  const headers: Record<string, string> = {};
  let body: string | undefined;
  if (options.form) {
    body = new URLSearchParams(options.form).toString();
    headers["content-type"] = "application/x-www-form-urlencoded";
    headers.origin = base;
  } else if (options.json !== undefined) {
    body = JSON.stringify(options.json);
    headers["content-type"] = "application/json";
  }
  if (options.cookie) headers.cookie = options.cookie;
  if (options.bearer) headers.authorization = `Bearer ${options.bearer}`;
  if (options.instance) headers["x-candor-instance"] = options.instance;
  if (options.ip) headers["x-forwarded-for"] = options.ip;
  const response = await fetch(base + pathname, {
    method: options.method ?? (body === undefined ? "GET" : "POST"),
    headers,
    body,
    redirect: "manual",
    signal: AbortSignal.timeout(30_000),
  });
  const text = await response.text();
  return {
    status: response.status,
    instance: response.headers.get("x-candor-instance"),
    location: response.headers.get("location"),
    cookie: response.headers.get("set-cookie")?.split(";")[0] ?? null,
    text,
  };
}

/**
 * API keys handed out so that no key ever reaches the (deliberately small) per-key limit in the
 * checks that are not about rate limits: each key serves at most `budget` calls in the whole run.
 */
export class KeyPool {
  private used = 0;
  private index = 0;
  constructor(
    private readonly keys: readonly string[],
    private readonly budget: number,
  ) {}

  /** A key with a call left; throws when the pool is spent (the run made more calls than planned). */
  next(): string {
    if (this.used >= this.budget) {
      this.index++;
      this.used = 0;
    }
    const key = this.keys[this.index];
    if (!key) throw new Error(`the API key pool is spent (${this.keys.length} keys × ${this.budget} calls)`);
    this.used++;
    return key;
  }
}

/** Runs `work(i)` for i in 0…count-1, at most `concurrency` at a time. */
export async function pool(count: number, concurrency: number, work: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(concurrency, count) }, async () => {
    while (next < count) await work(next++);
  });
  await Promise.all(lanes);
}

/** A customer's session through the balancer: a personal link minted by the API, opened as a browser does (POST /l/<token>). */
export async function signInCustomer(base: string, bearer: string, customerId: string, ip: string): Promise<string> {
  const minted = await call(base, "/api/v1/links", { json: { customerId, locale: "en" }, bearer });
  if (minted.status !== 201) throw new Error(`POST /api/v1/links answered ${minted.status}: ${minted.text}`);
  const { url } = JSON.parse(minted.text) as { url: string };
  const opened = await call(base, new URL(url).pathname, { form: {}, ip });
  if (opened.status !== 303 || !opened.cookie) throw new Error(`opening the personal link answered ${opened.status}`);
  return opened.cookie;
}
