/**
 * Dates as vCards write them (19700101, 1970-01-01, 1970-01-01T00:00:00Z, --0203, --02-03)
 * brought to the contact model's `YYYY-MM-DD` or `--MM-DD`. Year 1604 is the placeholder
 * Apple and CardBook write for "year unknown". Anything that is not a real calendar date
 * gives undefined, so the caller keeps the property as written instead of guessing.
 */
export function birthdayFrom(value: string): string | undefined {
  const text = value.trim();
  let match = /^--(\d{2})-?(\d{2})$/.exec(text);
  if (match)
    return validMonthDay(match[1] as string, match[2] as string) ? `--${match[1]}-${match[2]}` : undefined;
  match = /^(\d{4})-?(\d{2})-?(\d{2})(?:T[\d:.]*(?:Z|[+-]\d{2}:?\d{2})?)?$/.exec(text);
  if (!match) return undefined;
  const [year, month, day] = [match[1] as string, match[2] as string, match[3] as string];
  if (!validDate(Number(year), Number(month), Number(day))) return undefined;
  if (year === '1604') return `--${month}-${day}`;
  return `${year}-${month}-${day}`;
}

function validMonthDay(month: string, day: string): boolean {
  return validDate(2000, Number(month), Number(day));
}

function validDate(year: number, month: number, day: number): boolean {
  if (year < 1000 || month < 1 || month > 12 || day < 1) return false;
  return day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** REV as an ISO timestamp; a date alone stays a date. */
export function timestampFrom(value: string): string | undefined {
  const text = value.trim();
  const match =
    /^(\d{4})-?(\d{2})-?(\d{2})(?:T(\d{2}):?(\d{2}):?(\d{2})?(\.\d+)?(Z|[+-]\d{2}:?\d{2})?)?$/.exec(text);
  if (!match) return undefined;
  const [, year, month, day, hour, minute, second, fraction, zone] = match;
  if (!validDate(Number(year), Number(month), Number(day))) return undefined;
  if (hour === undefined) return `${year}-${month}-${day}`;
  const offset = zone && zone !== 'Z' ? zone.replace(/^([+-]\d{2}):?(\d{2})$/, '$1:$2') : (zone ?? '');
  return `${year}-${month}-${day}T${hour}:${minute}:${second ?? '00'}${fraction ?? ''}${offset}`;
}
