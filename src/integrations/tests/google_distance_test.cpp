// GoogleDistanceMatrix and GoogleRoutes against a real HTTP server on loopback (cpp-httplib) that
// records every request (path, query, headers, body) and answers as Google does: batches by
// mode, percent-encoded addresses, element statuses, OVER_QUERY_LIMIT / 5xx / 429 retried,
// REQUEST_DENIED and 4xx refused at once (the key never in the message), rows that do not match
// the origins, Routes elements in any order.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <functional>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

#include "integrations/google_distance_matrix.hpp"
#include "integrations/google_routes.hpp"

namespace sl::integrations {
namespace {

using nlohmann::json;
using Status = DistanceAnswer::Status;

constexpr std::string_view k_key = "AIzaTESTKEY-0123456789_abcdef";
constexpr std::string_view k_destination = "1362 Av. des Platanes, 34970 Lattes";
constexpr char k_matrix_path[] = "/maps/api/distancematrix/json";
constexpr char k_routes_path[] = "/distanceMatrix/v2:computeRouteMatrix";

struct Recorded {
  std::string method;
  std::string path;
  std::string target;  // path and query as sent (still percent-encoded)
  httplib::Params params;
  httplib::Headers headers;
  std::string body;

  std::string param(const std::string& name) const {
    auto it = params.find(name);
    return it == params.end() ? std::string() : it->second;
  }
  std::string header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? std::string() : it->second;
  }
};

struct Reply {
  int status = 200;
  std::string body;
};

std::vector<std::string> split(const std::string& text, char separator) {
  std::vector<std::string> parts;
  size_t start = 0;
  for (size_t at; (at = text.find(separator, start)) != std::string::npos; start = at + 1) {
    parts.push_back(text.substr(start, at - start));
  }
  parts.push_back(text.substr(start));
  return parts;
}

// "17 rue de la République, 34000 Montpellier": the scripted server answers 17 × 10 m, 17 s.
std::string address(int number) {
  return std::to_string(number) + " rue de la République, 34000 Montpellier";
}
int number_of(const std::string& address) {
  return std::stoi(address);
}

std::string matrix_element(std::string_view status, int metres = 0, int seconds = 0) {
  json element = {{"status", status}};
  if (status == "OK") {
    element["distance"] = {{"text", "x km"}, {"value", metres}};
    element["duration"] = {{"text", "x min"}, {"value", seconds}};
  }
  return element.dump();
}

std::string matrix_reply(const std::vector<std::string>& elements) {
  std::string rows;
  for (const auto& element : elements) {
    if (!rows.empty()) rows += ',';
    rows += "{\"elements\":[" + element + "]}";
  }
  return R"({"destination_addresses":["1362 Av. des Platanes, 34970 Lattes, France"],"rows":[)" +
         rows + R"(],"status":"OK"})";
}

// A Distance Matrix answer for whatever origins the request carried.
Reply matrix_ok(const Recorded& request) {
  std::vector<std::string> elements;
  for (const auto& origin : split(request.param("origins"), '|')) {
    elements.push_back(matrix_element("OK", number_of(origin) * 10, number_of(origin)));
  }
  return {200, matrix_reply(elements)};
}

// A Routes answer for whatever origins the request carried, last origin first.
Reply routes_ok(const Recorded& request) {
  const json body = json::parse(request.body);
  json elements = json::array();
  for (size_t i = body["origins"].size(); i-- > 0;) {
    const int n = number_of(body["origins"][i]["waypoint"]["address"].get<std::string>());
    elements.push_back({{"originIndex", i},
                        {"destinationIndex", 0},
                        {"status", json::object()},
                        {"condition", "ROUTE_EXISTS"},
                        {"distanceMeters", n * 10},
                        {"duration", std::to_string(n) + "s"}});
  }
  return {200, elements.dump()};
}

class GoogleServer : public ::testing::Test {
 protected:
  void SetUp() override {
    auto record_and_answer = [this](const httplib::Request& req, httplib::Response& res) {
      std::lock_guard lock(mutex_);
      requests_.push_back({req.method, req.path, req.target, req.params, req.headers, req.body});
      const Reply reply = respond_ ? respond_(requests_.back(), requests_.size()) : Reply{500, ""};
      res.status = reply.status;
      res.set_content(reply.body, "application/json; charset=UTF-8");
    };
    server_.Get(k_matrix_path, record_and_answer);
    server_.Post(k_routes_path, record_and_answer);
    port_ = server_.bind_to_any_port("127.0.0.1");
    ASSERT_GT(port_, 0);
    thread_ = std::thread([this] { server_.listen_after_bind(); });
  }
  void TearDown() override {
    server_.stop();
    thread_.join();
  }

