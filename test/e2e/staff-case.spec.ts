import { fileConcern } from "../../app/domain/concerns/index.server";
import { expectNoAxeViolations } from "./axe";
import { e2eDb, expect, newCustomer, personalLink, signInStaff, test } from "./support";
import { tr, trNs } from "../support/locales";

const q = (key: string, params: Record<string, string | number> = {}) => trNs("en", "queue", key, params);

async function newCase(tag: string) {
  const customer = await newCustomer("en");
  const { ref } = await fileConcern(e2eDb(), {
    customerId: customer.id,
    contactEmail: null,
    contactMethod: "portal",
    lang: "en",
    kind: "unwanted_action",
    interactionId: null,
    systemId: null,
    description: `The assistant changed my plan (${tag} ${customer.id}).`,
    desiredOutcome: "Undo it.",
  });
  return { customer, ref };
}

test("case page: one action panel; a reply and an internal note are written in two composers and look different on the timeline (axe clean)", async ({ page }) => {
  const { customer, ref } = await newCase("triage");
  await signInStaff(page, "supervisor", `/staff/concerns/${ref}`);
  const panel = page.getByRole("region", { name: q("triage.panelTitle") });
  await expect(panel).toBeVisible();
  for (const name of [q("case.assign"), q("case.changeStatus"), q("case.savePriority"), q("case.saveKind"), q("case.incidentFlag")]) {
    await expect(panel.getByRole("button", { name })).toBeVisible();
  }
  const reply = page.getByRole("region", { name: new RegExp(q("triage.replyTitle")) });
  const note = page.getByRole("region", { name: new RegExp(q("triage.noteTitle").replace(/[()]/g, "\\$&")) });
  await expect(reply.getByText(q("triage.recipient.portal", { customer: customer.id, language: "English" }))).toBeVisible();
  await expect(note.getByRole("button", { name: q("triage.addNote") })).toBeVisible();
  await expect(note.getByRole("button", { name: q("triage.sendReply") })).toHaveCount(0);
  await expectNoAxeViolations(page);

  await note.getByLabel(q("triage.noteBody")).fill("Checked the logs: the offer predictor ran at 20:14.");
  await note.getByRole("button", { name: q("triage.addNote") }).click();
  await expect(page.getByText(q("case.done.note"))).toBeVisible();
  const timeline = page.getByRole("region", { name: q("case.timelineTitle") });
  const noteEntry = timeline.locator('[data-entry="note"]');
  await expect(noteEntry).toContainText(q("triage.entry.note"));
  await expect(noteEntry).toContainText("Checked the logs");

  await reply.getByLabel(q("triage.replyBody")).fill("We have undone the change and set this action to ask you first.");
  await reply.getByRole("button", { name: q("triage.sendReply") }).click();
  await expect(page.getByText(q("case.done.reply"))).toBeVisible();
  const replyEntry = timeline.locator('[data-entry="reply"]');
  await expect(replyEntry).toContainText(q("triage.entry.reply"));
  // Notes and replies differ in more than words: their frames differ.
  const noteStyle = await noteEntry.evaluate((el) => getComputedStyle(el).borderInlineStartStyle + getComputedStyle(el).backgroundColor);
  const replyStyle = await replyEntry.evaluate((el) => getComputedStyle(el).borderInlineStartStyle + getComputedStyle(el).backgroundColor);
  expect(noteStyle).not.toBe(replyStyle);
  await expectNoAxeViolations(page);

  // The customer reads the reply, never the note.
  await page.context().clearCookies();
  await page.goto(await personalLink(customer.id));
  await page.getByRole("button", { name: tr("en", "link.continue") }).click();
  await expect(page).toHaveURL(/\/en$/);
  await page.goto(`/en/me/concerns/${ref}`);
  await expect(page.getByText("We have undone the change")).toBeVisible();
  await expect(page.getByText("Checked the logs")).toHaveCount(0);
});

test.describe("without JavaScript", () => {
  // The refused resolution answers 400 (the page with the errors): the browser logs that status.
  test.use({ javaScriptEnabled: false, allowedBrowserErrors: [/status of 400 \(Bad Request\)/] });

  test("the action panel and the composers work; a refused resolution keeps what was typed", async ({ page }) => {
    const { ref } = await newCase("nojs");
    await signInStaff(page, "supervisor", `/staff/concerns/${ref}`);
    const panel = page.getByRole("region", { name: q("triage.panelTitle") });
    await panel.getByLabel(q("case.priority")).selectOption("urgent");
    await panel.getByRole("button", { name: q("case.savePriority") }).click();
    await expect(page.getByText(q("case.done.priority"))).toBeVisible();
    await expect(page.getByText(q("case.priorityPill", { priority: q("priority.urgent") }))).toBeVisible();

    await panel.getByLabel(q("case.statusTo")).selectOption("resolved");
    await panel.getByLabel(q("case.outcomeReason")).fill("We reversed the plan change.");
    await panel.getByRole("button", { name: q("case.changeStatus") }).click();
    await expect(page.getByRole("link", { name: new RegExp(q("errors.outcomeRequired")) })).toBeVisible();
    await expect(page.getByRole("region", { name: q("triage.panelTitle") }).getByLabel(q("case.outcomeReason"))).toHaveValue("We reversed the plan change.");

    const note = page.getByRole("region", { name: new RegExp(q("triage.noteTitle").replace(/[()]/g, "\\$&")) });
    await note.getByLabel(q("triage.noteBody")).fill("No JavaScript needed for notes.");
    await note.getByRole("button", { name: q("triage.addNote") }).click();
    await expect(page.getByText(q("case.done.note"))).toBeVisible();
    await expect(page.locator('[data-entry="note"]')).toContainText("No JavaScript needed for notes.");
  });
});
