/**
 * Workflow as data: a programme's procedure is a list of steps — who acts (a permission), which materials must be on
 * file before the step may be completed, the time limit in working days, and when the step applies. The engine is
 * programme-agnostic (低保, 特困, the disability subsidies each ship a definition); provinces and cities override the
 * definition by configuration, never by code (POLICY.md §2 [A arts.15–22]; §3 [C arts.13–18]).
 */
import { addWorkingDays, type WorkCalendar } from '../calendar.js';

/** When a step applies to a case. */
export type StepCondition =
  | 'always'
  /** only after an objection during 公示 (the 2021 national rule for 民主评议, [A art.19]) */
  | 'objection'
  /** only for applicants related to staff or village cadres (单独登记备案 → county home visit, [A arts.11, 20]) */
  | 'separate_registration';

export interface MaterialRequirement {
  kind: string;
  nameZh: string;
}

export interface StepDefinition {
  code: string;
  nameZh: string;
  /** The permission of the role that acts at this step. */
  permission: string;
  /** Materials that must be on file before the step is completed. */
  materials: MaterialRequirement[];
  /** Due this many working days after `from` (a step code, completed) — or no limit. */
  timeLimit?: { workingDays: number; from: string; citation: string };
  when?: StepCondition;
  /** The step may be completed only this many calendar days after it started (公示 7 days, [A art.19]). */
  minCalendarDays?: number;
}

export interface WorkflowDefinition {
  code: string;
  programme: string;
  nameZh: string;
  citation: string;
  steps: StepDefinition[];
  /** Who confirms: the county (default) or, when delegated, the township [A art.2]. */
  decisionBody: 'county' | 'township';
  /** The step whose completion decides the case. */
  decisionStep: string;
  /** Steps at which the case may be refused, and by whom (the permission) and which notice kind. */
  rejections: Array<{ atStep: string; permission: string; notice: string; issuer: 'county' | 'township' }>;
  /** Materials the archive must hold once the case is decided (e.g. the notice's delivery receipt, S6) — not blocking. */
  archive?: MaterialRequirement[];
  /** Whole procedure from acceptance, working days ([A art.22]: 30). */
  totalLimit?: { workingDays: number; from: string; citation: string };
}

export interface CaseProgress {
  /** step code → completion date */
  completed: Readonly<Record<string, string>>;
  flags: Readonly<{ objection?: boolean; separateRegistration?: boolean }>;
}

export function stepApplies(step: StepDefinition, flags: CaseProgress['flags']): boolean {
  switch (step.when ?? 'always') {
    case 'always':
      return true;
    case 'objection':
      return flags.objection === true;
    case 'separate_registration':
      return flags.separateRegistration === true;
  }
}

/** The steps that apply to a case, in order. */
export function applicableSteps(def: WorkflowDefinition, p: CaseProgress): StepDefinition[] {
  return def.steps.filter((s) => stepApplies(s, p.flags));
}

/** The first applicable step not yet completed; undefined when every step is done. */
export function pendingStep(def: WorkflowDefinition, p: CaseProgress): StepDefinition | undefined {
  return applicableSteps(def, p).find((s) => p.completed[s.code] === undefined);
}

export type StepCheck =
  | { ok: true; step: StepDefinition }
  | { ok: false; reason: 'unknown_step' }
  | { ok: false; reason: 'not_applicable'; step: StepDefinition }
  | { ok: false; reason: 'already_done'; step: StepDefinition }
  | { ok: false; reason: 'out_of_order'; step: StepDefinition; mustFirst: StepDefinition[] }
  | { ok: false; reason: 'forbidden'; step: StepDefinition };

/**
 * May `permissions` complete `stepCode` now? Out-of-order attempts name every earlier step still open
 * (an out-of-order action answers 409 with what must happen first).
 */
