/** The values a FEEL expression computes. Lists are JS arrays; null is FEEL null. */
import type { FeelContext } from './context.js';
import type { DaysTimeDuration, YearsMonthsDuration } from './duration.js';
import type { FeelFunction } from './function.js';
import type { FeelNumber } from './number.js';
import type { FeelRange } from './range.js';
import type { FeelDate, FeelDateTime, FeelTime } from './temporal.js';

export type Value =
  | null
  | boolean
  | string
  | FeelNumber
  | FeelDate
  | FeelTime
  | FeelDateTime
  | YearsMonthsDuration
  | DaysTimeDuration
  | FeelRange
  | FeelContext
  | FeelFunction
  | readonly Value[];
