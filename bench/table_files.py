"""The shape of a Delta table on disk, for bench/maintenance.sh: prints `live_files live_mb
data_files_on_disk log_files checkpoint_kb versions` (live files and bytes as delta-rs sees the
latest version; checkpoint_kb: the newest checkpoint)."""
import pathlib
import sys

from deltalake import DeltaTable

table = pathlib.Path(sys.argv[1])
dt = DeltaTable(str(table))
live = dt.get_add_actions(flatten=True).to_pydict()
log = table / "_delta_log"
checkpoints = sorted(log.glob("*.checkpoint.parquet"))
print(len(live["path"]), f"{sum(live['size_bytes']) / 2**20:.1f}",
      sum(1 for p in table.rglob("*.parquet") if "_delta_log" not in p.parts),
      sum(1 for _ in log.glob("*.json")),
      f"{checkpoints[-1].stat().st_size / 1024:.0f}" if checkpoints else 0, dt.version())
