// The pure parts of the S3 storage: s3:// URIs, URL building (path-style and virtual-host),
// key encoding, and the XML replies (ListObjectsV2 pages, Error documents). The requests
// themselves are tested against a real S3 server (moto) in tests/delta/test_s3_lake.py.
#include <gtest/gtest.h>

#include "delta/aws_profile.hpp"
#include "delta/s3_storage.hpp"
#include "delta/s3_xml.hpp"

namespace sl::delta {
namespace {

TEST(S3Uri, BucketAndPrefix) {
  auto a = parse_s3_uri("s3://my-bucket/lake/prod/");
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->bucket, "my-bucket");
  EXPECT_EQ(a->prefix, "lake/prod");
  auto b = parse_s3_uri("s3a://bkt");
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b->bucket, "bkt");
  EXPECT_EQ(b->prefix, "");
  EXPECT_TRUE(is_s3_uri("s3://x/y"));
  EXPECT_FALSE(is_s3_uri("/data/s3://x"));
}

TEST(S3Uri, RejectsBadBuckets) {
  EXPECT_EQ(parse_s3_uri("s3://").error().code, Errc::invalid_argument);
  EXPECT_EQ(parse_s3_uri("s3://ab/x").error().code, Errc::invalid_argument);
  EXPECT_EQ(parse_s3_uri("s3://Upper/x").error().code, Errc::invalid_argument);
  EXPECT_EQ(parse_s3_uri("s3://bkt/a//b").error().code, Errc::invalid_argument);
  EXPECT_EQ(parse_s3_uri("/local/path").error().code, Errc::invalid_argument);
}

TEST(S3Url, EncodesKeysOnce) {
  EXPECT_EQ(s3_uri_encode("day=2025-01-01/part 0+x.parquet", true),
            "day%3D2025-01-01/part%200%2Bx.parquet");
  EXPECT_EQ(s3_uri_encode("a/b", false), "a%2Fb");
  EXPECT_EQ(s3_uri_encode("é", true), "%C3%A9");
}

TEST(S3Url, PathStyleAndVirtualHost) {
  S3Options options;
  options.region = "eu-west-3";
  EXPECT_EQ(s3_url(options, "bkt", "t/_delta_log/0.json"),
            "https://bkt.s3.eu-west-3.amazonaws.com/t/_delta_log/0.json");
  options.path_style = true;
  EXPECT_EQ(s3_url(options, "bkt", "k"), "https://s3.eu-west-3.amazonaws.com/bkt/k");
  options.endpoint = "http://127.0.0.1:9000/";
  EXPECT_EQ(s3_url(options, "bkt", "", "list-type=2&prefix=a%2F"),
            "http://127.0.0.1:9000/bkt/?list-type=2&prefix=a%2F");
  options.path_style = false;
  options.endpoint = "https://minio.example.com";
  EXPECT_EQ(s3_url(options, "bkt", "x=1/y"), "https://bkt.minio.example.com/x%3D1/y");
}

TEST(S3Storage, DescribesObjectsWithoutSecrets) {
  S3Options options;
  options.access_key_id = "AKIDSECRET";
  options.secret_access_key = "verysecret";
  S3Storage storage(options, {"bkt", "lake/bronze/t"});
  EXPECT_EQ(storage.describe(""), "s3://bkt/lake/bronze/t");
  EXPECT_EQ(storage.describe("_delta_log/0.json"), "s3://bkt/lake/bronze/t/_delta_log/0.json");
  S3Storage at_root(options, {"bkt", ""});
  EXPECT_EQ(at_root.describe("x"), "s3://bkt/x");
}

