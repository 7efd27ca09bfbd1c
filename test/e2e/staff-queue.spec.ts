import { fileConcern } from "../../app/domain/concerns/index.server";
import { expectNoAxeViolations } from "./axe";
import { e2eDb, expect, newCustomer, personalLink, signInStaff, test } from "./support";
import { tr, trNs } from "../support/locales";
import { fileSearchMatches, times } from "../support/queue-search-factories";

const q = (key: string, params: Record<string, string | number> = {}) => trNs("en", "queue", key, params);

test("staff queue: find a concern, claim it, reply with a canned reply, resolve it; the customer sees the answer (axe clean)", async ({ page }) => {
  const customer = await newCustomer("en");
  const description = `My line was restarted during a call (${customer.id}).`;
  const { ref } = await fileConcern(e2eDb(), {
    customerId: customer.id,
    contactEmail: null,
    contactMethod: "portal",
    lang: "en",
    kind: "unwanted_action",
    interactionId: null,
    systemId: null,
    description,
    desiredOutcome: "Ask me first next time.",
  });

  await signInStaff(page, "supervisor", "/staff/concerns");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(q("title"));
  await expect(page.getByRole("heading", { name: q("keys.title") })).toBeVisible();
  await expectNoAxeViolations(page);

  // Search by reference: the view is in the URL.
  await page.getByLabel(q("filters.search")).fill(ref);
  await page.getByRole("button", { name: q("filters.apply") }).click();
  await expect(page).toHaveURL(new RegExp(`q=${ref}`));
  await expect(page.getByRole("heading", { name: q("table.title_one", { count: 1 }) })).toBeVisible();
  await page.getByRole("link", { name: ref }).click();

  await expect(page.getByRole("heading", { level: 1 })).toHaveText(q("case.title", { ref }));
  await expect(page.getByText(description)).toBeVisible();
  await expectNoAxeViolations(page);

  await page.getByRole("button", { name: q("case.claim") }).click();
  await expect(page.getByText(q("case.done.claim"))).toBeVisible();

  // A canned reply in the customer's language fills the reply.
  await page.getByRole("button", { name: q("case.useCanned") }).click();
  const body = page.getByLabel(q("triage.replyBody"), { exact: true });
  await expect(body).not.toHaveValue("");
  await body.fill("We have set this action to ask you first from now on.");
  await page.getByRole("button", { name: q("triage.sendReply") }).click();
  await expect(page.getByText(q("case.done.reply"))).toBeVisible();
  await expect(page.getByText("We have set this action to ask you first from now on.")).toBeVisible();

  await page.getByLabel(q("case.statusTo")).selectOption("in_progress");
  await page.getByRole("button", { name: q("case.changeStatus") }).click();
  await expect(page.getByText(q("case.done.status"))).toBeVisible();
  await page.getByLabel(q("case.statusTo")).selectOption("resolved");
  await page.getByLabel(q("case.outcome"), { exact: true }).selectOption("action_reversed");
  await page.getByLabel(q("case.outcomeReason")).fill("We undid the restart settings and changed your choice to ask first.");
  await page.getByRole("button", { name: q("case.changeStatus") }).click();
  await expect(page.getByText(q("case.done.status"))).toBeVisible();
  await expect(page.locator(".page-header .status")).toHaveText(q("status.resolved"));
  await expectNoAxeViolations(page);

  await page.getByRole("link", { name: q("case.back") }).click();
  await page.getByRole("link", { name: q("cannedLink") }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(q("canned.title"));
  await expectNoAxeViolations(page);

  // The customer sees the reply and the outcome on their status page.
  await page.goto(await personalLink(customer.id));
  await page.getByRole("button", { name: tr("en", "link.continue") }).click();
  await expect(page).toHaveURL(/\/en$/);
  await page.goto(`/en/me/concerns/${ref}`);
  await expect(page.getByText("We have set this action to ask you first from now on.")).toBeVisible();
  await expect(page.getByText("We undid the restart settings and changed your choice to ask first.")).toBeVisible();
});

test("staff queue: a word search past 1,000 matches says it stopped counting, in words (axe clean)", async ({ page }) => {
  // A word of its own, in finished cases: the open queue other tests read is unchanged.
  const word = `numbat${Date.now().toString(36)}`;
  await fileSearchMatches(e2eDb(), word, times(1001, "resolved"));
  await signInStaff(page, "agent", `/staff/concerns?q=${word}`);
  const note = page.getByRole("status").filter({ hasText: q("searchStopped.title", { n: "1,000" }) });
  await expect(note).toBeVisible();
  await expect(note).toContainText(q("searchStopped.body", { n: "1,000" }));
  const counts = page.getByRole("navigation", { name: q("counts.label") });
  await expect(counts.getByRole("link", { name: q("counts.item", { label: q("statusFilter.all"), n: q("counts.more", { n: "1,000" }) }) })).toBeVisible();
  await expect(counts.getByRole("link", { name: q("statusFilter.merged"), exact: true })).toBeVisible();
  await expectNoAxeViolations(page);
  // The finished view it counted: its total says "more than", and paging goes on.
  await counts.getByRole("link", { name: q("counts.item", { label: q("statusFilter.resolved"), n: q("counts.more", { n: "1,000" }) }) }).click();
  await expect(page.getByRole("heading", { name: q("table.titleMore", { n: "1,000" }) })).toBeVisible();
  await expect(page.getByRole("link", { name: tr("en", "pagination.next") })).toBeVisible();
});
