/**
 * A label's display marking where a view shows it (STANAG 4774 display marking, as the core
 * wrote it): rendered as text, and reported to the classification banner while mounted.
 */
import { useEffect, type ElementType } from 'react';
import { showMarking } from './shown-markings.js';

interface Props {
  readonly text: string;
  /** The element to render: a table cell's span by default, `dd` in a fact list. */
  readonly as?: ElementType;
  readonly 'data-testid'?: string;
}

export function Marking({ text, as: Element = 'span', ...rest }: Props) {
  useEffect(() => showMarking(text), [text]);
  return (
    <Element className="marking" {...rest}>
      {text}
    </Element>
  );
}

/** Reports markings on screen without drawing them: a graph whose nodes show classified subjects, say. */
export function useReportedMarkings(markings: readonly string[]): void {
  // Keyed by content, so a row re-rendered with an equal list does not withdraw and re-report.
  const key = [...new Set(markings)].join('\n');
  useEffect(() => {
    const withdrawals = key === '' ? [] : key.split('\n').map(showMarking);
    return () => withdrawals.forEach((withdraw) => withdraw());
  }, [key]);
}

/** A table row's markings reported while the row is on screen, drawing nothing. */
export function ReportedMarkings({ markings }: { readonly markings: readonly string[] }) {
  useReportedMarkings(markings);
  return null;
}