TEST(S3Xml, ListPageWithContinuation) {
  const char* xml = R"(<?xml version="1.0" encoding="UTF-8"?>
<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
  <Name>bkt</Name><Prefix>t/</Prefix><KeyCount>2</KeyCount><MaxKeys>2</MaxKeys>
  <IsTruncated>true</IsTruncated>
  <Contents><Key>t/a&amp;b.json</Key><LastModified>2024-05-01T10:20:30.123Z</LastModified>
    <ETag>&quot;abc&quot;</ETag><Size>42</Size><StorageClass>STANDARD</StorageClass></Contents>
  <Contents><Key>t/caf&#xE9;&#233;</Key><LastModified>2024-05-01T10:20:31.000Z</LastModified><Size>0</Size></Contents>
  <CommonPrefixes><Prefix>t/sub/</Prefix></CommonPrefixes>
  <NextContinuationToken>1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=</NextContinuationToken>
</ListBucketResult>)";
  auto page = parse_list_objects_v2(xml);
  ASSERT_TRUE(page.ok()) << page.error().to_string();
  ASSERT_EQ(page->objects.size(), 2u);
  EXPECT_EQ(page->objects[0].key, "t/a&b.json");
  EXPECT_EQ(page->objects[0].size, 42u);
  EXPECT_EQ(page->objects[0].modification_time_ms, 1714558830123);
  EXPECT_EQ(page->objects[1].key, "t/caf\xC3\xA9\xC3\xA9");
  ASSERT_EQ(page->prefixes.size(), 1u);
  EXPECT_EQ(page->prefixes[0], "t/sub/");
  EXPECT_TRUE(page->truncated);
  EXPECT_EQ(page->next_continuation_token, "1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=");
}

TEST(S3Xml, EmptyListing) {
  auto page = parse_list_objects_v2(
      "<ListBucketResult><IsTruncated>false</IsTruncated><KeyCount>0</KeyCount>"
      "<Prefix/></ListBucketResult>");
  ASSERT_TRUE(page.ok()) << page.error().to_string();
  EXPECT_TRUE(page->objects.empty());
  EXPECT_FALSE(page->truncated);
}

TEST(S3Xml, RejectsMalformedReplies) {
  for (const char* bad : {
           "",
           "not xml",
           "<ListBucketResult>",
           "<ListBucketResult></Other>",
           "<ListBucketResult><Contents><Size>1</Size></Contents></ListBucketResult>",
           "<ListBucketResult><Contents><Key>k</Key><Size>-1</Size></Contents></ListBucketResult>",
           "<ListBucketResult><Contents><Key>&bogus;</Key></Contents></ListBucketResult>",
           "<ListBucketResult><Contents><Key>&#0;</Key></Contents></ListBucketResult>",
           "<ListBucketResult><IsTruncated>true</IsTruncated></ListBucketResult>",
           "<Error><Code>NoSuchKey</Code></Error>",
           "<a></a><b></b>",
       }) {
    EXPECT_FALSE(parse_list_objects_v2(bad).ok()) << bad;
  }
}

TEST(S3Xml, ErrorDocument) {
  auto e = parse_s3_error(
      "<?xml version=\"1.0\"?><Error><Code>SlowDown</Code><Message>Please reduce your "
      "request rate.</Message><RequestId>x</RequestId></Error>");
  EXPECT_EQ(e.code, "SlowDown");
  EXPECT_EQ(e.message, "Please reduce your request rate.");
  EXPECT_EQ(parse_s3_error("").code, "");
  EXPECT_EQ(parse_s3_error("<Error><Code>x</Error>").code, "");
}

constexpr std::string_view k_credentials =
    "# keys\n"
    "[default]\n"
    "aws_access_key_id = AKIDDEFAULT\n"
    "aws_secret_access_key = default-secret\n"
    "\n"
    "[lake]\n"
    "aws_access_key_id=AKIDLAKE\n"
    "aws_secret_access_key=lake/secret+x\n"
    "aws_session_token = token\r\n";
constexpr std::string_view k_config =
    "[default]\n"
    "region = eu-west-1\n"
    "; the lake's store\n"
    "[profile lake]\n"
    "region = eu-west-3\n"
    "endpoint_url = https://minio.example.com\n"
    "s3 =\n"
    "  addressing_style = path\n"
    "[sso-session corp]\n"
    "sso_region = us-east-1\n";

