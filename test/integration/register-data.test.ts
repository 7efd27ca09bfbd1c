/**
 * Data sharing and fairness in the register (SPEC §12): edited in the register editor (facts for
 * every language, explanations per language), shown in the details layer of the public page,
 * audited as a register version; a provider that may now train on the data is a material change
 * that re-asks the dependent choices; the consent receipt names the recipients. Role checks by
 * crafted requests.
 */
import { beforeEach, describe, expect, it } from "vitest";
import { and, desc, eq } from "drizzle-orm";
import { getRegisterEntry, updateRegisterEntry } from "../../app/domain/ai-register-editor.server";
import { listConsentEvents, savePreferences } from "../../app/domain/preferences.server";
import { aiSystemVersions, auditLog, choiceDefinitions } from "../../db/schema";
import { createTestApp, type TestApp } from "../support/app";
import { html, tr, trNs } from "../support/locales";

let app: TestApp;
beforeEach(async () => {
  app = await createTestApp();
});

const TEXT_FIELDS = ["name", "shortDescription", "riskReason", "purpose", "notFor", "howItWorks", "limitations", "dataOperating", "dataTraining", "legalBasis", "oversight", "risks", "impactAssessment", "retention"] as const;

/** The edit form as the page posts it (dataFacts=1), facts and texts as they are, with overrides (null drops a field). */
async function editForm(slug: string, lang: "en" | "fr" | "de" | "ar", overrides: Record<string, string | null> = {}, withRecipients = true): Promise<URLSearchParams> {
  const entry = (await getRegisterEntry(app.db, slug))!;
  const s = entry.system;
  const texts = entry.texts[lang];
  const values: Record<string, string | null> = {
    version: String(s.currentVersion),
    lang,
    dataFacts: "1",
    provider: s.provider,
    riskClass: s.riskClass,
    autonomy: s.autonomy,
    status: s.status,
    contactEmail: s.contactEmail,
    providerDataUse: entry.data.providerDataUse,
    usesProtectedCharacteristics: entry.data.usesProtectedCharacteristics ? "yes" : "no",
    fairnessTestedAt: entry.data.fairnessTestedAt === null ? "" : new Date(entry.data.fairnessTestedAt).toISOString().slice(0, 10),
    ...Object.fromEntries(TEXT_FIELDS.map((f) => [`texts.${f}`, texts?.[f] ?? ""])),
    ...Object.fromEntries(Object.entries(entry.dataTexts[lang] ?? {}).map(([f, v]) => [`texts.${f}`, v])),
    "notes.en": "Data sharing and fairness.",
  };
  // The recipients as they are plus two empty rows, as the page shows them.
  const rows = [...entry.data.recipients, { name: "", role: "", country: "", safeguard: "" }, { name: "", role: "", country: "", safeguard: "" }];
  if (withRecipients) {
    rows.forEach((r, i) => {
      for (const [k, v] of Object.entries(r)) values[`recipients[${i}].${k}`] = v;
    });
  }
  Object.assign(values, overrides);
  const form = new URLSearchParams();
  for (const [k, v] of Object.entries(values)) if (v !== null) form.append(k, v);
  for (const c of s.channels) form.append("channels", c);
  for (const a of entry.actionKeys) form.append("actions", a);
  return form;
}

const MISTRAL = {
  "recipients[0].name": "Mistral AI SAS",
  "recipients[0].role": "provider",
  "recipients[0].country": "fr",
  "recipients[0].safeguard": "eu_eea",
  "recipients[1].name": "Tern Cloud Inc.",
  "recipients[1].role": "sub_processor",
  "recipients[1].country": "US",
  "recipients[1].safeguard": "sccs",
};

