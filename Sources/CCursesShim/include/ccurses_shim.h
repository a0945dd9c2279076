// Accessors for the parts of ncurses that Swift cannot import: function-like macros,
// cast-expression constants and mutable globals (which Swift 6 rejects as shared mutable state).
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

/// The screen's standard window (`stdscr`).
WINDOW *ccurses_stdscr(void);
/// `newterm(type, stdout, stdin)`: NULL for a terminal type without a terminfo entry.
SCREEN *ccurses_newterm_stdio(const char *type);
/// Whether the C library's character encoding is UTF-8 (`nl_langinfo(CODESET)`), after `setlocale`.
int ccurses_locale_is_utf8(void);
/// What terminfo says of a terminal type, without drawing anything: -1 when it has no entry,
/// 0 when the entry cannot address the cursor (`dumb`, a hardcopy or generic type), 1 when it can.
int ccurses_terminal_type_support(const char *type, int fd);
#endif
