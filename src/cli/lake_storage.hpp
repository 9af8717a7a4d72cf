// The lake as the configuration names it: the composition root's one place that chooses the
// Storage of the tables — local files under `lake.root` (default `$SPORTLAKE_HOME/delta`), or
// an S3-compatible object store when `lake.root` is `s3://bucket/prefix`.
#pragma once

#include <memory>
#include <string>

#include "cli/context.hpp"
#include "common/result.hpp"
#include "delta/lake.hpp"
#include "delta/s3_storage.hpp"

namespace sl::cli {

delta::Lake open_lake(const Context& ctx);

// The storage of one table or folder: `s3://…` on the object store, anything else a local path.
// `footers`: a footer cache to share with other storages (null: none kept).
Result<std::unique_ptr<delta::Storage>> open_storage(
    const std::string& location, std::shared_ptr<delta::FooterCache> footers = nullptr);

// The S3 client settings from the usual AWS variables: AWS_ACCESS_KEY_ID,
// AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, AWS_REGION (else AWS_DEFAULT_REGION, else
// us-east-1), AWS_ENDPOINT_URL_S3 / AWS_ENDPOINT_URL; path-style addressing when an endpoint is
// set (MinIO, moto, Ceph) unless AWS_S3_FORCE_PATH_STYLE=false, virtual-host otherwise unless
// AWS_S3_FORCE_PATH_STYLE=true; SPORTLAKE_S3_SINGLE_WRITER=true lets one writer commit to a
// store that ignores conditional PUTs.
delta::S3Options s3_options_from_environment();

}  // namespace sl::cli