describe("register editor: data sharing and fairness (SPEC §12)", () => {
  it("a supervisor records recipients, the provider's use, protected characteristics and the last test; the public page shows them in the details layer", async () => {
    const cookie = await app.signInStaff("supervisor");
    const page = await (await app.request("/staff/ai-systems/chat-assistant", { cookie })).text();
    expect(page).toContain(html(trNs("en", "registerData", "recipients.legend")));
    expect(page).toContain('name="dataFacts" value="1"');
    const form = await editForm("chat-assistant", "en", {
      ...MISTRAL,
      providerDataUse: "contractually_excluded",
      usesProtectedCharacteristics: "no",
      fairnessTestedAt: "2026-10-12",
      "texts.providerUseClause": "Our contract forbids Mistral AI to train on your chats.",
      "texts.protectedCharacteristicsNote": "No protected characteristics are used.",
      "texts.fairnessTestMethod": "600 questions in four languages.",
      "texts.fairnessTestResult": "94% correct in every language.",
    });
    const before = (await getRegisterEntry(app.db, "chat-assistant"))!.system.currentVersion;
    const saved = await app.request("/staff/ai-systems/chat-assistant", { cookie, form });
    expect(saved.status).toBe(303);
    const entry = (await getRegisterEntry(app.db, "chat-assistant"))!;
    expect(entry.system.currentVersion).toBe(before + 1);
    expect(entry.data).toEqual({
      recipients: [
        { name: "Mistral AI SAS", role: "provider", country: "FR", safeguard: "eu_eea" },
        { name: "Tern Cloud Inc.", role: "sub_processor", country: "US", safeguard: "sccs" },
      ],
      providerDataUse: "contractually_excluded",
      usesProtectedCharacteristics: false,
      fairnessTestedAt: Date.UTC(2026, 9, 12),
    });
    expect(entry.dataTexts.en?.providerUseClause).toBe("Our contract forbids Mistral AI to train on your chats.");
    // Not material: no/excluded stays excluded; audited with the version.
    const [version] = await app.db.select().from(aiSystemVersions).where(eq(aiSystemVersions.systemId, entry.system.id)).orderBy(desc(aiSystemVersions.version)).limit(1);
    expect(version!.material).toBe(false);
    const [audit] = await app.db.select().from(auditLog).where(eq(auditLog.action, "ai_system.updated")).orderBy(desc(auditLog.id)).limit(1);
    expect(typeof audit!.details === "string" ? JSON.parse(audit!.details) : audit!.details).toMatchObject({ dataChanged: true, providerDataUse: "contractually_excluded", material: false });

    const publicPage = await (await app.request("/en/ai-systems/chat-assistant")).text();
    expect(publicPage).toContain(html(tr("en", "registerData.title")));
    expect(publicPage).toContain(
      html(tr("en", "registerData.recipientLine", { name: "Tern Cloud Inc.", role: tr("en", "registerData.role.sub_processor"), country: "United States", safeguard: tr("en", "registerData.safeguard.sccs") })),
    );
    expect(publicPage).toContain(html(tr("en", "registerData.providerUseValue.contractually_excluded")));
    expect(publicPage).toContain("Our contract forbids Mistral AI to train on your chats.");
    expect(publicPage).toContain("94% correct in every language.");
    expect(publicPage).toContain('dateTime="2026-10-12T00:00:00.000Z"');
    // The facts are the same in every language; country names in the page's language.
    const german = await (await app.request("/de/ai-systems/chat-assistant")).text();
    expect(german).toContain("Vereinigte Staaten");
    expect(german).toContain(html(tr("de", "registerData.providerUseValue.contractually_excluded")));
  });

  it("a system without outside recipients says so; a row cleared entirely is removed", async () => {
    const cookie = await app.signInStaff("admin");
    expect((await app.request("/staff/ai-systems/offer-predictor", { cookie, form: await editForm("offer-predictor", "en", MISTRAL) })).status).toBe(303);
    expect((await getRegisterEntry(app.db, "offer-predictor"))!.data.recipients).toHaveLength(2);
    const cleared = await editForm("offer-predictor", "en", { "recipients[0].name": "", "recipients[0].role": "", "recipients[0].country": "", "recipients[0].safeguard": "", "recipients[1].name": "", "recipients[1].role": "", "recipients[1].country": "", "recipients[1].safeguard": "" });
    expect((await app.request("/staff/ai-systems/offer-predictor", { cookie, form: cleared })).status).toBe(303);
    expect((await getRegisterEntry(app.db, "offer-predictor"))!.data.recipients).toEqual([]);
    expect(await (await app.request("/fr/ai-systems/offer-predictor")).text()).toContain(html(tr("fr", "registerData.noRecipients")));
  });

  it("bad input gets a translated error, keeps what was typed and changes nothing", async () => {
    const cookie = await app.signInStaff("supervisor");
    const before = (await getRegisterEntry(app.db, "chat-assistant"))!;
    const form = await editForm("chat-assistant", "fr", {
      "recipients[0].name": "Acme Cloud Ltd",
      "recipients[0].role": "sub_processor",
      "recipients[0].country": "France",
      "recipients[0].safeguard": "sccs",
      "recipients[2].name": "Half typed",
      fairnessTestedAt: "2026-02-30",
      providerDataUse: "maybe",
    });
    const response = await app.request("/staff/ai-systems/chat-assistant?lang=fr", { cookie, form });
    expect(response.status).toBe(400);
    const page = await response.text();
    expect(page).toContain(html(trNs("en", "registerData", "errors.country")));
    expect(page).toContain(html(trNs("en", "registerData", "errors.recipientIncomplete")));
    expect(page).toContain(html(trNs("en", "registerData", "errors.date")));
    expect(page).toContain('value="Acme Cloud Ltd"');
    expect(page).toContain('value="Half typed"');
    const after = (await getRegisterEntry(app.db, "chat-assistant"))!;
    expect(after.system.currentVersion).toBe(before.system.currentVersion);
    expect(after.data).toEqual(before.data);
  });

  it("a client that never saw the data fields (no dataFacts) leaves them as they are", async () => {
    const cookie = await app.signInStaff("supervisor");
    await app.request("/staff/ai-systems/chat-assistant", { cookie, form: await editForm("chat-assistant", "en", { ...MISTRAL, "texts.providerUseClause": "Kept." }) });
    const kept = (await getRegisterEntry(app.db, "chat-assistant"))!;
    const form = await editForm("chat-assistant", "en", { dataFacts: null, providerDataUse: null, usesProtectedCharacteristics: null, fairnessTestedAt: null, "texts.providerUseClause": null, "texts.protectedCharacteristicsNote": null, "texts.fairnessTestMethod": null, "texts.fairnessTestResult": null, provider: "Nordlys Telecom (in-house)" }, false);
    expect((await app.request("/staff/ai-systems/chat-assistant", { cookie, form })).status).toBe(303);
    const after = (await getRegisterEntry(app.db, "chat-assistant"))!;
    expect(after.system.provider).toBe("Nordlys Telecom (in-house)");
    expect(after.data).toEqual(kept.data);
    expect(after.dataTexts.en?.providerUseClause).toBe("Kept.");
  });

  it("the provider may now train on the data (excluded → yes): material whatever the box says, dependent choices re-asked", async () => {
    const cookie = await app.signInStaff("supervisor");
    await app.request("/staff/ai-systems/offer-predictor", { cookie, form: await editForm("offer-predictor", "en", { providerDataUse: "contractually_excluded" }) });
    const notices = async () => Object.fromEntries((await app.db.select().from(choiceDefinitions)).map((d) => [d.key, d.noticeVersion]));
    const before = await notices();
    const entry = (await getRegisterEntry(app.db, "offer-predictor"))!;
    const response = await app.request("/staff/ai-systems/offer-predictor", { cookie, form: await editForm("offer-predictor", "en", { providerDataUse: "yes", material: null }) });
    expect(response.status).toBe(303);
    expect(response.headers.get("Location")).toContain(`&reasked=${entry.actionKeys.length}`);
    const [version] = await app.db.select().from(aiSystemVersions).where(and(eq(aiSystemVersions.systemId, entry.system.id), eq(aiSystemVersions.version, entry.system.currentVersion + 1))).limit(1);
    expect(version!.material).toBe(true);
    const after = await notices();
    for (const key of entry.actionKeys) expect(after[key], key).toBe(before[key]! + 1);
    // yes → no is not material.
    const back = await app.request("/staff/ai-systems/offer-predictor", { cookie, form: await editForm("offer-predictor", "en", { providerDataUse: "no", material: null }) });
    expect(back.headers.get("Location")).not.toContain("reasked");
  });

  it("an agent's crafted POST is refused (403) and changes nothing", async () => {
    const cookie = await app.signInStaff("agent");
    const before = (await getRegisterEntry(app.db, "offer-predictor"))!;
    const response = await app.request("/staff/ai-systems/offer-predictor", { cookie, form: await editForm("offer-predictor", "en", { ...MISTRAL, providerDataUse: "yes" }) });
    expect(response.status).toBe(403);
    expect((await getRegisterEntry(app.db, "offer-predictor"))!).toEqual(before);
  });
});