  // respond(request, n): the answer to the n-th request (from 1).
  void respond(std::function<Reply(const Recorded&, size_t)> script) {
    std::lock_guard lock(mutex_);
    respond_ = std::move(script);
  }
  std::vector<Recorded> requests() {
    std::lock_guard lock(mutex_);
    return requests_;
  }

  GoogleDistanceMatrix matrix(int max_retries = 4) {
    GoogleDistanceMatrixOptions options;
    options.max_retries = max_retries;
    options.backoff_base = std::chrono::milliseconds(2);
    options.timeout = std::chrono::seconds(5);
    return GoogleDistanceMatrix(std::string(k_key), url(k_matrix_path), options);
  }
  GoogleRoutes routes(int max_retries = 4) {
    GoogleRoutesOptions options;
    options.max_retries = max_retries;
    options.backoff_base = std::chrono::milliseconds(2);
    options.timeout = std::chrono::seconds(5);
    return GoogleRoutes(std::string(k_key), url(k_routes_path), options);
  }
  std::string url(std::string_view path) {
    return "http://127.0.0.1:" + std::to_string(port_) + std::string(path);
  }

  httplib::Server server_;
  std::thread thread_;
  int port_ = 0;
  std::mutex mutex_;
  std::vector<Recorded> requests_;
  std::function<Reply(const Recorded&, size_t)> respond_;
};

// 30 walkers and 2 cyclists, the cyclists in the middle of the list.
std::vector<DistanceQuery> thirty_walkers_two_cyclists() {
  std::vector<DistanceQuery> queries;
  for (int i = 1; i <= 32; ++i) {
    const bool cyclist = i == 7 || i == 20;
    queries.push_back({address(cyclist ? 1000 + i : i), cyclist ? "bicycling" : "walking"});
  }
  return queries;
}

// A port taken by a socket that never listens: connections to it are refused.
class RefusingPort {
 public:
  RefusingPort() {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address);
    socklen_t length = sizeof address;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &length);
    port_ = ntohs(address.sin_port);
  }
  ~RefusingPort() { ::close(fd_); }
  std::string url(std::string_view path) const {
    return "http://127.0.0.1:" + std::to_string(port_) + std::string(path);
  }

 private:
  int fd_ = -1;
  int port_ = 0;
};

// --- Distance Matrix (legacy) ---------------------------------------------------------------

TEST(PercentEncode, KeepsUnreservedAndEncodesEveryOtherByte) {
  EXPECT_EQ(percent_encode("AZaz09-._~"), "AZaz09-._~");
  EXPECT_EQ(percent_encode("l'Église, 34970|x+y&z=1/2"),
            "l%27%C3%89glise%2C%2034970%7Cx%2By%26z%3D1%2F2");
  EXPECT_EQ(percent_encode(""), "");
}

TEST_F(GoogleServer, MatrixBatchesByModeAtTwentyFiveOriginsAndAnswersInQueryOrder) {
  respond([](const Recorded& request, size_t) { return matrix_ok(request); });
  const auto queries = thirty_walkers_two_cyclists();
  auto provider = matrix();
  EXPECT_EQ(provider.name(), "google_distance_matrix");
  auto answers = provider.distances(queries, k_destination);
  ASSERT_TRUE(answers.ok()) << answers.error().to_string();

  const auto sent = requests();
  ASSERT_EQ(sent.size(), 3u);
  std::vector<std::pair<std::string, size_t>> batches;
  for (const auto& request : sent) {
    EXPECT_EQ(request.method, "GET");
    EXPECT_EQ(request.path, k_matrix_path);
    const auto origins = split(request.param("origins"), '|');
    batches.emplace_back(request.param("mode"), origins.size());
    for (const auto& origin : origins) {
      EXPECT_EQ(number_of(origin) > 1000, request.param("mode") == "bicycling") << origin;
    }
  }
  const std::vector<std::pair<std::string, size_t>> expected = {
      {"walking", 25}, {"walking", 5}, {"bicycling", 2}};
  EXPECT_EQ(batches, expected);

  ASSERT_EQ(answers->size(), queries.size());
  for (size_t i = 0; i < queries.size(); ++i) {
    const auto& answer = (*answers)[i];
    ASSERT_EQ(answer.status, Status::ok) << i << ": " << answer.detail;
    EXPECT_EQ(answer.distance_m, number_of(queries[i].origin) * 10.0) << i;
    EXPECT_EQ(answer.duration_s, number_of(queries[i].origin)) << i;
    EXPECT_FALSE(answer.estimate);
    EXPECT_EQ(answer.detail, "OK");
  }
}