TEST(AwsProfile, ParsesBothFiles) {
  auto credentials = parse_aws_profiles(k_credentials, "credentials", false);
  ASSERT_TRUE(credentials.ok()) << credentials.error().to_string();
  EXPECT_EQ((*credentials)["lake"]["aws_secret_access_key"], "lake/secret+x");
  EXPECT_EQ((*credentials)["lake"]["aws_session_token"], "token");
  auto config = parse_aws_profiles(k_config, "config", true);
  ASSERT_TRUE(config.ok()) << config.error().to_string();
  EXPECT_EQ((*config)["lake"]["s3.addressing_style"], "path");
  EXPECT_EQ((*config)["lake"]["region"], "eu-west-3");
  EXPECT_EQ((*config)["sso-session corp"]["sso_region"], "us-east-1");
}

TEST(AwsProfile, MalformedLinesNameFileAndLine) {
  for (auto [text, line] : {std::pair{"[default\n", ":1:"}, std::pair{"x = 1\n", ":1:"},
                            std::pair{"[a]\nno equals sign\n", ":2:"},
                            std::pair{"[a]\n= value\n", ":2:"}, std::pair{"[ ]\n", ":1:"},
                            std::pair{"[a]\n\r= value\n", ":2:"}}) {  // fuzz_aws_profile
    auto parsed = parse_aws_profiles(text, "/home/u/.aws/config", true);
    ASSERT_FALSE(parsed.ok()) << text;
    EXPECT_NE(parsed.error().message.find(std::string("/home/u/.aws/config") + line),
              std::string::npos)
        << parsed.error().message;
  }
}

TEST(AwsProfile, FillsWhatTheSettingsLeaveOpen) {
  AwsProfileFiles files{std::string(k_credentials), "credentials", std::string(k_config),
                        "config"};
  S3Options named;
  ASSERT_TRUE(apply_aws_profile(named, files, "lake", true, false, false, false).ok());
  EXPECT_EQ(named.access_key_id, "AKIDLAKE");
  EXPECT_EQ(named.secret_access_key, "lake/secret+x");
  EXPECT_EQ(named.session_token, "token");
  EXPECT_EQ(named.region, "eu-west-3");
  EXPECT_EQ(named.endpoint, "https://minio.example.com");
  EXPECT_TRUE(named.path_style);

  S3Options fallback;
  ASSERT_TRUE(apply_aws_profile(fallback, files, "default", false, false, false, false).ok());
  EXPECT_EQ(fallback.access_key_id, "AKIDDEFAULT");
  EXPECT_EQ(fallback.region, "eu-west-1");
  EXPECT_TRUE(fallback.endpoint.empty());
  EXPECT_FALSE(fallback.path_style);

  // What the user set elsewhere wins; keys go as a pair.
  S3Options set;
  set.access_key_id = "AKIDENV";
  set.secret_access_key = "env-secret";
  set.region = "ap-south-1";
  ASSERT_TRUE(apply_aws_profile(set, files, "lake", true, true, false, true).ok());
  EXPECT_EQ(set.access_key_id, "AKIDENV");
  EXPECT_EQ(set.secret_access_key, "env-secret");
  EXPECT_TRUE(set.session_token.empty());
  EXPECT_EQ(set.region, "ap-south-1");
  EXPECT_FALSE(set.path_style);

  // A named profile that exists nowhere is an error; the implicit default may be missing.
  S3Options none;
  auto missing = apply_aws_profile(none, files, "nope", true, false, false, false);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, Errc::not_found);
  EXPECT_NE(missing.error().message.find("'nope'"), std::string::npos);
  EXPECT_TRUE(apply_aws_profile(none, AwsProfileFiles{}, "default", false, false, false, false).ok());
  EXPECT_TRUE(none.access_key_id.empty());
}

}  // namespace
}  // namespace sl::delta
