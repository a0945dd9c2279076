#ifndef CSYSLOG_SHIM_H
#define CSYSLOG_SHIM_H

// syslog(3) is variadic, which Swift cannot call; vsyslog through Swift's withVaList works but
// costs a failed dynamic cast per argument, a scan of every protocol conformance in the binary.
// This one call passes the message as the one "%s" argument.

/// Logs `message` as it is (never read as a format) at `priority`.
void csyslog_message(int priority, const char *message);

#endif
