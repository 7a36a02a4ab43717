/**
 * China's official working-day calendar (法定节假日 and 调休), as data. One file per year,
 * `config/calendar.json` (one entry per year); this module validates those entries and answers "is this a working day"
 * and "which day is the Nth working day after that one".
 *
 * Outside the years it was given, the calendar falls back to weekends-only and says so
 * (`beyondKnownCalendar: true`): a deadline past the known calendar is an estimate, never a silent guess.
 */
import { z } from 'zod';
import { checkEach, ConfigError } from '../errors.js';
import {
  dayOfWeek,
  endOfDay,
  formatShanghai,
  isLocalDate,
  isWeekend,
  parseInstant,
  plusDays,
  plusMonths,
  toShanghaiDate,
  yearOf,
  type LocalDate,
} from './time.js';

// Validation (tests, cdk synth) only: built in pure IIFEs, so a Lambda bundle that never validates leaves them,
// and zod, out. The runtime builds from the already validated JSON (calendarYearFromFile).
const IsoDate = /* @__PURE__ */ (() => z.string().refine(isLocalDate, 'must be a real date written YYYY-MM-DD'))();

/** The shape of one year of `config/calendar.json`. */
export const CalendarYearFile = /* @__PURE__ */ (() =>
  z.strictObject({
    $comment: z.union([z.string(), z.array(z.string())]).optional(),
    year: z.int().min(2000).max(2200),
    /** Where the dates come from (the State Council notice), so a reviewer can check them. */
    source: z.string().min(1),
    /** Days off: statutory holidays and the weekend days inside a holiday block. */
    holidays: z.array(IsoDate),
    /** 调休: weekend days that are working days. */
    makeupWorkdays: z.array(IsoDate),
  }))();
export type CalendarYearFile = z.infer<typeof CalendarYearFile>;

/** One validated year. */
export interface CalendarYear {
  year: number;
  source: string;
  holidays: readonly LocalDate[];
  makeupWorkdays: readonly LocalDate[];
}

const WEEKDAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'] as const;

/**
 * Validates one year file. Throws ConfigError naming `file` and the path of every problem: shape, dates
 * outside the file's year, duplicates, a day that is both a holiday and a make-up day, a make-up day that
 * is not on a weekend, and (when `file` is named `<year>.json`) a `year` that disagrees with the file name.
 */
export function parseCalendarYear(data: unknown, file: string): CalendarYear {
  const parsed = CalendarYearFile.safeParse(data);
  if (!parsed.success) throw ConfigError.fromZod(file, parsed.error);
  const { year, source, holidays, makeupWorkdays } = parsed.data;
  const problems: string[] = [];

  const nameYear = /(?:^|[/\\])(\d{4})\.json$/.exec(file)?.[1];
  if (nameYear !== undefined && Number(nameYear) !== year) {
    problems.push(`year: ${year} does not match the file name (${nameYear}.json)`);
  }

  const checkList = (key: 'holidays' | 'makeupWorkdays', list: string[]): Set<string> => {
    const seen = new Map<string, number>();
    for (const [i, d] of list.entries()) {
      if (yearOf(d) !== year) problems.push(`${key}.${i}: ${d} is not in ${year}`);
      const first = seen.get(d);
      if (first !== undefined) problems.push(`${key}.${i}: ${d} is listed twice (also ${key}.${first})`);
      else seen.set(d, i);
    }
    return new Set(seen.keys());
  };
  const holidaySet = checkList('holidays', holidays);
  checkList('makeupWorkdays', makeupWorkdays);

  for (const [i, d] of makeupWorkdays.entries()) {
    if (holidaySet.has(d)) problems.push(`makeupWorkdays.${i}: ${d} is also listed under holidays`);
    if (!isWeekend(d)) {
      problems.push(`makeupWorkdays.${i}: ${d} is a ${WEEKDAY_NAMES[dayOfWeek(d)]}; a make-up working day (调休) falls on a weekend`);
    }
  }

  if (problems.length) throw new ConfigError(file, problems);
  return { year, source, holidays: [...holidays].sort(), makeupWorkdays: [...makeupWorkdays].sort() };
}

/** One year of a file validated at build time (parseCalendarYear), without validating it again: the runtime path. */
export function calendarYearFromFile(y: CalendarYearFile): CalendarYear {
  return { year: y.year, source: y.source, holidays: [...y.holidays].sort(), makeupWorkdays: [...y.makeupWorkdays].sort() };
}

/** A computed deadline. `beyondKnownCalendar` says it counted working days through a year the calendar does not know. */
export interface Deadline {
  /** ISO 8601 instant in Shanghai time, e.g. `2026-10-08T23:59:59+08:00`. */
  at: string;
  beyondKnownCalendar: boolean;
}

export class WorkingCalendar {
  private readonly holidays = new Set<string>();
  private readonly makeup = new Set<string>();
  private readonly known: ReadonlySet<number>;
  /** The years this calendar knows, ascending. */
  readonly years: readonly number[];

