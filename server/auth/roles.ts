// Roles, scopes and what each allows: the single table every door consults.
export const ROLES = ["viewer", "engineer", "admin"] as const;
export type Role = (typeof ROLES)[number];

const rank: Record<Role, number> = { viewer: 0, engineer: 1, admin: 2 };
export function roleAtLeast(role: Role, min: Role): boolean {
  return rank[role] >= rank[min];
}

/** Token scopes and the least role a token owner needs to hold each: a token never exceeds its owner. */
export const SCOPES = {
  "models:read": "viewer",
  "runs:read": "viewer",
  "telemetry:read": "viewer",
  "deploy:read": "viewer",
  "tokens:read": "viewer",
  // Mint and revoke the owner's own tokens; other users' tokens also need the admin scope.
  "tokens:write": "viewer",
  "alerts:read": "viewer",
  "incidents:read": "viewer",
  "models:write": "engineer",
  "runs:write": "engineer",
  "frames:write": "engineer",
  "telemetry:write": "engineer",
  "evals:write": "engineer",
  "cost:write": "engineer",
  "deploy:write": "engineer",
  "alerts:write": "engineer",
  "incidents:write": "engineer",
  /** Write device reports for any device (tools, support); a device's own credential needs none. */
  "devices:write": "engineer",
  admin: "admin",
} as const satisfies Record<string, Role>;
export type Scope = keyof typeof SCOPES;
export const SCOPE_NAMES = Object.keys(SCOPES) as [Scope, ...Scope[]];
export function isScope(s: string): s is Scope {
  return s in SCOPES;
}

/** Who is acting: a signed-in user (browser session) or a user acting through an API token. */
export type Actor = {
  userId: string;
  email: string;
  role: Role;
  tokenId?: string;
  /** Present when acting through a token: only these scopes are allowed. */
  scopes?: readonly Scope[];
  requestId?: string;
  /** Present when acting through a browser session: its user_sessions row. */
  sessionId?: string;
  /** Present when the token is a device credential: it acts for this device only. */
  deviceId?: string;
};
