/** What every insurance-side HTTP client shares when reading an answer it does not yet trust. */
export {
  AnswerTooLargeError,
  DEFAULT_MAX_ANSWER_BYTES,
  DEFAULT_MAX_FILE_BYTES,
  NO_REDIRECTS,
  isRedirect,
  readBoundedText,
} from './bounded-body';
