import { createHash, randomBytes, randomUUID } from "node:crypto";

/** A URL-safe random token with 256 bits of entropy. */
export function newToken(): string {
  return randomBytes(32).toString("base64url");
}

/** Tokens are stored only as their SHA-256 hash. */
export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

export function newReceiptId(): string {
  return randomUUID();
}

// Crockford base32 without I, L, O, U.
const CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/** A concern reference such as C-7K3F-9Q2M (40 random bits). */
export function newConcernRef(): string {
  const bytes = randomBytes(8);
  let chars = "";
  for (let i = 0; i < 8; i++) chars += CROCKFORD[bytes[i]! % 32];
  return `C-${chars.slice(0, 4)}-${chars.slice(4)}`;
}

/** Normalises what a person typed (lower case, O→0, I/L→1, missing dashes) to a ref. */
export function normaliseConcernRef(input: string): string | null {
  const cleaned = input
    .toUpperCase()
    .replace(/[^0-9A-Z]/g, "")
    .replace(/O/g, "0")
    .replace(/[IL]/g, "1");
  const body = cleaned.startsWith("C") ? cleaned.slice(1) : cleaned;
  if (body.length !== 8 || [...body].some((c) => !CROCKFORD.includes(c))) return null;
  return `C-${body.slice(0, 4)}-${body.slice(4)}`;
}
