import { parseWithZod } from "@conform-to/zod/v4";
import { useTranslation } from "~/utils/i18n";
import { data, redirect } from "react-router";
import { Notice } from "~/components/notice";
import { PageHeader } from "~/components/page-header";
import { SettingsDefaultsForm } from "~/components/staff/settings-defaults";
import { SettingsLogoForms } from "~/components/staff/settings-logo";
import { SettingsMainForm } from "~/components/staff/settings-main";
import { formFromSettings, settingsFromForm, SettingsSchema } from "~/components/staff/settings-schema";
import { saveChoiceDefaults, listEditorChoices } from "~/domain/choice-editor.server";
import { InvalidChoiceError } from "~/domain/choice-errors";
import { companyLogoPath, editableSettings, LOGO_MAX_BYTES, LogoError, removeCompanyLogo, saveSettings, setCompanyLogo } from "~/domain/settings.server";
import { CHOICE_VALUES } from "~/domain/vocabulary";
import { servicesContext } from "~/context";
import { getLang } from "~/middleware/i18n.server";
import { requireStaff } from "~/middleware/staff.server";
import { readForm } from "~/utils/forms.server";
import type { Route } from "./+types/settings";

const DONE = ["saved", "unchanged", "logo", "logoRemoved", "defaults"] as const;

export async function loader({ request, context }: Route.LoaderArgs) {
  requireStaff(context, request, "settings.manage");
  const { db } = context.get(servicesContext);
  const lang = getLang(context);
  const done = new URL(request.url).searchParams.get("done");
  const choices = await listEditorChoices(db);
  return {
    done: (DONE as readonly (string | null)[]).includes(done) ? (done as (typeof DONE)[number]) : null,
    values: formFromSettings(await editableSettings(db)),
    logoPath: await companyLogoPath(db),
    logoMaxKb: LOGO_MAX_BYTES / 1024,
    choices: choices.map((c) => ({
      key: c.key,
      label: c.texts[lang as keyof typeof c.texts]?.label ?? c.texts.en?.label ?? c.key,
      defaultValue: c.defaultValue,
      values: [...CHOICE_VALUES[c.kind]] as string[],
    })),
  };
}

export async function action({ request, context }: Route.ActionArgs) {
  const admin = requireStaff(context, request, "settings.manage");
  const { db } = context.get(servicesContext);
  const actor = { type: "staff" as const, id: admin.id };
  const form = await readForm(request);
  const intent = form.get("intent");
  if (intent === "logo") {
    const file = form.get("logo");
    if (!(file instanceof File) || file.size === 0) return data({ intent: "logo" as const, logoError: "empty" as const }, { status: 400 });
    try {
      await setCompanyLogo(db, new Uint8Array(await file.arrayBuffer()), actor);
    } catch (error) {
      if (error instanceof LogoError) return data({ intent: "logo" as const, logoError: error.code }, { status: error.code === "too_large" ? 413 : 400 });
      throw error;
    }
    return redirect("/staff/settings?done=logo", 303);
  }
  if (intent === "removeLogo") {
    await removeCompanyLogo(db, actor);
    return redirect("/staff/settings?done=logoRemoved", 303);
  }
  if (intent === "defaults") {
    const values: Record<string, string> = {};
    for (const [name, value] of form) {
      if (name.startsWith("default_") && typeof value === "string") values[name.slice("default_".length)] = value;
    }
    try {
      await saveChoiceDefaults(db, values, actor);
    } catch (error) {
      if (error instanceof InvalidChoiceError) return data({ intent: "defaults" as const, defaultsError: true }, { status: 400 });
      throw error;
    }
    return redirect("/staff/settings?done=defaults", 303);
  }
  const submission = parseWithZod(form, { schema: SettingsSchema });
  if (submission.status !== "success") return data({ intent: "settings" as const, result: submission.reply() }, { status: 400 });
  const changed = await saveSettings(db, settingsFromForm(submission.value), actor);
  return redirect(`/staff/settings?done=${changed.length ? "saved" : "unchanged"}`, 303);
}

export default function StaffSettings({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useTranslation();
  const { done } = loaderData;
  return (
    <div className="stack-lg">
      <PageHeader title={t("settings:title")} lead={t("settings:lead")} />
      {done && !actionData ? <Notice tone="success" title={t(`settings:done.${done}`)} /> : null}
      <SettingsMainForm values={loaderData.values} lastResult={actionData && "result" in actionData ? actionData.result : undefined} />
      <SettingsLogoForms logoPath={loaderData.logoPath} maxKb={loaderData.logoMaxKb} error={actionData && "logoError" in actionData ? actionData.logoError : null} />
      <SettingsDefaultsForm choices={loaderData.choices} failed={Boolean(actionData && "defaultsError" in actionData)} />
    </div>
  );
}
