/**
 * The employee report forms (SPEC §12): the console's `/staff/report` and the public
 * `/:lang/report` share the report's fields; the public one adds an optional name and the
 * honeypot, the console one an optional customer interaction. One schema each, client and server.
 */
import { z } from "zod";
import { CONCERN_KINDS, DESCRIPTION_MAX, DESCRIPTION_MIN } from "~/domain/vocabulary";
import { crossField, msg, optionalText, text } from "./forms";

/** Most characters of the optional name on the public form. */
export const EMPLOYEE_REPORTER_NAME_MAX = 120;

const reportFields = {
  system: optionalText(100),
  kind: z.enum(CONCERN_KINDS, { error: msg("chooseKind") }),
  description: text({ max: DESCRIPTION_MAX, min: DESCRIPTION_MIN }),
};

/** The public form: the report, an optional name, and a honeypot field people never see. */
export const PublicEmployeeReportSchema = z.object({
  ...reportFields,
  name: optionalText(EMPLOYEE_REPORTER_NAME_MAX),
  /** Honeypot: hidden from people, filled by bots. */
  website: z.string().max(0, msg("honeypot")).optional(),
});

/** The console form: the report and, optionally, the customer interaction it is about (customer id and reference together). */
export const StaffEmployeeReportSchema = z
  .object({
    ...reportFields,
    customer: optionalText(100),
    interaction: optionalText(200),
  })
  .refine((v) => !v.interaction || v.customer, { path: ["customer"], message: msg("required"), when: crossField })
  .refine((v) => !v.customer || v.interaction, { path: ["interaction"], message: msg("required"), when: crossField });
