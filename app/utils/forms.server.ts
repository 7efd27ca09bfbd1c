import { data } from "react-router";

/** The posted form, or a 415 for bodies that are not form data (JSON, text, broken multipart). */
export async function readForm(request: Request): Promise<FormData> {
  try {
    return await request.formData();
  } catch {
    throw data(null, { status: 415 });
  }
}
