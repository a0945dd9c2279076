#include "ccurses_shim.h"
#include <langinfo.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <term.h>

unsigned int ccurses_attr_bold(void) { return A_BOLD; }
unsigned int ccurses_attr_reverse(void) { return A_REVERSE; }
unsigned int ccurses_attr_underline(void) { return A_UNDERLINE; }
unsigned int ccurses_attr_dim(void) { return A_DIM; }
int ccurses_key_f(int n) { return KEY_F(n); }
int ccurses_lines(WINDOW *win) { return getmaxy(win); }
int ccurses_cols(WINDOW *win) { return getmaxx(win); }

WINDOW *ccurses_stdscr(void) { return stdscr; }

SCREEN *ccurses_newterm_stdio(const char *type) { return newterm(type, stdout, stdin); }

int ccurses_locale_is_utf8(void) {
    const char *codeset = nl_langinfo(CODESET);
    return codeset != NULL && (strcasecmp(codeset, "UTF-8") == 0 || strcasecmp(codeset, "utf8") == 0);
}

int ccurses_terminal_type_support(const char *type, int fd) {
    int error = 0;
    if (setupterm(type, fd, &error) != OK) return -1;
    const char *cup = tigetstr("cup");
    const char *home = tigetstr("clear");
    int addressable = cup != NULL && cup != (char *)-1 && home != NULL && home != (char *)-1
        && tigetflag("hc") <= 0 && tigetflag("gn") <= 0;
    del_curterm(cur_term);
    return addressable ? 1 : 0;
}
