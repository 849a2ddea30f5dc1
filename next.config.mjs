import fs from "node:fs";

// Security headers for every response; cross-origin isolation for the pages that run models
// (onnxruntime-web threads need SharedArrayBuffer) and for the files those pages load.
// Pages get their policy, with a per-request script nonce, from proxy.ts; this one covers what the proxy
// does not see (static files, the playground's worker scripts, /ort/, REST answers). The directives are
// shared with server/http/csp.ts through lib/csp-directives.json (this file cannot import TypeScript).
const directives = JSON.parse(fs.readFileSync(new URL("./lib/csp-directives.json", import.meta.url), "utf8"));
const assetCsp = [directives.common[0], directives.assetScript, ...directives.common.slice(1)].join("; ");
const assetCspHeader = [{ key: "Content-Security-Policy", value: assetCsp }];

const security = [
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "X-Frame-Options", value: "DENY" },
  { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
  { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=()" },
];

const isolated = [
  { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
  { key: "Cross-Origin-Embedder-Policy", value: "require-corp" },
];
const corp = [
  { key: "Cross-Origin-Resource-Policy", value: "same-origin" },
  { key: "Cross-Origin-Embedder-Policy", value: "require-corp" },
];

// The isolated pages, shared with lib/isolation.ts (links to them are full page loads).
const isolatedPaths = JSON.parse(fs.readFileSync(new URL("./lib/isolated-paths.json", import.meta.url), "utf8"));

/** @type {import('next').NextConfig} */
const nextConfig = {
  poweredByHeader: false,
  serverExternalPackages: [
    "@electric-sql/pglite",
    "pino",
    "pg-boss",
    "@node-rs/argon2",
    "onnx-proto",
    "protobufjs",
    "@aws-sdk/client-s3",
    "@aws-sdk/lib-storage",
  ],
  typescript: { ignoreBuildErrors: false },
  async headers() {
    return [
      { source: "/:path*", headers: security },
      { source: "/_next/:path*", headers: assetCspHeader },
      { source: "/ort/:path*", headers: assetCspHeader },
      { source: "/api/v1/:path*", headers: assetCspHeader },
      { source: "/api/2.0/:path*", headers: assetCspHeader },
      { source: "/favicon.ico", headers: assetCspHeader },
      ...isolatedPaths.map((source) => ({ source, headers: isolated })),
      { source: "/_next/static/:path*", headers: corp },
      { source: "/ort/:path*", headers: [...corp, { key: "Cache-Control", value: "public, max-age=31536000, immutable" }] },
    ];
  },
};

export default nextConfig;
