// AWS shared config and credentials files (see aws_profile.hpp).
#include "delta/aws_profile.hpp"

namespace sl::delta {

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

}  // namespace

Result<AwsProfiles> parse_aws_profiles(std::string_view text, std::string_view origin,
                                       bool config_file) {
  AwsProfiles out;
  std::map<std::string, std::string>* section = nullptr;
  std::string block;  // the nested block being read ("s3"), or empty
  size_t line_no = 0;
  auto fail = [&](std::string_view why) {
    return make_error(Errc::parse, std::string(origin) + ":" + std::to_string(line_no) + ": " +
                                       std::string(why));
  };
  while (!text.empty()) {
    ++line_no;
    const size_t eol = text.find('\n');
    const std::string_view raw = text.substr(0, eol);
    text = eol == std::string_view::npos ? std::string_view{} : text.substr(eol + 1);
    const std::string_view line = trim(raw);
    if (line.empty() || line.front() == '#' || line.front() == ';') continue;
    const bool indented = raw.front() == ' ' || raw.front() == '\t';
    if (line.front() == '[') {
      if (line.back() != ']') return fail("a section header must end with ']'");
      std::string_view name = trim(line.substr(1, line.size() - 2));
      if (config_file && name.starts_with("profile ")) name = trim(name.substr(8));
      if (name.empty()) return fail("empty section name");
      section = &out[std::string(name)];
      block.clear();
      continue;
    }
    const size_t eq = line.find('=');
    if (eq == std::string_view::npos || eq == 0) return fail("expected 'key = value'");
    if (!section) return fail("a setting before the first [section]");
    const std::string key(trim(line.substr(0, eq)));
    // "\r= x": the trimmed key may still be empty (trim drops a trailing CR).
    if (key.empty()) return fail("expected 'key = value'");
    const std::string value(trim(line.substr(eq + 1)));
    if (indented && !block.empty()) {
      (*section)[block + "." + key] = value;
      continue;
    }
    block = value.empty() ? key : std::string();
    if (!value.empty()) (*section)[key] = value;
  }
  return out;
}

Status apply_aws_profile(S3Options& options, const AwsProfileFiles& files,
                         const std::string& profile, bool explicit_profile, bool have_region,
                         bool have_endpoint, bool have_path_style) {
  SL_ASSIGN_OR_RETURN(auto credentials,
                      parse_aws_profiles(files.credentials_text, files.credentials_origin, false));
  SL_ASSIGN_OR_RETURN(auto config,
                      parse_aws_profiles(files.config_text, files.config_origin, true));
  const auto in_credentials = credentials.find(profile);
  const auto in_config = config.find(profile);
  if (in_credentials == credentials.end() && in_config == config.end()) {
    if (!explicit_profile) return {};
    return make_error(Errc::not_found,
                      "AWS profile '" + profile + "' is in neither " +
                          (files.credentials_origin.empty() ? "the credentials file"
                                                            : files.credentials_origin) +
                          " nor " +
                          (files.config_origin.empty() ? "the config file" : files.config_origin));
  }
  auto find = [&](const std::string& key) -> std::optional<std::string> {
    if (in_credentials != credentials.end())
      if (auto it = in_credentials->second.find(key); it != in_credentials->second.end())
        return it->second;
    if (in_config != config.end())
      if (auto it = in_config->second.find(key); it != in_config->second.end()) return it->second;
    return std::nullopt;
  };
  // Keys come as a pair: a secret from the profile never goes with an id from elsewhere.
  if (options.access_key_id.empty() && options.secret_access_key.empty()) {
    options.access_key_id = find("aws_access_key_id").value_or("");
    options.secret_access_key = find("aws_secret_access_key").value_or("");
    options.session_token = find("aws_session_token").value_or("");
  }
  if (!have_region)
    if (auto region = find("region")) options.region = *region;
  if (!have_endpoint) {
    if (auto endpoint = find("endpoint_url")) {
      options.endpoint = *endpoint;
      if (!have_path_style) options.path_style = true;  // as with AWS_ENDPOINT_URL
    }
  }
  if (!have_path_style)
    if (auto style = find("s3.addressing_style")) options.path_style = *style == "path";
  return {};
}

}  // namespace sl::delta