export function checkStep(
  def: WorkflowDefinition,
  p: CaseProgress,
  stepCode: string,
  permissions: ReadonlySet<string>,
): StepCheck {
  const step = def.steps.find((s) => s.code === stepCode);
  if (!step) return { ok: false, reason: 'unknown_step' };
  if (!stepApplies(step, p.flags)) return { ok: false, reason: 'not_applicable', step };
  if (p.completed[step.code] !== undefined) return { ok: false, reason: 'already_done', step };
  const steps = applicableSteps(def, p);
  const idx = steps.indexOf(step);
  const mustFirst = steps.slice(0, idx).filter((s) => p.completed[s.code] === undefined);
  if (mustFirst.length) return { ok: false, reason: 'out_of_order', step, mustFirst };
  if (!permissions.has(step.permission)) return { ok: false, reason: 'forbidden', step };
  return { ok: true, step };
}

/** Required materials of a step that are not on file — all of them, for one 一次性告知 [A art.10]. */
export function missingMaterials(step: StepDefinition, onFile: ReadonlySet<string>): MaterialRequirement[] {
  return step.materials.filter((m) => !onFile.has(m.kind));
}

/** Materials every applicable step up to and including `upTo` requires (the archive checklist, S6). */
export function checklist(def: WorkflowDefinition, p: CaseProgress): Array<MaterialRequirement & { step: string }> {
  const out: Array<MaterialRequirement & { step: string }> = [];
  const seen = new Set<string>();
  for (const s of applicableSteps(def, p)) {
    for (const m of s.materials) {
      if (seen.has(m.kind)) continue;
      seen.add(m.kind);
      out.push({ ...m, step: s.code });
    }
  }
  return out;
}

/** Due date of a step in working days from its anchor step's completion; null without a limit or anchor. */
export function dueDate(step: StepDefinition, p: CaseProgress, cal: WorkCalendar): string | null {
  if (!step.timeLimit) return null;
  const from = p.completed[step.timeLimit.from];
  if (!from) return null;
  return addWorkingDays(from, step.timeLimit.workingDays, cal);
}

/**
 * After an objection during 公示: the case goes back to `fromStep` (re-investigation or 民主评议, then the first
 * review is re-issued, [A art.19]). Completions from that step on are cleared; the objection flag makes
 * objection-only steps apply.
 */
export function reopenFrom(def: WorkflowDefinition, p: CaseProgress, fromStep: string): CaseProgress {
  const idx = def.steps.findIndex((s) => s.code === fromStep);
  if (idx < 0) throw new Error(`unknown step ${fromStep}`);
  const completed: Record<string, string> = {};
  for (const [i, s] of def.steps.entries()) {
    const d = p.completed[s.code];
    if (d !== undefined && i < idx) completed[s.code] = d;
  }
  return { completed, flags: { ...p.flags, objection: true } };
}

/** Problems of a definition submitted as configuration (empty = valid). */
export function validateDefinition(def: WorkflowDefinition): string[] {
  const problems: string[] = [];
  const codes = new Set<string>();
  for (const [i, s] of def.steps.entries()) {
    if (codes.has(s.code)) problems.push(`steps[${i}].code: 步骤 ${s.code} 重复`);
    if (!s.permission) problems.push(`steps[${i}].permission: 必须指定办理角色的权限`);
    if (s.timeLimit && !codes.has(s.timeLimit.from)) {
      problems.push(`steps[${i}].timeLimit.from: 时限起算步骤 ${s.timeLimit.from} 必须在本步骤之前`);
    }
    if (s.timeLimit && (!Number.isInteger(s.timeLimit.workingDays) || s.timeLimit.workingDays <= 0)) {
      problems.push(`steps[${i}].timeLimit.workingDays: 时限必须是正整数（工作日）`);
    }
    codes.add(s.code);
  }
  if (!codes.has(def.decisionStep)) problems.push(`decisionStep: 决定步骤 ${def.decisionStep} 不在步骤中`);
  const decision = def.steps.find((s) => s.code === def.decisionStep);
  if (decision && (decision.when ?? 'always') !== 'always') problems.push('decisionStep: 决定步骤必须适用于所有案件');
  for (const [i, r] of def.rejections.entries()) {
    if (!codes.has(r.atStep)) problems.push(`rejections[${i}].atStep: 步骤 ${r.atStep} 不存在`);
  }
  return problems;
}