TEST_F(GoogleServer, MatrixAddressesArePercentEncodedWithTheFixedParameters) {
  respond([](const Recorded& request, size_t) { return matrix_ok(request); });
  const std::vector<DistanceQuery> queries = {
      {"12 Rue de l'Église, 34970 Lattes", "walking"},
      {"3 Chemin des Prés & Bois, Saint-Jean-de-Védas", "walking"},
      {"4 Impasse A|B, Nîmes", "walking"}};
  auto answers = matrix().distances(queries, k_destination);
  ASSERT_TRUE(answers.ok()) << answers.error().to_string();
  EXPECT_EQ((*answers)[2].distance_m, 40.0);

  const auto sent = requests();
  ASSERT_EQ(sent.size(), 1u);
  const std::string& target = sent[0].target;
  EXPECT_NE(target.find("origins=12%20Rue%20de%20l%27%C3%89glise%2C%2034970%20Lattes%7C"
                        "3%20Chemin%20des%20Pr%C3%A9s%20%26%20Bois%2C%20Saint-Jean-de-V%C3%A9das"
                        "%7C4%20Impasse%20A%20B%2C%20N%C3%AEmes&"),
            std::string::npos)
      << target;
  for (char c : target) {
    EXPECT_TRUE(c > ' ' && static_cast<unsigned char>(c) < 0x80 && c != ',' && c != '|')
        << "raw byte " << int(static_cast<unsigned char>(c)) << " in " << target;
  }
  // Decoded by the server, each address reads back as written ('|' inside one became a space).
  const std::vector<std::string> origins = {"12 Rue de l'Église, 34970 Lattes",
                                            "3 Chemin des Prés & Bois, Saint-Jean-de-Védas",
                                            "4 Impasse A B, Nîmes"};
  EXPECT_EQ(split(sent[0].param("origins"), '|'), origins);
  EXPECT_EQ(sent[0].param("destinations"), k_destination);
  EXPECT_EQ(sent[0].param("mode"), "walking");
  EXPECT_EQ(sent[0].param("units"), "metric");
  EXPECT_EQ(sent[0].param("language"), "fr");
  EXPECT_EQ(sent[0].param("region"), "fr");
  EXPECT_EQ(sent[0].param("key"), k_key);
}

TEST_F(GoogleServer, MatrixElementStatusesBecomeAnswers) {
  respond([](const Recorded&, size_t) {
    return Reply{200, matrix_reply({matrix_element("OK", 1712, 1305), matrix_element("NOT_FOUND"),
                                    matrix_element("ZERO_RESULTS"),
                                    matrix_element("MAX_ROUTE_LENGTH_EXCEEDED"),
                                    matrix_element("SOMETHING_NEW"), R"({"status":"OK"})"})};
  });
  std::vector<DistanceQuery> queries;
  for (int i = 1; i <= 6; ++i) queries.push_back({address(i), "bicycling"});
  auto answers = matrix().distances(queries, k_destination);
  ASSERT_TRUE(answers.ok()) << answers.error().to_string();
  ASSERT_EQ(answers->size(), 6u);
  EXPECT_EQ((*answers)[0].status, Status::ok);
  EXPECT_EQ((*answers)[0].distance_m, 1712.0);
  EXPECT_EQ((*answers)[0].duration_s, 1305);
  EXPECT_EQ((*answers)[1].status, Status::not_found);
  EXPECT_EQ((*answers)[1].detail, "NOT_FOUND");
  EXPECT_FALSE((*answers)[1].distance_m);
  EXPECT_EQ((*answers)[2].status, Status::no_route);
  EXPECT_EQ((*answers)[2].detail, "ZERO_RESULTS");
  EXPECT_EQ((*answers)[3].status, Status::no_route);
  EXPECT_EQ((*answers)[3].detail, "MAX_ROUTE_LENGTH_EXCEEDED");
  EXPECT_EQ((*answers)[4].status, Status::error);
  EXPECT_EQ((*answers)[4].detail, "SOMETHING_NEW");
  EXPECT_EQ((*answers)[5].status, Status::error) << "OK without distance is not a distance";
}

