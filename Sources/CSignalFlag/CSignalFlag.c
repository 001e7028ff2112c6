#define _GNU_SOURCE 1
#include "CSignalFlag.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#define GW_MAX_SIG 65

static volatile sig_atomic_t gw_pending = 0;
static struct sigaction gw_previous[GW_MAX_SIG];
static volatile sig_atomic_t gw_watched[GW_MAX_SIG];

static struct termios gw_saved_termios;
static volatile sig_atomic_t gw_have_termios = 0;
static int gw_termios_fd = -1;
static char gw_sequence[256];
static volatile sig_atomic_t gw_sequence_length = 0;
static volatile sig_atomic_t gw_active = 0;
static volatile sig_atomic_t gw_restoring = 0;

/* stderr while the screen is up: a temporary file (unlinked at once) stands in for fd 2, and the real stderr is kept
 * in gw_saved_stderr; gw_stderr_capture_end() puts it back and copies what was written to it. */
static volatile sig_atomic_t gw_capture_fd = -1;
static volatile sig_atomic_t gw_saved_stderr = -1;

static void gw_write_all(int fd, const char *p, size_t left) {
    while (left > 0) {
        ssize_t n = write(fd, p, left);
        if (n < 0) { if (errno == EINTR) continue; return; }
        p += n; left -= (size_t)n;
    }
}

int gw_stderr_capture_begin(void) {
    if (gw_capture_fd >= 0) return 0;
    char path[] = "/tmp/gatewatch-stderr-XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0) return -1;
    unlink(path);
    int saved = dup(STDERR_FILENO);
    if (saved < 0) { close(fd); return -1; }
    fflush(stderr);
    if (dup2(fd, STDERR_FILENO) < 0) { close(fd); close(saved); return -1; }
    gw_saved_stderr = saved;
    gw_capture_fd = fd;
    return 0;
}

void gw_stderr_capture_end(void) {
    int fd = gw_capture_fd, saved = gw_saved_stderr;
    if (fd < 0 || saved < 0) return;
    gw_capture_fd = -1;
    gw_saved_stderr = -1;
    dup2(saved, STDERR_FILENO);
    close(saved);
    char buffer[4096];
    if (lseek(fd, 0, SEEK_SET) == 0) {
        for (;;) {
            ssize_t n = read(fd, buffer, sizeof buffer);
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) break;
            gw_write_all(STDERR_FILENO, buffer, (size_t)n);
        }
    }
    close(fd);
}

void gw_emergency_restore(void) {
    if (!gw_active) return;
    if (gw_restoring) return;
    gw_restoring = 1;
    int saved_errno = errno;
    if (gw_sequence_length > 0 && gw_termios_fd >= 0) {
        const char *p = gw_sequence;
        ssize_t left = gw_sequence_length;
        while (left > 0) {
            ssize_t n = write(gw_termios_fd, p, (size_t)left);
            if (n < 0) { if (errno == EINTR) continue; break; }
            p += n; left -= n;
        }
    }
    if (gw_have_termios && gw_termios_fd >= 0) {
        tcsetattr(gw_termios_fd, TCSANOW, &gw_saved_termios);
    }
    gw_stderr_capture_end();
    gw_active = 0;
    errno = saved_errno;
}

static void gw_flag_handler(int signo) {
    if (gw_pending != 0) {
        /* Second request while the first is still unhandled: the loop is stuck. Restore and leave now. */
        gw_emergency_restore();
        _exit(128 + signo);
    }
    gw_pending = signo;
}

int gw_signal_watch(int signo) {
    if (signo <= 0 || signo >= GW_MAX_SIG) return -1;
    if (gw_watched[signo]) return 0;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = gw_flag_handler;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0; /* no SA_RESTART: a blocking read returns early so the loop sees the flag */
    if (sigaction(signo, &sa, &gw_previous[signo]) != 0) return -1;
    gw_watched[signo] = 1;
    return 0;
}

void gw_signal_unwatch(int signo) {
    if (signo <= 0 || signo >= GW_MAX_SIG || !gw_watched[signo]) return;
    sigaction(signo, &gw_previous[signo], NULL);
    gw_watched[signo] = 0;
}

