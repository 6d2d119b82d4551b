import type { ProblemCode } from './problem-codes';

/** What any operation that reads a JSON body can answer before it looks at the content. */
export const BODY_PROBLEMS: ProblemCode[] = [
  'VALIDATION_FAILED',
  'MALFORMED_JSON',
  'PAYLOAD_TOO_LARGE',
  'UNSUPPORTED_MEDIA_TYPE',
];
