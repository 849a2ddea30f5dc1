import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

// Client code may import only types from server/, plus the shared zod schemas, role tables and pure policy modules.
const serverValueImports = {
  patterns: [
    {
      regex: "^@/server/(?!auth/roles$|[\\w-]+/schemas$|[\\w-]+/policy$)",
      allowTypeImports: true,
      message: "Client code must not import server modules (use `import type`, or a schemas module).",
    },
  ],
};

const config = [
  ...nextVitals,
  ...nextTs,
  { ignores: [".next/**", "node_modules/**", ".data/**", "test-results/**", "playwright-report/**", "public/ort/**", "next-env.d.ts"] },
  {
    files: ["components/**/*.{ts,tsx}", "lib/**/*.{ts,tsx}", "app/**/*-client.tsx", "app/providers.tsx"],
    rules: { "@typescript-eslint/no-restricted-imports": ["error", serverValueImports] },
  },
  {
    rules: {
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
];

export default config;
