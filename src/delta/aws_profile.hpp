// The AWS shared configuration files, as the AWS CLI and SDKs read them: the credentials file
// (`~/.aws/credentials`, AWS_SHARED_CREDENTIALS_FILE) and the config file (`~/.aws/config`,
// AWS_CONFIG_FILE). No IO here: the composition root reads the files and passes their text.
//
// Grammar (INI, line by line; blank lines and lines starting with '#' or ';' ignored):
//   [default]                      a profile (credentials file: [NAME]; config: [profile NAME],
//   [profile NAME]                 or [default]); other sections ([sso-session x], [services x])
//                                  are kept under their own name and never used as profiles
//   key = value                    a setting of the current section (spaces around '=' trimmed)
//   s3 =                           a nested block: the indented `key = value` lines below it
//     addressing_style = path      are the settings "s3.addressing_style"...
// A line of any other shape, or a setting before the first section, is an error naming the file
// and line (the AWS CLI refuses such files too).
//
//   [default]
//   aws_access_key_id = AKIAIOSFODNN7EXAMPLE
//   aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
//
//   [profile lake]
//   region = eu-west-3
//   endpoint_url = https://minio.example.com
//   s3 =
//     addressing_style = path
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.hpp"
#include "delta/s3_storage.hpp"

namespace sl::delta {

// section name → key → value. `config_file`: sections `[profile NAME]` are stored as NAME.
using AwsProfiles = std::map<std::string, std::map<std::string, std::string>>;
Result<AwsProfiles> parse_aws_profiles(std::string_view text, std::string_view origin,
                                       bool config_file);

// Fills what `options` lacks from profile `profile` of the two files (either may be empty):
// access key, secret and session token (credentials file first, then config file), region,
// endpoint (`endpoint_url`) and path-style addressing (`s3.addressing_style = path`).
// `explicit_profile`: the profile was named (AWS_PROFILE, lake.s3.profile), so a profile found
// in neither file is an error (Errc::not_found); the implicit "default" may be absent.
// `have_region`/`have_endpoint`/`have_path_style`: set by the user elsewhere (kept).
struct AwsProfileFiles {
  std::string credentials_text, credentials_origin;
  std::string config_text, config_origin;
};
Status apply_aws_profile(S3Options& options, const AwsProfileFiles& files,
                         const std::string& profile, bool explicit_profile, bool have_region,
                         bool have_endpoint, bool have_path_style);

}  // namespace sl::delta
