// The portal's areas: the sidebar and the command palette both read this list.
import type { Role } from "@/server/auth/roles";

export type NavItem = { href: string; label: string; icon: string; minRole?: Role; section: "Build" | "Operate" | "Review" | "Admin" | "You" };

export const NAV: NavItem[] = [
  { href: "/", label: "Home", icon: "home", section: "Build" },
  { href: "/models", label: "Models", icon: "box", section: "Build" },
  { href: "/experiments", label: "Experiments", icon: "flask", section: "Build" },
  { href: "/playground", label: "Playground", icon: "play", section: "Build" },
  { href: "/frames", label: "Frames", icon: "image", section: "Build" },
  { href: "/monitoring", label: "Monitoring", icon: "activity", section: "Operate" },
  { href: "/alerts", label: "Alerts", icon: "bell", section: "Operate" },
  { href: "/deployments", label: "Deployments", icon: "rocket", section: "Operate" },
  { href: "/incidents", label: "Incidents", icon: "flame", section: "Operate" },
  { href: "/runbooks", label: "Runbooks", icon: "book", section: "Operate" },
  { href: "/oncall", label: "On-call", icon: "siren", section: "Operate" },
  { href: "/catalog", label: "Catalog", icon: "library", section: "Operate" },
  { href: "/releases", label: "Release readiness", icon: "list-checks", section: "Review" },
  { href: "/safety", label: "Safety", icon: "shield", section: "Review" },
  { href: "/costs", label: "Costs", icon: "wallet", section: "Review" },
  { href: "/glossary", label: "Glossary", icon: "book-a", section: "Review" },
  { href: "/tokens", label: "API tokens", icon: "key", section: "You" },
  { href: "/account", label: "Sessions", icon: "monitor", section: "You" },
  { href: "/admin/users", label: "Users", icon: "users", minRole: "admin", section: "Admin" },
  { href: "/admin/tokens", label: "All tokens", icon: "key-round", minRole: "admin", section: "Admin" },
  { href: "/admin/audit", label: "Audit log", icon: "scroll", minRole: "admin", section: "Admin" },
  { href: "/admin/webhooks", label: "Webhooks", icon: "webhook", minRole: "admin", section: "Admin" },
  { href: "/safety/reviewers", label: "Safety reviewers", icon: "user-check", minRole: "admin", section: "Admin" },
];
