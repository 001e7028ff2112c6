/* Async-signal-safe signal flag and emergency terminal restore for Gatewatch.
 *
 * Handlers only store into a volatile sig_atomic_t; the app's input loop polls gw_signal_pending().
 * A second terminating signal while one is still pending, or a crash signal, restores the terminal with
 * async-signal-safe calls only (tcsetattr + write of a prepared escape sequence) and ends the process. */
#ifndef GATEWATCH_CSIGNALFLAG_H
#define GATEWATCH_CSIGNALFLAG_H

#ifdef __cplusplus
extern "C" {
#endif

/* Installs the flag-setting handler for `signo` (SIGINT, SIGTERM, SIGHUP, SIGQUIT…). Returns 0 on success. */
int gw_signal_watch(int signo);
/* Puts back the disposition that was in place before gw_signal_watch(signo). */
void gw_signal_unwatch(int signo);
/* The most recent watched signal not yet taken, or 0. */
int gw_signal_pending(void);
/* Returns the pending signal (or 0) and clears it. */
int gw_signal_take(void);
/* Test hook: behave as if `signo` had been delivered (sets the flag without a real signal). */
void gw_signal_simulate(int signo);

/* Emergency restore: remember the terminal's cooked settings of `fd` (call before curses changes them) and the bytes
 * that undo curses' screen setup (bracketed paste off, leave alternate screen, show cursor, reset attributes). */
int gw_emergency_save_termios(int fd);
void gw_emergency_set_sequence(const char *bytes, int length);
/* 1 while a curses screen is active; the emergency path does nothing when 0. */
void gw_emergency_set_active(int active);
int gw_emergency_is_active(void);
/* While the screen is up, stderr goes to an unlinked temporary file, so stray messages cannot garble the screen and
 * are not lost with the alternate screen; _end (async-signal-safe; also run by the emergency restore) puts stderr back
 * and writes them there. */
int gw_stderr_capture_begin(void);
void gw_stderr_capture_end(void);
/* Performs the emergency restore now (async-signal-safe). */
void gw_emergency_restore(void);
/* 1 once a crash signal arrived: the process is going down, nothing may draw any more. */
int gw_emergency_crashed(void);
/* Installs chaining handlers for SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP, SIGABRT that restore the terminal and
 * then re-deliver the signal to the previous handler (e.g. the Swift runtime's backtracer). */
void gw_emergency_install_crash_handlers(void);

#ifdef __cplusplus
}
#endif
#endif
