// The Content-Security-Policy in a real browser: page scripts run by nonce only (no 'unsafe-inline'),
// the page still hydrates and works, and WebAssembly is allowed only on the pages that run models.
import { expect, expectHydrated, test } from "./fixtures";

const scriptSrc = (csp: string | undefined) =>
  (csp ?? "")
    .split(";")
    .map((d) => d.trim())
    .find((d) => d.startsWith("script-src ")) ?? "";

test("pages carry a per-request script nonce, hydrate under it, and block injected inline scripts", async ({ signedInPage }) => {
  const page = await signedInPage("viewer");
  const violations: string[] = [];
  page.on("console", (m) => {
    if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
  });
  const first = await page.goto("/");
  const csp = first?.headers()["content-security-policy"];
  const script = scriptSrc(csp);
  expect(script).toMatch(/'nonce-[A-Za-z0-9+/=]{16,}' 'strict-dynamic'/);
  expect(script).not.toContain("unsafe-inline");
  expect(script).not.toContain("wasm-unsafe-eval");
  // Fresh per request.
  const again = await page.request.get("/");
  expect(scriptSrc(again.headers()["content-security-policy"])).not.toBe(script);

  // Next's own scripts carry the nonce, so the page hydrates: a click works.
  const toggle = page.getByRole("button", { name: "Toggle dark mode" });
  await expectHydrated(toggle);
  await toggle.click();
  await expect(page.locator("html")).toHaveClass(/(^|\s)dark(\s|$)/);
  await toggle.click();
  await expect(page.locator("html")).not.toHaveClass(/(^|\s)dark(\s|$)/);
  expect(violations).toEqual([]);

  // An inline script without the nonce (what a stored XSS would be) does not run.
  const ran = await page.evaluate(async () => {
    const w = window as unknown as { injected?: boolean };
    const s = document.createElement("div");
    s.innerHTML = '<img src=x onerror="window.injected=true">';
    document.body.append(s);
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    return w.injected === true;
  });
  expect(ran).toBe(false);
});

test("WebAssembly is allowed on the playground and nowhere else", async ({ signedInPage }) => {
  const page = await signedInPage("viewer");
  const playground = await page.goto("/playground");
  expect(scriptSrc(playground?.headers()["content-security-policy"])).toContain("'wasm-unsafe-eval'");
  const models = await page.goto("/models");
  expect(scriptSrc(models?.headers()["content-security-policy"])).not.toContain("wasm-unsafe-eval");
});
