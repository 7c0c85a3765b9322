/**
 * The exit codes of every `splice` command: 0 when it did what was asked, 1 when a check failed
 * (an invalid definition, a refused authorization, an error status), 2 when the command line was
 * wrong (unknown command or option, missing argument, a bad value).
 */
export const EXIT_OK = 0;
/** A check failed. */
export const EXIT_FAILED = 1;
/** The command line was wrong. */
export const EXIT_USAGE = 2;
