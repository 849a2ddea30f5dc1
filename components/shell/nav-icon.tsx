import { Activity, Bell, Box, FlaskConical, Home, Key, KeyRound, Play, ScrollText, Users, type LucideIcon } from "lucide-react";

const icons: Record<string, LucideIcon> = {
  home: Home,
  key: Key,
  "key-round": KeyRound,
  users: Users,
  scroll: ScrollText,
  box: Box,
  flask: FlaskConical,
  play: Play,
  activity: Activity,
  bell: Bell,
};

export function NavIcon({ name, className }: { name: string; className?: string }) {
  const Icon = icons[name] ?? Box;
  return <Icon className={className} aria-hidden />;
}
