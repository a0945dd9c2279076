#include "csyslog_shim.h"

#include <syslog.h>

void csyslog_message(int priority, const char *message) {
    syslog(priority, "%s", message);
}
