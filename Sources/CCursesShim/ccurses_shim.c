#include "ccurses_shim.h"

unsigned int ccurses_attr_bold(void) { return A_BOLD; }
unsigned int ccurses_attr_reverse(void) { return A_REVERSE; }
unsigned int ccurses_attr_underline(void) { return A_UNDERLINE; }
unsigned int ccurses_attr_dim(void) { return A_DIM; }
int ccurses_key_f(int n) { return KEY_F(n); }
int ccurses_lines(WINDOW *win) { return getmaxy(win); }
int ccurses_cols(WINDOW *win) { return getmaxx(win); }
