import { describe, expect, it } from "vitest";
import path from "node:path";
import type { NextConfig } from "next";
import { ASSET_CSP, newNonce, pageCsp, runsModels } from "./csp";

const scriptSrc = (csp: string) => csp.split("; ").find((d) => d.startsWith("script-src "))!;

describe("content security policy", () => {
  it("allows page scripts by nonce only, with WebAssembly only on the pages that run models", () => {
    const nonce = newNonce();
    expect(nonce).not.toBe(newNonce());
    const home = scriptSrc(pageCsp(nonce, "/"));
    expect(home).toBe(`script-src 'self' 'nonce-${nonce}' 'strict-dynamic'`);
    expect(home).not.toContain("unsafe-inline");
    for (const p of ["/playground", "/playground/compare", "/models/cam/versions/3/playground"]) {
      expect(runsModels(p)).toBe(true);
      expect(scriptSrc(pageCsp(nonce, p))).toContain("'wasm-unsafe-eval'");
    }
    for (const p of ["/models/cam/versions/3", "/models/playground", "/admin/playground-x"]) expect(scriptSrc(pageCsp(nonce, p))).not.toContain("wasm");
    expect(scriptSrc(ASSET_CSP)).not.toContain("unsafe-inline");
  });

  it("sends the same asset policy from next.config.mjs for what the proxy does not see", async () => {
    // A path in a variable: the config is plain JavaScript without type declarations.
    const configPath = path.join(process.cwd(), "next.config.mjs");
    const { default: nextConfig }: { default: NextConfig } = await import(/* @vite-ignore */ configPath);
    const rules = await nextConfig.headers!();
    const forStatic = rules.filter((r) => r.source === "/_next/:path*").flatMap((r) => r.headers);
    expect(forStatic.find((h) => h.key === "Content-Security-Policy")?.value).toBe(ASSET_CSP);
    // Pages get theirs from the proxy only: no rule for every path sends one.
    expect(rules.filter((r) => r.source === "/:path*").flatMap((r) => r.headers.map((h) => h.key))).not.toContain("Content-Security-Policy");
  });
});
