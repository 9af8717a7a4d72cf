// KafkaSink on librdkafka's mock cluster: a transaction is reported durable only once every one of
// its messages has a delivery report, never while a broker cannot take them, and never after a
// delivery failed for good; settings pass through.
#include <gtest/gtest.h>
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>

#include <array>
#include <string>

#include "bus/kafka_sink.hpp"
#include "bus/tests/mock_cluster.hpp"

namespace sl::bus {
namespace {

cdc::SourcePosition at(uint64_t lsn) { return cdc::SourcePosition{pg::Lsn{lsn}}; }

KafkaSinkOptions options_for(const MockCluster& cluster) {
  return {.bootstrap_servers = cluster.bootstrap(), .properties = {{"log_level", "0"}}};
}

TEST(KafkaSink, ATransactionIsDurableOnceEveryMessageIsReported) {
  MockCluster cluster;
  cluster.create_topic("rh_sport.public.t", 3);
  auto sink = KafkaSink::open(options_for(cluster));
  ASSERT_TRUE(sink) << sink.error().to_string();
  for (int i = 0; i < 100; ++i) {
    std::string key = "{\"id\":" + std::to_string(i) + "}";
    ASSERT_TRUE((*sink)->write("rh_sport.public.t", key, "{\"op\":\"c\"}"));
  }
  ASSERT_TRUE((*sink)->end_transaction(at(10)));
  ASSERT_TRUE((*sink)->write("rh_sport.public.t", "{\"id\":1}", std::nullopt));  // tombstone
  ASSERT_TRUE((*sink)->end_transaction(at(20)));
  ASSERT_TRUE((*sink)->durable());
  EXPECT_EQ((*sink)->in_flight(), 0);
  auto durable = (*sink)->take_durable();
  ASSERT_TRUE(durable);
  EXPECT_EQ(*durable, at(20));
  auto again = (*sink)->take_durable();
  ASSERT_TRUE(again);
  EXPECT_FALSE(again->has_value());  // reported once
}

TEST(KafkaSink, ATransactionWithoutMessagesIsDurableAtOnce) {
  MockCluster cluster;
  auto sink = KafkaSink::open(options_for(cluster));
  ASSERT_TRUE(sink);
  ASSERT_TRUE((*sink)->end_transaction(at(5)));
  auto durable = (*sink)->take_durable();
  ASSERT_TRUE(durable);
  EXPECT_EQ(*durable, at(5));
}

TEST(KafkaSink, NothingIsDurableWhileTheBrokerIsDown) {
  MockCluster cluster;
  cluster.create_topic("rh_sport.public.t", 1);
  auto sink = KafkaSink::open(options_for(cluster));
  ASSERT_TRUE(sink);
  ASSERT_TRUE((*sink)->write("rh_sport.public.t", "{\"id\":1}", "{}"));
  ASSERT_TRUE((*sink)->end_transaction(at(10)));
  ASSERT_TRUE((*sink)->durable());
  ASSERT_EQ((*sink)->take_durable().value(), at(10));

  ASSERT_EQ(rd_kafka_mock_broker_set_down(cluster.get(), 1), RD_KAFKA_RESP_ERR_NO_ERROR);
  ASSERT_TRUE((*sink)->write("rh_sport.public.t", "{\"id\":2}", "{}"));
  ASSERT_TRUE((*sink)->end_transaction(at(20)));
  ASSERT_TRUE((*sink)->write("rh_sport.public.t", "{\"id\":3}", "{}"));  // still open
  for (int i = 0; i < 5; ++i) {
    auto durable = (*sink)->take_durable();
    ASSERT_TRUE(durable);
    EXPECT_FALSE(durable->has_value()) << "acknowledged a transaction the broker never took";
  }
  EXPECT_EQ((*sink)->in_flight(), 2);

  ASSERT_EQ(rd_kafka_mock_broker_set_up(cluster.get(), 1), RD_KAFKA_RESP_ERR_NO_ERROR);
  ASSERT_TRUE((*sink)->durable());
  EXPECT_EQ((*sink)->take_durable().value(), at(20));  // not past the open transaction
  ASSERT_TRUE((*sink)->end_transaction(at(30)));
  EXPECT_EQ((*sink)->take_durable().value(), at(30));
}

TEST(KafkaSink, AFailedDeliveryStopsTheAcknowledgements) {
  MockCluster cluster;
  cluster.create_topic("rh_sport.public.t", 1);
  auto opts = options_for(cluster);
  opts.properties.emplace_back("message.timeout.ms", "300");
  auto sink = KafkaSink::open(opts);
  ASSERT_TRUE(sink);
  ASSERT_TRUE((*sink)->write("rh_sport.public.t", "{\"id\":1}", "{}"));
  ASSERT_TRUE((*sink)->end_transaction(at(10)));
  ASSERT_TRUE((*sink)->durable());
  ASSERT_EQ((*sink)->take_durable().value(), at(10));

  ASSERT_EQ(rd_kafka_mock_broker_set_down(cluster.get(), 1), RD_KAFKA_RESP_ERR_NO_ERROR);
  ASSERT_TRUE((*sink)->write("rh_sport.public.t", "{\"id\":2}", "{}"));
  ASSERT_TRUE((*sink)->end_transaction(at(20)));
  auto flushed = (*sink)->durable();  // the message times out: reported as failed
  ASSERT_FALSE(flushed);
  EXPECT_NE(flushed.error().to_string().find("rh_sport.public.t"), std::string::npos);
  EXPECT_FALSE((*sink)->take_durable());
  EXPECT_FALSE((*sink)->write("rh_sport.public.t", "{\"id\":3}", "{}"));
}

// Topic creation is tested on the real broker (tests/bus): librdkafka 2.0's mock cluster has no
// CreateTopics.

TEST(KafkaSink, RefusesAWeakerProducerAndABadSettingWithoutItsValue) {
  MockCluster cluster;
  auto opts = options_for(cluster);
  opts.properties.emplace_back("acks", "1");
  EXPECT_FALSE(KafkaSink::open(opts));
  opts = options_for(cluster);
  opts.properties.emplace_back("enable.idempotence", "false");
  EXPECT_FALSE(KafkaSink::open(opts));
  opts = options_for(cluster);
  opts.properties.emplace_back("sasl.password.nonexistent", "hunter2");
  auto refused = KafkaSink::open(opts);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().to_string().find("hunter2"), std::string::npos);
  EXPECT_FALSE(KafkaSink::open({.bootstrap_servers = ""}));
}

TEST(KafkaSink, SettingsPassThroughExceptOurOwn) {
  EXPECT_EQ(librdkafka_property("kafka.sasl.mechanism"), "sasl.mechanism");
  EXPECT_EQ(librdkafka_property("kafka.security.protocol"), "security.protocol");
  EXPECT_EQ(librdkafka_property("kafka.bootstrap_servers"), std::nullopt);
  EXPECT_EQ(librdkafka_property("kafka.topic_prefix"), std::nullopt);
  EXPECT_EQ(librdkafka_property("kafka.partitions"), std::nullopt);
  EXPECT_EQ(librdkafka_property("cdc.slot"), std::nullopt);
}

}  // namespace
}  // namespace sl::bus
