import { Activity, Bell, BookA, BookOpen, Box, Flame, FlaskConical, Home, Image, Key, KeyRound, ListChecks, MonitorSmartphone, Play, Rocket, ScrollText, ShieldCheck, Siren, UserCheck, Users, Wallet, Webhook, type LucideIcon } from "lucide-react";

const icons: Record<string, LucideIcon> = {
  home: Home,
  key: Key,
  "key-round": KeyRound,
  monitor: MonitorSmartphone,
  users: Users,
  scroll: ScrollText,
  box: Box,
  flask: FlaskConical,
  play: Play,
  image: Image,
  shield: ShieldCheck,
  wallet: Wallet,
  "user-check": UserCheck,
  activity: Activity,
  bell: Bell,
  rocket: Rocket,
  siren: Siren,
  webhook: Webhook,
  flame: Flame,
  book: BookOpen,
  "book-a": BookA,
  "list-checks": ListChecks,
};

export function NavIcon({ name, className }: { name: string; className?: string }) {
  const Icon = icons[name] ?? Box;
  return <Icon className={className} aria-hidden />;
}
