import type { AnswerPlan } from '@meridian/strategies';

/** A host's plans, one per address family: A (IPv4 and NAME targets) and AAAA (IPv6). */
export interface HostPlans {
  readonly a?: AnswerPlan;
  readonly aaaa?: AnswerPlan;
}

export type PlanFamily = keyof HostPlans;

export const PLAN_FAMILIES: readonly PlanFamily[] = ['a', 'aaaa'];

/** Every plan the host has, with its family. */
export function plansOf(plans: HostPlans | undefined): { family: PlanFamily; plan: AnswerPlan }[] {
  if (plans === undefined) return [];
  return PLAN_FAMILIES.flatMap((family) => {
    const plan = plans[family];
    return plan === undefined ? [] : [{ family, plan }];
  });
}
