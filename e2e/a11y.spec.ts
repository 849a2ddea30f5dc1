// Accessibility: axe-core (WCAG 2.1 A and AA rules) over every page the navigation offers each role, plus detail
// pages found from the lists, in light and dark mode; any critical or serious violation fails the suite.
import fs from "node:fs";
import type { Page } from "@playwright/test";
import type axe from "axe-core";
import { NAV } from "@/lib/nav";
import { roleAtLeast } from "@/server/auth/roles";
import { expect, expectHydrated, ROLES, test, type Role } from "./fixtures";

const AXE_SOURCE = fs.readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];
const FAILING_IMPACTS = new Set(["critical", "serious"]);
type Theme = "light" | "dark";
const THEMES: Theme[] = ["light", "dark"];

/** Detail pages: from a list page, the first link whose path matches; chained so a version comes from its model. */
const DETAILS: { from: string; link: RegExp; name: string }[] = [
  { from: "/models", link: /^\/models\/[^/]+$/, name: "a model" },
  { from: "@a model", link: /^\/models\/[^/]+\/versions\/\d+$/, name: "a version" },
  { from: "/experiments", link: /^\/experiments\/[^/]+$/, name: "an experiment" },
  { from: "@an experiment", link: /^\/experiments\/[^/]+\/runs\/[^/]+$/, name: "a run" },
  { from: "/incidents", link: /^\/incidents\/[0-9a-f-]{36}$/, name: "an incident" },
  { from: "/deployments", link: /^\/deployments\/[^/]+$/, name: "a deployment" },
];

type Violation = { role: Role; theme: Theme; path: string; rule: string; impact: string; help: string; targets: string[] };
type AxeResult = { id: string; impact?: string | null; help: string; nodes: { target: string; detail: string }[] };

declare global {
  interface Window {
    axe?: typeof axe;
  }
}

/** Switches the theme the way a user's system does (the app follows prefers-color-scheme by default) and waits for it. */
async function setTheme(page: Page, theme: Theme) {
  await page.emulateMedia({ colorScheme: theme });
  const html = page.locator("html");
  if (theme === "dark") await expect(html).toHaveClass(/(^|\s)dark(\s|$)/);
  else await expect(html).not.toHaveClass(/(^|\s)dark(\s|$)/);
}

/** Loads a page and waits until it has drawn its heading and its client-side queries have settled. */
async function open(page: Page, path: string) {
  const res = await page.goto(path);
  expect(res?.status(), `GET ${path}`).toBeLessThan(400);
  await expect(page.locator("main h1").first()).toBeVisible();
  // next-themes listens for a system theme change only once React has hydrated the page.
  await expectHydrated(page.getByRole("button", { name: "Toggle dark mode" }));
  // Client components fetch after hydration; wait for the network to go quiet so axe sees the drawn content.
  await page.waitForLoadState("networkidle");
}

async function runAxe(page: Page): Promise<AxeResult[]> {
  if (!(await page.evaluate(() => Boolean(window.axe)))) await page.addScriptTag({ content: AXE_SOURCE });
  return page.evaluate(async (tags) => {
    const r = await window.axe!.run(document, { runOnly: { type: "tag", values: tags }, resultTypes: ["violations"] });
    // Contrast failures say which colours met, so a fix can be chosen without re-running axe by hand.
    const detail = (n: axe.NodeResult) => {
      const d: { fgColor?: string; bgColor?: string; contrastRatio?: number; expectedContrastRatio?: string } | undefined = n.any[0]?.data;
      return d?.fgColor ? ` (${d.fgColor} on ${d.bgColor}: ${d.contrastRatio}, needs ${d.expectedContrastRatio})` : "";
    };
    return r.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target.join(" "), detail: detail(n) })),
    }));
  }, WCAG_TAGS);
}

for (const role of ROLES) {
  test(`axe: no critical or serious WCAG 2.1 AA violation on the pages the ${role} role navigates to, light and dark`, async ({ signedInPage }) => {
    test.setTimeout(600_000);
    const started = Date.now();
    const page = await signedInPage(role);
    const paths = NAV.filter((i) => !i.minRole || roleAtLeast(role, i.minRole)).map((i) => i.href);
    const found = new Map<string, string>();
    const violations: Violation[] = [];
    let checks = 0;

    const timings: string[] = [];
    const check = async (path: string) => {
      const t0 = Date.now();
      await open(page, path);
      for (const theme of THEMES) {
        await setTheme(page, theme);
        checks++;
        for (const v of await runAxe(page)) {
          if (!FAILING_IMPACTS.has(v.impact ?? "")) continue;
          violations.push({ role, theme, path, rule: v.id, impact: v.impact ?? "", help: v.help, targets: v.nodes.map((n) => n.target + n.detail) });
        }
      }
      // Leave the page in light mode so the next one starts from the default.
      await setTheme(page, "light");
      timings.push(`${path} ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    };

    for (const path of paths) await check(path);
    for (const d of DETAILS) {
      const from = d.from.startsWith("@") ? found.get(d.from.slice(1)) : d.from;
      expect.soft(from, `the page ${d.name} is found from`).toBeTruthy();
      if (!from) continue;
      await open(page, from);
      const hrefs = await page.locator("main a[href]").evaluateAll((as) => as.map((a) => a.getAttribute("href") ?? ""));
      const href = hrefs.map((h) => h.split(/[?#]/)[0]).find((h) => d.link.test(h));
      expect.soft(href, `a link to ${d.name} on ${from}`).toBeTruthy();
      if (!href) continue;
      found.set(d.name, href);
      await check(href);
    }

    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    const report = violations
      .map((v) => `  [${v.impact}] ${v.rule} on ${v.path} (${v.theme}): ${v.help}\n${v.targets.map((t) => `      ${t}`).join("\n")}`)
      .join("\n");
    console.log(
      `[a11y] ${role}: ${checks} checks (${checks / THEMES.length} pages x ${THEMES.length} themes) in ${seconds} s; ${violations.reduce((n, v) => n + v.targets.length, 0)} failing nodes in ${violations.length} violations`,
    );
    console.log(`[a11y] ${role} per page (load + both themes): ${timings.join(", ")}`);
    if (report) console.log(report);
    expect(violations, `critical or serious axe violations for ${role}:\n${report}`).toEqual([]);
  });
}

// Dense pages in dark mode at 1280 px, for a person to look at: contrast numbers do not catch crowding or clipped labels.
// UPDATE_DOCS_SCREENSHOTS=1 writes them to docs/a11y/ (committed); otherwise under test-results/.
test("dark mode screenshots of the dense pages at 1280 px", async ({ signedInPage }) => {
  test.setTimeout(180_000);
  const dir = process.env.UPDATE_DOCS_SCREENSHOTS === "1" ? "docs/a11y" : "test-results/a11y";
  const page = await signedInPage("engineer");
  await page.setViewportSize({ width: 1280, height: 900 });
  for (const [path, name] of [
    ["/safety", "safety"],
    ["/costs", "costs"],
    ["/monitoring", "monitoring"],
  ]) {
    await open(page, path);
    await setTheme(page, "dark");
    await page.screenshot({ path: `${dir}/${name}-dark.png`, fullPage: true });
    await setTheme(page, "light");
  }
});
