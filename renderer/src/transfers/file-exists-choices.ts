import type { FileExistsAnswer, FileExistsQuestion } from '../../../shared/transfers';

export type ExistsChoice = FileExistsAnswer['action'];

const LABELS: Record<ExistsChoice, string> = {
  overwrite: 'Overwrite',
  'overwrite-if-newer': 'Overwrite if the source is newer',
  'overwrite-if-size-differs': 'Overwrite if the size differs',
  'overwrite-if-size-differs-or-newer': 'Overwrite if the size differs or the source is newer',
  resume: 'Resume (append the missing part)',
  rename: 'Keep both (rename the new file)',
  skip: 'Skip',
};

/** The primary button says what it will do. */
const SHORT: Record<ExistsChoice, string> = {
  overwrite: 'Overwrite',
  'overwrite-if-newer': 'Overwrite if newer',
  'overwrite-if-size-differs': 'Overwrite if different',
  'overwrite-if-size-differs-or-newer': 'Overwrite if changed',
  resume: 'Resume',
  rename: 'Keep both',
  skip: 'Skip',
};

const ORDER: ExistsChoice[] = [
  'overwrite',
  'overwrite-if-newer',
  'overwrite-if-size-differs',
  'overwrite-if-size-differs-or-newer',
  'resume',
  'rename',
  'skip',
];

/**
 * A target smaller than the source is most likely this transfer's own partial file (an item
 * interrupted by a lost connection, a pause or a restart): appending the missing part is the
 * safe, cheap answer, and overwriting would throw away what already arrived.
 */
export function resumePossible(question: Pick<FileExistsQuestion, 'source' | 'target'>): boolean {
  const { source, target } = question;
  return source.size !== undefined && target.size !== undefined && target.size < source.size;
}

/** The dialog's choices, the default first, and that default. */
export function existsChoices(question: Pick<FileExistsQuestion, 'source' | 'target'>): {
  initial: ExistsChoice;
  choices: Array<{ value: ExistsChoice; label: string; short: string }>;
} {
  const initial: ExistsChoice = resumePossible(question) ? 'resume' : 'overwrite';
  const order = [initial, ...ORDER.filter((c) => c !== initial)];
  return {
    initial,
    choices: order.map((value) => ({ value, label: LABELS[value], short: SHORT[value] })),
  };
}
