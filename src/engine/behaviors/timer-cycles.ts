/** When a repeating timer fires next: after its interval, or at its cron schedule's next time. */
import { type CronSchedule, nextCronTime, parseCron } from '../../feel/cron.js';
import type { TimerValue } from '../records.js';

/** Parsed schedules by expression: a pure function of the text, so caching keeps replay deterministic. */
const schedules = new Map<string, CronSchedule | null>();

function scheduleOf(cron: string): CronSchedule | null {
  let schedule = schedules.get(cron);
  if (schedule === undefined) {
    const parsed = parseCron(cron);
    schedule = parsed.ok ? parsed.value : null;
    if (schedules.size > 1000) schedules.clear();
    schedules.set(cron, schedule);
  }
  return schedule;
}

/** The next timer of a cycle after this one came due, or null when the cycle is over. */
export function nextOccurrence(timer: TimerValue): TimerValue | null {
  if (timer.repetitions === 1) return null;
  const repetitions = timer.repetitions < 0 ? -1 : timer.repetitions - 1;
  // From the due date, not the clock, so a late trigger does not shift the cycle (as Zeebe).
  if (timer.cron) {
    const schedule = scheduleOf(timer.cron);
    const next = schedule && nextCronTime(schedule, timer.dueDate);
    return next == null ? null : { ...timer, dueDate: next, repetitions };
  }
  return timer.interval > 0 ? { ...timer, dueDate: timer.dueDate + timer.interval, repetitions } : null;
}
