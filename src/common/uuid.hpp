// Random (version 4) UUIDs, for Delta table ids, data file names and transaction ids.
#pragma once

#include <string>

namespace sl {

// "xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx", lower-case hex, from a per-thread generator seeded by
// std::random_device (unique across processes and threads; not for cryptography).
std::string random_uuid();

}  // namespace sl
