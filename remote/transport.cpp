#include "transport.h"

#include "sshsession.h"

namespace twbench {

void Transport::provideCredentials(CredentialReply reply)
{
    // Nothing here logs in: the secret goes at once.
    wipeSecret(reply.secret);
}

} // namespace twbench