TEST_F(GoogleServer, MatrixOverQueryLimitAndUnknownErrorAreRetried) {
  respond([](const Recorded& request, size_t n) {
    if (n == 1) return Reply{200, R"({"rows":[],"status":"OVER_QUERY_LIMIT"})"};
    if (n == 2) return Reply{200, R"({"rows":[],"status":"UNKNOWN_ERROR"})"};
    return matrix_ok(request);
  });
  auto answers = matrix().distances({{address(5), "walking"}}, k_destination);
  ASSERT_TRUE(answers.ok()) << answers.error().to_string();
  EXPECT_EQ((*answers)[0].distance_m, 50.0);
  EXPECT_EQ(requests().size(), 3u);
}

TEST_F(GoogleServer, MatrixRequestDeniedFailsAtOnceWithoutTheKey) {
  respond([](const Recorded&, size_t) {
    // Google's message does not quote the key; this one does, to check it is scrubbed.
    const json reply = {
        {"destination_addresses", json::array()},
        {"error_message", "The provided API key is invalid. (" + std::string(k_key) + ")"},
        {"origin_addresses", json::array()},
        {"rows", json::array()},
        {"status", "REQUEST_DENIED"}};
    return Reply{200, reply.dump()};
  });
  auto answers =
      matrix().distances({{address(1), "walking"}, {address(2), "walking"}}, k_destination);
  ASSERT_FALSE(answers.ok());
  EXPECT_EQ(answers.error().code, Errc::invalid_argument);
  EXPECT_FALSE(retryable(answers.error().code));
  const std::string& message = answers.error().message;
  EXPECT_NE(message.find("google_distance_matrix"), std::string::npos) << message;
  EXPECT_NE(message.find("REQUEST_DENIED"), std::string::npos) << message;
  EXPECT_NE(message.find("The provided API key is invalid."), std::string::npos) << message;
  EXPECT_EQ(message.find(k_key), std::string::npos) << message;
  EXPECT_EQ(requests().size(), 1u) << "a refusal is not retried";
}

TEST_F(GoogleServer, MatrixServerErrorsAreRetriedThenReportedUnavailable) {
  respond([](const Recorded&, size_t) { return Reply{500, "<html>Server Error</html>"}; });
  auto answers = matrix(/*max_retries=*/2).distances({{address(1), "driving"}}, k_destination);
  ASSERT_FALSE(answers.ok());
  EXPECT_EQ(answers.error().code, Errc::unavailable);
  EXPECT_TRUE(retryable(answers.error().code));
  EXPECT_NE(answers.error().message.find("HTTP 500"), std::string::npos) << answers.error().message;
  EXPECT_NE(answers.error().message.find("google_distance_matrix"), std::string::npos);
  EXPECT_EQ(answers.error().message.find(k_key), std::string::npos);
  EXPECT_EQ(requests().size(), 3u) << "the first attempt and 2 retries";
}

TEST_F(GoogleServer, MatrixTooManyRequestsIsRetriedOtherClientErrorsAreNot) {
  respond([](const Recorded& request, size_t n) {
    return n == 1 ? Reply{429, "{}"} : matrix_ok(request);
  });
  auto answers = matrix().distances({{address(3), "walking"}}, k_destination);
  ASSERT_TRUE(answers.ok()) << answers.error().to_string();
  EXPECT_EQ(requests().size(), 2u);

  respond([](const Recorded&, size_t) { return Reply{403, "Forbidden"}; });
  answers = matrix().distances({{address(3), "walking"}}, k_destination);
  ASSERT_FALSE(answers.ok());
  EXPECT_EQ(answers.error().code, Errc::invalid_argument);
  EXPECT_NE(answers.error().message.find("HTTP 403"), std::string::npos);
  EXPECT_EQ(requests().size(), 3u);
}

TEST_F(GoogleServer, MatrixRowCountThatDiffersFromTheOriginsIsCorrupt) {
  respond([](const Recorded&, size_t) {
    return Reply{200, matrix_reply({matrix_element("OK", 1, 1), matrix_element("OK", 2, 2)})};
  });
  std::vector<DistanceQuery> queries;
  for (int i = 1; i <= 3; ++i) queries.push_back({address(i), "walking"});
  auto answers = matrix().distances(queries, k_destination);
  ASSERT_FALSE(answers.ok());
  EXPECT_EQ(answers.error().code, Errc::corrupt);
  EXPECT_NE(answers.error().message.find("2 rows for 3 origins"), std::string::npos)
      << answers.error().message;
  EXPECT_EQ(requests().size(), 1u);
}