describe("consent receipt names the recipients (SPEC §12, Kantara thirdPartyDisclosure)", () => {
  it("a choice whose systems send data outside states who receives it; an in-house one discloses nothing", async () => {
    const entry = (await getRegisterEntry(app.db, "chat-assistant"))!;
    await updateRegisterEntry(app.db, { staffId: 1 }, {
      slug: "chat-assistant",
      expectedVersion: entry.system.currentVersion,
      provider: entry.system.provider,
      riskClass: entry.system.riskClass as "limited",
      autonomy: entry.system.autonomy as "answers",
      channels: entry.system.channels as "chat"[],
      status: "active",
      contactEmail: entry.system.contactEmail,
      actionKeys: entry.actionKeys,
      markReviewed: false,
      data: { recipients: [{ name: "Mistral AI SAS", role: "provider", country: "FR", safeguard: "eu_eea" }], providerDataUse: "contractually_excluded", usesProtectedCharacteristics: false, fairnessTestedAt: null },
      changeNote: { en: "Recipients." },
      material: false,
    });
    expect(entry.actionKeys).toContain("disclose_account_information");
    await savePreferences(app.db, { customerId: "demo-customer-2", values: { disclose_account_information: "allow", troubleshooting: "allow" }, lang: "en", method: "portal" });
    const events = await listConsentEvents(app.db, "demo-customer-2");
    const disclose = events.find((e) => e.choiceKey === "disclose_account_information")!;
    const troubleshooting = events.find((e) => e.choiceKey === "troubleshooting")!;
    const cookie = await app.signIn("demo-customer-2");
    const receipt = await (await app.request(`/en/me/data/receipts/${disclose.receiptId}.json`, { cookie })).json();
    expect(receipt.services[0].purposes[0]).toMatchObject({
      thirdPartyDisclosure: true,
      thirdPartyName: "Mistral AI SAS",
      recipients: [{ name: "Mistral AI SAS", role: "provider", country: "FR", safeguard: "eu_eea" }],
    });
    const inHouse = await (await app.request(`/en/me/data/receipts/${troubleshooting.receiptId}.json`, { cookie })).json();
    expect(inHouse.services[0].purposes[0]).toMatchObject({ thirdPartyDisclosure: false, recipients: [] });
    expect(inHouse.services[0].purposes[0].thirdPartyName).toBeUndefined();
    // Another customer cannot read it.
    const other = await app.signIn("demo-customer-1");
    expect((await app.request(`/en/me/data/receipts/${disclose.receiptId}.json`, { cookie: other })).status).toBe(404);
  });
});