int gw_signal_pending(void) { return gw_pending; }

int gw_signal_take(void) {
    int s = gw_pending;
    gw_pending = 0;
    return s;
}

void gw_signal_simulate(int signo) { gw_pending = signo; }

int gw_emergency_save_termios(int fd) {
    if (tcgetattr(fd, &gw_saved_termios) != 0) return -1;
    gw_termios_fd = fd;
    gw_have_termios = 1;
    return 0;
}

void gw_emergency_set_sequence(const char *bytes, int length) {
    if (length < 0) length = 0;
    if (length > (int)sizeof gw_sequence) length = (int)sizeof gw_sequence;
    gw_sequence_length = 0;
    if (length > 0) memcpy(gw_sequence, bytes, (size_t)length);
    gw_sequence_length = length;
}

void gw_emergency_set_active(int active) {
    gw_restoring = 0;
    gw_active = active ? 1 : 0;
}

int gw_emergency_is_active(void) { return gw_active; }

static const int gw_crash_signals[] = { SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP, SIGABRT };
#define GW_CRASH_COUNT (int)(sizeof gw_crash_signals / sizeof gw_crash_signals[0])
static struct sigaction gw_crash_previous[GW_CRASH_COUNT];
static volatile sig_atomic_t gw_crash_installed = 0;

static const char *gw_signal_name(int signo) {
    switch (signo) {
    case SIGSEGV: return "SIGSEGV";
    case SIGBUS: return "SIGBUS";
    case SIGILL: return "SIGILL";
    case SIGFPE: return "SIGFPE";
    case SIGTRAP: return "SIGTRAP";
    case SIGABRT: return "SIGABRT";
    default: return "a fatal signal";
    }
}

static volatile sig_atomic_t gw_crashed = 0;

int gw_emergency_crashed(void) { return gw_crashed; }

static void gw_crash_handler(int signo, siginfo_t *info, void *context) {
    /* Other threads (the one that draws) keep running while the crash is reported: they stop drawing from now on. */
    gw_crashed = 1;
    int was_active = gw_active && !gw_restoring;
    gw_emergency_restore();
    if (was_active) {
        /* After what the program wrote to stderr while the screen was up (e.g. Swift's "Fatal error: ..."). */
        static const char head[] = "gatewatch: crashed (";
        static const char tail[] = "); the terminal was restored\n";
        const char *name = gw_signal_name(signo);
        gw_write_all(STDERR_FILENO, head, sizeof head - 1);
        gw_write_all(STDERR_FILENO, name, strlen(name));
        gw_write_all(STDERR_FILENO, tail, sizeof tail - 1);
    }
    for (int i = 0; i < GW_CRASH_COUNT; i++) {
        if (gw_crash_signals[i] == signo) {
            struct sigaction *prev = &gw_crash_previous[i];
            sigaction(signo, prev, NULL);
            /* The previous handler (Swift's backtracer) reports the crash; if it returns, the process must still end:
             * a signal sent with kill() (not a fault that recurs) would otherwise let the program carry on drawing
             * into the terminal that was just restored. */
            if ((prev->sa_flags & SA_SIGINFO) && prev->sa_sigaction) {
                prev->sa_sigaction(signo, info, context);
            } else if (prev->sa_handler != SIG_DFL && prev->sa_handler != SIG_IGN && prev->sa_handler != NULL) {
                prev->sa_handler(signo);
            }
            break;
        }
    }
    /* Default disposition now in place: re-raise; it is delivered (and ends the process) when this handler returns
     * (synchronous faults re-trigger on return anyway). */
    signal(signo, SIG_DFL);
    raise(signo);
}

void gw_emergency_install_crash_handlers(void) {
    if (gw_crash_installed) return;
    for (int i = 0; i < GW_CRASH_COUNT; i++) {
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_sigaction = gw_crash_handler;
        sigemptyset(&sa.sa_mask);
        sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
        sigaction(gw_crash_signals[i], &sa, &gw_crash_previous[i]);
    }
    gw_crash_installed = 1;
}
