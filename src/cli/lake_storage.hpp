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
// `footers`: a footer cache to share with other storages (null: none kept). An S3 location whose
// client settings are unusable (a named AWS profile that does not exist, a malformed profile
// file, a bad lake.s3.* value) is an error naming the setting or file.
Result<std::unique_ptr<delta::Storage>> open_storage(
    const Settings& settings, const std::string& location,
    std::shared_ptr<delta::FooterCache> footers = nullptr);

// The S3 client options, in this order (the first that sets a value wins, as the AWS CLI does):
// 1. lake.s3.* settings, which the usual AWS variables feed (AWS_ACCESS_KEY_ID,
//    AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, AWS_REGION / AWS_DEFAULT_REGION,
//    AWS_ENDPOINT_URL_S3 / AWS_ENDPOINT_URL, AWS_S3_FORCE_PATH_STYLE, AWS_PROFILE; the
//    environment overrides the settings file, as for every key);
// 2. the profile (lake.s3.profile, else "default") of the credentials file
//    (AWS_SHARED_CREDENTIALS_FILE, else ~/.aws/credentials) and of the config file
//    (AWS_CONFIG_FILE, else ~/.aws/config): keys, region, endpoint_url, s3.addressing_style;
// 3. defaults: region us-east-1, AWS's endpoint, path-style when an endpoint is set.
// A key id and its secret always come from the same place.
Result<delta::S3Options> s3_options(const S3Settings& settings);

}  // namespace sl::cli