TEST_F(GoogleServer, MatrixReplyThatIsNotJsonIsAParseError) {
  respond([](const Recorded&, size_t) { return Reply{200, "{\"rows\":[{\"elem"}; });
  auto answers = matrix().distances({{address(1), "walking"}}, k_destination);
  ASSERT_FALSE(answers.ok());
  EXPECT_EQ(answers.error().code, Errc::parse);
}

TEST_F(GoogleServer, MatrixRefusesUnknownModesAndDoesNotSendBlankAddresses) {
  respond([](const Recorded& request, size_t) { return matrix_ok(request); });
  auto refused =
      matrix().distances({{address(1), "walking"}, {address(2), "transit"}}, k_destination);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, Errc::invalid_argument);
  EXPECT_NE(refused.error().message.find("'transit'"), std::string::npos);
  EXPECT_TRUE(requests().empty());

  auto answers = matrix().distances({{"  ", "walking"}, {address(4), "walking"}}, k_destination);
  ASSERT_TRUE(answers.ok()) << answers.error().to_string();
  EXPECT_EQ((*answers)[0].status, Status::not_found);
  EXPECT_EQ((*answers)[1].distance_m, 40.0);
  ASSERT_EQ(requests().size(), 1u);
  EXPECT_EQ(requests()[0].param("origins"), address(4));

  auto nothing = matrix().distances({}, k_destination);
  ASSERT_TRUE(nothing.ok());
  EXPECT_TRUE(nothing->empty());
  EXPECT_EQ(requests().size(), 1u);
}

TEST(GoogleDistanceMatrix, NobodyListeningIsUnavailableAndTheKeyStaysOut) {
  RefusingPort port;
  GoogleDistanceMatrixOptions options;
  options.max_retries = 1;
  options.backoff_base = std::chrono::milliseconds(1);
  GoogleDistanceMatrix provider(std::string(k_key), port.url(k_matrix_path), options);
  auto answers = provider.distances({{address(1), "walking"}}, k_destination);
  ASSERT_FALSE(answers.ok());
  EXPECT_EQ(answers.error().code, Errc::unavailable);
  EXPECT_NE(answers.error().message.find("gave up after 2 attempts"), std::string::npos)
      << answers.error().message;
  EXPECT_EQ(answers.error().message.find(k_key), std::string::npos) << answers.error().message;
}

TEST(DistanceMatrixReply, NegativeDistanceOrDurationIsNoDistance) {
  // fuzz_distance_replies: an OK element with a negative value was answered ok.
  auto reply = parse_distance_matrix_reply(
      matrix_reply({matrix_element("OK", -1712, 1305), matrix_element("OK", 1712, -1),
                    matrix_element("OK", 0, 0)}),
      3);
  ASSERT_TRUE(reply.ok()) << reply.error().to_string();
  ASSERT_EQ(reply->answers.size(), 3u);
  EXPECT_EQ(reply->answers[0].status, Status::error);
  EXPECT_FALSE(reply->answers[0].distance_m);
  EXPECT_EQ(reply->answers[1].status, Status::error);
  EXPECT_EQ(reply->answers[2].status, Status::ok);
  EXPECT_EQ(reply->answers[2].distance_m, 0.0);
}

// --- Routes computeRouteMatrix ---------------------------------------------------------------

TEST(ProtoDuration, ReadsSecondsWithTheirSuffix) {
  EXPECT_EQ(parse_proto_duration("1305s"), 1305);
  EXPECT_EQ(parse_proto_duration("0s"), 0);
  EXPECT_EQ(parse_proto_duration("12.6s"), 13);
  EXPECT_FALSE(parse_proto_duration("1305"));
  EXPECT_FALSE(parse_proto_duration("s"));
  EXPECT_FALSE(parse_proto_duration("-3s"));
  EXPECT_FALSE(parse_proto_duration("12ms"));
  // fuzz_distance_replies: past 2^63 s llround gave -2^63, a negative duration.
  EXPECT_EQ(parse_proto_duration("315576000000s"), 315576000000);
  EXPECT_FALSE(parse_proto_duration("315576000001s"));
  EXPECT_FALSE(parse_proto_duration("9223372036854775807s"));
  EXPECT_FALSE(
      parse_proto_duration("1305000000000000000000000000000000000000000000000000000000000s"));
}

