// libFuzzer target: the AWS shared config/credentials file parser on arbitrary bytes (a file the
// user or a tool wrote), and the profile applied from it.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "delta/aws_profile.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  for (bool config_file : {false, true}) {
    auto profiles = sl::delta::parse_aws_profiles(text, "fuzz", config_file);
    if (!profiles.ok()) continue;
    // Every section name and key is non-empty: empty names are refused.
    for (const auto& [name, keys] : *profiles) {
      if (name.empty()) std::abort();
      for (const auto& [key, value] : keys)
        if (key.empty()) std::abort();
    }
  }
  sl::delta::S3Options options;
  sl::delta::AwsProfileFiles files{std::string(text), "credentials", std::string(text), "config"};
  (void)sl::delta::apply_aws_profile(options, files, "default", false, false, false, false);
  return 0;
}
