// S3Storage: Storage on an S3-compatible object store (AWS S3, MinIO, Ceph RGW, R2...), over
// libcurl, requests signed with AWS Signature V4 by libcurl itself (CURLOPT_AWS_SIGV4).
//
// One instance is rooted at `s3://bucket/prefix`; a path `p` is the object `prefix/p`.
// - put_if_absent: PUT with `If-None-Match: *`; 412 (PreconditionFailed) is `already_exists`.
//   This is the commit's mutual exclusion: it needs a store that honours conditional PUTs (AWS S3
//   since 2024-08, MinIO, R2, moto). A 412 reads the object back: our own bytes mean an earlier
//   attempt whose reply was lost landed (`created`), not a lost race.
//   Before its first conditional PUT to a bucket, a process checks that the store honours the
//   condition (a probe object under `<root>/_sportlake/` PUT twice, then deleted): a store that
//   ignores it would let two writers overwrite each other's commit, so writes are refused
//   (Errc::unsupported) unless `single_writer` is set.
// - put: a plain PUT (S3 PUTs are atomic: old or new object, never a mix).
// - list_from: ListObjectsV2 with `delimiter=/`, `start-after` just below `first_name`,
//   continuation tokens; list_recursive: the same without a delimiter.
// - put of a file ≥ multipart_threshold: a multipart upload (parts retried one by one; aborted
//   on failure). The object appears only when the upload completes: whole or not at all.
// - Retries: 5xx, 429, `SlowDown`/`RequestTimeout`/`InternalError` codes and connection or
//   timeout failures, up to `max_attempts` with exponential backoff and jitter.
// - One CURL handle per thread, reused (keep-alive connections to the endpoint).
// Secrets never appear in messages: only the bucket, key and HTTP status/S3 error code.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "delta/storage.hpp"

namespace sl::delta {

struct S3Options {
  // "http://127.0.0.1:9000" (MinIO, moto...) or empty: https://s3.<region>.amazonaws.com.
  std::string endpoint;
  std::string region = "us-east-1";
  std::string access_key_id;
  std::string secret_access_key;
  std::string session_token;  // temporary credentials (x-amz-security-token)
  // https://endpoint/bucket/key instead of https://bucket.endpoint/key.
  bool path_style = false;
  // Commits without conditional PUT (a HEAD, then a plain PUT): only safe when one process
  // writes the lake; for stores that ignore `If-None-Match`.
  bool single_writer = false;
  // Files of at least this size are uploaded in parts of `part_size` (S3: 5 MiB minimum).
  uint64_t multipart_threshold = 64ull << 20;
  uint64_t part_size = 16ull << 20;
  // Ranged reads a scan keeps in flight at once (round trips overlap; each thread has its own
  // keep-alive connection).
  int max_parallel_reads = 8;
  int max_attempts = 6;
  std::chrono::milliseconds connect_timeout{5'000};
  std::chrono::milliseconds request_timeout{120'000};
  std::chrono::milliseconds first_backoff{100};
};

struct S3Location {
  std::string bucket;
  std::string prefix;  // without leading or trailing '/'; empty for the bucket's root
};

bool is_s3_uri(std::string_view location);
// "s3://bucket/some/prefix/" → {bucket, "some/prefix"}; also accepts "s3a://".
Result<S3Location> parse_s3_uri(std::string_view uri);
// RFC 3986 percent-encoding of everything but unreserved characters (and '/' when kept).
std::string s3_uri_encode(std::string_view text, bool keep_slash);
// The URL of an object (`key` may be empty for the bucket itself) with an encoded query
// (`query` already canonical: sorted and encoded).
std::string s3_url(const S3Options& options, std::string_view bucket, std::string_view key,
                   std::string_view query = {});

class S3Storage final : public Storage {
 public:
  // `footers`: the process's footer cache, shared by the storages the composition root makes
  // (null: none).
  S3Storage(S3Options options, S3Location root, std::shared_ptr<FooterCache> footers = nullptr);

  const S3Location& location() const { return root_; }

  Result<std::string> read(std::string_view path) const override;
  Result<std::string> read_range(std::string_view path, uint64_t offset,
                                 uint64_t length) const override;
  bool prefers_ranged_reads() const override { return true; }
  int max_parallel_reads() const override { return options_.max_parallel_reads; }
  FooterCache* footer_cache() const override { return footers_.get(); }
  Result<FileInfo> stat(std::string_view path) const override;
  Result<std::vector<FileInfo>> list_from(std::string_view dir,
                                          std::string_view first_name) const override;
  Result<std::vector<FileInfo>> list_recursive(std::string_view dir) const override;
  Result<PutOutcome> put_if_absent(std::string_view path, std::string_view bytes) override;
  Status put(std::string_view path, std::string_view bytes) override;
  Status remove(std::string_view path) override;
  std::string describe(std::string_view path) const override;

 private:
  struct Reply;
  std::string key(std::string_view path) const;
  Status put_multipart(std::string_view path, std::string_view bytes);
  // Whether the store honours If-None-Match (probed once per process, endpoint and bucket).
  Result<bool> conditional_put_honoured() const;
  Result<std::vector<FileInfo>> list_keys(const std::string& prefix, bool delimited,
                                          const std::string& start_after) const;
  // One request with retries (`header`: one extra header line, or empty); `what` names it.
  Result<Reply> send(const char* method, std::string_view key, const std::string& query,
                     std::string_view body, const std::string& header,
                     std::string_view what) const;

  S3Options options_;
  S3Location root_;
  std::shared_ptr<FooterCache> footers_;
};

}  // namespace sl::delta