TEST(RouteMatrixReply, NegativeDistanceIsMalformed) {
  // fuzz_distance_replies: a negative distanceMeters was answered ok.
  auto answers = parse_route_matrix(R"([
      {"originIndex":1,"condition":"ROUTE_EXISTS","distanceMeters":-1712,"duration":"1305s"},
      {"condition":"ROUTE_EXISTS","distanceMeters":1712,"duration":"1305s"}])",
                                    2);
  ASSERT_TRUE(answers.ok()) << answers.error().to_string();
  ASSERT_EQ(answers->size(), 2u);
  EXPECT_EQ((*answers)[0].status, Status::ok);
  EXPECT_EQ((*answers)[0].distance_m, 1712.0);
  EXPECT_EQ((*answers)[1].status, Status::error);
  EXPECT_FALSE((*answers)[1].distance_m);
}

TEST_F(GoogleServer, RoutesSendsHeadersAndBodyAndReadsElementsInAnyOrder) {
  respond([](const Recorded&, size_t) {
    // Shuffled; origin 0 has no originIndex (proto3 omits zeros) and no status (OK).
    return Reply{200, R"([
      {"originIndex":2,"destinationIndex":0,"status":{},"condition":"ROUTE_EXISTS",
       "distanceMeters":2500,"duration":"1800s"},
      {"condition":"ROUTE_EXISTS","distanceMeters":1712,"duration":"1305s"},
      {"originIndex":1,"status":{},"condition":"ROUTE_NOT_FOUND"}])"};
  });
  const std::vector<DistanceQuery> queries = {{"53 Av. de la Gare, 34970 Lattes", "walking"},
                                              {"2 Mas de l'Île, Pérols", "walking"},
                                              {"8 \"La Fontaine\", Mauguio", "walking"}};
  auto provider = routes();
  EXPECT_EQ(provider.name(), "google_routes");
  auto answers = provider.distances(queries, k_destination);
  ASSERT_TRUE(answers.ok()) << answers.error().to_string();
  ASSERT_EQ(answers->size(), 3u);
  EXPECT_EQ((*answers)[0].status, Status::ok);
  EXPECT_EQ((*answers)[0].distance_m, 1712.0);
  EXPECT_EQ((*answers)[0].duration_s, 1305);
  EXPECT_EQ((*answers)[0].detail, "ROUTE_EXISTS");
  EXPECT_EQ((*answers)[1].status, Status::no_route);
  EXPECT_EQ((*answers)[1].detail, "ROUTE_NOT_FOUND");
  EXPECT_EQ((*answers)[2].status, Status::ok);
  EXPECT_EQ((*answers)[2].distance_m, 2500.0);
  EXPECT_EQ((*answers)[2].duration_s, 1800);

  const auto sent = requests();
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].method, "POST");
  EXPECT_EQ(sent[0].path, k_routes_path);
  EXPECT_EQ(sent[0].header("Content-Type"), "application/json");
  EXPECT_EQ(sent[0].header("X-Goog-Api-Key"), k_key);
  EXPECT_EQ(sent[0].header("X-Goog-FieldMask"),
            "originIndex,destinationIndex,status,condition,distanceMeters,duration");
  EXPECT_EQ(sent[0].target.find(k_key), std::string::npos) << "the key travels in a header";
  const json body = json::parse(sent[0].body);
  const json expected = {{"origins",
                          {{{"waypoint", {{"address", "53 Av. de la Gare, 34970 Lattes"}}}},
                           {{"waypoint", {{"address", "2 Mas de l'Île, Pérols"}}}},
                           {{"waypoint", {{"address", "8 \"La Fontaine\", Mauguio"}}}}}},
                         {"destinations", {{{"waypoint", {{"address", k_destination}}}}}},
                         {"travelMode", "WALK"},
                         {"languageCode", "fr-FR"},
                         {"regionCode", "FR"},
                         {"units", "METRIC"}};
  EXPECT_EQ(body, expected) << body.dump(1);
  EXPECT_FALSE(body.contains("routingPreference"));
}

