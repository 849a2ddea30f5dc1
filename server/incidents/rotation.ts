// Who is on call for a rotation at a moment: weekly turns from the start, an override covering the moment wins; pure.
export type RotationSpec = { members: string[]; startsAt: Date; periodDays: number };
export type OverrideSpec = { userId: string; startsAt: Date; endsAt: Date; createdAt: Date };

export function onCallAt(r: RotationSpec, overrides: readonly OverrideSpec[], at: Date): { userId: string | null; override: boolean; until: Date | null } {
  const active = overrides.filter((o) => o.startsAt <= at && at < o.endsAt).sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime())[0];
  if (active) return { userId: active.userId, override: true, until: active.endsAt };
  if (!r.members.length || at < r.startsAt) return { userId: null, override: false, until: null };
  const period = r.periodDays * 86_400_000;
  const turn = Math.floor((at.getTime() - r.startsAt.getTime()) / period);
  return { userId: r.members[turn % r.members.length], override: false, until: new Date(r.startsAt.getTime() + (turn + 1) * period) };
}
