/* Bridge from Swift 6 to the wide-character ncurses API (see /work/shared/FACTS.md §1).
 *
 * - NCURSES_WIDECHAR must be defined before curses.h, otherwise cchar_t / wget_wch / setcchar vanish.
 * - Swift cannot import macros with arguments (getmaxyx, KEY_F, A_*, COLOR_PAIR) nor touch C globals such as
 *   stdscr / COLS / stdout in Swift 6 mode ("not concurrency-safe"); the static inline accessors below are the bridge.
 * - term.h's setupterm/tigetstr are wrapped so a probe never leaves a TERMINAL behind and never exits.
 */
#ifndef GATEWATCH_CNCURSESW_SHIM_H
#define GATEWATCH_CNCURSESW_SHIM_H

#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif

#include <stdio.h>
#include <stdlib.h>
#include <wchar.h>
#include <locale.h>
#include <langinfo.h>
#include <unistd.h>
#include <signal.h>
#include <ncursesw/curses.h>
#include <ncursesw/term.h>

/* ---- globals ----------------------------------------------------------------------------------------------- */
static inline WINDOW *gw_stdscr(void) { return stdscr; }
static inline WINDOW *gw_curscr(void) { return curscr; }
static inline int gw_cols(void) { return COLS; }
static inline int gw_lines(void) { return LINES; }
static inline int gw_colors(void) { return COLORS; }
static inline int gw_color_pairs(void) { return COLOR_PAIRS; }
static inline FILE *gw_stdin(void) { return stdin; }
static inline FILE *gw_stdout(void) { return stdout; }
static inline FILE *gw_stderr(void) { return stderr; }

static inline void gw_getmaxyx(WINDOW *win, int *y, int *x) {
    int yy = 0, xx = 0;
    if (win) { getmaxyx(win, yy, xx); } else { yy = -1; xx = -1; }
    *y = yy; *x = xx;
}

/* ---- attributes, colour pairs, keys ------------------------------------------------------------------------ */
static inline attr_t gw_a_normal(void) { return A_NORMAL; }
static inline attr_t gw_a_bold(void) { return A_BOLD; }
static inline attr_t gw_a_dim(void) { return A_DIM; }
static inline attr_t gw_a_underline(void) { return A_UNDERLINE; }
static inline attr_t gw_a_reverse(void) { return A_REVERSE; }
static inline attr_t gw_a_color(void) { return A_COLOR; }
static inline chtype gw_color_pair(int n) { return (chtype)COLOR_PAIR(n); }
static inline int gw_pair_number(chtype attrs) { return (int)PAIR_NUMBER(attrs); }
static inline int gw_key_f(int n) { return KEY_F(n); }
static inline int gw_key_code_yes(void) { return KEY_CODE_YES; }

/* ---- cells --------------------------------------------------------------------------------------------------- */
/* Writes one wide cell: `wch` is a NUL-terminated spacing character plus up to CCHARW_MAX-1 combining characters.
 * The colour pair is passed explicitly (setcchar's pair argument overrides the pair bits of `attrs`). */
static inline int gw_put_wide(WINDOW *win, int y, int x, const wchar_t *wch, attr_t attrs, int pair) {
    cchar_t cc;
    int ext = pair;
    if (setcchar(&cc, wch, attrs, (short)(pair > 32767 ? 0 : pair), &ext) == ERR) return ERR;
    return mvwadd_wch(win, y, x, &cc);
}

/* Writes one narrow (8-bit) cell: used when the locale is not UTF-8 (wide calls print nothing there). */
static inline int gw_put_narrow(WINDOW *win, int y, int x, unsigned char ch, attr_t attrs, int pair) {
    return mvwaddch(win, y, x, (chtype)ch | (chtype)attrs | (chtype)COLOR_PAIR(pair));
}

/* Reads back a cell: up to `max` wide chars (NUL-terminated) into `out`, attributes and pair. */
static inline int gw_read_cell(WINDOW *win, int y, int x, wchar_t *out, int max, attr_t *attrs, int *pair) {
    cchar_t cc;
    wchar_t buf[CCHARW_MAX + 1];
    short sp = 0;
    int ext = 0;
    if (mvwin_wch(win, y, x, &cc) == ERR) return ERR;
    if (getcchar(&cc, buf, attrs, &sp, &ext) == ERR) return ERR;
    *pair = ext ? ext : sp;
    int i = 0;
    for (; i < max - 1 && i < CCHARW_MAX && buf[i] != 0; i++) out[i] = buf[i];
    out[i] = 0;
    return OK;
}

/* The C library's column width of a wide character (-1 non-printable). Declared here because glibc only declares
 * it under _XOPEN_SOURCE, which the module build does not set; curses positions characters by this width. */
extern int wcwidth(wchar_t c);
static inline int gw_wcwidth(wchar_t c) { return wcwidth(c); }

/* ---- locale -------------------------------------------------------------------------------------------------- */
static inline const char *gw_codeset(void) { return nl_langinfo(CODESET); }

/* ---- terminfo ------------------------------------------------------------------------------------------------ */
/* setupterm returning its error code and never leaving the probed TERMINAL installed.
 * Returns OK/ERR; *err receives setupterm's code (1 found, 0 generic/hardcopy/not found, -1 no database);
 * *can_address is 1 when the entry has cursor addressing (cup) and is not hardcopy/generic. */
static inline int gw_setupterm_probe(const char *term, int fd, int *err, int *can_address) {
    TERMINAL *previous = cur_term;
    int e = 0;
    int rc = setupterm(term, fd, &e);
    *err = e;
    *can_address = 0;
    if (rc == OK) {
        char *cup = tigetstr("cup");
        int hc = tigetflag("hc");
        int gn = tigetflag("gn");
        *can_address = (cup != NULL && cup != (char *)-1 && hc != 1 && gn != 1) ? 1 : 0;
        TERMINAL *probed = cur_term;
        if (probed != previous) {
            set_curterm(previous);
            del_curterm(probed);
        }
    }
    return rc;
}

/* A terminfo string capability of the current terminal, or NULL when absent/cancelled. */
static inline const char *gw_tigetstr(const char *cap) {
    char *s = tigetstr(cap);
    if (s == NULL || s == (char *)-1) return NULL;
    return s;
}

#endif
