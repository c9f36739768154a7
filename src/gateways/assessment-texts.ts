import type { Assessment } from './cluster-assessment.js';

/** An assessment as the views show it, and its JSON as a REST answer carries it. */
export interface InternedAssessment {
  view: Assessment | null;
  json: string;
}

/** How many distinct assessment texts a process remembers (each about 4 kB of text, its JSON and its parsed view). */
const CAPACITY = 500;

/**
 * A gateway's assessment as its view shows it: assessments stored before outcomes existed say only
 * whether each check passed. Applying it twice changes nothing (GatewayView.of applies it again).
 */
export function assessmentView(stored: Assessment | null | undefined): Assessment | null | undefined {
  return (
    stored && {
      ...stored,
      checks: stored.checks.map((check) => ({ ...check, outcome: check.outcome ?? (check.passed ? 'PASSED' : 'FAILED') })),
    }
  );
}

/**
 * Assessments read as their stored text (jsonb::text), one parsed view and one serialized JSON per
 * distinct text. Most gateways of a fleet say the same 15 things (a healthy cluster of 3 nodes), so
 * a page of 50 gateways with their assessments, about 200 kB of JSON, is parsed and serialized
 * once instead of on every request: the page's JSON splices `json` in (GatewayView.pageJson).
 * The views are shared between requests and must not be changed. Bounded: the least recently
 * used text goes first, so a fleet whose assessments all differ costs what parsing them did.
 */
export class AssessmentTexts {
  /** Oldest use first (a Map keeps insertion order). */
  private readonly known = new Map<string, InternedAssessment>();

  constructor(private readonly capacity = CAPACITY) {}

  of(text: string | null): InternedAssessment {
    if (text === null) return { view: null, json: 'null' };
    const known = this.known.get(text);
    if (known) {
      // Keep it from eviction: it moves to the newest end.
      this.known.delete(text);
      this.known.set(text, known);
      return known;
    }
    const view = assessmentView(JSON.parse(text) as Assessment)!;
    const interned = { view, json: JSON.stringify(view) };
    this.known.set(text, interned);
    if (this.known.size > this.capacity) this.known.delete(this.known.keys().next().value!);
    return interned;
  }

  get size(): number {
    return this.known.size;
  }
}