TEST_F(GoogleServer, RoutesElementStatusesBecomeAnswers) {
  respond([](const Recorded&, size_t) {
    return Reply{200, R"([
      {"originIndex":4,"status":{"code":13,"message":"Internal error."}},
      {"originIndex":1,"status":{"code":5,"message":"Origin not found."}},
      {"originIndex":2,"status":{"code":3,"message":"Origin could not be Geocoded."}},
      {"originIndex":3,"status":{},"condition":"ROUTE_MATRIX_ELEMENT_CONDITION_UNSPECIFIED"},
      {"originIndex":0,"status":{"code":0},"condition":"ROUTE_EXISTS","duration":"0s"},
      {"originIndex":5,"condition":"ROUTE_EXISTS","distanceMeters":900,"duration":"soon"}])"};
  });
  std::vector<DistanceQuery> queries;
  for (int i = 1; i <= 6; ++i) queries.push_back({address(i), "bicycling"});
  auto answers = routes().distances(queries, k_destination);
  ASSERT_TRUE(answers.ok()) << answers.error().to_string();
  ASSERT_EQ(answers->size(), 6u);
  EXPECT_EQ((*answers)[0].status, Status::ok) << "same place: proto3 omits distanceMeters 0";
  EXPECT_EQ((*answers)[0].distance_m, 0.0);
  EXPECT_EQ((*answers)[0].duration_s, 0);
  EXPECT_EQ((*answers)[1].status, Status::not_found);
  EXPECT_EQ((*answers)[1].detail, "status 5: Origin not found.");
  EXPECT_EQ((*answers)[2].status, Status::not_found);
  EXPECT_EQ((*answers)[3].status, Status::error);
  EXPECT_EQ((*answers)[4].status, Status::error);
  EXPECT_EQ((*answers)[4].detail, "status 13: Internal error.");
  EXPECT_EQ((*answers)[5].status, Status::error) << "a malformed duration is not a distance";
  EXPECT_EQ(json::parse(requests()[0].body)["travelMode"], "BICYCLE");
}

TEST_F(GoogleServer, RoutesClientErrorsCarryGoogleMessageAndAreNotRetried) {
  respond([](const Recorded&, size_t) {
    return Reply{400, R"({"error":{"code":400,"message":"Invalid JSON payload received. )"
                      R"(Unknown name \"routingPreference\"","status":"INVALID_ARGUMENT"}})"};
  });
  auto answers = routes().distances({{address(1), "walking"}}, k_destination);
  ASSERT_FALSE(answers.ok());
  EXPECT_EQ(answers.error().code, Errc::invalid_argument);
  const std::string& message = answers.error().message;
  EXPECT_NE(message.find("google_routes: HTTP 400 INVALID_ARGUMENT: Invalid JSON payload "
                         "received. Unknown name \"routingPreference\""),
            std::string::npos)
      << message;
  EXPECT_EQ(requests().size(), 1u);

  respond([](const Recorded&, size_t) {
    return Reply{403, R"({"error":{"code":403,"message":"API key not valid: )" +
                          std::string(k_key) + R"(","status":"PERMISSION_DENIED"}})"};
  });
  answers = routes().distances({{address(1), "walking"}}, k_destination);
  ASSERT_FALSE(answers.ok());
  EXPECT_EQ(answers.error().code, Errc::invalid_argument);
  EXPECT_NE(answers.error().message.find("PERMISSION_DENIED: API key not valid"), std::string::npos)
      << answers.error().message;
  EXPECT_EQ(answers.error().message.find(k_key), std::string::npos) << answers.error().message;
  EXPECT_EQ(requests().size(), 2u);
}

TEST_F(GoogleServer, RoutesUnavailableIsRetriedWithBackoff) {
  respond([](const Recorded& request, size_t n) {
    if (n == 1) return Reply{503, R"({"error":{"code":503,"status":"UNAVAILABLE"}})"};
    if (n == 2) return Reply{429, R"({"error":{"code":429,"status":"RESOURCE_EXHAUSTED"}})"};
    return routes_ok(request);
  });
  auto answers = routes().distances({{address(7), "driving"}}, k_destination);
  ASSERT_TRUE(answers.ok()) << answers.error().to_string();
  EXPECT_EQ((*answers)[0].distance_m, 70.0);
  EXPECT_EQ(requests().size(), 3u);
  EXPECT_EQ(json::parse(requests()[2].body)["travelMode"], "DRIVE");

  respond([](const Recorded&, size_t) { return Reply{500, "oops"}; });
  answers = routes(/*max_retries=*/3).distances({{address(7), "driving"}}, k_destination);
  ASSERT_FALSE(answers.ok());
  EXPECT_EQ(answers.error().code, Errc::unavailable);
  EXPECT_NE(answers.error().message.find("gave up after 4 attempts: HTTP 500"), std::string::npos)
      << answers.error().message;
  EXPECT_EQ(requests().size(), 7u);
}

