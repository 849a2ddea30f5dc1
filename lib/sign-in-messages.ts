// What the sign-in page says for each next-auth error code, shared by the page and the form.

function lockedMessage(minutes: number): string {
  const rounded = Math.max(1, Math.round(minutes));
  return `Too many failed sign-ins. Wait ${rounded} minute${rounded === 1 ? "" : "s"} and try again, or ask an admin to unlock the account.`;
}

const MESSAGES: Record<string, string> = {
  CredentialsSignin: "The email or password is wrong.",
  AccountDeactivated: "This account is deactivated. Ask an admin to reactivate it.",
  AccessDenied: "Access denied: your account is deactivated or not allowed here.",
  OidcEmailUnverified: "Your identity provider did not confirm your email address, so it cannot be used here. Ask an admin.",
  OidcNotLinked: "An account with this email exists but is not linked to single sign-on automatically. Sign in with your password, or ask an admin.",
  OidcNoEmail: "Your identity provider did not share an email address. Ask an admin.",
};

export function signInErrorMessage(code: string, lockMinutes: number): string {
  if (code === "AccountLocked") return lockedMessage(lockMinutes);
  return MESSAGES[code] ?? "Sign-in failed. Try again.";
}
