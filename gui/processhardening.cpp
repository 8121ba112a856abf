#include "gui/processhardening.h"

#include <QtGlobal>

#include <sys/prctl.h>

namespace twbench {

bool refuseCoreDumps()
{
    if (qEnvironmentVariableIntValue("TWBENCH_ALLOW_CORE_DUMPS") != 0)
        return true;
    return prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) == 0;
}

} // namespace twbench
