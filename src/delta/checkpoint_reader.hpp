// Reading a classic checkpoint: `NNN.checkpoint.parquet` (single file) or the parts
// `NNN.checkpoint.PPP.TTT.parquet` of a multi-part one, holding the reconciled state at version
// NNN, one action per row. The snapshot replays these after the commits that follow NNN; what goes
// in is decided by checkpoint_writer.hpp.
//
// Each part is read with only its action columns (checkpoint_decoder.hpp: any writer's layout),
// less those the footer's statistics say are null throughout. The row groups of a part are
// decoded from Parquet on up to two threads, then their rows turned into actions on up to two
// threads, in halves of each row group (delta-rs and Spark write a checkpoint of 100k files as
// one row group), the adds straight into one vector in file order.
#pragma once

#include <vector>

#include "common/result.hpp"
#include "delta/actions.hpp"
#include "delta/checkpoint_decoder.hpp"
#include "delta/storage.hpp"

namespace sl::delta {

// The actions stored in a checkpoint (all parts), the adds in the files' row order. Errors name
// the file.
Result<CheckpointActions> read_checkpoint(const Storage& storage,
                                          const std::vector<FileInfo>& parts);

}  // namespace sl::delta