TEST_F(GoogleServer, RoutesBatchesAtFortyNineOriginsAndAnswersInQueryOrder) {
  respond([](const Recorded& request, size_t) { return routes_ok(request); });
  std::vector<DistanceQuery> queries;
  for (int i = 1; i <= 101; ++i) {
    queries.push_back({address(i), i == 50 ? "driving" : "bicycling"});
  }
  auto answers = routes().distances(queries, k_destination);
  ASSERT_TRUE(answers.ok()) << answers.error().to_string();

  std::vector<std::pair<std::string, size_t>> batches;
  for (const auto& request : requests()) {
    const json body = json::parse(request.body);
    batches.emplace_back(body["travelMode"].get<std::string>(), body["origins"].size());
    EXPECT_EQ(body["destinations"].size(), 1u);
  }
  const std::vector<std::pair<std::string, size_t>> expected = {
      {"BICYCLE", 49}, {"BICYCLE", 49}, {"BICYCLE", 2}, {"DRIVE", 1}};
  EXPECT_EQ(batches, expected);
  ASSERT_EQ(answers->size(), queries.size());
  for (size_t i = 0; i < queries.size(); ++i) {
    ASSERT_EQ((*answers)[i].status, Status::ok) << i << ": " << (*answers)[i].detail;
    EXPECT_EQ((*answers)[i].distance_m, (i + 1) * 10.0) << i;
    EXPECT_EQ((*answers)[i].duration_s, static_cast<int64_t>(i + 1)) << i;
  }
}

TEST_F(GoogleServer, RoutesMissingDuplicatedOrForeignElementsAreCorrupt) {
  std::vector<DistanceQuery> queries = {{address(1), "walking"}, {address(2), "walking"}};
  const std::vector<std::string> replies = {
      R"([{"originIndex":1,"condition":"ROUTE_EXISTS","distanceMeters":5,"duration":"5s"}])",
      R"([{"condition":"ROUTE_NOT_FOUND"},{"originIndex":0,"condition":"ROUTE_NOT_FOUND"},
          {"originIndex":1,"condition":"ROUTE_NOT_FOUND"}])",
      R"([{"condition":"ROUTE_NOT_FOUND"},{"originIndex":2,"condition":"ROUTE_NOT_FOUND"}])",
      R"([{"condition":"ROUTE_NOT_FOUND"},{"originIndex":1,"destinationIndex":1}])"};
  for (const auto& reply : replies) {
    respond([reply](const Recorded&, size_t) { return Reply{200, reply}; });
    auto answers = routes().distances(queries, k_destination);
    ASSERT_FALSE(answers.ok()) << reply;
    EXPECT_EQ(answers.error().code, Errc::corrupt) << answers.error().message;
  }
  respond([](const Recorded&, size_t) { return Reply{200, R"({"error":"not an array"})"}; });
  auto answers = routes().distances(queries, k_destination);
  ASSERT_FALSE(answers.ok());
  EXPECT_EQ(answers.error().code, Errc::parse);
  EXPECT_EQ(requests().size(), 5u) << "a malformed answer is not retried";
}

TEST_F(GoogleServer, RoutesRefusesUnknownModesAndDoesNotSendBlankAddresses) {
  respond([](const Recorded& request, size_t) { return routes_ok(request); });
  auto refused = routes().distances({{address(1), "two_wheeler"}}, k_destination);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, Errc::invalid_argument);
  EXPECT_TRUE(requests().empty());

  auto answers = routes().distances({{address(3), "walking"}, {"", "walking"}}, k_destination);
  ASSERT_TRUE(answers.ok()) << answers.error().to_string();
  EXPECT_EQ((*answers)[0].distance_m, 30.0);
  EXPECT_EQ((*answers)[1].status, Status::not_found);
  EXPECT_EQ((*answers)[1].detail, "empty address");
  ASSERT_EQ(requests().size(), 1u);
  EXPECT_EQ(json::parse(requests()[0].body)["origins"].size(), 1u);
}

TEST(GoogleRoutes, NobodyListeningIsUnavailable) {
  RefusingPort port;
  GoogleRoutesOptions options;
  options.max_retries = 1;
  options.backoff_base = std::chrono::milliseconds(1);
  GoogleRoutes provider(std::string(k_key), port.url(k_routes_path), options);
  auto answers = provider.distances({{address(1), "walking"}}, k_destination);
  ASSERT_FALSE(answers.ok());
  EXPECT_EQ(answers.error().code, Errc::unavailable);
  EXPECT_EQ(answers.error().message.find(k_key), std::string::npos) << answers.error().message;
}

}  // namespace
}  // namespace sl::integrations