  private constructor(years: readonly CalendarYear[]) {
    for (const y of years) {
      for (const d of y.holidays) this.holidays.add(d);
      for (const d of y.makeupWorkdays) this.makeup.add(d);
    }
    this.years = years.map((y) => y.year).sort((a, b) => a - b);
    this.known = new Set(this.years);
  }

  /** Builds a calendar from validated years; throws ConfigError if a year is given twice. */
  static fromYears(years: readonly CalendarYear[], file = 'config/calendar'): WorkingCalendar {
    const seen = new Set<number>();
    const problems: string[] = [];
    for (const y of years) {
      if (seen.has(y.year)) problems.push(`year ${y.year} is given twice`);
      seen.add(y.year);
    }
    if (problems.length) throw new ConfigError(file, problems);
    return new WorkingCalendar(years);
  }

  /** First and last day covered (`undefined` for an empty calendar). Years in between that are missing are not covered. */
  get firstDay(): LocalDate | undefined {
    const y = this.years[0];
    return y === undefined ? undefined : `${y}-01-01`;
  }
  get lastDay(): LocalDate | undefined {
    const y = this.years[this.years.length - 1];
    return y === undefined ? undefined : `${y}-12-31`;
  }

  /** True when the official calendar for the day's year is loaded. Accepts a date or an instant. */
  covers(dateOrInstant: string): boolean {
    return this.known.has(yearOf(toShanghaiDate(dateOrInstant)));
  }

  /**
   * Working day in Shanghai: holidays are off, make-up days (调休) are on, otherwise Monday–Friday.
   * For a day outside the known years this is the weekends-only estimate; check `covers()`.
   */
  isWorkingDay(dateOrInstant: string): boolean {
    const d = toShanghaiDate(dateOrInstant);
    if (this.holidays.has(d)) return false;
    if (this.makeup.has(d)) return true;
    return !isWeekend(d);
  }

  /**
   * The Nth working day after the day of `from` (that day itself does not count), ending 23:59:59 Shanghai
   * time. `from` is a date or an instant (an instant is converted to its Shanghai day first). `n = 0` is the
   * end of `from`'s own day. Flags `beyondKnownCalendar` when any day counted over lies in an unknown year.
   */
  addWorkingDays(from: string, n: number): Deadline {
    assertCount(n, 'working days');
    let day = toShanghaiDate(from);
    let beyond = false;
    for (let left = n; left > 0; ) {
      day = plusDays(day, 1);
      if (!this.known.has(yearOf(day))) beyond = true;
      if (this.isWorkingDay(day)) left--;
    }
    return { at: endOfDay(day), beyondKnownCalendar: beyond };
  }

  /** 23:59:59 of the day N calendar days after `from`'s Shanghai day. Calendar-independent, never flagged. */
  addCalendarDays(from: string, n: number): Deadline {
    return { at: addCalendarDays(from, n), beyondKnownCalendar: false };
  }

  /** 23:59:59 of the same day-of-month N months after `from`'s Shanghai day, clamped to month end. Never flagged. */
  addMonths(from: string, n: number): Deadline {
    return { at: addMonths(from, n), beyondKnownCalendar: false };
  }

  /** Exactly `hours` after the instant `from`. Never flagged. */
  addHours(from: string, hours: number): Deadline {
    return { at: addHours(from, hours), beyondKnownCalendar: false };
  }
}

function assertCount(n: number, what: string): void {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`${what} must be a whole number ≥ 0, got ${n}`);
}

/** 23:59:59 Shanghai time of the day `n` calendar days after the Shanghai day of `from` (date or instant). */
export function addCalendarDays(from: string, n: number): string {
  assertCount(n, 'days');
  return endOfDay(plusDays(toShanghaiDate(from), n));
}

/**
 * 23:59:59 Shanghai time of the day `n` months after the Shanghai day of `from`; a day-of-month the target
 * month lacks clamps to its last day (Jan 31 + 1 month → Feb 28, or Feb 29 in a leap year).
 */
export function addMonths(from: string, n: number): string {
  assertCount(n, 'months');
  return endOfDay(plusMonths(toShanghaiDate(from), n));
}

/** Exactly `hours` after the instant `from` (which must carry an offset), written in Shanghai time. */
export function addHours(from: string, hours: number): string {
  if (!Number.isFinite(hours) || hours < 0) throw new RangeError(`hours must be ≥ 0, got ${hours}`);
  return formatShanghai(parseInstant(from) + Math.round(hours * 3600_000));
}

/**
 * Validates each `[file, data]` pair and builds the calendar (tests, cdk synth). Not a static method of
 * WorkingCalendar: a class keeps all its methods in a bundle, and this one would pull zod into every Lambda.
 */
export function calendarFromFiles(files: ReadonlyArray<readonly [file: string, data: unknown]>): WorkingCalendar {
  const years: CalendarYear[] = [];
  // One bad file: its own error. Several: one error listing every problem, each prefixed with its file.
  checkEach(files, ([file, data]) => void years.push(parseCalendarYear(data, file)), 'config/calendar');
  return WorkingCalendar.fromYears(years);
}
