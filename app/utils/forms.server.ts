import { data } from "react-router";

/**
 * The posted form, or a 415 for bodies that are not form data (JSON, text, broken multipart).
 * U+0000 is removed from every text field: no one types it, and PostgreSQL can neither store nor
 * compare it in text (a query with it fails instead of finding nothing) — every other character
 * is kept as typed.
 */
export async function readForm(request: Request): Promise<FormData> {
  let form: FormData;
  try {
    form = await request.formData();
  } catch {
    throw data(null, { status: 415 });
  }
  const clean = new FormData();
  for (const [name, value] of form) clean.append(name.replaceAll("\u0000", ""), typeof value === "string" ? value.replaceAll("\u0000", "") : value);
  return clean;
}
