// Reading a classic checkpoint: `NNN.checkpoint.parquet` (single file) or the parts
// `NNN.checkpoint.PPP.TTT.parquet` of a multi-part one, holding the reconciled state at version
// NNN, one action per row. The snapshot replays these after the commits that follow NNN; what goes
// in is decided by checkpoint_writer.hpp.
//
// Each part is read with only its action columns (checkpoint_decoder.hpp: any writer's layout),
// its row groups decoded on up to two threads and appended in file order, parts in order.
#pragma once

#include <vector>

#include "common/result.hpp"
#include "delta/actions.hpp"
#include "delta/storage.hpp"

namespace sl::delta {

// The actions stored in a checkpoint (all parts, in order). Errors name the file.
Result<std::vector<Action>> read_checkpoint(const Storage& storage,
                                            const std::vector<FileInfo>& parts);

}  // namespace sl::delta
