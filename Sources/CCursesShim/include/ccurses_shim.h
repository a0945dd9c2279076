// Accessors for the parts of ncurses that Swift cannot import: function-like macros,
// cast-expression constants and mutable globals.
#ifndef CCURSES_SHIM_H
#define CCURSES_SHIM_H
#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif
#include <ncursesw/curses.h>

unsigned int ccurses_attr_bold(void);
unsigned int ccurses_attr_reverse(void);
unsigned int ccurses_attr_underline(void);
unsigned int ccurses_attr_dim(void);
int ccurses_key_f(int n);
int ccurses_lines(WINDOW *win);
int ccurses_cols(WINDOW *win);
#endif
