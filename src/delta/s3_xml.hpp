// The few S3 XML replies the S3 storage reads (ListObjectsV2 and Error), parsed by a small,
// bounded, non-validating scanner: elements, text, the five named entities and numeric
// character references, CDATA; comments, processing instructions and DOCTYPEs are skipped;
// attributes are ignored. Anything malformed is Errc::parse, never a crash (fuzzed:
// fuzz/s3_xml_fuzz.cpp).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"

namespace sl::delta {

struct S3Object {
  std::string key;
  uint64_t size = 0;
  int64_t modification_time_ms = 0;
};

struct S3ListPage {
  std::vector<S3Object> objects;         // <Contents>, in the order the store sent them
  std::vector<std::string> prefixes;     // <CommonPrefixes><Prefix>
  bool truncated = false;                // <IsTruncated>true
  std::string next_continuation_token;   // <NextContinuationToken>
};

struct S3ErrorReply {
  std::string code;     // "NoSuchKey", "SlowDown", "PreconditionFailed"...
  std::string message;
};

Result<S3ListPage> parse_list_objects_v2(std::string_view xml);
// An <Error> document; an empty code when the body is not one (a HEAD has no body).
S3ErrorReply parse_s3_error(std::string_view xml);

// <InitiateMultipartUploadResult><UploadId>: the upload's id.
Result<std::string> parse_initiate_multipart(std::string_view xml);

// "2024-05-01T10:20:30.123Z" → milliseconds since the epoch.
Result<int64_t> parse_s3_time(std::string_view text);

}  // namespace sl::delta
